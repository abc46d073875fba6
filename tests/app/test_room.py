"""The participatory room and fork at "now", in-process (no browser)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import pytest
from starlette.requests import Request

import sim
from sim.institutions import InstitutionTable, read_institutions
from sim.model import SharedServiceModel
from sim.population import params_for
from sim.scenarios import load_scenario
from sim_app.room import file as room_file
from sim_app.room.registry import get_room, open_room
from sim_app.room.room import SHADOW_CHOICES, RoomError
from sim_app.session.fork import apply_policy, fork_run
from sim_app.session.runs import simulate
from sim_app.session.state import Session


@pytest.fixture(autouse=True)
def rooms_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SHAREDSIM_ROOMS_DIR", str(tmp_path / "rooms"))


def workshop(n: int = 24):
    return load_scenario("workshop").params({"n_institutions": n})


def same(a: dict, b: dict) -> bool:
    return all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)


def test_decisions_reach_the_model_once_and_replay_exactly():
    room = open_room(workshop(), 3, "workshop", round_every=6)
    tokens = {i: room.claim(i, f"player {i}") for i in range(12)}
    assert room.model.mgr.played.sum() == 12
    for number, month in ((1, 6), (2, 12)):
        room.set_shown_month(month)
        rnd = room.open_round()
        assert (rnd.number, rnd.month, room.month) == (number, month, month)
        for i, tok in tokens.items():
            room.decide(tok, number, None, SHADOW_CHOICES[(i + number) % 3], i % 2 == 0)
        room.decide(tokens[0], number, None, "build", True)  # a resend replaces, once
        room.close_round()
    codes = {"keep": 0, "build": 1, "dismantle": 2}
    for i in range(12):
        want = "build" if i == 0 else SHADOW_CHOICES[(i + 2) % 3]
        assert room.model.mgr.shadow_choice[0, i] == codes[want]
    assert not room.model.mgr.played[0, 12:].any()  # nobody plays them: the model's rules
    records = room_file.read(room.file)
    rounds = [r for r in records if r["type"] == "round"]
    assert [len(r["decisions"]) for r in rounds] == [12, 12]
    assert rounds[0]["sent"]["0"] == 2 and rounds[0]["sent"]["1"] == 1
    assert same(room_file.replay(room.file), room.path().arrays)


def test_a_room_on_a_teams_own_institutions_names_them_and_replays_exactly():
    table = read_institutions(Path(sim.__file__).parent / "data" / "kl_benefits_municipalities.csv")
    params = params_for(table, workshop().model_dump())
    room = open_room(params, 5, "workshop", round_every=6, institutions=table)
    assert room.names == table.names
    tokens = {i: room.claim(i, f"player {i}") for i in range(3)}
    room.set_shown_month(6)
    room.open_round()
    for tok in tokens.values():
        room.decide(tok, 1, None, "build", True)
    room.close_round()
    head = room_file.read(room.file)[0]
    assert InstitutionTable.from_record(head["institutions"]) == table
    assert same(room_file.replay(room.file), room.path().arrays)
    plain = open_room(workshop(), 5, "workshop", round_every=6)
    assert room_file.read(plain.file)[0]["institutions"] is None
    assert plain.names != room.names


def test_room_path_is_history_plus_projection_and_differs_from_the_rules():
    room = open_room(workshop(), 4, "workshop", round_every=6, store=False)
    rules = simulate(room.params, room.seed)
    assert same(room.path().arrays, rules.arrays)  # nobody plays yet: the rules' run
    tokens = [room.claim(i, f"x{i}") for i in range(10)]
    played = room.path()  # played managers keep their course until they decide
    assert not same(played.arrays, rules.arrays)
    room.set_shown_month(6)
    room.open_round()
    for tok in tokens:
        room.decide(tok, 1, None, "build", False)
    room.close_round()
    path = room.path()
    for k in ("shadow_fte", "trust_mean", "cumulative_net_benefit"):  # the months played
        assert np.array_equal(path.arrays[k][:6], played.arrays[k][:6])  # stay as they were
    assert np.array_equal(path.trust[:6], played.trust[:6])
    assert path.arrays["shadow_fte"][12:].sum() > played.arrays["shadow_fte"][12:].sum()


def test_participants_see_only_their_own_institution_and_bad_calls_are_refused():
    from sim_app.room.api import participant_state

    room = open_room(workshop(), 5, "workshop", round_every=0, store=False)
    a, b = room.claim(0, "Ann"), room.claim(1, "Bo")
    with pytest.raises(RoomError, match="already taken; choose another") as refused:
        room.claim(0, "Cy")
    assert "Ann" not in str(refused.value)  # a refusal never says who holds an institution
    with pytest.raises(RoomError, match="closed"):
        room.decide(a, 1, None, "keep", False)
    room.open_round(0)
    with pytest.raises(RoomError, match="allowed: keep, build, dismantle"):
        room.decide(a, 1, None, "burn", False)
    room.decide(a, 1, None, "build", False)
    sa, sb = participant_state(room, a), participant_state(room, b)
    assert sa["me"]["institution"] == room.names[0] and sb["me"]["institution"] == room.names[1]
    assert sa["decision"]["shadow"] == "build" and sb["decision"] is None
    anon = participant_state(room, None)
    assert "me" not in anon and [i["taken"] for i in anon["institutions"][:3]] == [
        True, True, False]
    with pytest.raises(RoomError, match="no room"):
        get_room("ZZZZ")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no request counted against its address."""
    from sim_app.room import limits

    for limit in limits.ALL:
        limit.clear()


