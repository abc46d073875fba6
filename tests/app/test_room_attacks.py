"""Attacks on a room, against the real server (app.py, production mode) on localhost.

Each test does what a participant who wants to spoil the workshop tried, in bounded loops,
and asserts it is refused: taking every institution, guessing room codes, acting for a
participant from another site's page, stalling the server with huge or deep bodies and
made-up asset paths, flooding decisions, and types that used to be coerced. The room is opened
by a facilitator in a real browser (as in a workshop); the attacker is a plain HTTP client.
The per-address limits are the real ones (no scale): the attacker and the test's one
participant share 127.0.0.1, so the tests that need a second participant say so.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from urllib.parse import urlsplit

import pytest

from tests.app.room_env import room_server_env
from tests.app.test_browser import browser, url  # noqa: F401  (shared fixtures)
from tests.app.test_browser_room import open_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def rooms_dir(tmp_path_factory):
    with room_server_env(tmp_path_factory.mktemp("rooms"), scale=None):
        yield


def send(url: str, path: str, body: bytes | dict | None = None,  # noqa: F811
         headers: dict | None = None, source: str = "127.0.0.1") -> tuple[int, dict | str]:
    """One request from address ``source`` (any of 127.0.0.0/8: a second participant is
    another address, as another phone is); (status, JSON or text) whatever the status."""
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    head = {"Content-Type": "application/json"} if data is not None else {}
    parts = urlsplit(url + path)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60,
                                      source_address=(source, 0))
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request("POST" if data is not None else "GET", target, body=data,
                     headers={**head, **(headers or {})})
        r = conn.getresponse()
        status, raw = r.status, r.read()
    except (BrokenPipeError, ConnectionResetError):
        return 413, {"error": "the server closed the connection before the whole body"}
    finally:
        conn.close()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


@pytest.fixture(scope="module")
def room(browser, url):  # noqa: F811
    """A room opened by the facilitator in a real browser: (code, facilitator's page)."""
    ctx, fac = open_app(browser, url, "?view=room&scenario=default&months=36")
    fac.click(".btn-room-open")
    fac.wait_for_selector(".room-code", timeout=30_000)
    code = fac.inner_text(".room-code").strip()
    yield code, fac
    ctx.close()


def test_codes_are_hard_to_guess_and_guessing_is_slowed_to_a_crawl(url, room):  # noqa: F811
    code, _ = room
    assert len(code) == 6 and code.isalnum()
    answers = [send(url, f"room/api/{guess}/state")[0]
               for guess in (f"ZZZZZ{c}" for c in "23456789ABCDEFGHJKMN")]
    assert answers[:10] == [404] * 10 and set(answers[10:]) == {429}, answers
    status, answer = send(url, "room/api/QQQQQQ/state")
    assert status == 429 and "look-ups of rooms that do not exist" in answer["error"]
    # the real room still answers its phones
    assert send(url, f"room/api/{code}/state")[0] == 200


def test_one_phone_one_institution_and_a_scripted_grab_is_stopped(url, room):  # noqa: F811
    code, _ = room
    api = f"room/api/{code}"
    status, mine = send(url, f"{api}/claim", {"idx": 0, "name": "Mallory"})
    assert status == 200
    # the same phone cannot take a second institution
    status, answer = send(url, f"{api}/claim", {"idx": 1, "name": "Mallory 2",
                                                "token": mine["token"]})
    assert status == 409 and "already plays" in answer["error"]
    # dropping the token and claiming in a loop: the address's limit stops the grab
    taken, refused = 1, None
    for idx in range(1, 40):
        status, answer = send(url, f"{api}/claim", {"idx": idx, "name": f"Bot {idx}"})
        if status == 429:
            refused = answer["error"]
            break
        assert status == 200
        taken += 1
    assert refused is not None and "too many claims from this address" in refused
    assert taken <= 10, f"one address took {taken} institutions in a burst"
    state = send(url, f"{api}/state")[1]
    free = [i["idx"] for i in state["institutions"] if not i["taken"]]
    assert len(free) >= len(state["institutions"]) - 10
    # another phone (another address) still joins; a refusal of a taken institution does
    # not say who holds it
    alice = "127.0.0.2"
    status, answer = send(url, f"{api}/claim", {"idx": 0, "name": "Alice"}, source=alice)
    assert status == 409 and "already taken" in answer["error"]
    assert "Mallory" not in answer["error"]
    # names are unique in the room (case and compatibility forms aside)
    status, answer = send(url, f"{api}/claim", {"idx": 20, "name": "MALLORY"}, source=alice)
    assert status == 409 and "already used" in answer["error"]
    # invisible direction overrides and zero-width characters never reach the projector
    status, got = send(url, f"{api}/claim", {"idx": 21, "name": "Eve\u202e\u200b Smith"},
                       source="127.0.0.3")
    assert status == 200
    me = send(url, f"{api}/state?token={got['token']}")[1]["me"]
    assert me["name"] == "Eve Smith"
    # the phone leaves; its institution is free again and its token plays nothing
    assert send(url, f"{api}/release", {"token": mine["token"]})[0] == 200
    state = send(url, f"{api}/state")[1]
    assert not state["institutions"][0]["taken"]
    status, answer = send(url, f"{api}/decide", {"token": mine["token"], "round": 1})
    assert status == 409 and "unknown participant" in answer["error"]


def test_requests_from_other_sites_and_other_types_are_refused(url, room):  # noqa: F811
    code, _ = room
    claim = f"room/api/{code}/claim"
    body = json.dumps({"idx": 30, "name": "Via a web page"}).encode()
    status, answer = send(url, claim, body, {"Content-Type": "text/plain"})
    assert status == 415 and "application/json" in answer["error"]
    form = b"idx=30&name=x"
    status, _ = send(url, claim, form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415
    status, answer = send(url, claim, body, {"Origin": "http://evil.example"})
    assert status == 403 and "evil.example" in answer["error"]
    status, answer = send(url, claim, body, {"Sec-Fetch-Site": "cross-site"})
    assert status == 403 and "another site" in answer["error"]
    state = send(url, f"room/api/{code}/state")[1]
    assert not state["institutions"][30]["taken"]


def test_types_are_not_coerced_and_malformed_json_is_400(url, room):  # noqa: F811
    code, _ = room
    api = f"room/api/{code}"
    for body, fragment in (
            ({"idx": 40, "name": {"first": "A"}}, "'name' must be text"),
            ({"idx": "40", "name": "A"}, "'idx' must be"),
            ({"token": "t", "round": 1, "escalate": "false"}, "'escalate' must be true or false"),
            ({"token": "t", "round": 1, "shadow": ""}, "is not allowed; allowed: keep"),
    ):
        path = "claim" if "idx" in body else "decide"
        status, answer = send(url, f"{api}/{path}", body)
        assert status == 400 and fragment in answer["error"], (body, answer)
    assert send(url, f"{api}/claim", b"{not json")[0] == 400
    status, answer = send(url, f"{api}/claim", b"[" * 100_000)
    assert status == 413  # bounded before it is parsed
    status, answer = send(url, f"{api}/claim", b"[" * 1500 + b"]" * 1500)
    assert status in (400, 413)


def test_huge_bodies_and_made_up_assets_do_not_stall_the_room(url, room):  # noqa: F811
    code, _ = room
    t0 = time.perf_counter()
    status, answer = send(url, f"room/api/{code}/claim", b"x" * (50 * 2**20))
    huge = time.perf_counter() - t0
    assert status == 413 and "at most 2048" in answer["error"]
    # fifty strangers ask the asset proxy for packages the app does not use, all at once
    results: list[int] = []

    def fetch(i: int) -> None:
        results.append(send(url, f"_solara/cdn/made-up-package-{i}@1.0.0/x.js")[0])

    t0 = time.perf_counter()
    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    during = send(url, f"room/api/{code}/state")
    for t in threads:
        t.join()
    assets = time.perf_counter() - t0
    assert results == [404] * 50 and during[0] == 200
    assert assets < 10, f"50 made-up asset paths took {assets:.1f} s"
    assert huge < 10, f"a 50 MB body took {huge:.1f} s to refuse"
    # the assets the page needs are still served from the offline cache
    assert send(url, "_solara/cdn/requirejs@2.3.6/require.js")[0] == 200


def test_a_flood_of_decisions_is_cut_and_repeats_change_no_phone(url, room):  # noqa: F811
    code, fac = room
    api = f"room/api/{code}"
    status, me = send(url, f"{api}/claim", {"idx": 50, "name": "Flooder"}, source="127.0.0.4")
    assert status == 200
    fac.click(".btn-round-open")  # the facilitator opens a round
    for _ in range(100):
        state = send(url, f"{api}/state?token={me['token']}")[1]
        if state.get("round"):
            break
        time.sleep(0.2)
    number = state["round"]["number"]
    decision = {"token": me["token"], "round": number, "shadow": "build"}
    versions = []
    for _ in range(5):  # the same calls sent again and again: no phone has to reload
        assert send(url, f"{api}/decide", decision)[0] == 200
        versions.append(send(url, f"{api}/state?token={me['token']}")[1]["v"])
    assert len(set(versions)) == 1, "a resend of the same decision made every phone reload"
    answers = [send(url, f"{api}/decide", decision)[0] for _ in range(20)]
    assert answers[:5] == [200] * 5 and set(answers[5:]) == {429}, answers


def test_the_projected_address_does_not_take_the_room_over(browser, url, room):  # noqa: F811
    code, fac = room
    assert f"room={code}" in fac.url and "key=" not in fac.url
    other = browser.new_context(viewport={"width": 1280, "height": 720})
    second = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        # another browser opens the facilitator's address, as read off the projector
        page = other.new_page()
        page.goto(fac.url)
        page.wait_for_selector('[data-chart="gain"][data-revision]', timeout=90_000)
        assert page.locator(".btn-round-open, .btn-round-close, .room-code").count() == 0
        assert "run from another browser" in page.inner_text("body")
        assert other.request.get(f"{url}room/api/{code}/facilitator").status == 403
        # the facilitator's own reload goes back into the room (the session cookie)
        fac.reload()
        fac.wait_for_selector(".room-code", timeout=90_000)
        assert fac.inner_text(".room-code").strip() == code
        assert fac.context.request.get(f"{url}room/api/{code}/facilitator").ok
        # the facilitator link: asked for, used once by another device, then worthless
        fac.click(".btn-handoff")
        fac.wait_for_selector(".room-handoff", timeout=30_000)
        link = fac.inner_text(".room-handoff").strip()
        assert "handoff=" in link
        fac.click(".btn-handoff-hide")
        fac.wait_for_selector(".room-handoff", state="detached", timeout=30_000)
        moved = second.new_page()
        moved.goto(link)
        moved.wait_for_selector(".room-code", timeout=90_000)
        moved.wait_for_function("!location.search.includes('handoff=')", timeout=30_000)
        again = other.new_page()
        again.goto(link)
        again.wait_for_selector('[data-chart="gain"][data-revision]', timeout=90_000)
        assert again.locator(".room-code").count() == 0
    finally:
        other.close()
        second.close()


def test_the_facilitator_frees_a_seat(url, room):  # noqa: F811
    code, fac = room
    api = f"room/api/{code}"
    status, got = send(url, f"{api}/claim", {"idx": 60, "name": "Left early"},
                       source="127.0.0.5")
    assert status == 200
    fac.wait_for_selector(".room-seat", timeout=30_000)
    fac.click(".room-seat")
    fac.locator(".v-menu__content .v-list-item").get_by_text("(Left early)").click()
    fac.click(".btn-free-seat")
    for _ in range(100):
        state = send(url, f"{api}/state")[1]
        if not state["institutions"][60]["taken"]:
            break
        time.sleep(0.2)
    assert not state["institutions"][60]["taken"]
    status, answer = send(url, f"{api}/decide", {"token": got["token"], "round": 1})
    assert status == 409 and "unknown participant" in answer["error"]
