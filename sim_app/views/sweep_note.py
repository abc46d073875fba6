"""The line above the charts for a sweep's run opened live: which run, and whether the series
shown equal the stored ones."""

from __future__ import annotations

import solara

from sim_app.text.i18n import tr


@solara.component
def SweepRunNote(session):
    info = session.sweep_run
    lang = session.lang.value
    where = tr("sweep_run", lang, run=info.run_id, folder=info.folder, seed=session.seed)
    if not info.differ:
        solara.Success(where + " " + tr("sweep_run_same", lang, months=info.months,
                                        columns=info.columns, kpis=info.kpis),
                       dense=True, classes=["sweep-run-ok"])
    else:
        solara.Error(where + " " + tr("sweep_run_differs", lang, what=", ".join(info.differ)),
                     dense=True, classes=["sweep-run-differs"])
