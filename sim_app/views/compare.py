"""Compare (pin a baseline, same seed) and the uncertainty band's background worker."""

from __future__ import annotations

import solara

from sim_app.session.state import BAND_KEYS, Session
from sim_app.session.uncertainty import band_runs, cached_band, keep_band, quantile_band
from sim_app.text.i18n import tr

#: Seconds a control must stay still before the band starts (a drag is not 20 runs per step).
BAND_DEBOUNCE_S = 0.3


@solara.component
def ComparePanel(session: Session):
    _ = session.settings_rev.value
    lang = session.lang.value
    with solara.Column(gap="6px", classes=["compare-panel"]):
        if session.baseline is None:
            solara.Button(tr("pin", lang), icon_name="mdi-pin", classes=["btn-pin"],
                          on_click=session.pin_baseline)
        else:
            solara.Text(tr("pinned", lang, label=session.baseline_label, seed=session.seed),
                        classes=["pinned-text"])
            solara.Button(tr("unpin", lang), icon_name="mdi-pin-off", classes=["btn-unpin"],
                          on_click=session.unpin_baseline)


@solara.component
def BandWorker(session: Session, show: bool = True):
    """Computes the 10–90 % band from replications in a thread; shows its progress."""
    trigger = session.band_rev.value
    lang = session.lang.value
    n = session.n_band_seeds
    progress, set_progress = solara.use_state(0)

    def work(cancel):
        if cancel.wait(BAND_DEBOUNCE_S):
            return
        if session.fork_info is not None or (session.room is not None
                                             and session.mode.value == "room"):
            return  # a fork's or a room's path is not a replication of its parameters
        if n <= 0:
            return
        params, seed = session.run.params, session.seed
        band = cached_band(params, seed, n, BAND_KEYS)
        runs: list = []
        if band is None:
            set_progress(0)
            for r in band_runs(params, seed, n, BAND_KEYS, cancel.is_set):
                runs.append(r)
                if len(runs) % 5 == 0 and len(runs) < n:
                    set_progress(len(runs))  # the progress text only; charts wait for all
            if len(runs) < n:
                return
            band = quantile_band(runs)
            keep_band(params, seed, n, BAND_KEYS, band)
        with session.lock:  # one update of the charts, with the whole band
            if cancel.is_set() or session.run.params is not params or session.seed != seed:
                return
            session.band = band
            session.band_done = n
        with session.batch():
            set_progress(n)
            session.view_rev.value += 1

    solara.use_thread(work, dependencies=[trigger, n], intrusive_cancel=False)
    text = (tr("band_ready", lang, n=progress) if progress >= n
            else tr("band_running", lang, k=progress, n=n))
    if show:
        solara.Text(text, classes=["band-status"])
