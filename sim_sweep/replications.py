"""How many replications are enough: how each key figure's interval narrows with them.

For every design point, the half-width of the ``conf`` t-interval of a KPI's mean over its
first *r* replications (``t(r-1) · s_r / √r``), for *r* = 2, 3, 5, 10, 20, 50, ... up to the
replications run; its median over the design points shows how the interval narrows. The
replications a point needs for a stated precision (half-width at most *h*) follow from its
standard deviation: the smallest *n* with ``t(n-1) · s / √n ≤ h``. The precision is
``[analysis] precision`` (KPI -> half-width in the KPI's unit), else 5 % of the magnitude
of the KPI's mean over all runs (and none when that mean is 0).

Time-to-event KPIs use the restricted time (a run not reached counts as the horizon), as in
the per-point summary (:mod:`sim_sweep.survival`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from sim_sweep import survival

#: Default precision: the interval's half-width as a share of the magnitude of the mean.
RELATIVE = 0.05
STEPS = (2, 3, 5, 10, 20, 50, 100, 200, 500, 1000)


def values(runs: pd.DataFrame, kpi: str) -> np.ndarray:
    """The KPI per run as the summary uses it (restricted time for time-to-event KPIs)."""
    v = runs[kpi].to_numpy(dtype=float)
    col = "p_" + survival.HORIZON
    if survival.is_censored_kpi(kpi) and col in runs:
        return survival.restricted(v, runs[col].to_numpy(dtype=float))
    return v


def half_width(sd: np.ndarray, n: np.ndarray, conf: float) -> np.ndarray:
    """Half-width of the t-interval of a mean of ``n`` values with standard deviation sd."""
    n = np.asarray(n, dtype=float)
    t = stats.t.ppf(0.5 + conf / 2, np.maximum(n - 1, 1))
    return np.where(n >= 2, t * sd / np.sqrt(np.maximum(n, 1)), np.nan)


def needed(sd: np.ndarray, target: float, conf: float, cap: int = 1_000_000) -> np.ndarray:
    """Smallest n >= 2 with ``t(n-1) · sd / √n <= target`` per point (NaN: no target)."""
    sd = np.asarray(sd, dtype=float)
    if not target > 0:
        return np.full(sd.shape, np.nan)
    z = stats.norm.ppf(0.5 + conf / 2)
    n = np.maximum(2, np.ceil((z * sd / target) ** 2))
    for _ in range(60):  # t is wider than z: step up until the interval is narrow enough
        wide = half_width(sd, n, conf) > target
        if not wide.any() or (n >= cap).all():
            break
        n = np.where(wide, np.minimum(n + np.maximum(1, np.ceil(n * 0.05)), cap), n)
    return np.where(np.isnan(sd), np.nan, n)


def guidance(runs: pd.DataFrame, kpis: list[str], conf: float,
             precision: dict[str, float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two tables: how the interval narrows (``kpi, replications, median_half_width,
    points``) and what is needed (one row per KPI)."""
    reps = int(runs["replication"].max()) + 1 if len(runs) else 0
    steps = sorted({r for r in STEPS if r < reps} | ({reps} if reps >= 2 else set()))
    narrow, need = [], []
    for kpi in kpis:
        if kpi not in runs:
            continue
        v = values(runs, kpi)
        frame = pd.DataFrame({"point": runs["point_key"].to_numpy(), "r": runs["replication"],
                              "v": v})
        for r in steps:
            g = frame[frame["r"] < r].groupby("point")["v"]
            sd, n = g.std(ddof=1).to_numpy(), g.count().to_numpy()
            hw = half_width(sd, n, conf)
            hw = hw[np.isfinite(hw)]
            narrow.append({"kpi": kpi, "replications": r,
                           "median_half_width": float(np.median(hw)) if hw.size else math.nan,
                           "points": int(hw.size)})
        g = frame.groupby("point")["v"]
        sd = g.std(ddof=1).to_numpy()
        mean = float(np.nanmean(v)) if np.isfinite(v).any() else math.nan
        if kpi in precision:
            target, rule = float(precision[kpi]), "[analysis] precision"
        else:
            target = RELATIVE * abs(mean) if math.isfinite(mean) else math.nan
            rule = f"{100 * RELATIVE:g} % of |mean|" if target > 0 else "none (mean is 0)"
        n_needed = needed(sd, target, conf)
        ok = n_needed[np.isfinite(n_needed)]
        now = half_width(sd, g.count().to_numpy(), conf)
        now = now[np.isfinite(now)]
        need.append({"kpi": kpi, "target_half_width": target, "target": rule,
                     "replications": reps,
                     "median_half_width": float(np.median(now)) if now.size else math.nan,
                     "needed_median": float(np.median(ok)) if ok.size else math.nan,
                     "needed_p90": float(np.quantile(ok, 0.9)) if ok.size else math.nan,
                     "points": int(ok.size), "conf_level": conf})
    return pd.DataFrame(narrow), pd.DataFrame(need)


def lines(need: pd.DataFrame, unit_of) -> list[str]:
    """One line per KPI for the terminal."""
    out = []
    for _, r in need.iterrows():
        u = unit_of(r["kpi"])
        u = f" {u}" if u else ""
        if not math.isfinite(r["median_half_width"]):
            continue
        line = (f"{r['kpi']}: {100 * r['conf_level']:g} % CI half-width "
                f"{r['median_half_width']:.3g}{u} (median over {r['points']} points) with "
                f"{r['replications']} replications")
        if math.isfinite(r["needed_median"]):
            line += (f"; ±{r['target_half_width']:.3g}{u} ({r['target']}) needs "
                     f"{r['needed_median']:.0f} (90 % of points: {r['needed_p90']:.0f})")
        out.append(line + ".")
    return out
