"""Time-to-event key figures are censored at the horizon, not dropped: Kaplan-Meier against a
hand-computed case, medians with their intervals, and a per-point summary that counts every
run (a point where 1 of 10 runs broke even does not read "120 [120-120]")."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim_sweep import survival
from sim_sweep.analyze import summarise
from sim_sweep.indices import rank_correlations


def test_kaplan_meier_matches_a_hand_computed_case_with_censoring():
    # Six runs: reached in months 3, 5, 5 and 8; one censored at its horizon of 6 months,
    # one at 10 (both did not reach the figure by their horizon).
    t = np.array([3, 5, 5, np.nan, 8, np.nan])
    h = np.array([10, 10, 10, 6, 10, 10])
    c = survival.kaplan_meier(t, h, conf=0.95)
    # By hand: month 3: 6 at risk, 1 event -> 5/6; month 5: 5 at risk, 2 events -> 5/6 * 3/5
    # = 1/2; month 6: one censored (no step); month 8: 2 at risk, 1 event -> 1/4.
    by_month = dict(zip(c.months.tolist(), c.survival.tolist(), strict=True))
    assert by_month[3] == pytest.approx(5 / 6)
    assert by_month[5] == pytest.approx(1 / 2)
    assert by_month[8] == pytest.approx(1 / 4)
    assert c.not_reached == pytest.approx(1 / 4) and c.runs == 6 and c.reached == 4
    # Greenwood's variance on the log-log scale, by hand, at month 3 and month 5.
    z = 1.959963984540054
    for month, s, terms in ((3, 5 / 6, [1 / (6 * 5)]), (5, 1 / 2, [1 / 30, 2 / (5 * 3)])):
        se = math.sqrt(sum(terms)) / abs(math.log(s))
        i = c.months.tolist().index(month)
        assert c.low[i] == pytest.approx(s ** math.exp(z * se), rel=1e-6)
        assert c.high[i] == pytest.approx(s ** math.exp(-z * se), rel=1e-6)
    med, lo, hi = c.median()
    assert med == 5  # the first month the share not reached is at most one half
    assert lo == 3  # the band's lower edge is below one half from month 3 ...
    assert math.isnan(hi)  # ... its upper edge never is: "later than the horizon"


def test_kaplan_meier_when_nothing_or_everything_is_reached():
    none = survival.kaplan_meier(np.array([np.nan] * 4), 120)
    assert none.not_reached == 1 and math.isnan(none.median()[0]) and none.horizon == 120
    every = survival.kaplan_meier(np.array([10.0, 20, 30, 40]), 120)
    assert every.not_reached == 0 and every.median()[0] == 20


def test_median_interval_by_order_statistics():
    # n = 10 at 95 %: binomial(10, 1/2) puts 1.1 % below 2 -> the 2nd and 9th values.
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, np.inf])
    assert survival.median_interval(x, 0.95) == (5.0, 2.0, 9.0)
    # Fewer than half reached: the median is later than the horizon.
    assert survival.median_interval(np.array([3.0] + [np.inf] * 9), 0.95)[0] == np.inf
    # Five runs cannot give a 95 % interval (the widest covers 93.75 %).
    med, lo, hi = survival.median_interval(np.arange(1.0, 6.0), 0.95)
    assert med == 3 and math.isnan(lo) and math.isnan(hi)


def _runs(values: dict[str, list[float]], horizon: int = 120) -> pd.DataFrame:
    rows = []
    for key, vals in values.items():
        for r, v in enumerate(vals):
            rows.append({"run_id": f"{key}{r}", "point_key": key, "replication": r,
                         "p_months": horizon, "p_x": float(ord(key[-1])),
                         "break_even_month": v, "trust_end": 0.5 + 0.01 * r})
    return pd.DataFrame(rows)


def test_summary_counts_runs_that_did_not_break_even():
    nan = math.nan
    runs = _runs({"a": [120.0] + [nan] * 9, "b": [50.0, 52, 54, 56, 58, 60, 62, 64, 66, 68]})
    design = pd.DataFrame({"point_id": [0, 1], "point_key": ["a", "b"], "p_x": [97.0, 98.0]})
    s = summarise(runs, design, ["break_even_month", "trust_end"], conf=0.95).set_index(
        "point_key")
    a, b = s.loc["a"], s.loc["b"]
    assert a["n_runs"] == 10 and a["break_even_month_reached"] == pytest.approx(0.1)
    assert a["break_even_month_q50"] == np.inf  # not by the horizon: later than any month
    assert a["break_even_month_mean"] == pytest.approx(120.0)  # restricted at the horizon
    assert b["break_even_month_reached"] == 1 and b["break_even_month_q50"] == 58
    assert (b["break_even_month_median_low"], b["break_even_month_median_high"]) == (52, 66)
    assert b["break_even_month_mean"] == pytest.approx(59.0)
    assert a["horizon_months"] == 120
    # An ordinary KPI: mean with a t-interval over the replications.
    v = 0.5 + 0.01 * np.arange(10)
    half = 2.2621571627409915 * v.std(ddof=1) / math.sqrt(10)
    assert b["trust_end_ci_low"] == pytest.approx(v.mean() - half)
    assert b["trust_end_ci_high"] == pytest.approx(v.mean() + half)


def test_rank_correlation_counts_not_reached_as_later_than_any_month():
    nan = math.nan
    # x rises from point a to d; break-even comes later and later, and at d never.
    runs = _runs({"a": [10.0, 10], "b": [20.0, 20], "c": [30.0, 30], "d": [nan, nan]})
    design = pd.DataFrame({"point_id": range(4), "point_key": list("abcd"),
                           "p_x": [97.0, 98, 99, 100]})
    rc = rank_correlations(runs, design, ["break_even_month"], kpis=["break_even_month"])
    row = rc.set_index(["kpi", "parameter"]).loc[("break_even_month", "x")]
    assert row["rho"] == pytest.approx(1.0) and row["n_runs"] == 8 and row["n_points"] == 4
    assert "p_value" not in rc


def test_spearman_of_the_bootstrap_equals_scipys():
    from scipy.stats import spearmanr

    from sim_sweep.indices import _spearman

    rng = np.random.default_rng(1)
    for _ in range(100):
        n = int(rng.integers(3, 60))
        x = rng.integers(0, 5, n).astype(float)  # ties, as design factors have
        y = rng.normal(size=n)
        y[rng.random(n) < 0.2] = np.inf  # not reached by the horizon
        a, b = _spearman(x, y), spearmanr(x, y).statistic
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-12)
