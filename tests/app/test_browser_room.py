"""Real-browser tests of the room's app (Debian's chromium via Playwright, real app.py):
the projector view at common sizes, a room of 40 participants, a dropped websocket, a fork,
the PDF summary. Screenshots go to test-artifacts/ (names in docs/app.md)."""

from __future__ import annotations

import itertools
import json
import re
import statistics
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.app.room_env import room_server_env
from tests.app.test_browser import ARTIFACTS, browser, url  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser

SIZES = ((1280, 720), (1366, 768), (1920, 1080), (390, 844))
#: The projector's controls: each must be on screen (or, on a phone, reachable by scrolling)
#: and the topmost element where it is clicked.
PROJECTOR_CONTROLS = (".btn-play", ".btn-step", ".btn-reset", ".btn-end", ".speed-select",
                      ".btn-extra-none", ".btn-extra-network", ".btn-extra-trust",
                      ".btn-extra-shadow", ".btn-mode-explore", ".btn-mode-projector",
                      ".btn-mode-room", ".btn-mode-fork", ".btn-undo", ".btn-lang",
                      ".kpi-card", ".month-label")
EXPLORE_CONTROLS = (".btn-play", ".btn-step", ".btn-reset", ".btn-end", ".btn-mode-explore",
                    ".btn-lang", ".scenario-select", ".group-header-rollout")

UNCOVERED = """(sel) => [...document.querySelectorAll(sel)].map((el) => {
  const r = el.getBoundingClientRect();
  const pts = [[0.5, 0.5], [0.15, 0.5], [0.85, 0.5]];
  const free = pts.every(([fx, fy]) => {
    const top = document.elementFromPoint(r.left + fx * r.width, r.top + fy * r.height);
    // the element itself, a part of it, or (disabled: no pointer events) its own container:
    // anything else at that point lies over it
    return top && (el === top || el.contains(top) || top.contains(el));
  });
  return {sel, free, inView: r.top >= -1 && r.left >= -1 && r.bottom <= innerHeight + 1
          && r.right <= innerWidth + 1, w: r.width, h: r.height};
})"""


@pytest.fixture(scope="module", autouse=True)
def rooms_dir(tmp_path_factory):
    with room_server_env(tmp_path_factory.mktemp("rooms")):
        yield


def open_app(browser, url, query="", size=(1280, 720), chart="gain"):  # noqa: F811
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]},
                              accept_downloads=True)
    page = ctx.new_page()
    page.goto(url + query)
    page.wait_for_selector(f'[data-chart="{chart}"][data-revision]', timeout=90_000)
    page.wait_for_timeout(600)
    return ctx, page


def check_controls(page, selectors, scroll: bool) -> None:
    for sel in selectors:
        assert page.locator(sel).count(), f"{sel} is missing"
        if scroll:
            page.locator(sel).first.scroll_into_view_if_needed()
        for box in page.evaluate(UNCOVERED, sel):
            assert box["w"] > 0 and box["h"] > 0, f"{sel} has no size"
            assert box["free"], f"something covers {sel}"
            if not scroll:
                assert box["inView"], f"{sel} is off screen"


def test_projector_and_explore_views_at_common_sizes(browser, url):  # noqa: F811
    for w, h in SIZES:
        phone = w < 600
        ctx, page = open_app(browser, url, "?view=projector&scenario=workshop", (w, h))
        assert page.get_by_text("This website runs on Solara").count() == 0
        if not phone:  # the whole story on one screen: no scrolling
            assert page.evaluate("document.scrollingElement.scrollHeight") <= h + 1
            for name in ("gain", "service"):
                box = page.locator(f'[data-chart="{name}"]').bounding_box()
                assert box["y"] >= 0 and box["y"] + box["height"] <= h + 1, name
                assert box["height"] >= 0.45 * h, f"{name} is too small to read"
            size = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                                 "'.kpi-compact .kpi-value')).fontSize)")
            assert size >= 20, "chips must be readable from the back of the room"
        page.screenshot(path=str(ARTIFACTS / f"projector-{w}x{h}.png"))
        check_controls(page, PROJECTOR_CONTROLS, scroll=phone)
        page.click(".btn-extra-network")
        page.wait_for_selector('[data-chart="network"][data-revision]', timeout=30_000)
        page.wait_for_timeout(500)
        if not phone:
            assert page.evaluate("document.scrollingElement.scrollHeight") <= h + 1
        page.screenshot(path=str(ARTIFACTS / f"projector-network-{w}x{h}.png"))
        ctx.close()
        ctx, page = open_app(browser, url, "?scenario=default", (w, h))
        page.screenshot(path=str(ARTIFACTS / f"explore-{w}x{h}.png"))
        # the controls column scrolls on its own: up to 768 px the open compare panel (with
        # the band's uncertainty choice) puts the parameter groups below the fold, reachable
        # by scrolling the column (as on a phone)
        check_controls(page, EXPLORE_CONTROLS, scroll=phone or h <= 768)
        ctx.close()


