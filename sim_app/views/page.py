"""The page: a header (views, undo, language) and the view chosen. One Session per browser
session; the page's address carries the settings (``sim_app.session.url``)."""

from __future__ import annotations

import solara

from sim_app.export.panel import ExportPanel
from sim_app.room.facilitators import current_browser
from sim_app.room.panel import RoomView
from sim_app.room.registry import ROOMS
from sim_app.session.state import Session
from sim_app.session.url import parse_query
from sim_app.text.fmt import error_text
from sim_app.text.i18n import tr
from sim_app.views.bridge import Bridge
from sim_app.views.compare import BandWorker, ComparePanel
from sim_app.views.controls import Controls, ScenarioPicker
from sim_app.views.fork import ForkView
from sim_app.views.lazy import LazyDetails
from sim_app.views.panels import LiveView
from sim_app.views.player import Player
from sim_app.views.projector import ProjectorView
from sim_app.views.story import StoryPanel
from sim_app.views.styles import CSS
from sim_app.views.sweep_note import SweepRunNote

#: The views in the header, in order.
MODES = ("explore", "projector", "room", "fork")


def session_from_query(query: str | None) -> Session:
    """A new session set up as the address asks (bad entries noted in ``url_errors``)."""
    wanted = parse_query(query)
    session = Session(wanted.scenario or "default", seed=wanted.seed or 1)
    errors = list(wanted.errors)
    if wanted.values:
        errors += session.apply_values(wanted.values)
    if wanted.lang:
        session.set_lang(wanted.lang)
    if wanted.view in MODES:
        session.set_mode(wanted.view)
    if wanted.room:
        room = ROOMS.get(wanted.room.upper())
        browser = current_browser()
        if room is not None and (browser in room.facilitators  # the facilitator reloaded
                                 or room.facilitators.take_link(wanted.handoff, browser)):
            session.attach_room(room)
        elif room is not None:  # the address off the projector, in another browser
            errors.append(f"room={wanted.room!r}: this room is run from another browser; "
                          f"participants join at /room/{room.code}")
        else:
            errors.append(f"room={wanted.room!r}: no such room on this server")
    if wanted.run:
        from sim_app.session.sweeprun import open_sweep_run

        errors += open_sweep_run(session, wanted.run)
    session.note_url_errors(errors)
    session.forget_undo()
    return session


@solara.component
def Layout(children=None):
    """No app bar, no sliding sidebar: the page lays itself out (``Main``)."""
    return solara.Div(children=children or [], classes=["app-layout"])


@solara.component
def Page():
    """Solara's entry point: one :class:`Session` per browser session."""
    router = solara.use_router()
    session = solara.use_memo(lambda: session_from_query(router.search), [])
    Main(session)


@solara.component
def Header(session: Session):
    undo = session.settings.value.undo
    lang = session.lang.value
    mode = session.mode.value
    last = undo[-1] if undo else None
    with solara.Div(classes=["app-header"]):
        solara.Text(tr("title", lang), classes=["app-title"])
        for m in MODES:
            solara.Button(tr(f"mode_{m}", lang), text=True,
                          classes=[f"btn-mode btn-mode-{m}"] + (["mode-active"] if m == mode
                                                                 else []),
                          on_click=lambda m=m: session.set_mode(m))
        solara.Button(tr("undo", lang), icon_name="mdi-undo", text=True, classes=["btn-undo"],
                      disabled=last is None, on_click=session.undo,
                      attributes={"title": tr("undo_what", lang, what=last.what)
                                  if last else tr("nothing_to_undo", lang)})
        solara.Button(tr("language", lang), text=True, classes=["btn-lang"],
                      on_click=lambda: session.set_lang("en" if lang == "da" else "da"))


@solara.component
def ExploreView(session: Session):
    lang = session.lang.value
    with solara.Div(classes=["app-body"]):
        with solara.Div(classes=["main", "main-view"]):
            Player(session)
            LiveView(session)
        with solara.Div(classes=["side"]):
            with solara.Column(gap="8px"):
                ScenarioPicker(session)
                with solara.Details(tr("compare", lang) + " · " + tr("uncertainty", lang),
                                    expand=True):
                    ComparePanel(session)
                LazyDetails(tr("export", lang), lambda: ExportPanel(session),
                            classes=["details-export"])
                LazyDetails(tr("story", lang), lambda: StoryPanel(session),
                            classes=["details-story"])
                solara.Text(tr("controls", lang), style={"font-weight": "600"})
                Controls(session)


@solara.component
def Main(session: Session):
    """The whole screen for one session (tests render this with a session of their own)."""
    lang = session.lang.value
    mode = session.mode.value
    solara.Title(tr("title", lang))
    solara.Style(CSS)
    with solara.Div(classes=["app-root"]):
        Header(session)
        Bridge(session)
        if session.url_errors:
            solara.Warning(" ".join(tr("url_error", lang, error=error_text(e, lang))
                                    for e in session.url_errors),
                           dense=True, classes=["url-error"])
        if session.sweep_run is not None:
            SweepRunNote(session)
        BandWorker(session)
        if mode == "projector":
            ProjectorView(session)
        elif mode == "room":
            RoomView(session)
        elif mode == "fork":
            ForkView(session)
        else:
            ExploreView(session)
