"""The facilitator's screens in every state, in a real browser (Debian's chromium, real app.py).

Each state — before a room, at each story pause, a room of 30 phones joined, during each round,
a story pause in a room, the end, the debrief — is checked at 1280 × 720, 1366 × 768 and
1920 × 1080: the page fits the window without scrolling (and nothing inside it is cut off by an
overflow), every text the charts draw (titles, legends, axis labels, marks) lies inside the
window and its chart and is at least 20 px, no legend pages, and no label, chip, status or
panel text is cut or ends in "…". The phone size (390 × 844) is checked on the participant's
page and the explore view. The 30 phones are HTTP clients of the room's routes (what their
pages do), not 30 browsers. A screenshot of every state goes to
``test-artifacts/facilitator-STATE-WxH.png``.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.app.room_env import room_server_env
from tests.app.test_browser import ARTIFACTS, browser, url  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser

DESKTOP = ((1280, 720), (1366, 768), (1920, 1080))
PHONE = (390, 844)
PLAYERS = 30
#: The room's scenario: the default (100 institutions, enough for 30 players), two years,
#: a round every 6 months (months 6, 12 and 18); its story pauses at the first go-live
#: (month 13) and the deepest dip (14) fall between rounds 2 and 3.
ROOM_QUERY = "?view=room&scenario=default&months=24"

#: Everything the page shows that must not be cut: chips, month, status, banner, panel, header.
MEASURE = """() => {
  const H = innerHeight, W = innerWidth;
  const out = {H, W, scroll: document.scrollingElement.scrollHeight, charts: {}, cut: [],
               overflow: [], header: null};
  const h = document.querySelector('.app-header');
  if (h) { const r = h.getBoundingClientRect(); out.header = [r.top, r.bottom]; }
  for (const el of document.querySelectorAll('[data-chart]')) {
    const box = el.getBoundingClientRect();
    const c = el.sharedsimChart;
    const info = {box: [box.left, box.top, box.right, box.bottom], texts: [],
                  data: null};
    if (c) {
      for (const d of c.getZr().storage.getDisplayList(true)) {
        const st = d.style || {};
        if (typeof st.text !== 'string' || !st.text.trim() || d.ignore || d.invisible) continue;
        let fs = st.fontSize;
        if (typeof fs !== 'number') {
          const m = /(\\d+(?:\\.\\d+)?)px/.exec(st.font || '');
          fs = m ? parseFloat(m[1]) : null;
        }
        const r = d.getBoundingRect().clone();
        const t = d.getComputedTransform();
        if (t) r.applyTransform(t);
        info.texts.push({text: st.text, fs, x: box.left + r.x, y: box.top + r.y,
                         r: box.left + r.x + r.width, b: box.top + r.y + r.height});
      }
      const s = (c.getOption().series || [])[0];
      if (s && Array.isArray(s.data))
        info.data = s.data.map((v) => (v && typeof v === 'object' && 'value' in v) ? v.value : v);
    }
    out.charts[el.dataset.chart] = info;
  }
  const sel = '.kpi-card, .kpi-card *, .month-label, .room-status, .room-status *, ' +
              '.story-banner *, .app-header *, .room-side, .room-side *, .proj-top *';
  for (const el of document.querySelectorAll(sel)) {
    if (!el.offsetParent) continue;
    const txt = (el.innerText || '').trim();
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
      out.cut.push(el.className + ': ' + txt.slice(0, 60));
    if (el.children.length === 0 && txt.endsWith('…')) out.cut.push('… ' + txt.slice(0, 60));
  }
  for (const el of document.querySelectorAll('.app-root, .projector, .room-main, .proj-charts')) {
    if (getComputedStyle(el).overflowY === 'hidden' && el.scrollHeight > el.clientHeight + 1)
      out.overflow.push(el.className + ` ${el.scrollHeight} > ${el.clientHeight}`);
  }
  return out;
}"""


def check_screen(page, state: str, size: tuple[int, int], charts=("gain", "service"),
                 phone: bool = False) -> dict:
    """Screenshot the state and check it fits, reads and is whole; return the measures."""
    w, h = size
    page.wait_for_timeout(700)  # the charts' layout pass and the status line's next poll
    m = page.evaluate(MEASURE)
    page.screenshot(path=str(ARTIFACTS / f"facilitator-{state}-{w}x{h}.png"))
    where = f"{state} at {w}x{h}"
    assert not m["cut"], f"{where}: cut texts {m['cut']}"
    min_fs = 11 if phone else 20
    for name in charts:
        assert name in m["charts"], f"{where}: no {name} chart"
        chart = m["charts"][name]
        left, top, right, bottom = chart["box"]
        assert chart["texts"], f"{where}: {name} draws no text"
        for t in chart["texts"]:
            assert t["fs"] is not None and t["fs"] >= min_fs - 0.01, \
                f"{where}: {name}'s {t['text']!r} is {t['fs']} px"
            assert not t["text"].endswith("…"), f"{where}: {name} cuts {t['text']!r}"
            assert not (t["text"].replace("/", "").isdigit() and "/" in t["text"]), \
                f"{where}: {name}'s legend pages ({t['text']})"
            inside = (t["x"] >= left - 1 and t["r"] <= right + 1 and t["y"] >= top - 1
                      and t["b"] <= bottom + 1)
            assert inside, f"{where}: {name}'s {t['text']!r} is outside its chart"
            if not phone:
                assert 0 <= t["y"] and t["b"] <= h + 1 and 0 <= t["x"] and t["r"] <= w + 1, \
                    f"{where}: {name}'s {t['text']!r} is off screen"
    if not phone:
        assert m["scroll"] <= h + 1, f"{where}: the page scrolls ({m['scroll']} > {h})"
        assert not m["overflow"], f"{where}: content hidden by an overflow {m['overflow']}"
        assert m["header"] and m["header"][0] >= 0 and m["header"][1] <= h, \
            f"{where}: the header is off screen"
        for name in (c for c in charts if c != "network"):  # the year axis is on screen
            years = [t for t in m["charts"][name]["texts"] if t["text"].isdigit()
                     and len(t["text"]) == 4 and 1900 < int(t["text"]) < 2200]
            assert years, f"{where}: {name} shows no year on its axis"
    return m


def shown_values(m: dict, name: str) -> list:
    return [v for v in (m["charts"][name]["data"] or []) if v is not None]


def open_page(browser, url, query: str, size, wait: str):  # noqa: F811
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]},
                              accept_downloads=True)
    page = ctx.new_page()
    page.goto(url + query)
    page.wait_for_selector(wait, timeout=90_000)
    page.wait_for_timeout(600)
    return ctx, page


def api(url, code: str, path: str, body: dict | None = None) -> dict:  # noqa: F811
    req = urllib.request.Request(f"{url}room/api/{code}/{path}",
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def month_of(page) -> int:
    text = page.inner_text(".month-label")
    return int(text.split("·")[-1].split("/")[0]) if "/" in text else 0


def play_until_stopped(page, button: str) -> int:
    """Press Play or Continue; wait until play has moved on and stopped again (a story pause,
    a round, the end): the month has changed and then stays put with Play showing (the month
    label can move before the Play button turns into Pause). Returns the month."""
    before = month_of(page)
    page.click(button)
    page.wait_for_function(
        "(before) => { const t = document.querySelector('.month-label').innerText;"
        " const m = /· (\\d+)\\//.exec(t); return (m ? +m[1] : 0) !== before; }",
        arg=before, timeout=60_000)
    last = -1
    for _ in range(200):
        page.wait_for_timeout(700)
        month = month_of(page)
        if (month == last and page.locator(".btn-play").count()
                and not page.locator(".btn-pause").count()):
            return month
        last = month
    raise AssertionError("play did not stop")


@pytest.fixture(scope="module", autouse=True)
def rooms_dir(tmp_path_factory):
    with room_server_env(tmp_path_factory.mktemp("rooms")):
        yield


@pytest.mark.parametrize("size", DESKTOP, ids=lambda s: f"{s[0]}x{s[1]}")
def test_story_pauses_on_the_projector(browser, url, size):  # noqa: F811
    """The workshop's story: every pause is reached (break-even too), and at each the banner
    leaves the charts, their year axis and the header on screen; data up to the month."""
    ctx, page = open_page(browser, url, "?view=projector&scenario=workshop", size,
                          '[data-chart="gain"][data-revision]')
    try:
        check_screen(page, "projector", size)
        page.click(".btn-reset")
        reached = []
        for _ in range(6):
            month = play_until_stopped(page, ".btn-play" if not reached else ".btn-continue")
            if page.locator(".story-banner:not(.story-banner--empty)").count() == 0:
                break  # played to the end
            caption = page.inner_text(".story-caption")
            event = {"The first wave goes live": "golive", "The deepest service dip": "dip"
                     }.get(caption, "break_even" if caption.startswith("Break-even")
                           else "gain_positive")
            reached.append(event)
            m = check_screen(page, f"story-{event}", size)
            for name in ("gain", "service"):  # the story so far, up to this month
                assert len(m["charts"][name]["data"]) == month, name
                assert shown_values(m, name), f"{name} is blank at month {month}"
            if event == "golive":  # with the network: three charts, legends whole
                page.click(".btn-extra-network")
                page.wait_for_selector('[data-chart="network"][data-revision]', timeout=30_000)
                check_screen(page, "story-golive-network", size,
                             charts=("gain", "service", "network"))
                page.click(".btn-extra-none")
                page.wait_for_timeout(300)
            page.wait_for_selector(".btn-continue")
        assert reached == ["golive", "dip", "gain_positive", "break_even"], reached
    finally:
        ctx.close()


def decide_all(url, code: str, tokens: dict[int, str], number: int) -> None:  # noqa: F811
    for i, token in tokens.items():
        state = api(url, code, f"state?token={token}")
        shadow = ("keep", "build", "dismantle")[(i + number) % 3]
        if shadow == "dismantle" and state["institution"]["shadow_fte"] < 0.05:
            shadow = "keep"  # nothing to dismantle (the phone does not offer it)
        api(url, code, "decide", {"token": token, "round": number, "shadow": shadow,
                                  "escalate": bool((i + number) % 2)})


def facilitator_record(page, url, code: str) -> dict:  # noqa: F811
    """The room's record as the facilitator's browser sees it (its session cookie, no key)."""
    r = page.context.request.get(f"{url}room/api/{code}/facilitator")
    assert r.ok, r.text()
    return r.json()


def play_to(page, url, code: str, size, until) -> list[str]:  # noqa: F811
    """Press Play (Continue at a story pause) until ``until(facilitator state)``; check the
    screen at each story pause on the way. Returns the pauses seen."""
    seen = []
    for _ in range(10):
        banner = page.locator(".story-banner:not(.story-banner--empty)")
        play_until_stopped(page, ".btn-continue" if banner.count() else ".btn-play")
        fac = facilitator_record(page, url, code)
        if until(fac):
            return seen
        if banner.count():
            caption = page.inner_text(".story-caption")
            event = "golive" if "live" in caption else "dip" if "dip" in caption else "other"
            seen.append(event)
            check_screen(page, f"room-story-{event}", size)
    raise AssertionError("play never reached the state asked for")


@pytest.mark.parametrize("size", DESKTOP, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_room_of_30_phones_in_every_state(browser, url, size):  # noqa: F811
    ctx, page = open_page(browser, url, ROOM_QUERY, size, ".btn-room-open")
    try:
        page.wait_for_selector('[data-chart="gain"][data-revision]', timeout=60_000)
        m = check_screen(page, "before-room", size)
        for name in ("gain", "service"):  # not squashed
            left, top, right, bottom = m["charts"][name]["box"]
            assert bottom - top >= 0.5 * size[1], f"{name} is squashed before a room"
        page.click(".room-every")
        page.locator(".v-menu__content .v-list-item").get_by_text("every 6 months").click()
        page.click(".btn-room-open")
        page.wait_for_selector(".room-code", timeout=30_000)
        page.wait_for_function("location.search.includes('room=')", timeout=10_000)
        code = page.inner_text(".room-code").strip()
        assert "key=" not in page.url  # the address is on the projector
        tokens = {i: api(url, code, "claim", {"idx": i, "name": f"Participant {i + 1}"})["token"]
                  for i in range(PLAYERS)}
        page.wait_for_function(f"document.querySelector('.room-status').innerText"
                               f".includes('{PLAYERS} of 100')", timeout=30_000)
        check_screen(page, "room-joined", size)

        pauses = []
        for number, month in ((1, 6), (2, 12), (3, 18)):
            pauses += play_to(page, url, code, size,
                              lambda f, n=number: len(f["rounds"]) == n and f["rounds"][-1]["open"])
            assert month_of(page) == month
            decide_all(url, code, tokens, number)
            page.wait_for_function(f"document.querySelector('.room-status').innerText"
                                   f".includes('{PLAYERS} of {PLAYERS} decided')", timeout=30_000)
            m = check_screen(page, f"room-round{number}", size)
            for name in ("gain", "service"):  # the story so far: data up to the round's month
                assert len(m["charts"][name]["data"]) == month, name
            assert shown_values(m, "gain"), f"the gain chart is blank at month {month}"
            if not shown_values(m, "service"):  # before the first go-live: says why
                texts = " ".join(t["text"] for t in m["charts"]["service"]["texts"])
                assert "No institution served yet" in texts.replace("\n", " "), texts
            if number == 1:  # three charts beside the room panel
                page.click(".btn-extra-network")
                page.wait_for_selector('[data-chart="network"][data-revision]', timeout=30_000)
                check_screen(page, "room-round1-network", size,
                             charts=("gain", "service", "network"))
                page.click(".btn-extra-none")
                page.wait_for_timeout(300)
            page.click(".btn-round-close")
            page.wait_for_selector(".btn-round-open", timeout=30_000)
        assert "golive" in pauses, pauses  # a story pause in a room was checked too

        play_to(page, url, code, size, lambda f: month_of(page) == 24)  # to the end
        page.wait_for_function("document.querySelector('.room-status').innerText"
                               ".includes('The room is over')", timeout=30_000)
        m = check_screen(page, "room-end", size)
        status = page.inner_text(".room-status")
        assert "next" not in status, status
        page.wait_for_selector(".room-side .room-over", timeout=30_000)  # the panel says so
        assert page.locator(".btn-round-open").count() == 0, "a finished room offers a round"
        phone = api(url, code, f"state?token={tokens[0]}")
        assert phone["finished"] and phone["round"] is None

        page.click(".btn-debrief")
        page.wait_for_selector('[data-chart="diff"][data-revision]', timeout=60_000)
        check_screen(page, "room-debrief", size, charts=("gain", "service", "diff"))
        # the hand-out from the room panel, with the room against the rules, debrief kept
        with page.expect_download(timeout=60_000) as dl:
            page.locator(".room-side").get_by_text("Summary (HTML)").click()
        handout = open(dl.value.path(), encoding="utf-8").read()
        assert "the room against the rules" in handout
        assert page.locator('[data-chart="diff"]').count() == 1, "the debrief was left"
    finally:
        ctx.close()


def test_the_participant_page_on_a_phone(browser, url):  # noqa: F811
    """A phone: the scenario's title, a name required, 'taken' where it is seen, no
    'Dismantle' without shadow staff, and the end said."""
    ctx, fac = open_page(browser, url, ROOM_QUERY, (1280, 720), ".btn-room-open")
    fac.click(".btn-room-open")
    fac.wait_for_selector(".room-code", timeout=30_000)
    fac.wait_for_function("location.search.includes('room=')", timeout=10_000)
    code = fac.inner_text(".room-code").strip()
    phone_ctx = fac.context.browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]})
    phone = phone_ctx.new_page()
    try:
        phone.goto(f"{url}room/{code}")
        phone.wait_for_selector("button.inst", timeout=60_000)
        title = phone.inner_text("#title")
        shipped = api(url, code, "state")["title"]["en"]
        assert shipped != "default" and title.endswith(shipped), f"the header shows {title!r}"
        phone.click("button.inst[data-idx='0']")  # no name yet
        message = phone.locator("#status .err")
        assert "name" in message.inner_text().lower()
        box = message.bounding_box()
        assert box and box["y"] + box["height"] <= PHONE[1], "the message is off screen"
        api(url, code, "claim", {"idx": 1, "name": "Someone"})
        phone.fill("#name", "Me")
        phone.evaluate("take(1)")  # a race: tapped just as someone else took it
        phone.wait_for_selector("#status .err", timeout=10_000)
        err = phone.locator("#status .err")
        assert "taken" in err.inner_text().lower(), err.inner_text()
        box = err.bounding_box()
        assert box and box["y"] + box["height"] <= PHONE[1], "'taken' is off screen"
        phone.screenshot(path=str(ARTIFACTS / f"facilitator-phone-taken-{PHONE[0]}x{PHONE[1]}.png"))
        phone.click("button.inst[data-idx='0']")
        phone.wait_for_selector("#me", timeout=30_000)
        fac.click(".btn-round-open")  # a round at month 0: nobody has shadow staff yet
        phone.wait_for_selector("#decide", timeout=30_000)
        shadow = api(url, code, f"state?token={phone.evaluate('token')}")["institution"]
        assert shadow["shadow_fte"] < 0.05
        assert phone.locator("input[name=shadow][value=dismantle]").count() == 0
        assert phone.locator("input[name=shadow][value=build]").count() == 1
        phone.screenshot(path=str(ARTIFACTS / f"facilitator-phone-round-{PHONE[0]}x{PHONE[1]}.png"))
        fac.click(".btn-round-close")
        fac.wait_for_selector(".btn-round-open", timeout=30_000)
        fac.click(".btn-end")  # to the horizon: the room is over
        fac.wait_for_function("document.querySelector('.room-status').innerText"
                              ".includes('The room is over')", timeout=30_000)
        phone.wait_for_function("document.body.innerText.includes('The workshop is over')",
                                timeout=30_000)
        assert "Wait for the next" not in phone.inner_text("main")
        phone.screenshot(path=str(ARTIFACTS / f"facilitator-phone-end-{PHONE[0]}x{PHONE[1]}.png"))
        assert facilitator_record(fac, url, code)["rounds"]
    finally:
        phone_ctx.close()
        fac.context.close()


def test_the_explore_view_on_a_phone(browser, url):  # noqa: F811
    ctx, page = open_page(browser, url, "?scenario=workshop&view=projector", PHONE,
                          '[data-chart="gain"][data-revision]')
    try:
        check_screen(page, "projector", PHONE, phone=True)
        page.click(".btn-mode-explore")
        page.wait_for_selector('[data-chart="net"][data-revision]', timeout=60_000)
        check_screen(page, "explore", PHONE, charts=("gain", "net", "service"), phone=True)
    finally:
        ctx.close()
