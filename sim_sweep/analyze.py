"""``sim analyze``: summarise a sweep's output folder.

Writes to ``FOLDER/analysis/`` (derived files only; the raw results are never touched):

* ``summary.csv`` / ``summary.parquet`` — per design point: the varied parameters, the number
  of runs, and for every KPI its mean, standard deviation and 10/50/90 % quantiles;
* ``sobol.csv`` (Sobol designs) — S1, S1_conf, ST, ST_conf per KPI and parameter, from
  ``SALib.analyze.sobol`` on the per-point means over replications, in sampler order;
* ``morris.csv`` (Morris designs) — mu, mu_star, mu_star_conf, sigma from
  ``SALib.analyze.morris``;
* ``rank_correlation.csv`` (grid, points, LHS) — Spearman rank correlation between each
  varied parameter and each KPI over all runs (a screening measure, not a variance share);
* PNG charts (fan chart of a kept series over time, sensitivity bars per KPI, a scatter of two
  parameters coloured by a KPI) and ``report.html`` with everything embedded.
"""

from __future__ import annotations

import tomllib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq
from SALib.analyze import morris, sobol
from scipy.stats import spearmanr

from sim_sweep import charts as ch
from sim_sweep import store
from sim_sweep.errors import SweepError
from sim_sweep.report import write_report
from sim_sweep.spec import Sweep, SweepSpec, parse_sweep

DEFAULT_KPIS = ("cumulative_net_benefit_end_mdkk", "realised_share_y5", "min_service_level",
                "shadow_fte_peak")
STATS = ("mean", "std", "q10", "q50", "q90")


@dataclass
class Analysis:
    """What ``analyze`` found and wrote."""

    out: Path
    spec: SweepSpec
    runs: int
    points: int
    failed: int
    kpis: list[str]
    summary: pd.DataFrame
    indices: pd.DataFrame | None = None
    index_kind: str | None = None  # sobol | morris | rank_correlation
    charts: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def load_context(folder: Path) -> tuple[dict[str, Any], SweepSpec, Sweep | None, pd.DataFrame]:
    """The latest start event, its spec, the resolved sweep (if possible) and its design."""
    store.require_sweep_folder(folder)
    start = store.latest_start(folder)
    if start is None:
        raise SweepError(f"{folder}: the log has no sweep start; nothing to analyse.")
    h = start["spec_hash"]
    text = (folder / store.SPECS / f"{h}.toml").read_text(encoding="utf-8")
    spec = SweepSpec.model_validate(tomllib.loads(text))
    sweep: Sweep | None
    try:
        sweep = parse_sweep(text, Path(start.get("spec_file") or "sweep.toml"))
    except ValueError:
        sweep = None
    design = pq.read_table(folder / store.DESIGNS / f"{h}.parquet").to_pandas()
    return start, spec, sweep, design


def analyze(folder: str | Path, kpis: list[str] | None = None,
            out: str | Path | None = None, charts: bool = True) -> Analysis:
    """Analyse a sweep folder; write tables, charts and ``report.html``."""
    folder = Path(folder).resolve()
    start, spec, sweep, design = load_context(folder)
    out_dir = Path(out).resolve() if out else folder / "analysis"
    out_dir.mkdir(parents=True, exist_ok=True)
    keys = design["point_key"].tolist()
    runs = store.read_runs(folder, filter=pc.field("point_key").isin(keys)).to_pandas()
    failed = sum(1 for ev in store.failed_runs(folder).values() if ev.get("point_key") in
                 set(keys))
    if runs.empty:
        raise SweepError(f"{folder}: no finished runs of the current design to analyse.")
    kpi_cols = [c for c in runs.columns
                if c not in store.ID_COLUMNS and not c.startswith("p_")]
    chosen = [k for k in (kpis or spec.analysis.kpis or DEFAULT_KPIS) if k in kpi_cols]
    if not chosen:
        raise SweepError(f"none of the KPIs {kpis} are in the results; available: "
                         f"{', '.join(kpi_cols)}.")
    summary = summarise(runs, design, kpi_cols)
    summary.to_csv(out_dir / "summary.csv", index=False)
    summary.to_parquet(out_dir / "summary.parquet", index=False)

    res = Analysis(out=out_dir, spec=spec, runs=len(runs), points=int(summary.shape[0]),
                   failed=failed, kpis=chosen, summary=summary)
    missing = len(design) - summary["n_runs"].gt(0).sum()
    if missing:
        res.notes.append(f"{missing} of {len(design)} design points have no finished run yet.")
    if failed:
        res.notes.append(f"{failed} runs failed (see log.jsonl; rerun with --retry-failed).")

    if sweep is not None and spec.design in ("sobol", "morris"):
        res.indices, res.index_kind = salib_indices(sweep, design, summary, kpi_cols,
                                                    res.notes)
    elif design.shape[1] > 2:
        res.indices, res.index_kind = rank_correlations(runs, design, kpi_cols), \
            "rank_correlation"
    if res.indices is not None and not res.indices.empty:
        res.indices.to_csv(out_dir / f"{res.index_kind}.csv", index=False)
    if charts:
        res.charts = ch.make_charts(folder, out_dir, res, design, runs)
    write_report(res, start, out_dir / "report.html")
    return res


