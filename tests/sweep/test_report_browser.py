"""The analysis report as a reader sees it: in a real browser, at the width of an A4 page,
nothing is wider than the page (tables of long KPI and parameter names included)."""

from __future__ import annotations

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
