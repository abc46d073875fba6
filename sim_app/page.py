"""The page: layout, language and presentation switches. One Session per browser session."""

from __future__ import annotations

import reacton.core
import solara

from sim_app.compare import BandWorker, ComparePanel
from sim_app.controls import Controls, ScenarioPicker
from sim_app.export import ExportPanel
from sim_app.i18n import tr
from sim_app.panels import LiveView
from sim_app.player import Player
from sim_app.state import Session

CSS = """
.param-label { font-size: 0.85rem; font-weight: 500; }
.param-help { font-size: 0.72rem; color: #666; line-height: 1.2; }
.kpi-title { font-size: 0.8rem; color: #555; }
.presentation .kpi-title { font-size: 1.3rem; }
.presentation .v-btn { font-size: 1.2rem; }
.presentation { font-size: 1.3rem; }
"""


@solara.component
def Page():
    """Solara's entry point: one :class:`Session` per browser session."""
    session = solara.use_memo(lambda: Session("default"), [])
    Main(session)


@solara.component
def Main(session: Session):
    """The whole screen for one session (tests render this with a session of their own)."""
    session.bind_render_context(reacton.core.get_render_context(required=False))
    lang = session.lang.value
    big = session.presentation.value
    solara.Title(tr("title", lang))
    solara.Style(CSS)
    with solara.AppBar():
        solara.Button(tr("language", lang), text=True, classes=["btn-lang"],
                      on_click=lambda: session.set_lang("en" if lang == "da" else "da"))
        solara.Switch(label=tr("presentation", lang), value=session.presentation,
                      classes=["switch-presentation"])
    if not big:
        with solara.Sidebar():
            with solara.Column(gap="8px"):
                ScenarioPicker(session)
                with solara.Details(tr("compare", lang) + " · " + tr("uncertainty", lang),
                                    expand=True):
                    ComparePanel(session)
                    BandWorker(session)
                with solara.Details(tr("export", lang), expand=False):
                    ExportPanel(session)
                solara.Text(tr("controls", lang), style={"font-weight": "600"})
                Controls(session)
    else:
        BandWorker(session, show=False)
    with solara.Column(gap="10px", classes=["main-view"] + (["presentation"] if big else [])):
        Player(session)
        LiveView(session)