def summarise(runs: pd.DataFrame, design: pd.DataFrame, kpi_cols: list[str]) -> pd.DataFrame:
    """Per design point: varied parameters, n_runs, and mean/std/q10/q50/q90 of each KPI."""
    g = runs.groupby("point_key", sort=False)
    parts = {"n_runs": g.size()}
    for k in kpi_cols:
        col = g[k]
        parts[f"{k}_mean"] = col.mean()
        parts[f"{k}_std"] = col.std(ddof=1)
        parts[f"{k}_q10"] = col.quantile(0.10)
        parts[f"{k}_q50"] = col.quantile(0.50)
        parts[f"{k}_q90"] = col.quantile(0.90)
    stats = pd.DataFrame(parts)
    merged = design.merge(stats, left_on="point_key", right_index=True, how="left")
    merged["n_runs"] = merged["n_runs"].fillna(0).astype("int64")
    return merged.sort_values("point_id").reset_index(drop=True)


def salib_indices(sweep: Sweep, design: pd.DataFrame, summary: pd.DataFrame,
                  kpi_cols: list[str], notes: list[str]) -> tuple[pd.DataFrame, str]:
    """Sobol or Morris indices per KPI, from SALib's analyser matching the sampler."""
    spec = sweep.spec
    problem = sweep.problem()
    a = spec.analysis
    seed = spec.master_seed % 2**32
    rows: list[dict[str, Any]] = []
    if summary["n_runs"].eq(0).any():
        notes.append(f"{spec.design} indices need every design point; some have no runs yet.")
        return pd.DataFrame(), spec.design
    X = design[["p_" + n for n in problem["names"]]].to_numpy(dtype=float)
    for k in kpi_cols:
        Y = summary[f"{k}_mean"].to_numpy(dtype=float)
        if not np.all(np.isfinite(Y)):
            notes.append(f"{spec.design} indices of '{k}' skipped: it is missing (never "
                         f"reached) at {int((~np.isfinite(Y)).sum())} points.")
            continue
        if np.ptp(Y) == 0:
            notes.append(f"{spec.design} indices of '{k}' skipped: it does not vary.")
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if spec.design == "sobol":
                Si = sobol.analyze(problem, Y, calc_second_order=spec.sampler.second_order,
                                   num_resamples=a.num_resamples, conf_level=a.conf_level,
                                   seed=seed)
                for i, n in enumerate(problem["names"]):
                    rows.append({"kpi": k, "parameter": n, "S1": Si["S1"][i],
                                 "S1_conf": Si["S1_conf"][i], "ST": Si["ST"][i],
                                 "ST_conf": Si["ST_conf"][i]})
            else:
                Si = morris.analyze(problem, X, Y, num_resamples=a.num_resamples,
                                    conf_level=a.conf_level, num_levels=spec.sampler.levels,
                                    seed=seed)
                for i, n in enumerate(problem["names"]):
                    rows.append({"kpi": k, "parameter": n, "mu": Si["mu"][i],
                                 "mu_star": Si["mu_star"][i],
                                 "mu_star_conf": Si["mu_star_conf"][i],
                                 "sigma": Si["sigma"][i]})
    return pd.DataFrame(rows), spec.design


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
