"""A draw's scenario variants run as the members of one ensemble, each equal to its single run."""

from __future__ import annotations

import math
from pathlib import Path

from sim.runner import simulate
from sim_calibrate.simulate import Simulator
from sim_calibrate.spec import load_calibration
from sim_calibrate.statistics import evaluate

DEFAULT = Path(__file__).resolve().parents[2] / "calibration" / "default.toml"


def test_a_draws_variants_as_one_ensemble_give_their_single_runs_statistics():
    cal = load_calibration(DEFAULT)
    variants = list(cal.variants(False))
    assert len(variants) > 1  # several variants, so some step together
    draw = {p.name: round((p.low + p.high) / 2) if p.whole else (p.low + p.high) / 2
            for p in cal.priors}
    got = Simulator(cal, fit_only=False)(draw, seed=11)
    runs = {v: simulate(cal.params(v, draw), 11) for v in variants}
    for t in cal.targets:
        arrays, kpis = runs[t.variant]
        want = evaluate(t.spec.statistic, t.args, arrays, kpis)
        if want is None and t.spec.never is not None:
            want = t.spec.never
        want = math.nan if want is None else want
        assert got[t.name] == want or (math.isnan(got[t.name]) and math.isnan(want)), t.name
