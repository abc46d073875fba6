"""Export (CSV, scenario file, one-page summary; PNGs come from each chart's own save button)
and import (the system's file picker or a drop)."""

from __future__ import annotations

import solara

from sim_app.export.fileinput import MAX_BYTES, FileInput
from sim_app.session.state import Session
from sim_app.text.fmt import error_text
from sim_app.text.i18n import tr


@solara.component
def ExportPanel(session: Session):
    lang = session.lang.value
    message, set_message = solara.use_state(("", ""))  # (kind, text)

    def on_file(name: str, data: bytes | None):
        if data is None:
            set_message(("error", tr("bad_file", lang, name=name, error="unreadable")))
            return
        if len(data) > MAX_BYTES:
            set_message(("error", tr("bad_file", lang, name=name,
                                     error=f"larger than {MAX_BYTES // 1000} kB")))
            return
        error = session.load_scenario_bytes(name, data)
        if error:
            set_message(("error", tr("bad_file", lang, name=name,
                                     error=error_text(error, lang))))
        else:
            set_message(("success", tr("loaded", lang, name=name)))

    from sim_app.export.summary_panel import SummaryButtons

    with solara.Column(gap="6px", classes=["export-panel"]):
        solara.FileDownload(session.csv_bytes, filename="sharedsim_timeseries.csv",
                            label=tr("csv", lang), mime_type="text/csv")
        solara.FileDownload(session.scenario_bytes, filename="my_scenario.toml",
                            label=tr("scenario_file", lang), mime_type="application/toml")
        SummaryButtons(session)
        solara.Text(tr("png", lang) + ": " + tr("png_help", lang), classes=["param-help"])
        FileInput(tr("choose_file", lang), tr("or_drop", lang), on_file)
        kind, text = message
        if kind == "error":
            solara.Error(text, classes=["import-error"])
        elif kind == "success":
            solara.Success(text, classes=["import-ok"])
