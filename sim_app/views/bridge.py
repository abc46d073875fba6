"""A browser-side helper with no looks: keyboard shortcuts and the page's address.

Space plays or pauses, → steps a month, ← goes a month back; the address follows the settings
(``Session.url_query``, see ``sim_app.session.url``) so a reload or a shared link opens the same
run. See ``bridge.vue``.
"""

from __future__ import annotations

from collections.abc import Callable

import ipyvuetify
import solara
import traitlets

from sim_app.session.state import Session


class BridgeWidget(ipyvuetify.VuetifyTemplate):
    """Listens for shortcut keys and writes ``query`` into the address bar."""

    template_file = (__file__, "bridge.vue")

    query = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    shortcuts = traitlets.Bool(True).tag(sync=True)
    origin = traitlets.Unicode("").tag(sync=True)  # set by the browser

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_key: Callable[[str], None] | None = None

    def vue_key_pressed(self, key: str) -> None:
        if self.on_key is not None:
            self.on_key(str(key))


def handle_key(session: Session, key: str) -> None:
    """What a shortcut does: Space play/pause, → a month on, ← a month back."""
    if key == "space":
        session.toggle_play()
    elif key == "right":
        session.pause()
        session.step()
    elif key == "left":
        session.pause()
        session.step_back()


@solara.component
def Bridge(session: Session, keys: bool = True):
    """The shortcuts and the address; renders when the settings, the language, the view or
    the room change."""
    settings = session.settings.value
    lang = session.lang.value
    mode = session.mode.value
    room = session.room_shape.value
    query = solara.use_memo(session.url_query, [settings, lang, mode, room])
    el = BridgeWidget.element(query=query, shortcuts=keys)

    def attach():
        widget = solara.get_widget(el)
        widget.on_key = lambda key: handle_key(session, key)

        def on_origin(change):
            session.set_origin(change["new"])

        widget.observe(on_origin, "origin")
        if widget.origin:
            session.set_origin(widget.origin)
        return lambda: widget.unobserve(on_origin, "origin")

    solara.use_effect(attach, [])
    return el