def call(endpoint, code: str, query: dict | None = None, body: bytes | None = None,
         headers: list | None = None):
    """Call a route's endpoint as Starlette would; returns (status, JSON or text)."""
    sent = [(b"content-type", b"application/json")] if body is not None else []
    scope = {"type": "http", "method": "POST" if body is not None else "GET",
             "headers": sent + (headers or []), "client": ("192.0.2.1", 50000),
             "path_params": {"code": code}, "query_string": urlencode(query or {}).encode()}

    async def receive():
        return {"type": "http.request", "body": body or b"", "more_body": False}

    async def run():
        out = endpoint(Request(scope, receive))
        return await out if asyncio.iscoroutine(out) else out

    resp = asyncio.run(run())
    text = resp.body.decode()
    return resp.status_code, (json.loads(text) if resp.media_type == "application/json"
                              else text)


def test_participant_routes_claim_decide_and_answer_one_line_errors():
    from sim_app.room import api as room_api

    room = open_room(workshop(), 6, "workshop", round_every=0, store=False)
    assert "<script>" in call(room_api.page, room.code)[1]
    status, r = call(room_api.claim, room.code, body=json.dumps({"idx": 2, "name": "Di"}).encode())
    token = r["token"]
    assert call(room_api.claim, room.code, body=b'{"idx": 2, "name": "Ed"}')[0] == 409
    assert call(room_api.claim, room.code, body=b"{")[1]["error"] == "the request is not JSON"
    room.open_round(0)
    status, r = call(room_api.decide, room.code, body=json.dumps(
        {"token": token, "round": 1, "shadow": "dismantle", "escalate": True}).encode())
    assert r == {"ok": True, "decision": {"join": None, "shadow": "dismantle",
                                          "escalate": True}, "sent": 1}
    state = call(room_api.state, room.code, {"token": token})[1]
    assert state["me"]["idx"] == 2 and state["round"]["number"] == 1
    same_v = call(room_api.state, room.code, {"token": token, "v": state["v"]})[1]
    assert same_v == {"same": True, "v": state["v"]}
    assert call(room_api.state, "NOPE")[0] == 404
    room.close_round()
    status, record = call(room_api.facilitator, room.code, {"key": room.key})
    assert status == 200, record
    assert record["played"] == [2]  # one entry per manager played, not per member row
    assert len(record["shadow_choice"]) == room.model.mgr.size


def test_session_in_a_room_stops_at_rounds_and_debriefs_against_the_rules():
    s = Session("workshop")
    s.n_band_seeds = 0
    s.mode.value = "room"
    s.story_on.value = False
    room = s.open_room(6)
    tok = room.claim(3, "Eve")
    s.reset()
    stopped_at = None
    for _ in range(12):
        s.step()
        if s.room_stop():
            stopped_at = s.month
            break
    assert stopped_at == 6 and room.current_round.month == 6
    room.decide(tok, 1, None, "build", True)
    s.play()  # continue: closes the round first
    s.pause()
    assert room.current_round is None and room.rounds[0].decisions[3].shadow == "build"
    s.room_debrief()
    view = s.view()
    assert same(s.baseline.arrays, simulate(room.params, room.seed).arrays)
    assert view["baseline_name"] == "every manager on the rules"


