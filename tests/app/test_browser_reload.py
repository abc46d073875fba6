"""The page's watchdog (``sim_app/assets/custom.js``) in a real browser: a page that is still
receiving is never reloaded; a page that is not well and has received nothing for a while is
reloaded once, and never again."""

from __future__ import annotations

import pytest

import sim_app.serving
from sim_app.serving import CHROMIUM_FLAGS, ROOT
from tests.app.test_browser import require_browser_tools, url  # noqa: F401

pytestmark = pytest.mark.browser

SCRIPT = (ROOT / "sim_app" / "assets" / "custom.js").read_text("utf-8")
ADDRESS = "http://sharedsim.test/page"


def _html(body: str) -> str:
    return ("<!doctype html><html><head><script>window.SHAREDSIM_RELOAD = "
            "{quietMs: 1500, jitterMs: 500, watchMs: 30000};</script>"
            f"<script>{SCRIPT}</script></head><body>{body}</body></html>")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    require_browser_tools()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=sim_app.serving.CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


def _loads(browser, body: str, wait_ms: int) -> int:
    """How many times the page at ADDRESS was loaded in ``wait_ms`` (1 = never reloaded)."""
    ctx = browser.new_context()
    page = ctx.new_page()
    loads = []

    def serve(route):
        loads.append(1)
        route.fulfill(status=200, content_type="text/html", body=_html(body))

    page.route(ADDRESS, serve)
    page.goto(ADDRESS)
    page.wait_for_timeout(wait_ms)
    ctx.close()
    return len(loads)


def test_a_quiet_page_that_never_mounts_is_reloaded_once_and_only_once(browser):
    assert _loads(browser, "Loading app", 9000) == 2


def test_a_page_still_receiving_is_not_reloaded(browser):
    busy = ("Loading app<div id='n'></div><script>let i = 0; setInterval(() => "
            "{ document.getElementById('n').textContent = String(i++); }, 400);</script>")
    assert _loads(browser, busy, 6000) == 1


def test_a_mounted_page_with_charts_is_not_reloaded(browser):
    assert _loads(browser, "<div class='app-root'><div data-chart='gain'></div></div>", 5000) == 1


def test_a_quiet_page_showing_the_placeholder_is_reloaded_once(browser):
    stuck = "<div class='app-root'>A widget with mount-id=solara-main should go here</div>"
    assert _loads(browser, stuck, 9000) == 2


def test_the_watchdog_hears_the_apps_websocket(browser, url):  # noqa: F811
    """In the real app the watchdog counts Solara's websocket messages as received (so a page
    whose widgets are still arriving is never taken for a quiet one)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector('[data-chart="net"][data-revision]', timeout=60_000)
    heard = page.evaluate("window.SHAREDSIM_HEARD")
    ctx.close()
    assert heard["socket"] > 10 and heard["page"] > 0, heard