def test_keys_address_and_danish(browser, url):  # noqa: F811
    ctx, page = open_app(browser, url, "?scenario=workshop&view=projector&lang=da")
    assert "afspil" in page.inner_text(".btn-play").lower()
    assert "årsværk" in page.inner_text(".kpi-shadow_fte_end")
    page.click(".btn-reset")
    page.wait_for_function("document.querySelector('.month-label').innerText.includes('Måned 0')")
    page.locator("body").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.month-label').innerText.includes('3/60')")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("document.querySelector('.month-label').innerText.includes('2/60')")
    page.keyboard.press("Space")
    page.wait_for_selector(".btn-pause", timeout=10_000)
    page.keyboard.press("Space")
    page.wait_for_selector(".btn-play", timeout=10_000)
    page.click(".btn-mode-explore")
    page.wait_for_selector(".param-preparation_months", timeout=30_000)
    thumb = page.locator(".param-preparation_months .v-slider__thumb-container")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("location.search.includes('preparation_months=4')", timeout=10_000)
    address = page.url
    assert "scenario=workshop" in address and "lang=da" in address
    page.click(".btn-undo")
    page.wait_for_function("!location.search.includes('preparation_months')", timeout=10_000)
    ctx.close()
    ctx, page = open_app(browser, url, "?" + urlparse(address).query)  # reload / share
    assert "preparation_months=4" in page.url
    assert "4 måneder" in page.inner_text(".param-preparation_months .param-label")
    ctx.close()


def facilitator_state(page, url, code):  # noqa: F811
    """The room's record as the facilitator's browser sees it (its session cookie, no key)."""
    r = page.context.request.get(f"{url}room/api/{code}/facilitator")
    assert r.ok, r.text()
    return r.json()


def what_if_ms(page) -> float:
    """One what-if on the facilitator's explore page: key press -> every chart redrawn.

    A chart is redrawn when its option's revision changes. Options are shared by every
    session shown the same run (``sim_app.session.shared``), so going back to a run computed
    before brings back its options and their revision: a changed revision, not a larger one,
    is what tells a redraw."""
    before = page.evaluate("Object.fromEntries([...document.querySelectorAll('[data-chart]')]"
                           ".map(e => [e.dataset.chart, e.dataset.revision || '-1']))")
    thumb = page.locator(".param-dialogue_effort .v-slider__thumb-container")
    thumb.focus()
    t0 = page.evaluate("performance.now()")
    page.keyboard.press("ArrowRight" if next(_PRESSES) % 2 else "ArrowLeft")
    page.wait_for_function("before => [...document.querySelectorAll('[data-chart]')].every("
                           "e => (e.dataset.revision || '-1') !== before[e.dataset.chart])",
                           arg=before, timeout=60_000)
    return page.evaluate("performance.now()") - t0


_PRESSES = itertools.count()  # what-ifs so far: the slider goes left and right in turn


def test_a_room_of_40_participants_plays_two_rounds(browser, url):  # noqa: F811
    n = 40
    ctx, fac = open_app(browser, url, "?view=room&scenario=default&months=36")
    fac.click(".room-every")
    fac.locator(".v-menu__content .v-list-item").get_by_text("every 6 months").click()
    fac.click(".btn-room-open")
    fac.wait_for_selector(".room-code", timeout=30_000)
    code = fac.inner_text(".room-code").strip()
    fac.wait_for_function("location.search.includes('room=')", timeout=10_000)
    assert "key=" not in fac.url  # the address is on the projector
    fac.screenshot(path=str(ARTIFACTS / "room-facilitator.png"))
    # the facilitator's second tab, exploring "what if" while the room decides
    ctx2, explore = open_app(browser, url, "?scenario=default")
    explore.locator(".group-header-trust").click()
    explore.wait_for_selector(".param-dialogue_effort", timeout=30_000)
    alone = [what_if_ms(explore) for _ in range(3)]

    join = f"{url}room/{code}"
    phones: list = []
    try:
        room_rounds(browser, url, fac, explore, code, join, phones, n, alone)
    finally:  # a failure must not leave 40 pages polling under the next test
        for c, _p in phones:
            c.close()
        ctx2.close()
        ctx.close()


