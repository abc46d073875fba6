"""Compare (pin a baseline, same seed) and the uncertainty band's background worker."""

from __future__ import annotations

import solara

from sim_app.charts.diff import DIFF_METRICS
from sim_app.session.options import difference_band
from sim_app.session.predictive import MODES, PARAMS, SEEDS, BandPlan, effective_mode, includes
from sim_app.session.runs import RunData
from sim_app.session.state import BAND_KEYS, Session
from sim_app.session.uncertainty import (
    band_key,
    band_members,
    cached_band,
    frozen_band,
    keep_band,
    quantile_band,
)
from sim_app.text.i18n import tr

#: Seconds a control must stay still before the band starts (a drag is not 20 runs per step).
BAND_DEBOUNCE_S = 0.3


@solara.component
def UncertaintyChoice(session: Session):
    """*Uncertainty: seeds only / seeds and parameters* for the band and the cards' ranges;
    *seeds and parameters* greyed out with the reason when the scenario has no posterior."""
    lang = session.lang.value
    mode, why = effective_mode(session.settings.value.scenario, session.uncertainty.value, lang)
    with solara.Column(gap="2px", classes=["uncertainty-choice"]):
        with solara.Row(gap="4px", style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Text(tr("unc_control", lang) + ":", classes=["unc-label"])
            for key in MODES:
                on = key == mode
                solara.Button(tr(f"unc_{key}", lang), text=not on, outlined=on, small=True,
                              color="primary" if on else None,
                              disabled=key == PARAMS and bool(why),
                              classes=[f"btn-unc btn-unc-{key}"]
                              + (["unc-active"] if on else []),
                              on_click=lambda key=key: session.set_uncertainty(key))
        if why:
            solara.Text(why, classes=["param-help", "unc-why"])


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
        UncertaintyChoice(session)
        if shown.band is not None:
            plan = shown.band_plan
            what = (includes(plan, lang) if plan is not None
                    else tr("unc_includes_seeds", lang, n=shown.band_done))
            solara.Text(tr("band_ready", lang, what=what), classes=["band-status"])


def compute_band(session: Session, run: RunData, n: int, cancel,
                 baseline: RunData | None = None) -> None:
    """The band of ``run`` in the mode asked for (``Session.band_plan``: seeds only, or
    seeds and the posterior's draws), handed to the session when whole (on the page's band
    thread; a new run or mode cancels it), then the paired band against a pinned
    ``baseline``."""
    if cancel.wait(BAND_DEBOUNCE_S) or n <= 0:
        return
    if session.fork_info is not None or (session.room is not None
                                         and session.mode.peek() == "room"):
        return  # a fork's or a room's path is not a replication of its parameters
    plan = session.band_plan(run, n)
    key = band_key(plan.params, plan.seed, n, BAND_KEYS, plan.institutions)
    made = cached_band(key)
    if made is None:
        members = list(band_members(plan.params, plan.seed, n, BAND_KEYS, cancel.is_set,
                                    plan.institutions))
        if len(members) < n:
            return
        band = frozen_band(quantile_band([{k: m.arrays[k] for k in BAND_KEYS}
                                          for m in members]))
        made = (band, tuple(m.kpis for m in members))
        keep_band(key, made)
    if not cancel.is_set():
        session.take_band(run, made[0], n, plan, made[1])
    if baseline is not None and not cancel.is_set():
        compute_diff_band(session, run, baseline, n, cancel, plan)


def compute_diff_band(session: Session, run: RunData, baseline: RunData, n: int,
                      cancel, plan: BandPlan | None = None) -> None:
    """The paired 10–90 % band of run − baseline over the band's replications (both options
    run with each seed, and in *seeds and parameters* each draw), for every series the
    difference chart offers."""
    if baseline.seed != run.seed:
        return
    plan = plan or session.band_plan(run, n)
    base = (baseline.params if plan.mode == SEEDS
            else session.band_plan(baseline, n).params)
    scale = {k: s for k, (_key, _unit, s) in DIFF_METRICS.items()}
    band = difference_band((plan.params, run.institutions), (base, baseline.institutions),
                           run.seed, n, scale, cancel.is_set)
    if band is not None and not cancel.is_set():
        session.take_diff_band(run, baseline, band, n, plan)


@solara.component
def BandWorker(session: Session):
    """Computes the 10–90 % band behind the run shown on a thread (``solara.use_thread``,
    restarted for each new run); the session takes it when it is whole."""
    shown = session.shown.value
    run = shown.run
    # a pinned option (not a fork's original path or the room's rules run: no replications)
    baseline = shown.baseline if shown.fork_info is None and not shown.debrief else None
    n = session.n_band_seeds
    mode = effective_mode(session.settings.value.scenario, session.uncertainty.value,
                          session.lang.value)[0]  # a new mode asked for: a new band
    solara.use_thread(lambda cancel: compute_band(session, run, n, cancel, baseline),
                      dependencies=[run, baseline, n, mode], intrusive_cancel=False)
