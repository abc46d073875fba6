"""``sim analyze``: summarise a sweep's output folder.

Writes to ``FOLDER/analysis/`` (derived files only; the raw results are never touched):

* ``summary.csv`` / ``summary.parquet`` — per design point: its factors, the number of runs,
  and for every KPI its mean, standard deviation and 10/50/90 % quantiles;
* sensitivity (:mod:`sim_sweep.indices`): ``sobol.csv`` (+ ``sobol_s2.csv`` with second-order
  indices, ``sobol_convergence.csv`` at n/2 and n), ``morris.csv``, or
  ``rank_correlation.csv`` for other designs;
* ``feature_scores.csv`` — extra-trees feature scores of every factor for every KPI (any
  design; :mod:`sim_sweep.discover`);
* with ``[cases]``: ``paired_differences.csv``, and with ``[analysis] objectives`` /
  ``satisficing``: ``regret.csv``, ``satisficing.csv`` (:mod:`sim_sweep.robustness`);
* with ``--discover "KPI < VALUE"``: ``discovery_boxes.csv`` and ``discovery_tradeoff.csv``;
* ``time_to_event.csv`` — per policy (or all runs) and time-to-event KPI: runs reached by
  the horizon, Kaplan-Meier median and interval (:mod:`sim_sweep.survival`);
* ``replications.csv`` / ``replications_needed.csv`` — how each KPI's interval narrows with
  replications and how many a stated precision needs (:mod:`sim_sweep.replications`);
* ``provenance.json`` — this analysis' command, software and inputs, and the sweep's;
* charts, each as SVG and PDF (vectors) and PNG (:mod:`sim_sweep.charts`), and
  ``report.html`` (:mod:`sim_sweep.report`) with everything embedded.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc
from scipy import stats

from sim import provenance
from sim.kpis import unit_of
from sim_sweep import charts as ch
from sim_sweep import damage, replications, store, survival
from sim_sweep.discover import Discovery, DiscoveryError, discover, feature_scores, parse_condition
from sim_sweep.discover import describe as describe_discovery
from sim_sweep.errors import SweepError
from sim_sweep.indices import policy_blocks, rank_correlations, salib_indices
from sim_sweep.live import live_runs, write_live
from sim_sweep.publish import publishing
from sim_sweep.report import write_report
from sim_sweep.robustness import Robustness, robustness
from sim_sweep.spec import Sweep, SweepSpec, parse_sweep
from sim_sweep.worker import CASE_PREFIX, PARAM_PREFIX, SCENARIO

DEFAULT_KPIS = ("cumulative_net_benefit_end_mdkk", "realised_share_y5", "min_service_level",
                "shadow_fte_peak")
STATS = ("mean", "std", "q10", "q50", "q90", "ci_low", "ci_high")
#: The runs' column of the horizon (months simulated): time-to-event figures are censored there.
HORIZON_COL = PARAM_PREFIX + survival.HORIZON


def unit(kpi: str) -> str:
    """A KPI's unit (``sim.kpis.FIGURES``), or an empty string."""
    return unit_of(kpi)


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
    start: dict[str, Any] = field(default_factory=dict)
    sweep: Sweep | None = None
    indices: pd.DataFrame | None = None
    index_kind: str | None = None  # sobol | morris | rank_correlation
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    features: pd.DataFrame | None = None
    robust: Robustness | None = None
    discovery: Discovery | None = None
    live: pd.DataFrame | None = None  # every run with its app link (sim_sweep.live)
    charts: dict[str, Path] = field(default_factory=dict)  # title -> SVG
    captions: dict[str, str] = field(default_factory=dict)  # title -> caption
    notes: list[str] = field(default_factory=list)
    fan_panels: list[str] = field(default_factory=list)  # scenario × case panels drawn
    discovery_lines: list[str] = field(default_factory=list)
    #: ``provenance.json``: this analysis' command and the sweep's starts that made the runs
    provenance: dict[str, Any] = field(default_factory=dict)