def room_rounds(browser, url, fac, explore, code, join, phones, n, alone):  # noqa: F811
    """The body of the room test: 40 join, two rounds, checks, debrief."""
    t0 = time.perf_counter()
    for _ in range(n):  # every page's load in flight at once
        c = browser.new_context(viewport={"width": 390, "height": 844})
        p = c.new_page()
        p.goto(join, wait_until="commit")
        phones.append((c, p))
    for _c, p in phones:
        p.wait_for_selector("button.inst", timeout=120_000)
    loaded_s = time.perf_counter() - t0
    for i, (_c, p) in enumerate(phones):
        p.fill("#name", f"P{i}")
        p.click(f"button.inst[data-idx='{i}']")
    for i, (_c, p) in enumerate(phones):
        try:
            p.wait_for_selector("#me", timeout=60_000)
        except Exception:
            p.screenshot(path=str(ARTIFACTS / f"room-phone-{i}-failed.png"))
            raise AssertionError(f"participant {i} did not join: {p.inner_text('main')[:300]}") from None
    joined_s = time.perf_counter() - t0

    choices = ("keep", "build", "dismantle")
    chosen: dict[tuple[int, int], str] = {}  # (round, participant) -> the call sent
    with_room: list[float] = []
    for rnd in (1, 2):
        fac.click(".btn-play")  # play to the round: play stops there and opens it
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            rounds = facilitator_state(fac, url, code)["rounds"]
            if len(rounds) == rnd and rounds[-1]["open"]:
                break
            fac.wait_for_timeout(300)
        fac.wait_for_selector(".btn-round-close", timeout=30_000)
        for i, (_c, p) in enumerate(phones):  # this round's form (not the last one's)
            p.wait_for_function(f"(document.querySelector('#decide h2') || {{}}).innerText"
                                f"?.startsWith('Round {rnd}:')", timeout=30_000)
            choice = choices[(i + rnd) % 3]
            if p.locator(f"input[name=shadow][value={choice}]").count() == 0:
                assert choice == "dismantle", "only dismantle is left out (no shadow staff)"
                choice = "keep"
            chosen[(rnd, i)] = choice
            p.check(f"input[name=shadow][value={choice}]")
            if (i + rnd) % 2:
                p.check("input[name=escalate]")
            p.click("#send")
            if i % 13 == 0:
                with_room.append(what_if_ms(explore))
        for _c, p in phones:
            p.wait_for_function(f"document.querySelector('#decide h2').innerText.startsWith("
                                f"'Round {rnd}:') && document.getElementById('sent')"
                                f".innerText.length > 0", timeout=30_000)
        fac.wait_for_function(f"document.querySelector('.room-status').innerText"
                              f".includes('{n} of {n} decided')", timeout=30_000)
        if rnd == 1:
            fac.screenshot(path=str(ARTIFACTS / "room-round.png"))
            phones[0][1].screenshot(path=str(ARTIFACTS / "room-phone.png"))
        fac.click(".btn-round-close")
        fac.wait_for_selector(".btn-round-open", timeout=30_000)

    state = facilitator_state(fac, url, code)
    assert [r["month"] for r in state["rounds"]] == [6, 12]
    assert state["played"] == list(range(n))
    codes = {"keep": 0, "build": 1, "dismantle": 2}
    for r in state["rounds"]:
        assert sorted(map(int, r["decisions"])) == list(range(n))
        assert set(r["sent"].values()) == {1}, "a decision was counted twice"
        for i in range(n):
            d = r["decisions"][str(i)]
            assert d["shadow"] == chosen[(r["number"], i)]
            assert d["escalate"] == bool((i + r["number"]) % 2)
    for i in range(n):  # the model holds each participant's last call
        assert state["shadow_choice"][i] == codes[chosen[(2, i)]]
    assert set(state["shadow_choice"][n:]) == {0}
    names = [json.loads(urllib.request.urlopen(f"{url}room/api/{code}/state").read())
             ["institutions"][i]["name"] for i in range(n)]
    for i, (_c, p) in enumerate(phones):  # no cross-talk: each page shows its own
        assert p.inner_text("#me") == names[i]
    fac.click(".btn-debrief")
    fac.wait_for_selector('[data-chart="diff"][data-revision]', timeout=60_000)
    fac.screenshot(path=str(ARTIFACTS / "room-debrief.png"))
    figures = {"participants": n, "pages_loaded_s": round(loaded_s, 2),
               "all_joined_s": round(joined_s, 2),
               "what_if_alone_ms": [round(x) for x in alone],
               "what_if_with_room_ms": [round(x) for x in with_room],
               "median_alone_ms": round(statistics.median(alone)),
               "median_with_room_ms": round(statistics.median(with_room))}
    (ARTIFACTS / "room-figures.json").write_text(json.dumps(figures, indent=1))
    print("room figures:", figures)


