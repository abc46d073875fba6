"""The facilitator's room: open it, show the join link, QR code and code, run the rounds,
debrief. The main area is the projector view of the room's path."""

from __future__ import annotations

import segno
import solara

from sim_app.export.summary_panel import SummaryButtons
from sim_app.room.room import Room
from sim_app.room.tools import FacilitatorTools
from sim_app.session.state import Session
from sim_app.text.i18n import tr
from sim_app.views.projector import ProjectorView

#: The round choices offered: months between rounds (0: only when the facilitator opens one).
ROUND_CHOICES = (3, 6, 12, 0)
#: How often the facilitator's page looks for news from the participants (seconds).
WATCH_S = 0.5


def join_url(origin: str, room: Room) -> str:
    origin = origin or "http://localhost:8765"
    return f"{origin.rstrip('/')}/room/{room.code}"


def qr_svg(url: str) -> str:
    """The join link as an inline SVG QR code."""
    return segno.make(url, error="m").svg_inline(scale=5, border=2)


@solara.component
def RoomQr(url: str):
    svg = solara.use_memo(lambda: qr_svg(url), [url])
    return solara.HTML(tag="div", unsafe_innerHTML=svg, classes=["room-qr"])


@solara.component
def RoomWatch(session: Session, room: Room | None):
    """Follows the room: new claims and decisions show on the facilitator's screen (the
    session takes the room's news, ``Session.room_sync``; the panel redraws only when who
    plays, the round or the end changes, the status line on every decision)."""

    def watch(cancel):
        while not cancel.is_set() and room is not None:
            session.room_sync()
            cancel.wait(WATCH_S)

    solara.use_thread(watch, dependencies=[room], intrusive_cancel=False)


@solara.component
def RoomStatus(session: Session):
    """One line the room can read: who plays, the round and its tally."""
    a = session.room_status.value
    lang = session.lang.value
    if not a:
        return solara.Div()
    parts = [f"{tr('room_code', lang)} {a['code']}",
             tr("room_players", lang, k=a["players"], n=a["institutions"])]
    if a["round"] is not None:
        parts.append(tr("room_round_open", lang, r=a["round"], m=a["round_month"],
                        d=a["decided"], k=a["players"]))
        s = a["shadow"]
        parts.append(tr("room_round_tally", lang, b=s["build"], k=s["keep"], d=s["dismantle"],
                        j=a["joins"], e=a["escalations"]))
    elif a["over"]:
        parts.append(tr("room_over", lang, n=a["months"]))
    else:
        nxt = a["next"]
        parts.append(tr("room_no_round", lang, m=nxt) if nxt else tr("room_no_round_manual",
                                                                       lang))
    with solara.Div(classes=["room-status"]) as el:
        solara.Text(" · ".join(parts), classes=["room-status-text"])
    return el


@solara.component
def RoomPanel(session: Session):
    room = session.room_attached.value
    # who plays, a round open, rounds held, the end: the panel renders when one changes
    shape = session.room_shape.value
    lang = session.lang.value
    origin = session.origin.value
    every, set_every = solara.use_state(6)
    with solara.Column(gap="8px", classes=["room-panel"]):
        if room is None:
            solara.Text(tr("room_help", lang), classes=["param-help"])
            solara.v.Select(label=tr("room_rounds", lang), dense=True, hide_details=True,
                            items=[{"text": tr("room_every", lang, n=n) if n
                                    else tr("room_at_pause", lang), "value": n}
                                   for n in ROUND_CHOICES],
                            v_model=every, class_="room-every", on_v_model=set_every)
            solara.Button(tr("room_open", lang), icon_name="mdi-account-group", color="primary",
                          classes=["btn-room-open"],
                          on_click=lambda: session.open_room(int(every)))
            return
        url = join_url(origin, room)
        solara.Text(tr("room_code", lang), classes=["param-help"])
        solara.Text(room.code, classes=["room-code"])
        solara.Text(f"{tr('room_join', lang)} {url}", classes=["room-url"])
        RoomQr(url)
        claims, round_open, _rounds, over = shape
        players = ", ".join(f"{room.names[i]} ({name})" for i, name in claims)
        solara.Text(tr("room_players", lang, k=len(claims), n=len(room.names)),
                    classes=["room-players"])
        if players:  # a room of 30 names scrolls inside the panel, never the page
            # keyed, as every element whose coming and going would shift the buttons below:
            # a click must never reach a widget that changed its job
            solara.Text(players, classes=["param-help", "room-names"]).key("names")
        if over:  # no round to open: the panel says so, as the status line does
            solara.Text(tr("room_over", lang, n=int(room.params.months)),
                        classes=["room-over"]).key("over")
        elif not round_open:
            solara.Button(tr("room_open_round", lang), icon_name="mdi-hand-back-right",
                          classes=["btn-round-open"],
                          on_click=session.room_open_round).key("round-open")
        else:
            solara.Button(tr("room_close_round", lang), icon_name="mdi-check-all",
                          color="primary", classes=["btn-round-close"],
                          on_click=session.room_close_round).key("round-close")
        solara.Button(tr("room_debrief", lang), icon_name="mdi-compare",
                      classes=["btn-debrief"], on_click=session.room_debrief).key("debrief")
        # the hand-out, from the room (after the debrief with the room against the rules)
        SummaryButtons(session).key("summary")
        if room.file is not None:
            solara.Text(tr("room_file", lang, path=str(room.file)),
                        classes=["param-help"]).key("file")
        FacilitatorTools(session, claims, origin).key("tools")
        solara.Button(tr("room_leave", lang), text=True, small=True, classes=["btn-room-leave"],
                      on_click=session.leave_room).key("leave")


@solara.component
def RoomView(session: Session):
    """The facilitator's room: the projector of the room's path, with the room panel."""
    lang = session.lang.value
    show_panel, set_show_panel = solara.use_state(True)
    # one element only: a second top-level element (the watcher) would make Solara wrap both
    # in a column of its own height, which squashed the charts to 100 px
    with solara.Div(classes=["app-body"]):
        RoomWatch(session, session.room_attached.value)
        with solara.Div(classes=["main", "room-main"]):
            RoomStatus(session)
            ProjectorView(session)
        if show_panel:
            with solara.Div(classes=["side", "room-side"]):
                solara.Button(tr("room_hide_panel", lang), text=True, small=True,
                              icon_name="mdi-chevron-left", classes=["btn-room-hide"],
                              on_click=lambda: set_show_panel(False))
                RoomPanel(session)
        else:
            solara.Button(tr("room_show_panel", lang), small=True, classes=["btn-room-show"],
                          style={"position": "static"}, on_click=lambda: set_show_panel(True))