def load_context(folder: Path) -> tuple[dict[str, Any], SweepSpec, Sweep | None, pd.DataFrame]:
    """The latest start event, its spec, the resolved sweep (if possible) and its design.

    Raises:
        SweepError: not a sweep folder, a damaged or foreign log, a damaged or missing file
            (naming it and what to do: :mod:`sim_sweep.damage`).
    """
    store.require_sweep_folder(folder)
    start = store.latest_start(folder)
    if start is None:
        raise SweepError(f"{folder}: the log has no sweep start; nothing to analyse.")
    h = str(start.get("spec_hash"))
    again = f"sim sweep {start.get('spec_file') or 'FILE'}"
    damage.check_folder(folder, again)
    spec_copy = folder / store.SPECS / f"{h}.toml"
    if not spec_copy.is_file():
        raise SweepError(f"{spec_copy} (the copy of the sweep file the folder was run with) is "
                         f"missing. Nothing was changed. Run {again} --resume to write it "
                         "again, or restore it from a copy.")
    if not (folder / store.DESIGNS / h).is_dir() and not (
            folder / store.DESIGNS / f"{h}.parquet").exists():
        raise SweepError(f"{folder / store.DESIGNS / h} (the design's points) is missing. "
                         f"Nothing was changed. Run {again} --resume to write it again, or "
                         "restore it from a copy.")
    text = spec_copy.read_text(encoding="utf-8")
    spec = SweepSpec.model_validate(tomllib.loads(text))
    sweep: Sweep | None
    try:
        sweep = parse_sweep(text, Path(start.get("spec_file") or "sweep.toml"))
    except ValueError:
        sweep = None
    design = store.read_design(folder, h).to_pandas()
    return start, spec, sweep, design


def kpi_columns(columns: list[str]) -> list[str]:
    """The KPI columns of a runs table (everything but ids, labels and parameters)."""
    return [c for c in columns if c not in store.ID_COLUMNS and c != SCENARIO
            and not c.startswith((PARAM_PREFIX, CASE_PREFIX))]


def analyze(folder: str | Path, kpis: list[str] | None = None,
            out: str | Path | None = None, charts: bool = True,
            discover: str | None = None, method: str = "prim") -> Analysis:
    """Analyse a sweep folder; write tables, charts and ``report.html``.

    Raises:
        SweepError: not a sweep folder, no runs, or unknown KPIs.
        DiscoveryError: a malformed ``discover`` condition or nothing to discover.
    """
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise SweepError(f"{folder} is not a folder; give a sweep's output folder.")
    start, spec, sweep, design = load_context(folder)
    keys = design["point_key"].tolist()
    runs = store.read_runs(folder, filter=pc.field("point_key").isin(keys)).to_pandas()
    failed = sum(1 for ev in store.failed_runs(folder).values() if ev.get("point_key") in
                 set(keys))
    if runs.empty:
        raise SweepError(f"{folder}: no finished runs of the current design to analyse.")
    kpi_cols = kpi_columns(list(runs.columns))
    unknown = [k for k in (kpis or []) if k not in kpi_cols]
    if unknown:
        raise SweepError(f"unknown KPI {', '.join(unknown)}; available: {', '.join(kpi_cols)}.")
    chosen = [k for k in (kpis or spec.analysis.kpis or DEFAULT_KPIS) if k in kpi_cols]
    condition = parse_condition(discover, kpi_cols) if discover else None
    final = Path(out).resolve() if out else folder / "analysis"
    # Everything is written into a hidden folder beside the target and moved into place at
    # the end: an interrupt or an error leaves the earlier analysis (or none), never half.
    with publishing(final) as out_dir:
        res = _write(folder, out_dir, runs, design, kpi_cols, chosen, failed, start, spec,
                     sweep, condition, method, charts)
    res.out = final
    res.charts = {k: final / p.name for k, p in res.charts.items()}
    return res


def replication_lines(res: Analysis) -> list[str]:
    """What ``sim analyze`` prints about replications (one line per chosen KPI)."""
    need = res.tables.get("replications_needed")
    return [] if need is None else replications.lines(need, unit)


