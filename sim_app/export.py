"""Export (CSV, scenario file; PNGs come from each chart's own save button) and import."""

from __future__ import annotations

import solara

from sim_app.i18n import tr
from sim_app.state import Session


@solara.component
def ExportPanel(session: Session):
    _ = session.settings_rev.value
    lang = session.lang.value
    message, set_message = solara.use_state(("", ""))  # (kind, text)

    def on_file(info):
        name = info.get("name", "file")
        error = session.load_scenario_bytes(name, info["data"])
        if error:
            set_message(("error", tr("bad_file", lang, name=name, error=error)))
        else:
            set_message(("success", tr("loaded", lang, name=name)))

    with solara.Column(gap="6px", classes=["export-panel"]):
        solara.FileDownload(session.csv_bytes, filename="sharedsim_timeseries.csv",
                            label=tr("csv", lang), mime_type="text/csv")
        solara.FileDownload(session.scenario_bytes, filename="my_scenario.toml",
                            label=tr("scenario_file", lang), mime_type="application/toml")
        solara.Text(tr("png", lang) + ": " + tr("png_help", lang), classes=["param-help"])
        solara.FileDrop(label=tr("load_file", lang), on_file=on_file, lazy=False)
        kind, text = message
        if kind == "error":
            solara.Error(text, classes=["import-error"])
        elif kind == "success":
            solara.Success(text, classes=["import-ok"])
