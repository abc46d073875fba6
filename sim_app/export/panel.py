"""Export (CSV, scenario file, one-page summary; PNGs come from each chart's own save button)
and import (the system's file picker or a drop)."""

from __future__ import annotations

import solara

from sim_app.export.fileinput import MAX_BYTES, FileInput
from sim_app.session.state import Session
from sim_app.text.fmt import error_text, num
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
        InstitutionsUpload(session)


@solara.component
def InstitutionsUpload(session: Session):
    """A team's own institutions: the template, the upload (kept in the session's memory,
    never on the server's disk), what the file fixes, and the one line for a bad file."""
    from sim.institutions import template_csv
    from sim.params import spec_map

    lang = session.lang.value
    table = session.settings.value.institutions  # re-renders when the file changes
    error, set_error = solara.use_state("")

    def on_file(name: str, data: bytes | None):
        problem = session.load_institutions_bytes(name, data)
        set_error(tr("inst_bad", lang, name=name, error=error_text(problem, lang))
                  if problem else "")

    def clear():
        set_error("")
        session.clear_institutions()

    with solara.Column(gap="4px", classes=["institutions-panel"]):
        solara.Text(tr("inst_heading", lang), classes=["param-help"])
        solara.FileDownload(template_csv().encode("utf-8"), filename="institutions_template.csv",
                            label=tr("inst_template", lang), mime_type="text/csv")
        FileInput(tr("inst_choose", lang), tr("or_drop", lang), on_file,
                  accept=".csv,.xlsx,text/csv", binary=True)
        if error:
            solara.Error(error, classes=["institutions-error"])
        if table is not None:
            specs = spec_map()
            solara.Success(tr("inst_loaded", lang, name=table.source, n=len(table),
                              fte=num(table.total_fte, 0, lang), groups=len(table.group_names)),
                           classes=["institutions-ok"])
            solara.Text(tr("inst_fixed", lang, names=", ".join(
                specs[k].label for k in session.fixed_by_file())), classes=["param-help"])
            solara.Button(tr("inst_clear", lang), on_click=clear, outlined=True,
                          classes=["institutions-clear"])
