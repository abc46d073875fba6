"""Download buttons for the one-page summary (HTML and PDF, in the page's language)."""

from __future__ import annotations

import solara

from sim_app.state import Session


@solara.component
def SummaryButtons(session: Session):
    return solara.Div()
