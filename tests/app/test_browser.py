"""End-to-end tests in a real browser: Debian's chromium driven by Playwright.

The real app.py runs on a free port with the local asset cache and the CDN blocked, so these
tests also prove that the page renders with no internet.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import struct
from pathlib import Path

import pytest

import sim_app.serving
from sim.recorder import COLUMNS
from sim_app.serving import CHROMIUM_FLAGS, ROOT, app_server

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"


def require_browser_tools() -> None:
    """Skip (locally) or fail (in CI) unless Debian's chromium and npm are installed.

    Every fixture that needs them calls this first, so no fixture launches a missing browser.
    """
    if not Path(sim_app.serving.CHROMIUM).exists() or shutil.which("npm") is None:
        message = "needs Debian's chromium and npm (apt-get install -y chromium npm)"
        if os.environ.get("SIM_REQUIRE_BROWSER"):  # set by .ci/run: CI must not skip it
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def url():
    require_browser_tools()
    ARTIFACTS.mkdir(exist_ok=True)
    with app_server(log_path=ARTIFACTS / "app-server.log") as u:
        yield u


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    require_browser_tools()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=sim_app.serving.CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


#: The sizes every view is checked at: a projector, two laptops and a phone.
SIZES = ((1280, 720), (1366, 768), (1920, 1080), (390, 844))
#: The size of the deep interaction test (a laptop's).
LAPTOP = (1366, 768)


def open_page(browser, url, size=LAPTOP):
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]},
                              accept_downloads=True)
    page = ctx.new_page()
    external = []
    page.on("request", lambda r: r.url.startswith("http") and "localhost" not in r.url
            and external.append(r.url))
    page.goto(url)
    page.wait_for_selector('[data-chart="net"][data-revision]', timeout=60_000)
    page.wait_for_selector('[data-chart="network"][data-revision]', timeout=30_000)
    return ctx, page, external


def kpi(page, key):
    return page.inner_text(f".kpi-{key} .kpi-value")


def month_shown(page) -> int:
    return int(re.search(r"(\d+)", page.inner_text(".month-label")).group(1))


def save_chart_png(page, name: str) -> tuple[str, bytes, dict]:
    """Click the chart's own save button as a user does: ECharts draws it on the canvas, at
    the toolbox's place (``right: 8, top: 0``, default padding 5 and icon size 15). The
    position is measured again before a second try (a busy page may still be moving)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    chart = page.locator(f'[data-chart="{name}"]')
    for attempt in range(3):
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()  # in the viewport, where the mouse clicks
        x, y = box["x"] + box["width"] - 8 - 5 - 7.5, box["y"] + 5 + 7.5
        page.mouse.move(x, y)
        page.wait_for_timeout(200)
        try:
            with page.expect_download(timeout=8_000) as dl:
                page.mouse.click(x, y)
            return dl.value.suggested_filename, Path(dl.value.path()).read_bytes(), box
        except PlaywrightTimeout:
            if attempt == 2:
                page.screenshot(path=str(ARTIFACTS / f"png-{name}-failed.png"))
                raise
    raise AssertionError("unreachable")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (after checking the signature)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_app_end_to_end(browser, url):
    ctx, page, external = open_page(browser, url)
    assert external == [], f"the page asked the internet for {external}"
    page.screenshot(path=str(ARTIFACTS / "main-view.png"), full_page=True)
    assert page.inner_text(".month-label").startswith("Month 120")

    # choose a scenario (the last one listed) in the picker
    page.click(".scenario-select")
    items = page.locator(".v-menu__content .v-list-item")
    items.last.click()
    page.wait_for_timeout(300)
    page.keyboard.press("Escape")

    # move a control: the preparation slider (roll-out is open), three steps right
    before = {k: kpi(page, k) for k in ("break_even_month", "months_to_50pct_gain",
                                         "shadow_fte_end", "min_service_level")}
    label_before = page.inner_text(".param-preparation_months .param-label")
    rev = page.get_attribute('[data-chart="net"]', "data-revision")
    thumb = page.locator(".param-preparation_months .v-slider__thumb-container")
    thumb.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        f"document.querySelector('[data-chart=\"net\"]').dataset.revision != '{rev}'",
        timeout=10_000)
    page.wait_for_timeout(300)
    after = {k: kpi(page, k) for k in before}
    assert after != before, "moving a control changed no KPI"
    label = page.inner_text(".param-preparation_months .param-label")
    assert label != label_before

    # play a few months
    page.click(".btn-reset")
    page.wait_for_function("document.querySelector('.month-label').innerText.includes('Month 0')")
    page.click(".btn-play")
    page.wait_for_function(
        "parseInt(document.querySelector('.month-label').innerText.match(/\\d+/)[0]) >= 6",
        timeout=60_000)  # generous: CI's two cores also run the server
    page.click(".btn-pause")
    # on a busy machine the pause can land after one more month: wait until the month is still
    shown = month_shown(page)
    for _ in range(20):
        page.wait_for_timeout(400)
        now = month_shown(page)
        if now == shown:
            break
        shown = now
    assert 6 <= shown < 120

    # download the CSV: one row per month shown, the model's columns
    page.get_by_text("Export and import").click()
    with page.expect_download() as dl:
        page.get_by_text("Time series (CSV)").click()
    path = dl.value.path()
    rows = list(csv.reader(io.StringIO(Path(path).read_text())))
    assert rows[0] == list(COLUMNS)
    assert len(rows) - 1 == month_shown(page)
    assert [int(r[0]) for r in rows[1:]] == list(range(1, len(rows)))

    # each chart's PNG: its own save button gives a real image, twice the screen resolution
    for name in ("gain", "network"):
        filename, data, box = save_chart_png(page, name)
        assert filename == f"{name}.png"
        width, height = png_size(data)
        assert width >= 400 and height >= 200
        assert abs(width - 2 * box["width"]) <= 2 and abs(height - 2 * box["height"]) <= 2
        assert len(data) > 10_000, f"{filename} is nearly empty ({len(data)} bytes)"
        (ARTIFACTS / filename).write_bytes(data)

    # a second browser context is another session with its own model
    ctx2, page2, _ = open_page(browser, url)
    assert month_shown(page2) == 120
    assert month_shown(page) == shown
    page2.click(".btn-reset")
    page2.wait_for_function("document.querySelector('.month-label').innerText.includes('Month 0')")
    page.wait_for_timeout(300)
    assert month_shown(page) == shown
    assert page2.inner_text(".param-preparation_months .param-label") != \
        page.inner_text(".param-preparation_months .param-label")

    # the projector view hides the controls, and the language switch translates labels
    page.click(".btn-mode-projector")
    page.wait_for_selector(".projector [data-chart='gain'][data-revision]", timeout=30_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "presentation.png"))
    assert page.locator(".projector").count() == 1
    assert page.locator(".param-preparation_months").count() == 0
    page.click(".btn-lang")
    page.wait_for_function("document.body.textContent.includes('Afspil')", timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "presentation-da.png"), full_page=True)

    # back to exploring, in Danish: the controls' help texts are Danish too
    from sim.params import spec_map
    from sim_app.text.i18n import param_help
    page.click(".btn-mode-explore")
    page.wait_for_selector(".param-preparation_months .param-help", timeout=10_000)
    assert page.inner_text(".param-preparation_months .param-help").startswith(
        param_help(spec_map()["preparation_months"], "da"))
    page.screenshot(path=str(ARTIFACTS / "controls-da.png"), full_page=True)
    ctx2.close()
    ctx.close()


