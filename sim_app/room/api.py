"""The participants' side of a room: a light page and three JSON endpoints.

Participants' phones do not run a Solara page (no widget tree, no websocket): they load one
small HTML page (``participant.html``) that asks the server for its state every ~1.5 s and
sends decisions as plain requests. A dropped connection is just a missed poll, a reload keeps
the participant (their token is in the phone's local storage), and 40 phones cost the server
a few small requests a second. The routes are added to the Solara server's own Starlette app
(``register_routes``, called when app.py is loaded), ahead of Solara's catch-all page route:

* ``GET  /room/{code}``                 the participant page
* ``GET  /room/api/{code}/state``       the room (``?token=`` a participant's own view)
* ``POST /room/api/{code}/claim``       ``{"idx", "name"[, "token"]}`` -> ``{"token"}``
* ``POST /room/api/{code}/decide``      ``{"token", "round", "join", "shadow", "escalate"}``
* ``POST /room/api/{code}/release``     ``{"token"}``: leave the institution
* ``GET  /room/api/{code}/facilitator``  the room's record and the model's view of the played
                                         managers (the facilitator's browser, or ``?key=``
                                         for scripts: research, tests)

Errors answer with HTTP 4xx and ``{"error": one line}``: 400 for a malformed request, 413 for a
body over ``room_requests.MAX_BODY`` bytes, 415 for a body that is not ``application/json``,
403 for a request another site's page sent (or, on the facilitator route, not the
facilitator's), 404 for an unknown room, 410
for a room that has ended, 409
for a request the room's state refuses (taken, round closed, a name in use), 429 beyond a
rate limit (``sim_app.room.limits``). What each body may hold is checked by
``sim_app.room.requests`` (no unknown keys, no coercion, names of 1–40 characters). A phone
plays one institution (its token); a refusal never says who holds an institution.
"""

from __future__ import annotations

import json
import time
from functools import cache
from importlib import resources

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from sim.errors import SimInputError
from sim.scenarios import load_scenario
from sim_app.room import limits
from sim_app.room import requests as rq
from sim_app.room.registry import RoomEnded, get_room
from sim_app.room.requests import BadRequest
from sim_app.room.room import SHADOW_CHOICES, Room, RoomError
from sim_app.text.fmt import month_label
from sim_app.text.participant import texts as participant_texts
from sim_app.text.scenarios import shipped_extras

ROUTE_NAME = "sharedsim-room"


@cache
def _page() -> str:
    """The participants' page with its texts (English and their translations) filled in."""
    html = resources.files("sim_app.room").joinpath("participant.html").read_text("utf-8")
    data = json.dumps(participant_texts(), ensure_ascii=False).replace("</", "<\\/")
    return html.replace("__TEXTS__", data)


def participant_state(room: Room, token: str | None) -> dict:
    """What one participant's page shows (or, without a token, the institutions to take)."""
    with room.lock:
        extras = shipped_extras(room.scenario)
        english = scenario_title(room.scenario)
        title = {"en": english, "da": extras.title_da or english}
        out = {"code": room.code, "v": room.version, "lang": room.lang, "title": title,
               "month": room.shown_month, "horizon": int(room.params.months),
               "when": {lang: month_label(max(room.shown_month, 1), room.params.start_year, lang)
                        for lang in ("en", "da")},
               "finished": room.over,
               "voluntary": room.params.adoption == "voluntary"}
        idx = room.tokens.get(token or "")
        if idx is None:
            out["institutions"] = [{"idx": i, "name": n, "taken": i in room.claims}
                                   for i, n in enumerate(room.names)]
            return out
        rnd = room.current_round
        mine = rnd.decisions.get(idx) if rnd else None
        month = min(room.shown_month, int(room.params.months))
        state = room.institution_at(idx, month)
        out.update({
            "me": {"idx": idx, "institution": room.names[idx], "name": room.claims[idx]},
            "institution": state,
            "round": ({"number": rnd.number, "month": rnd.month} if rnd else None),
            "decision": mine.to_dict() if mine else None,
            "sent": mine.sent if mine else 0,
            "can_join": out["voluntary"] and state["phase"] == 0,
            "rounds_done": sum(1 for r in room.rounds if not r.open),
        })
        return out


@cache
def scenario_title(name: str) -> str:
    """A shipped scenario's title (a room from a scenario file keeps its name)."""
    try:
        return load_scenario(name).title
    except SimInputError:
        return name


def _error(message: str, status: int = 409) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _refused(exc: Exception) -> JSONResponse:
    if isinstance(exc, BadRequest):
        return _error(str(exc), exc.status)
    return _error(str(exc))


def _address(request: Request) -> str:
    return request.client.host if request.client else "?"


def _limit(limit: limits.RateLimit, key: str) -> None:
    if not limit.allow(key):
        raise BadRequest(limit.message(), 429)


