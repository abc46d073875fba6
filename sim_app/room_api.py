"""The participants' side of a room: a light page and three JSON endpoints.

Participants' phones do not run a Solara page (no widget tree, no websocket): they load one
small HTML page (``participant.html``) that asks the server for its state every ~1.5 s and
sends decisions as plain requests. A dropped connection is just a missed poll, a reload keeps
the participant (their token is in the phone's local storage), and 40 phones cost the server
a few small requests a second. The routes are added to the Solara server's own Starlette app
(``register_routes``, called when app.py is loaded), ahead of Solara's catch-all page route:

* ``GET  /room/{code}``                 the participant page
* ``GET  /room/api/{code}/state``       the room (``?token=`` a participant's own view)
* ``POST /room/api/{code}/claim``       ``{"idx", "name"}`` -> ``{"token"}``
* ``POST /room/api/{code}/decide``      ``{"token", "round", "join", "shadow", "escalate"}``
* ``GET  /room/api/{code}/facilitator``  ``?key=`` the room's record and the model's view of
                                         the played managers (facilitator only: research,
                                         tests)

Errors answer with HTTP 4xx and ``{"error": one line}``.
"""

from __future__ import annotations

from importlib import resources

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from sim_app.fmt import month_label
from sim_app.room import Room, RoomError, get_room
from sim_app.scenario_texts import shipped_extras

ROUTE_NAME = "sharedsim-room"


def _page() -> str:
    return resources.files("sim_app").joinpath("participant.html").read_text("utf-8")


def participant_state(room: Room, token: str | None) -> dict:
    """What one participant's page shows (or, without a token, the institutions to take)."""
    with room.lock:
        extras = shipped_extras(room.scenario)
        title = {"en": room.scenario, "da": extras.title_da or room.scenario}
        out = {"code": room.code, "v": room.version, "lang": room.lang, "title": title,
               "month": room.shown_month, "horizon": int(room.params.months),
               "when": {lang: month_label(max(room.shown_month, 1), room.params.start_year, lang)
                        for lang in ("en", "da")},
               "finished": room.finished,
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


def _error(message: str, status: int = 409) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def page(request: Request) -> HTMLResponse:
    return HTMLResponse(_page())


def state(request: Request) -> JSONResponse:
    try:
        room = get_room(request.path_params["code"])
    except RoomError as exc:
        return _error(str(exc), 404)
    token = request.query_params.get("token")
    seen = request.query_params.get("v")
    if seen is not None and token and seen == str(room.version) and token in room.tokens:
        return JSONResponse({"same": True, "v": room.version})
    return JSONResponse(participant_state(room, token))


async def _body(request: Request) -> dict:
    try:
        data = await request.json()
    except ValueError:
        raise RoomError("the request is not JSON") from None
    if not isinstance(data, dict):
        raise RoomError("the request must be a JSON object")
    return data


async def claim(request: Request) -> JSONResponse:
    try:
        room = get_room(request.path_params["code"])
        data = await _body(request)
        idx = data.get("idx")
        if not isinstance(idx, int) or isinstance(idx, bool):
            raise RoomError("'idx' must be the number of an institution")
        token = room.claim(idx, str(data.get("name") or ""))
    except RoomError as exc:
        return _error(str(exc))
    return JSONResponse({"token": token, "idx": idx})


async def decide(request: Request) -> JSONResponse:
    try:
        room = get_room(request.path_params["code"])
        data = await _body(request)
        join = data.get("join")
        if join is not None and not isinstance(join, bool):
            raise RoomError("'join' must be true, false or null")
        rnd = data.get("round")
        if not isinstance(rnd, int) or isinstance(rnd, bool):
            raise RoomError("'round' must be the round's number")
        d = room.decide(str(data.get("token") or ""), rnd, join,
                        str(data.get("shadow") or "keep"), bool(data.get("escalate")))
    except RoomError as exc:
        return _error(str(exc))
    return JSONResponse({"ok": True, "decision": d.to_dict(), "sent": d.sent})


def facilitator(request: Request) -> JSONResponse:
    try:
        room = get_room(request.path_params["code"])
    except RoomError as exc:
        return _error(str(exc), 404)
    if request.query_params.get("key") != room.key:
        return _error("the facilitator's key is needed", 403)
    with room.lock:
        mgr = room.model.mgr
        return JSONResponse({
            "code": room.code, "month": room.month, "claims": {str(i): n for i, n in
                                                              room.claims.items()},
            "rounds": [{"number": r.number, "month": r.month, "open": r.open,
                        "decisions": {str(i): d.to_dict() for i, d in r.decisions.items()},
                        "sent": {str(i): d.sent for i, d in r.decisions.items()}}
                       for r in room.rounds],
            "played": [int(i) for i in mgr.played.nonzero()[0]],
            "shadow_choice": [int(c) for c in mgr.shadow_choice],
            "file": str(room.file) if room.file else None})


ROUTES = [
    Route("/room/api/{code}/state", state, methods=["GET"], name=ROUTE_NAME),
    Route("/room/api/{code}/claim", claim, methods=["POST"], name=ROUTE_NAME + "-claim"),
    Route("/room/api/{code}/decide", decide, methods=["POST"], name=ROUTE_NAME + "-decide"),
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