#: What the explore view shows, measured in the browser: each chart's box and month, the
#: month label, the page's width and every text that is cut (an overflow or an ellipsis).
EXPLORE_MEASURE = """() => {
  const out = {W: innerWidth, scrollW: document.scrollingElement.scrollWidth, charts: {},
               label: (document.querySelector('.month-label') || {}).innerText || '', cut: []};
  for (const el of document.querySelectorAll('[data-chart]')) {
    const r = el.getBoundingClientRect();
    out.charts[el.dataset.chart] = {left: r.left, right: r.right, w: r.width, h: r.height,
                                    month: el.dataset.month, drawn: !!el.dataset.revision};
  }
  const sel = '.kpi-card, .kpi-card *, .month-label, .app-header *, .player *, ' +
              '.param-label, .pinned-text, .scenario-picker *, .group-header *';
  for (const el of document.querySelectorAll(sel)) {
    if (!el.offsetParent) continue;
    const txt = (el.innerText || '').trim();
    if (!txt) continue;  // no text to cut (a button's click ripple, an icon)
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
      out.cut.push(el.className + ': ' + txt.slice(0, 60));
    if (el.children.length === 0 && txt.endsWith('…')) out.cut.push('… ' + txt.slice(0, 60));
  }
  return out;
}"""

EXPLORE_CHARTS = ("gain", "net", "service", "trust", "shadow", "centre", "network")


