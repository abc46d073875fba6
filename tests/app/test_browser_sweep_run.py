"""A sweep's run opened live from its report, in a real browser: a real small sweep of the
model, its analysis report opened as a reader does, a run's link followed to the app served
on the sweep (as ``sim app --sweep FOLDER`` serves it), and the series the app shows checked
against the stored ones."""

from __future__ import annotations

import pytest

from sim_app.serving import app_server
from sim_sweep.analyze import analyze
from sim_sweep.engine import run_sweep
from sim_sweep.openrun import SWEEP_ENV, load_run
from sim_sweep.spec import load_sweep
from tests.app.test_browser import ARTIFACTS, browser, require_browser_tools  # noqa: F401
from tests.sweep.conftest import write_sweep
from tests.sweep.test_open_run import LIVE

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    require_browser_tools()
    folder = tmp_path_factory.mktemp("live")
    run_sweep(load_sweep(write_sweep(folder, LIVE)), kind="serial", progress=False)
    analyze(folder / "out", charts=False)
    return folder / "out"


@pytest.fixture(scope="module")
def served(sweep):
    ARTIFACTS.mkdir(exist_ok=True)
    with app_server(log_path=ARTIFACTS / "app-server-sweep.log",
                    extra_env={SWEEP_ENV: str(sweep)}) as u:
        yield u


def test_open_a_run_from_the_report(browser, sweep, served):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    report = ctx.new_page()
    report.goto((sweep / "analysis" / "report.html").as_uri())
    links = report.locator("table.runs-live a.open-live")
    assert links.count() == 4
    # the last listed run: an end of the first KPI, as a reader picks a striking run
    link = links.last
    run_id = link.inner_text().strip()
    href = link.get_attribute("href")
    assert href.endswith(f"/?run={run_id}")
    page = ctx.new_page()
    page.goto(served.rstrip("/") + href[href.index("/?run="):])
    page.wait_for_selector(".sweep-run-ok, .sweep-run-differs", timeout=60_000)
    assert page.locator(".sweep-run-differs").count() == 0, page.inner_text(
        ".sweep-run-differs")
    note = page.inner_text(".sweep-run-ok")
    assert run_id in note and "24 months × 3 columns" in note
    stored = load_run(sweep, run_id)
    assert f"seed {stored.seed}" in note
    page.wait_for_selector('[data-chart="gain"][data-revision]', timeout=60_000)
    page.wait_for_function("document.querySelector('[data-chart=gain]').sharedsimChart",
                           timeout=30_000)
    shown = page.evaluate("document.querySelector('[data-chart=gain]').sharedsimChart"
                          ".getOption().series[0].data")
    # the chart draws the stored series (to the chart's three decimals)
    values = [v["value"] if isinstance(v, dict) else v for v in shown]
    stored_gain = [round(float(x), 3) for x in stored.series["realised_gain"]]
    assert values[:len(stored_gain)] == pytest.approx(stored_gain, abs=1e-3)
    assert page.inner_text(".month-label").startswith("Month 24")
    page.screenshot(path=str(ARTIFACTS / "sweep-run-opened-1280x720.png"))
    ctx.close()
