"""The analysis report as a reader sees it: in a real browser, at the width of an A4 page,
nothing is wider than the page (tables of long KPI and parameter names included), and printed
to PDF it is A4 pages whose figures are vectors."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim_app.serving
from sim_sweep.analyze import analyze
from sim_sweep.engine import run_sweep
from sim_sweep.spec import load_sweep
from tests.app.test_browser import require_browser_tools

pytestmark = pytest.mark.browser

#: An A4 page's printable width in CSS pixels (210 mm at 96 dpi, less Chromium's margins).
A4_WIDTH = 718

LHS = """
design = "lhs"
replications = 2
master_seed = 5
[sampler]
n = 24
[vary.dialogue_effort]
range = [0, 1]
[vary.task_split_clarity]
range = [0.2, 1]
[vary.trust_memory_months]
range = [6, 48]
[vary.shadow_max_share]
range = [0.05, 0.4]
[vary.control_need_mean]
range = [0.3, 0.7]
[keep]
series = ["realised_gain"]
"""

POLICIES = """
[cases.strategy]
big_bang = { rollout = "big_bang", adoption = "mandatory" }
voluntary = { rollout = "waves", adoption = "voluntary" }
[analysis]
kpis = ["cumulative_net_benefit_end_mdkk", "break_even_month", "min_service_level"]
objectives = { cumulative_net_benefit_end_mdkk = "max" }
satisficing = ["min_service_level >= 0.9"]
"""


def test_report_fits_an_a4_page(sweep_file, tmp_path):
    require_browser_tools()
    from playwright.sync_api import sync_playwright

    run_sweep(load_sweep(sweep_file(LHS)), kind="serial", progress=False)
    analyze(tmp_path / "out")
    report = tmp_path / "out" / "analysis" / "report.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=sim_app.serving.CHROMIUM,
                                    args=sim_app.serving.CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": A4_WIDTH, "height": 1000})
        page.goto(report.as_uri())
        assert page.locator("table").count() >= 2
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(e => e.tagName + ': ' + (e.textContent || '').trim().slice(0, 40))""")
        width = page.evaluate("document.documentElement.scrollWidth")
        browser.close()
    assert width <= A4_WIDTH and not wide, wide[:5]


def test_report_of_policies_x_lhs_prints_on_a4_with_vector_figures(sweep_file, tmp_path):
    require_browser_tools()
    import pypdfium2 as pdfium
    from playwright.sync_api import sync_playwright

    run_sweep(load_sweep(sweep_file(LHS.replace("n = 24", "n = 12") + POLICIES)),
              kind="serial", progress=False)
    res = analyze(tmp_path / "out")
    for svg in res.charts.values():
        assert "<image" not in svg.read_text(), svg.name  # vectors only
    report = res.out / "report.html"
    assert "data:image/png" not in report.read_text()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=sim_app.serving.CHROMIUM,
                                    args=sim_app.serving.CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(report.as_uri())
        page.emulate_media(media="print")
        figures = page.locator("figure img").count()
        svg_images = page.evaluate("""() => [...document.querySelectorAll('figure img')]
            .filter(i => i.src.startsWith('data:image/svg+xml') && i.naturalWidth > 0).length""")
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(e => e.tagName)""")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        browser.close()
    assert figures >= 5 and svg_images == figures and not wide, wide[:5]
    doc = pdfium.PdfDocument(pdf)
    sizes = {tuple(round(v) for v in doc[i].get_size()) for i in range(len(doc))}
    assert sizes == {(595, 842)} and len(doc) >= 3  # A4 portrait, in points


def test_the_shipped_kl_rollout_report_prints_on_a4_with_provenance(tmp_path):
    """experiments/kl_rollout_strategies.toml (policies × LHS), cut to 4 futures and one
    replication: its report prints on A4, every figure a vector, with full provenance."""
    require_browser_tools()
    import pypdfium2 as pdfium
    from playwright.sync_api import sync_playwright

    from sim_sweep.spec import parse_sweep

    shipped = Path(__file__).resolve().parents[2] / "experiments" / "kl_rollout_strategies.toml"
    text = shipped.read_text(encoding="utf-8")
    text = text.replace("replications = 5", "replications = 2").replace("n = 16", "n = 4")
    text = text.replace('output = "results/kl_rollout_strategies"', f'output = "{tmp_path}/out"')
    sw = parse_sweep(text, tmp_path / "kl.toml")
    assert sw.spec.design == "lhs" and list(sw.cases) == ["strategy"]
    run_sweep(sw, kind="serial", progress=False)
    res = analyze(tmp_path / "out")
    assert res.robust is not None and not res.robust.regret.empty
    for svg in res.charts.values():
        assert "<image" not in svg.read_text(), svg.name
    html = res.out.joinpath("report.html").read_text()
    start = res.provenance["sweep_starts"][0]
    assert start["hashes"]["sweep file"] in html and start["libraries"]["Mesa"] in html
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=sim_app.serving.CHROMIUM,
                                    args=sim_app.serving.CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(res.out.joinpath("report.html").as_uri())
        pdf = page.pdf(prefer_css_page_size=True)
        browser.close()
    doc = pdfium.PdfDocument(pdf)
    assert {tuple(round(v) for v in doc[i].get_size()) for i in range(len(doc))} == {(595, 842)}
