"""A draw's scenario variants run as the members of one ensemble, each equal to its single run."""

from __future__ import annotations

import inspect
import math
import re
from pathlib import Path

import numpy as np

from sim.recorder import COLUMNS
from sim.runner import simulate
from sim_calibrate import statistics
from sim_calibrate.simulate import Simulator, draw_seed
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


def _same(a: dict[str, float], b: dict[str, float]) -> bool:
    return a.keys() == b.keys() and all(
        a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a)


def test_many_draws_at_once_give_each_draws_own_statistics():
    """Draws batched (variants of all draws as ensembles, only the columns the statistics read
    recorded) give exactly what each draw gives alone, whole-number priors included."""
    cal = load_calibration(DEFAULT)
    rng = np.random.default_rng(5)
    draws = [{p.name: float(rng.integers(p.low, p.high + 1)) if p.whole
              else float(rng.uniform(p.low, p.high)) for p in cal.priors} for _ in range(3)]
    sim = Simulator(cal, fit_only=False)
    together = sim.many(draws)
    for d, got in zip(draws, together, strict=True):
        alone = {}
        seed = draw_seed(cal.spec.seed, d)
        for v in cal.variants(False):
            arrays, kpis = simulate(cal.params(v, d), seed)
            for t in cal.targets:
                if t.variant == v:
                    want = evaluate(t.spec.statistic, t.args, arrays, kpis)
                    if want is None and t.spec.never is not None:
                        want = t.spec.never
                    alone[t.name] = math.nan if want is None else want
        assert _same(got, alone)


def test_the_statistics_read_only_columns_a_calibration_records():
    """Every column a statistic reads by name is in READS (or the calibration would not record
    it), and READS names recorded columns."""
    source = inspect.getsource(statistics)
    named = set(re.findall(r'r\["([a-z_]+)"\]', source))
    named |= set(re.findall(r'year_mean\(r, k, "([a-z_]+)"', source))
    assert named <= set(statistics.READS), named - set(statistics.READS)
    assert set(statistics.READS) <= set(COLUMNS)