def _write(folder: Path, out_dir: Path, runs: pd.DataFrame, design: pd.DataFrame,
           kpi_cols: list[str], chosen: list[str], failed: int, start: dict[str, Any],
           spec: SweepSpec, sweep: Sweep | None, condition: Any, method: str,
           charts: bool) -> Analysis:
    """Compute and write every table, chart and the report into ``out_dir``."""
    summary = summarise(runs, design, kpi_cols, spec.analysis.conf_level)
    summary.to_csv(out_dir / "summary.csv", index=False)
    summary.to_parquet(out_dir / "summary.parquet", index=False)

    res = Analysis(out=out_dir, spec=spec, runs=len(runs), points=int(summary.shape[0]),
                   failed=failed, kpis=chosen, summary=summary, start=start, sweep=sweep)
    res.live = live_runs(runs, chosen)
    write_live(res.live, out_dir)
    res.provenance = analysis_provenance(folder, start, sweep)
    provenance.write(out_dir, res.provenance)
    total = int(start.get("points") or len(design))
    missing = total - int(summary["n_runs"].gt(0).sum())
    if missing:
        res.notes.append(f"{missing} of {total} design points have no finished run yet.")
    if failed:
        res.notes.append(f"{failed} runs failed (see log.jsonl; rerun with --retry-failed).")

    if sweep is not None and spec.design in ("sobol", "morris"):
        res.tables = salib_indices(sweep, design, summary, kpi_cols, res.notes)
        res.indices, res.index_kind = res.tables.get(spec.design), spec.design
    elif design.shape[1] > 2:
        a = spec.analysis
        parts = []
        for policy, block in policy_blocks(runs):  # per policy when policies are crossed
            rc = rank_correlations(block, design, kpi_cols, a.conf_level, a.num_resamples,
                                   spec.master_seed % 2**32, kpis=chosen)
            parts.append(rc.assign(policy=policy) if policy else rc)
        table = pd.concat(parts, ignore_index=True)
        if "policy" in table:
            table = table[["policy", *[c for c in table.columns if c != "policy"]]]
        res.indices, res.index_kind = table, "rank_correlation"
        res.tables = {"rank_correlation": res.indices}
    if design.shape[1] > 2 and len(runs) >= 10:
        try:
            res.features = feature_scores(runs, design, chosen, spec.master_seed % 2**32)
        except DiscoveryError as exc:  # the optional workbench is not installed
            res.notes.append(f"No feature scores: {exc}")
        if res.features is not None and not res.features.empty:
            res.tables["feature_scores"] = res.features.reset_index()
    if sweep is not None and sweep.cases:
        res.robust = robustness(runs, sweep, chosen, res.notes)
        for name in ("paired", "regret", "satisficing"):
            table = getattr(res.robust, name)
            if not table.empty:
                res.tables["paired_differences" if name == "paired" else name] = table
    groups = ch.groups_of(runs)
    tte = survival.group_table(runs, ch.survival_kpis(chosen, runs), groups,
                               spec.analysis.conf_level)
    if not tte.empty:
        res.tables["time_to_event"] = tte
    narrow, need = replications.guidance(runs, chosen, spec.analysis.conf_level,
                                         dict(spec.analysis.precision))
    if not need.empty and need["replications"].iloc[0] >= 2:
        res.tables["replications"] = narrow
        res.tables["replications_needed"] = need
    elif spec.replications < 2:
        res.notes.append("One replication per design point: no interval per point and no "
                         "guidance on replications (run at least 2).")
    if condition is not None:
        res.discovery = discover_runs(runs, design, condition, method)
        res.discovery_lines = describe_discovery(res.discovery, unit(condition.kpi))
        res.tables["discovery_boxes"] = boxes_table(res.discovery)
        if res.discovery.trajectory is not None and not res.discovery.trajectory.empty:
            res.tables["discovery_tradeoff"] = res.discovery.trajectory
    for name, table in res.tables.items():
        if table is not None and not table.empty:
            table.to_csv(out_dir / f"{name}.csv", index=False)
    if charts:
        made = ch.make_charts(folder, out_dir, res, design, runs)
        res.charts = {c.title: c.path for c in made}
        res.captions = {c.title: c.caption for c in made}
    write_report(res, start, out_dir / "report.html")
    return res


def analysis_provenance(folder: Path, start: dict[str, Any],
                        sweep: Sweep | None) -> dict[str, Any]:
    """This analysis' provenance and that of every start of the sweep whose runs it reads."""
    hashes = sweep.input_hashes() if sweep is not None else {
        "sweep file": str(start.get("file_sha256", ""))}
    h = start.get("spec_hash")
    runs_by = [ev.get("provenance") or {"date": ev.get("time"), "note": "recorded by an "
                                         "earlier version: no provenance"}
               for ev in store.starts(folder) if ev.get("spec_hash") == h]
    return {"analysis": provenance.collect(str(start.get("model_version", "")), hashes),
            "sweep_starts": runs_by}


def discover_runs(runs: pd.DataFrame, design: pd.DataFrame, condition: Any,
                  method: str) -> Discovery:
    """Scenario discovery (:func:`sim_sweep.discover.discover`) with the sweep's factors."""
    try:
        return discover(runs, design, condition, method=method)
    except DiscoveryError:
        raise
    except (ValueError, KeyError) as exc:  # the workbench's own complaints, in one line
        raise DiscoveryError(f"--discover {condition}: {exc}") from None


