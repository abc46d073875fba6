"""A team's own institutions in a real browser, at a projector's 1280 x 720: download the
template, upload the shipped example, run it, play it and hand out its summary."""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

import pytest

from tests.app.test_browser import (  # noqa: F401
    ARTIFACTS,
    browser,
    kpi,
    month_shown,
    open_page,
    url,
)

pytestmark = pytest.mark.browser

EXAMPLE = Path(str(resources.files("sim.data").joinpath("kl_benefits_municipalities.csv")))
PROJECTOR = (1280, 720)

#: Every button of the export panel that sticks out of its box or the panel (a cut label).
CUT_BUTTONS = """() => {
  const panel = document.querySelector('.export-panel').getBoundingClientRect();
  const cut = [];
  for (const el of document.querySelectorAll('.export-panel .v-btn, .export-panel .file-input, .export-panel .v-alert')) {
    const r = el.getBoundingClientRect();
    const box = (el.closest('.file-input') && el !== el.closest('.file-input'))
      ? el.closest('.file-input').getBoundingClientRect() : panel;
    if (r.right > box.right + 1 || r.left < box.left - 1 || el.scrollWidth > el.clientWidth + 1)
      cut.push((el.innerText || '').trim().slice(0, 60));
  }
  return cut;
}"""


def test_upload_the_example_run_play_and_summary(browser, url):  # noqa: F811
    from sim.institutions import read_institutions

    table = read_institutions(str(EXAMPLE))
    ctx, page, external = open_page(browser, url, PROJECTOR)
    assert external == []
    before = {k: kpi(page, k) for k in ("break_even_month", "shadow_fte_end")}
    page.get_by_text("Export and import").click()
    panel = page.locator(".institutions-panel")
    panel.scroll_into_view_if_needed()

    # the template: the columns the reader takes, ready to fill in
    with page.expect_download(timeout=30_000) as dl:
        panel.get_by_text("Template (CSV)").click()
    assert dl.value.suggested_filename == "institutions_template.csv"
    header = next(csv.reader(io.StringIO(Path(dl.value.path()).read_text("utf-8-sig"))))
    assert header[:3] == ["name", "group", "fte"]

    # a bad file: one line under the upload, the run unchanged
    bad = ARTIFACTS / "bad_institutions.csv"
    bad.write_text("name,group,fte\nA,B,-3\n", encoding="utf-8")
    rev = page.get_attribute('[data-chart="net"]', "data-revision")
    panel.locator("input[type=file]").set_input_files(str(bad))
    page.wait_for_selector(".institutions-error", timeout=30_000)
    error = page.inner_text(".institutions-error").strip()
    assert "bad_institutions.csv" in error and "\n" not in error and "Traceback" not in error
    assert page.get_attribute('[data-chart="net"]', "data-revision") == rev

    # the example: its institutions run, and the controls it fixes say so
    panel.locator("input[type=file]").set_input_files(str(EXAMPLE))
    page.wait_for_selector(".institutions-ok", timeout=60_000)
    ok = page.inner_text(".institutions-ok")
    assert f"{len(table)} institutions" in ok and EXAMPLE.name in ok
    assert page.locator(".institutions-error").count() == 0
    assert "From the file:" in page.inner_text(".institutions-panel")
    page.wait_for_function(
        f"document.querySelector('[data-chart=\"net\"]').dataset.revision != '{rev}'",
        timeout=60_000)
    page.wait_for_timeout(500)
    after = {k: kpi(page, k) for k in before}
    assert after != before, "the file's institutions changed no key figure"
    page.screenshot(path=str(ARTIFACTS / "institutions-uploaded-1280x720.png"))
    assert page.evaluate(CUT_BUTTONS) == [], "a button's label is cut at 1280 x 720"

    # play it: from month 0 forward
    page.click(".btn-reset")
    page.wait_for_function("document.querySelector('.month-label').innerText.includes('Month 0')")
    page.click(".btn-play")
    page.wait_for_function(
        "parseInt(document.querySelector('.month-label').innerText.match(/\\d+/)[0]) >= 4",
        timeout=60_000)
    page.click(".btn-pause")
    page.wait_for_timeout(500)
    assert month_shown(page) >= 4
    page.screenshot(path=str(ARTIFACTS / "institutions-played-1280x720.png"))

    # its summary names the file and bands the file's runs
    panel = page.locator(".export-panel")
    panel.scroll_into_view_if_needed()
    with page.expect_download(timeout=120_000) as dl:
        page.get_by_text("Summary (HTML)").click()
    text = Path(dl.value.path()).read_text("utf-8")
    assert EXAMPLE.name in text and "<svg" in text and "10–90" in text
    (ARTIFACTS / "institutions-summary.html").write_text(text, encoding="utf-8")
    ctx.close()