def test_fork_without_a_change_reproduces_the_run_bit_for_bit():
    params = load_scenario("default").params()
    whole = simulate(params, 7)
    for month in (0, 1, 37, params.months):
        run = fork_run(params, 7, month)
        assert same(run.arrays, whole.arrays), month
        assert np.array_equal(run.trust, whole.trust) and np.array_equal(run.phase, whole.phase)


def test_fork_shows_the_policy_from_its_month_only():
    params = load_scenario("default").params()
    whole = simulate(params, 2)
    run = fork_run(params, 2, 30, {"dialogue": 1.0})
    a, b = run.arrays["trust_mean"], whole.arrays["trust_mean"]
    assert np.array_equal(a[:30], b[:30])
    assert a[31:].mean() > b[31:].mean()
    paused = fork_run(params, 2, 14, {"pause_rollout": 12})
    assert paused.arrays["n_served"][20] <= whole.arrays["n_served"][20]
    with pytest.raises(ValueError, match="allowed"):
        apply_policy(SharedServiceModel(params, rng=1), {"dialogue": 3})


def test_session_fork_draws_the_difference_from_the_fork_month():
    from sim_app.views.panels import build_options

    s = Session("default")
    s.n_band_seeds = 0
    s.mode.value = "fork"
    s.go_to(40)
    s.make_fork({"dialogue": 1.0})
    opts = build_options(s, "en", True)
    diff = opts["diff"]["series"][0]["data"]
    assert all(v is None for v in diff[:39]) and any(v not in (None, 0) for v in diff[41:])
    assert opts["diff"]["yAxis"][0]["name"] == "Δ mio. kr."
    s.clear_fork()
    assert s.baseline is None and s.fork_info is None


@pytest.mark.parametrize(("route", "body", "status", "message"), [
    ("claim", b"x" * 3000, 413, "larger than 2048 bytes; allowed: at most 2048"),
    ("claim", b"{", 400, "the request is not JSON"),
    ("claim", b"\xff\xfe{}", 400, "the request is not JSON"),
    ("claim", b"[" * 1020 + b"]" * 1020, 400, "the request must be a JSON object"),
    ("claim", b'{"idx": NaN, "name": "A"}', 400, "the request is not JSON"),
    ("claim", b"[1, 2]", 400, "the request must be a JSON object"),
    ("claim", b'{"idx": 1}', 400, "'name' is missing"),
    ("claim", b'{"idx": 1, "name": "A", "admin": true}', 400,
     "unknown key 'admin'; allowed: idx, name, token"),
    ("claim", b'{"idx": "1", "name": "A"}', 400, "'idx' must be the number of an institution"),
    ("claim", b'{"idx": true, "name": "A"}', 400, "'idx' must be the number"),
    ("claim", b'{"idx": 1, "name": "   "}', 400, "a name is needed"),
    ("claim", b'{"idx": 1, "name": 7}', 400, "'name' must be text of 1\u201340 characters"),
    ("claim", ('{"idx": 1, "name": "' + "a" * 41 + '"}').encode(), 400,
     "the name has 41 characters; allowed: 1\u201340"),
    ("claim", b'{"idx": 1, "name": "A\\u0000B"}', 400, "control character"),
    ("claim", b'{"idx": 99, "name": "A"}', 409, "no institution 99"),
    ("decide", b'{"round": 1}', 400, "'token' is missing"),
    ("decide", ('{"token": "' + "t" * 65 + '", "round": 1}').encode(), 400, "at most 64"),
    ("decide", b'{"token": "t", "round": 1, "join": "yes"}', 400,
     "'join' must be true, false or null"),
    ("decide", b'{"token": "t", "round": 1, "escalate": 1}', 400,
     "'escalate' must be true or false"),
    ("decide", b'{"token": "t", "round": 1, "shadow": "burn"}', 400,
     'shadow = "burn" is not allowed; allowed: keep, build, dismantle'),
    ("decide", b'{"token": "t", "round": 1.0}', 400, "'round' must be the round's number"),
    ("decide", b'{"token": "t", "round": 1}', 409, "unknown participant"),
])
def test_routes_refuse_oversized_and_malformed_requests_with_one_line(route, body, status,
                                                                       message):
    from sim_app.room import api as room_api

    room = open_room(workshop(), 6, "workshop", round_every=0, store=False)
    got, answer = call(getattr(room_api, route), room.code, body=body)
    assert got == status and list(answer) == ["error"]
    text = answer["error"]
    assert "\n" not in text and message in text, text
    assert room.claims == {}  # nothing taken by a refused request


