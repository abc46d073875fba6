"""Compare (pin a baseline, same seed) and the uncertainty band's background worker."""

from __future__ import annotations

import solara

from sim_app.charts.diff import DIFF_METRICS
from sim_app.session.options import difference_band
from sim_app.session.runs import RunData
from sim_app.session.state import BAND_KEYS, Session
from sim_app.session.uncertainty import band_runs, cached_band, keep_band, quantile_band
from sim_app.text.i18n import tr

#: Seconds a control must stay still before the band starts (a drag is not 20 runs per step).
BAND_DEBOUNCE_S = 0.3


@solara.component
def ComparePanel(session: Session):
    lang = session.lang.value
    shown = session.shown.value
    seed = session.settings.value.seed
    with solara.Column(gap="6px", classes=["compare-panel"]):
        if shown.baseline is None:
            solara.Button(tr("pin", lang), icon_name="mdi-pin", classes=["btn-pin"],
                          on_click=session.pin_baseline)
        else:
            solara.Text(tr("pinned", lang, label=shown.baseline_label, seed=seed),
                        classes=["pinned-text"])
            solara.Button(tr("unpin", lang), icon_name="mdi-pin-off", classes=["btn-unpin"],
                          on_click=session.unpin_baseline)
        if shown.band is not None:
            solara.Text(tr("band_ready", lang, n=shown.band_done), classes=["band-status"])


def compute_band(session: Session, run: RunData, n: int, cancel,
                 baseline: RunData | None = None) -> None:
    """The band of ``run``'s parameters and seed, handed to the session when whole (on the
    page's band thread; a new run cancels it), then the paired band against a pinned
    ``baseline``."""
    if cancel.wait(BAND_DEBOUNCE_S) or n <= 0:
        return
    if session.fork_info is not None or (session.room is not None
                                         and session.mode.peek() == "room"):
        return  # a fork's or a room's path is not a replication of its parameters
    params, seed, table = run.params, run.seed, run.institutions
    band = cached_band(params, seed, n, BAND_KEYS, table)
    if band is None:
        runs = list(band_runs(params, seed, n, BAND_KEYS, cancel.is_set, table))
        if len(runs) < n:
            return
        band = quantile_band(runs)
        keep_band(params, seed, n, BAND_KEYS, band, table)
    if not cancel.is_set():
        session.take_band(run, band, n)
    if baseline is not None and not cancel.is_set():
        compute_diff_band(session, run, baseline, n, cancel)


def compute_diff_band(session: Session, run: RunData, baseline: RunData, n: int,
                      cancel) -> None:
    """The paired 10–90 % band of run − baseline over the band's seeds (both options run
    with each seed), for every series the difference chart offers."""
    if baseline.seed != run.seed:
        return
    scale = {k: s for k, (_key, _unit, s) in DIFF_METRICS.items()}
    band = difference_band((run.params, run.institutions),
                           (baseline.params, baseline.institutions), run.seed, n, scale,
                           cancel.is_set)
    if band is not None and not cancel.is_set():
        session.take_diff_band(run, baseline, band, n)


@solara.component
def BandWorker(session: Session):
    """Computes the 10–90 % band behind the run shown on a thread (``solara.use_thread``,
    restarted for each new run); the session takes it when it is whole."""
    shown = session.shown.value
    run = shown.run
    # a pinned option (not a fork's original path or the room's rules run: no replications)
    baseline = shown.baseline if shown.fork_info is None and not shown.debrief else None
    n = session.n_band_seeds
    solara.use_thread(lambda cancel: compute_band(session, run, n, cancel, baseline),
                      dependencies=[run, baseline, n], intrusive_cancel=False)
