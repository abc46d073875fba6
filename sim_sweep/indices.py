"""Sensitivity indices of a sweep: SALib's Sobol and Morris analysers, rank correlations.

* Sobol (``SALib.analyze.sobol``) on the per-point means over replications, in sampler order:
  first-order and total indices, second-order indices when the design computed them, and a
  convergence check — the same indices from the first half of the base sample (the Sobol
  design with ``n/2``, which is exactly the first half of the points) beside those from all
  of it.
* Morris (``SALib.analyze.morris``): μ, μ*, its confidence interval and σ.
* Other designs: Spearman rank correlation of each numeric factor with each KPI over all runs
  (a screening measure, not a share of variance), with a bootstrap interval over design
  points and no p-value (the runs are not independent draws).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris, sobol
from scipy.stats import rankdata

from sim_sweep.survival import ranked
from sim_sweep.sweep import Sweep


def _sobol(problem: dict[str, Any], Y: np.ndarray, second: bool, a: Any,
           seed: int) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return sobol.analyze(problem, Y, calc_second_order=second,
                             num_resamples=a.num_resamples, conf_level=a.conf_level,
                             seed=seed)


def policy_blocks(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """``frame`` (design or summary rows) split by policy (its ``case_`` columns), each block
    in point order; one block named "" when the sweep has no policies."""
    cols = [c for c in frame.columns if c.startswith("case_")]
    if "scenario" in frame and "case_scenario" not in frame and frame["scenario"].nunique() > 1:
        cols = ["scenario", *cols]  # runs name their scenario in a column of its own
    if not cols:
        return [("", frame)]
    label = frame[cols].astype(str).agg(" / ".join, axis=1)
    return [(str(p), frame[label == p]) for p in dict.fromkeys(label)]


def salib_indices(sweep: Sweep, design: pd.DataFrame, summary: pd.DataFrame,
                  kpi_cols: list[str], notes: list[str]) -> dict[str, pd.DataFrame]:
    """Sobol (``sobol``, ``sobol_s2``, ``sobol_convergence``) or Morris (``morris``) tables;
    with policies (``[cases]``) crossed with the design, one set per policy (``policy``)."""
    if len(policy_blocks(summary)) == 1:
        return _salib_indices(sweep, design, summary, kpi_cols, notes)
    out: dict[str, list[pd.DataFrame]] = {}
    for policy, block in policy_blocks(summary):
        keys = set(block["point_key"])
        got = _salib_indices(sweep, design[design["point_key"].isin(keys)], block, kpi_cols,
                             notes, f" (policy {policy})")
        for name, table in got.items():
            out.setdefault(name, []).append(table.assign(policy=policy))
    return {name: pd.concat(ts, ignore_index=True)[["policy", *[c for c in ts[0].columns
                                                                if c != "policy"]]]
            for name, ts in out.items()}


def _salib_indices(sweep: Sweep, design: pd.DataFrame, summary: pd.DataFrame,
                   kpi_cols: list[str], notes: list[str],
                   of: str = "") -> dict[str, pd.DataFrame]:
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
            notes.append(f"{spec.design} indices of '{kpi}'{of} skipped: it is missing at "
                         f"{int((~np.isfinite(Y)).sum())} points.")
            continue
        if np.ptp(Y) == 0:
            notes.append(f"{spec.design} indices of '{kpi}'{of} skipped: it does not vary.")
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


def rank_correlations(runs: pd.DataFrame, design: pd.DataFrame, kpi_cols: list[str],
                      conf: float = 0.95, resamples: int = 100, seed: int = 0,
                      kpis: list[str] | None = None) -> pd.DataFrame:
    """Spearman rank correlation of each numeric varied parameter with each KPI over all runs.

    A time-to-event KPI not reached by the horizon counts as later than any month
    (:func:`sim_sweep.survival.ranked`), so no run is dropped. No p-value: the runs of one
    design point share its parameters (and, under common random numbers, seeds with other
    points), so they are not independent. For ``kpis`` the interval is a percentile bootstrap
    over design points (``resamples`` draws of the points with replacement, each with all its
    runs), which respects that structure.
    """
    rows = []
    pcols = [c for c in design.columns if c.startswith("p_")]
    codes, _ = pd.factorize(runs["point_key"])
    members = [np.nonzero(codes == j)[0] for j in range(codes.max() + 1)] if len(codes) else []
    rng = np.random.default_rng(seed)
    draws = [rng.integers(0, len(members), len(members)) for _ in range(resamples)] \
        if len(members) >= 2 else []
    for pcol in pcols:
        x = runs[pcol]
        if not pd.api.types.is_numeric_dtype(x) or pd.api.types.is_bool_dtype(x):
            continue
        x = x.to_numpy(dtype=float)
        if np.unique(x).size < 2:
            continue
        for k in kpi_cols:
            y = ranked(runs[k].to_numpy(dtype=float), k)
            ok = ~np.isnan(y) & np.isfinite(x)
            if ok.sum() < 3 or np.unique(y[ok]).size < 2:
                continue
            rho = _spearman(x[ok], y[ok])
            row = {"kpi": k, "parameter": pcol[2:], "rho": rho, "ci_low": np.nan,
                   "ci_high": np.nan, "conf_level": conf, "n_runs": int(ok.sum()),
                   "n_points": int(np.unique(codes[ok]).size)}
            if kpis is not None and k in kpis and draws:
                boot = []
                for d in draws:
                    idx = np.concatenate([members[j] for j in d])
                    idx = idx[ok[idx]]
                    if idx.size >= 3:
                        boot.append(_spearman(x[idx], y[idx]))
                boot_arr = np.asarray([b for b in boot if np.isfinite(b)])
                if boot_arr.size:
                    lo, hi = np.quantile(boot_arr, [0.5 - conf / 2, 0.5 + conf / 2])
                    row["ci_low"], row["ci_high"] = float(lo), float(hi)
            rows.append(row)
    return pd.DataFrame(rows)


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rho: Pearson's r of the mid-ranks (``inf`` ranks above every number); the
    same value as ``scipy.stats.spearmanr`` (tested), without its per-call checks (the
    bootstrap calls it thousands of times)."""
    rx, ry = rankdata(x), rankdata(y)
    rx -= rx.mean()
    ry -= ry.mean()
    d = math.sqrt(float(rx @ rx) * float(ry @ ry))
    return float(rx @ ry) / d if d > 0 else math.nan