def test_routes_refuse_a_declared_oversized_body_unread_and_bad_codes_and_queries():
    from sim_app.room import api as room_api

    room = open_room(workshop(), 6, "workshop", round_every=0, store=False)
    status, answer = call(room_api.claim, room.code, body=b"{}",
                          headers=[(b"content-length", b"100000")])
    assert status == 413 and "at most 2048" in answer["error"]
    assert call(room_api.state, "A" * 200)[0] == 404
    assert call(room_api.state, "../x")[0] == 404
    status, answer = call(room_api.state, room.code, {"token": "t" * 100})
    assert status == 400 and "'token' is longer than 64" in answer["error"]
    status, answer = call(room_api.claim, room.code,
                          body=json.dumps({"idx": 1, "name": "  Ann   Bo "}).encode())
    assert status == 200 and room.claims == {1: "Ann Bo"}


def test_phones_show_the_scenarios_title_and_a_room_shown_to_the_end_is_over_everywhere():
    import solara

    from sim.scenarios import load_scenario
    from sim_app.room.api import participant_state
    from sim_app.room.panel import RoomStatus

    room = open_room(workshop(), 6, "workshop", round_every=6, store=False)
    state = participant_state(room, None)
    assert state["title"]["en"] == load_scenario("workshop").title != "workshop"
    assert state["finished"] is False
    room.set_shown_month(int(room.params.months))
    assert participant_state(room, None)["finished"] is True
    s = Session("workshop")
    s.n_band_seeds = 0
    s.attach_room(room)
    _box, rc = solara.render(RoomStatus(s), handle_error=False)
    import ipyvuetify as v

    text = " ".join(str(w.children) for w in rc.find(v.Html).widgets)
    assert f"The room is over (month {int(room.params.months)} reached)" in text
    assert "the next at month" not in text


def test_seats_rate_limits_and_rooms_that_end():
    """One phone, one institution; names unique; seats freed; limits per key over a window;
    rooms that end answer so (and their codes are not handed out again)."""
    from sim_app.room import limits, registry

    room = open_room(workshop(), 7, "workshop", round_every=0, store=False)
    ann = room.claim(0, "Ann")
    with pytest.raises(RoomError, match="already plays"):
        room.claim(1, "Ann 2", holder=ann)
    with pytest.raises(RoomError, match="already used"):
        room.claim(1, "ANN")
    room.open_round(0)
    room.decide(ann, 1, None, "build", False)
    version = room.version
    room.decide(ann, 1, None, "build", False)
    assert room.version == version  # the same calls again: no phone reloads
    assert room.release(0) and not room.release(0)
    assert room.claims == {} and room.current_round.decisions == {}
    assert not room.model.mgr.played[..., 0].any()  # (members x managers)
    with pytest.raises(RoomError, match="unknown participant"):
        room.who(ann)
    bo = room.claim(0, "Ann")  # the seat and the name are free again
    assert room.who(bo) == 0

    limit = limits.RateLimit(3, 10.0, "tries")
    assert [limit.allow("a", now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limit.allow("b", now=3) and limit.allow("a", now=10.5)
    assert "allowed: 3 in 10 s" in limit.message()

    registry.close_room(room.code)
    with pytest.raises(registry.RoomEnded, match="has ended"):
        get_room(room.code)
    idle = open_room(workshop(), 8, "workshop", round_every=0, store=False)
    idle.last_active -= registry.IDLE_SECONDS
    assert idle.code in registry.close_idle()
    with pytest.raises(registry.RoomEnded):
        get_room(idle.code)


def test_a_bad_rate_scale_stops_the_server_in_one_line(monkeypatch):
    from sim_app.room.limits import SCALE_ENV
    from sim_app.serving import configure_server

    monkeypatch.setenv(SCALE_ENV, "lots")
    with pytest.raises(SystemExit, match=f"{SCALE_ENV}='lots' is not allowed; allowed: a number"):
        configure_server()
