"""Sensitivity indices of a sweep: SALib's Sobol and Morris analysers, rank correlations.

* Sobol (``SALib.analyze.sobol``) on the per-point means over replications, in sampler order:
  first-order and total indices, second-order indices when the design computed them, and a
  convergence check — the same indices from the first half of the base sample (the Sobol
  design with ``n/2``, which is exactly the first half of the points) beside those from all
  of it.
* Morris (``SALib.analyze.morris``): μ, μ*, its confidence interval and σ.
* Other designs: Spearman rank correlation of each numeric factor with each KPI over all runs
  (a screening measure, not a share of variance).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris, sobol
from scipy.stats import spearmanr

from sim_sweep.sweep import Sweep


def _sobol(problem: dict[str, Any], Y: np.ndarray, second: bool, a: Any,
           seed: int) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return sobol.analyze(problem, Y, calc_second_order=second,
                             num_resamples=a.num_resamples, conf_level=a.conf_level,
                             seed=seed)


def salib_indices(sweep: Sweep, design: pd.DataFrame, summary: pd.DataFrame,
                  kpi_cols: list[str], notes: list[str]) -> dict[str, pd.DataFrame]:
    """Sobol (``sobol``, ``sobol_s2``, ``sobol_convergence``) or Morris (``morris``) tables."""
    spec = sweep.spec
    problem = sweep.problem()
    a = spec.analysis
    seed = spec.master_seed % 2**32
    if summary["n_runs"].eq(0).any() or len(summary) < len(design):
        notes.append(f"{spec.design} indices need every design point; some have no runs yet.")
        return {}
    names = problem["names"]
    X = design[["p_" + n for n in names]].to_numpy(dtype=float)
    rows: list[dict[str, Any]] = []
    s2: list[dict[str, Any]] = []
    conv: list[dict[str, Any]] = []
    k = len(names)
    second = bool(spec.sampler.second_order)
    per = 2 * k + 2 if second else k + 2
    for kpi in kpi_cols:
        Y = summary[f"{kpi}_mean"].to_numpy(dtype=float)
        if not np.all(np.isfinite(Y)):
            notes.append(f"{spec.design} indices of '{kpi}' skipped: it is missing (never "
                         f"reached) at {int((~np.isfinite(Y)).sum())} points.")
            continue
        if np.ptp(Y) == 0:
            notes.append(f"{spec.design} indices of '{kpi}' skipped: it does not vary.")
            continue
        if spec.design == "sobol":
            Si = _sobol(problem, Y, second, a, seed)
            for i, n in enumerate(names):
                rows.append({"kpi": kpi, "parameter": n, "S1": Si["S1"][i],
                             "S1_conf": Si["S1_conf"][i], "ST": Si["ST"][i],
                             "ST_conf": Si["ST_conf"][i]})
            if second:
                for i in range(k):
                    for j in range(i + 1, k):
                        s2.append({"kpi": kpi, "parameter_1": names[i], "parameter_2": names[j],
                                   "S2": Si["S2"][i, j], "S2_conf": Si["S2_conf"][i, j]})
            half = len(Y) // per // 2
            if half >= 2:
                Sh = _sobol(problem, Y[: half * per], second, a, seed)
                for i, n in enumerate(names):
                    conv.append({"kpi": kpi, "parameter": n, "n_half": half,
                                 "n": len(Y) // per, "S1_half": Sh["S1"][i],
                                 "S1": Si["S1"][i], "ST_half": Sh["ST"][i], "ST": Si["ST"][i],
                                 "ST_change": abs(Si["ST"][i] - Sh["ST"][i]),
                                 "ST_conf": Si["ST_conf"][i]})
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                Si = morris.analyze(problem, X, Y, num_resamples=a.num_resamples,
                                    conf_level=a.conf_level, num_levels=spec.sampler.levels,
                                    seed=seed)
            for i, n in enumerate(names):
                rows.append({"kpi": kpi, "parameter": n, "mu": Si["mu"][i],
                             "mu_star": Si["mu_star"][i],
                             "mu_star_conf": Si["mu_star_conf"][i], "sigma": Si["sigma"][i]})
    out = {spec.design: pd.DataFrame(rows)}
    if s2:
        out["sobol_s2"] = pd.DataFrame(s2)
    if conv:
        c = pd.DataFrame(conv)
        out["sobol_convergence"] = c
        unsettled = c[c["ST_change"] > c["ST_conf"]]
        if not unsettled.empty:
            notes.append(f"Sobol convergence: {len(unsettled)} total indices moved by more "
                         "than their confidence interval between n/2 and n (see "
                         "sobol_convergence.csv); a larger n would settle them.")
    return out


def rank_correlations(runs: pd.DataFrame, design: pd.DataFrame,
                      kpi_cols: list[str]) -> pd.DataFrame:
    """Spearman rank correlation of each numeric varied parameter with each KPI (all runs)."""
    rows = []
    pcols = [c for c in design.columns if c.startswith("p_")]
    for pcol in pcols:
        x = runs[pcol]
        if not pd.api.types.is_numeric_dtype(x):
            continue
        x = x.astype(float)
        if x.nunique() < 2:
            continue
        for k in kpi_cols:
            y = runs[k].astype(float)
            ok = np.isfinite(y.to_numpy()) & np.isfinite(x.to_numpy())
            if ok.sum() < 3 or y[ok].nunique() < 2:
                continue
            r = spearmanr(x[ok], y[ok])
            rows.append({"kpi": k, "parameter": pcol[2:], "rho": float(r.statistic),
                         "p_value": float(r.pvalue), "n": int(ok.sum())})
    return pd.DataFrame(rows)