def _room(request: Request) -> Room:
    """The request's room; a code that names no room counts against the address's
    look-ups (guessing codes is slowed to a crawl)."""
    try:
        room = get_room(rq.check_code(request.path_params["code"]))
    except RoomEnded as exc:
        raise BadRequest(str(exc), 410) from None
    except (RoomError, BadRequest) as exc:
        _limit(limits.MISSES, _address(request))
        raise BadRequest(str(exc), 404) from None
    room.last_active = time.monotonic()
    return room


def page(request: Request) -> HTMLResponse:
    return HTMLResponse(_page())


def state(request: Request) -> JSONResponse:
    try:
        room = _room(request)
        token, seen = rq.query(request, "token"), rq.query(request, "v")
    except BadRequest as exc:
        return _refused(exc)
    if seen is not None and token and seen == str(room.version) and token in room.tokens:
        return JSONResponse({"same": True, "v": room.version})
    return JSONResponse(participant_state(room, token))


#: What a claim, a release and a decision may hold (key -> check); see
#: ``sim_app.room.requests``. A claim's ``token`` is the one the phone already holds, if any.
CLAIM = {"idx": rq.whole("idx", "the number of an institution"), "name": rq.name,
         "token": rq.token}
RELEASE = {"token": rq.token}
DECIDE = {"token": rq.token, "round": rq.whole("round", "the round's number"),
          "join": rq.flag("join", null=True), "shadow": rq.one_of("shadow", SHADOW_CHOICES),
          "escalate": rq.flag("escalate")}


async def claim(request: Request) -> JSONResponse:
    try:
        room = _room(request)
        data = await rq.body(request, CLAIM, required=("idx", "name"))
        _limit(limits.CLAIMS, _address(request))
        token = room.claim(data["idx"], data["name"], data.get("token"))
    except (BadRequest, RoomError) as exc:
        return _refused(exc)
    return JSONResponse({"token": token, "idx": data["idx"]})


async def decide(request: Request) -> JSONResponse:
    try:
        room = _room(request)
        data = await rq.body(request, DECIDE, required=("token", "round"))
        _limit(limits.DECISIONS, data["token"])
        d = room.decide(data["token"], data["round"], data.get("join"),
                        data.get("shadow", "keep"), data.get("escalate", False))
    except (BadRequest, RoomError) as exc:
        return _refused(exc)
    return JSONResponse({"ok": True, "decision": d.to_dict(), "sent": d.sent})


async def release(request: Request) -> JSONResponse:
    """A participant leaves their institution (it is free to take again)."""
    try:
        room = _room(request)
        data = await rq.body(request, RELEASE, required=("token",))
        room.release(room.who(data["token"]))
    except (BadRequest, RoomError) as exc:
        return _refused(exc)
    return JSONResponse({"ok": True})


def facilitator(request: Request) -> JSONResponse:
    """The room's record, for its facilitator's browser (by its Solara session cookie) or a
    script that holds the room's key (``?key=``; never shown in the app)."""
    from solara.server.server import get_session_id_cookie

    try:
        room = _room(request)
        key = rq.query(request, "key")
    except BadRequest as exc:
        return _refused(exc)
    browser = get_session_id_cookie(request.cookies)
    if key != room.key and browser not in room.facilitators:
        return _error("only the room's facilitator may see this", 403)
    with room.lock:
        mgr = room.model.mgr
        return JSONResponse({
            "code": room.code, "month": room.month, "claims": {str(i): n for i, n in
                                                              room.claims.items()},
            "rounds": [{"number": r.number, "month": r.month, "open": r.open,
                        "decisions": {str(i): d.to_dict() for i, d in r.decisions.items()},
                        "sent": {str(i): d.sent for i, d in r.decisions.items()}}
                       for r in room.rounds],
            # the room's model has one member: row 0 of the managers' members × agents arrays
            "played": [int(i) for i in mgr.played[0].nonzero()[0]],
            "shadow_choice": [int(c) for c in mgr.shadow_choice[0]],
            "file": str(room.file) if room.file else None})


ROUTES = [
    Route("/room/api/{code}/state", state, methods=["GET"], name=ROUTE_NAME),
    Route("/room/api/{code}/claim", claim, methods=["POST"], name=ROUTE_NAME + "-claim"),
    Route("/room/api/{code}/decide", decide, methods=["POST"], name=ROUTE_NAME + "-decide"),
    Route("/room/api/{code}/release", release, methods=["POST"], name=ROUTE_NAME + "-release"),
    Route("/room/api/{code}/facilitator", facilitator, methods=["GET"],
          name=ROUTE_NAME + "-facilitator"),
    Route("/room/{code}", page, methods=["GET"], name=ROUTE_NAME + "-page"),
]


def register_routes() -> None:
    """Put the room's routes in front of Solara's catch-all page route (once per process)."""
    import solara.server.starlette as server

    routes = server.app.router.routes
    if any(getattr(r, "name", None) == ROUTE_NAME for r in routes):
        return
    routes[0:0] = ROUTES