def boxes_table(d: Discovery) -> pd.DataFrame:
    """One row per box: statistics, the limits in words and per factor."""
    rows = []
    for i, b in enumerate(d.boxes, start=1):
        row: dict[str, Any] = {"box": i, "condition": str(d.condition), "method": d.method,
                               "among": "all runs" if i == 1 else
                               f"runs outside box{'es' if i > 2 else ''} 1"
                               f"{f'-{i - 1}' if i > 2 else ''}",
                               "among_runs": b.among, "coverage": b.coverage,
                               "density": b.density, "mass": b.mass, "runs_in_box": b.n,
                               "own_coverage": b.own_coverage, "own_density": b.own_density,
                               "own_mass": b.own_mass, "limits": b.words}
        for c, (kind, v) in b.limits.items():
            if kind == "in":
                row[f"{c}_in"] = " | ".join(v)
            else:
                row[f"{c}_min"], row[f"{c}_max"] = v
            if c in b.qp:
                row[f"{c}_quasi_p"] = b.qp[c]
        rows.append(row)
    return pd.DataFrame(rows)


def summarise(runs: pd.DataFrame, design: pd.DataFrame, kpi_cols: list[str],
              conf: float = 0.95) -> pd.DataFrame:
    """Per design point: its factors, ``n_runs``, ``horizon_months`` and per KPI its mean,
    standard deviation, 10/50/90 % quantiles and the ``conf`` t-interval of the mean over the
    point's replications (``_ci_low``, ``_ci_high``).

    A time-to-event KPI (:mod:`sim_sweep.survival`) is censored at the horizon, never dropped:
    ``_reached`` is the share of runs that reached it; quantiles count a run not reached as
    later than any month (``inf``: "not by the horizon"); ``_q50`` is the median with its
    distribution-free interval (``_median_low``, ``_median_high``); ``_mean``, ``_std`` and
    the t-interval are of the restricted time (a run not reached counts as the horizon).
    """
    key = runs["point_key"]
    g = runs.groupby("point_key", sort=False)
    n = g.size()
    parts: dict[str, pd.Series] = {"n_runs": n}
    horizon = (runs[HORIZON_COL].astype(float) if HORIZON_COL in runs
               else pd.Series(np.nan, index=runs.index))
    parts["horizon_months"] = horizon.groupby(key, sort=False).max()
    tcrit = pd.Series(stats.t.ppf(0.5 + conf / 2, np.maximum(n.to_numpy() - 1, 1)),
                      index=n.index).where(n > 1)
    index = g.indices
    for k in kpi_cols:
        censored = survival.is_censored_kpi(k) and HORIZON_COL in runs
        raw = runs[k].astype(float)
        if censored:
            vals = pd.Series(survival.restricted(raw.to_numpy(), horizon.to_numpy()),
                             index=runs.index)
            parts[f"{k}_reached"] = raw.notna().groupby(key, sort=False).mean()
        else:
            vals = raw
        col = vals.groupby(key, sort=False)
        mean, std = col.mean(), col.std(ddof=1)
        parts[f"{k}_mean"] = mean
        parts[f"{k}_std"] = std
        half = tcrit * std / np.sqrt(col.count())
        parts[f"{k}_ci_low"] = mean - half
        parts[f"{k}_ci_high"] = mean + half
        if censored:
            ranked = survival.ranked(raw.to_numpy(), k)
            q = {name: {} for name in ("q10", "q50", "q90", "median_low", "median_high")}
            for pk, idx in index.items():
                x = ranked[idx]
                med, lo, hi = survival.median_interval(x, conf)
                q10, q90 = np.quantile(x, [0.1, 0.9], method="inverted_cdf")
                q["q10"][pk], q["q50"][pk], q["q90"][pk] = float(q10), med, float(q90)
                q["median_low"][pk], q["median_high"][pk] = lo, hi
            for name, d in q.items():
                parts[f"{k}_{name}"] = pd.Series(d, dtype=float)
        else:
            parts[f"{k}_q10"] = col.quantile(0.10)
            parts[f"{k}_q50"] = col.quantile(0.50)
            parts[f"{k}_q90"] = col.quantile(0.90)
    stats_frame = pd.DataFrame(parts)
    merged = design.merge(stats_frame, left_on="point_key", right_index=True, how="left")
    merged["n_runs"] = merged["n_runs"].fillna(0).astype("int64")
    return merged.sort_values("point_id").reset_index(drop=True)
