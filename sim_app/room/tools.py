"""The facilitator's room tools, off the projector's main view: free a participant's seat, and
a one-time link to run the room from another device (shown only when asked for)."""

from __future__ import annotations

import solara

from sim_app.session.state import Session
from sim_app.text.i18n import tr


@solara.component
def FacilitatorTools(session: Session, claims: tuple[tuple[int, str], ...], origin: str):
    """Free a seat (a participant who left, or a name that should not be on the projector);
    the facilitator link, shown on request and hidden again."""
    room = session.room
    lang = session.lang.value
    seat, set_seat = solara.use_state(None)
    link, set_link = solara.use_state("")
    if room is None:
        return
    with solara.Column(gap="4px", classes=["room-tools"]):
        if claims:
            items = [{"text": f"{room.names[i]} ({name})", "value": i} for i, name in claims]
            with solara.Row(gap="4px"):
                solara.v.Select(label=tr("room_seat", lang), dense=True, hide_details=True,
                                items=items, v_model=seat, class_="room-seat",
                                on_v_model=set_seat)
                solara.Button(tr("room_free_seat", lang), text=True, small=True,
                              disabled=seat is None, classes=["btn-free-seat"],
                              on_click=lambda: (session.room_release(seat), set_seat(None)))
        if link:
            solara.Text(tr("room_link_help", lang), classes=["param-help"])
            solara.Text(link, classes=["room-handoff"])
            solara.Button(tr("room_link_hide", lang), text=True, small=True,
                          classes=["btn-handoff-hide"], on_click=lambda: set_link(""))
        else:
            solara.Button(tr("room_link", lang), text=True, small=True,
                          icon_name="mdi-link-variant", classes=["btn-handoff"],
                          on_click=lambda: set_link(session.facilitator_link(origin)))