def proxied(page, state: dict, drop_after: int | None = None) -> None:
    """Route the page's kernel websocket through a proxy the test can cut."""
    def handler(ws):
        state["conns"] = state.get("conns", 0) + 1
        server = ws.connect_to_server()
        state["live"] = (ws, server)

        def from_server(msg):
            state["n"] = state.get("n", 0) + 1
            if drop_after is not None and not state.get("dropped") and state["n"] >= drop_after:
                state["dropped"] = True
                ws.close()
                server.close()
                return
            ws.send(msg)

        server.on_message(from_server)
        ws.on_message(lambda m: server.send(m))

    page.route_web_socket(re.compile(r".*/jupyter/api/kernels/.*"), handler)


def test_a_dropped_websocket_comes_back_to_the_same_state(browser, url):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    state: dict = {}
    proxied(page, state)
    page.goto(url + "?scenario=workshop")
    page.wait_for_selector('[data-chart="gain"][data-revision]', timeout=90_000)
    page.click(".btn-reset")
    for _ in range(3):
        page.click(".btn-step")
    page.wait_for_function("document.querySelector('.month-label').innerText.includes('Month 3 ')")
    ws, server = state["live"]
    ws.close()
    server.close()
    page.wait_for_function("true", timeout=1000)
    deadline = time.monotonic() + 60
    while state["conns"] < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert state["conns"] >= 2, "the page did not reconnect"
    page.click(".btn-step")  # the same session answers: month 3 -> 4
    page.wait_for_function("document.querySelector('.month-label').innerText.includes('Month 4 ')",
                           timeout=30_000)
    ctx.close()
    for drop_after in (5, 30):  # a drop during the first load: the page recovers by itself
        ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        page = ctx.new_page()
        state = {}
        proxied(page, state, drop_after)
        page.goto(url + "?scenario=workshop&seed=5")
        try:
            page.wait_for_selector('[data-chart="gain"][data-revision]', timeout=150_000)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / f"ws-drop-{drop_after}-failed.png"))
            raise
        assert state.get("dropped")
        assert "seed=5" in page.url
        ctx.close()


def test_a_fork_draws_the_policy_effect(browser, url):  # noqa: F811
    ctx, page = open_app(browser, url, "?view=fork&scenario=default")
    page.click(".btn-reset")
    page.locator("body").focus()
    for _ in range(30):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.month-label').innerText.includes('30/120')")
    page.click(".btn-fork")
    page.wait_for_selector('[data-chart="diff"][data-revision]', timeout=60_000)
    page.click(".btn-end")
    page.wait_for_timeout(800)
    data = page.evaluate("document.querySelector('[data-chart=diff]').sharedsimChart"
                         ".getOption().series[0].data")
    assert all(v is None for v in data[:29]), "before the fork both paths are one"
    after = [v for v in data[31:] if v is not None]
    assert after and max(abs(v) for v in after) > 1, "the policy changed nothing"
    page.screenshot(path=str(ARTIFACTS / "fork.png"))
    ctx.close()


def test_the_summary_pdf_first_page(browser, url):  # noqa: F811
    import pypdfium2 as pdfium

    ctx, page = open_app(browser, url, "?scenario=workshop&dialogue_effort=0.8")
    page.get_by_text("Export and import").click()
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_text("Summary (PDF)").click()
    assert dl.value.suggested_filename == "summary-en.pdf"
    path = ARTIFACTS / "summary-en.pdf"
    Path(dl.value.path()).replace(path)
    doc = pdfium.PdfDocument(str(path))
    assert len(doc) == 1
    first = doc[0]
    w, h = first.get_size()
    assert abs(w - 595) < 2 and abs(h - 842) < 2  # A4
    text = first.get_textpage().get_text_range()
    for words in ("Workshop", "Dialogue effort", "Break-even", "10–90"):
        assert words in text, words
    image = first.render(scale=1.5).to_pil()
    image.save(ARTIFACTS / "summary-page1.png")
    assert sum(1 for c in image.convert("L").histogram() if c) > 20, "the page is blank"
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_text("Summary (HTML)").click()
    assert "<svg" in Path(dl.value.path()).read_text()
    doc.close()
    ctx.close()