def check_explore(page, state: str, size: tuple[int, int], month: int,
                  charts=EXPLORE_CHARTS) -> None:
    """Every chart drawn at ``month`` and whole in the window's width, the month label on
    it, no text cut, no sideways scrolling; a screenshot ``explore-STATE-WxH.png``."""
    w, h = size
    page.wait_for_function(
        "([names, m]) => names.every(n => { const e = document.querySelector("
        "`[data-chart=\"${n}\"]`); return e && e.dataset.revision && e.dataset.month == m; })",
        arg=[list(charts), month], timeout=60_000)
    page.wait_for_timeout(400)
    m = page.evaluate(EXPLORE_MEASURE)
    page.screenshot(path=str(ARTIFACTS / f"explore-{state}-{w}x{h}.png"), full_page=True)
    where = f"explore, {state}, at {w}x{h}"
    assert m["scrollW"] <= w + 1, f"{where}: the page scrolls sideways ({m['scrollW']} > {w})"
    assert not m["cut"], f"{where}: cut texts {m['cut']}"
    assert m["label"].startswith(f"Month {month} "), f"{where}: the label says {m['label']!r}"
    for name in charts:
        box = m["charts"][name]
        assert box["left"] >= -1 and box["right"] <= w + 1, f"{where}: {name} is cut off"
        assert box["w"] >= min(300, 0.7 * w) and box["h"] >= 200, f"{where}: {name} is {box}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_explore_in_every_state_at_every_size(browser, url, size):
    """The explore view at a projector's, two laptops' and a phone's size, in the states
    people reach: the whole run with its band, a story under way (month 3), a pinned
    baseline against a changed control (the difference chart), and Danish."""
    ctx, page, _ = open_page(browser, url + "?scenario=default", size)
    try:
        check_explore(page, "whole", size, 120)
        page.click(".btn-reset")
        for _ in range(3):
            page.click(".btn-step")
        check_explore(page, "story", size, 3)
        page.click(".btn-pin")
        page.wait_for_selector(".pinned-text", timeout=10_000)
        page.wait_for_selector('[data-chart="diff"][data-revision]', timeout=30_000)
        rev = page.get_attribute('[data-chart="diff"]', "data-revision")
        thumb = page.locator(".param-preparation_months .v-slider__thumb-container")
        thumb.scroll_into_view_if_needed()
        thumb.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            f"document.querySelector('[data-chart=\"diff\"]').dataset.revision != '{rev}'",
            timeout=30_000)
        check_explore(page, "compare", size, 3, (*EXPLORE_CHARTS, "diff"))
        page.click(".btn-lang")
        page.wait_for_function("document.querySelector('.month-label').innerText"
                               ".startsWith('Måned 3')", timeout=10_000)
        m = page.evaluate(EXPLORE_MEASURE)
        assert m["scrollW"] <= size[0] + 1 and not m["cut"], (size, m["cut"])
    finally:
        ctx.close()
