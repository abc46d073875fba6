"""PNG charts of a sweep's analysis (matplotlib's object-oriented ``Figure``: no pyplot state)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pyarrow.dataset as ds
from matplotlib.figure import Figure

from sim_sweep import store

#: At most this many runs go into the fan chart (a deterministic sample by run id).
FAN_MAX_RUNS = 5000

FAN_SERIES = ("realised_gain", "cumulative_net_benefit", "service_level", "shadow_fte",
              "trust_mean")


def _figure(figsize: tuple[float, float], dpi: int = 100) -> tuple[Any, Any]:
    """A new figure and its one axes, without pyplot (safe in threads and servers)."""
    fig = Figure(figsize=figsize, dpi=dpi)
    return fig, fig.subplots()


def make_charts(folder: Path, out: Path, res: Any, design: pd.DataFrame,
                runs: pd.DataFrame) -> dict[str, Path]:
    """Draw every chart the data allows; return {title: path}."""
    charts: dict[str, Path] = {}
    fan = fan_chart(folder, out, design, runs, res.notes)
    if fan:
        charts[fan[0]] = fan[1]
    if res.indices is not None and not res.indices.empty:
        for k in res.kpis:
            p = sensitivity_chart(out, res.indices, res.index_kind, k)
            if p:
                charts[f"Sensitivity of {k}"] = p
    sc = scatter_chart(out, res, design)
    if sc:
        charts[sc[0]] = sc[1]
    for k in res.kpis[:2]:
        cc = case_chart(out, res, design, k)
        if cc:
            charts[cc[0]] = cc[1]
    return charts


def case_chart(out: Path, res: Any, design: pd.DataFrame, kpi: str) -> tuple[str, Path] | None:
    """Grouped bars of a KPI by the categorical factors (mean, 10–90 % whiskers)."""
    cats = [c for c in factor_columns(design) if not _numeric(design[c])]
    if not cats or f"{kpi}_mean" not in res.summary:
        return None
    summ = res.summary
    if len(summ) > 40:
        return None
    first = cats[0]
    groups = cats[1:]
    x_levels = list(dict.fromkeys(summ[first]))
    if groups:
        keys = summ[groups].astype(str).agg(", ".join, axis=1)
    else:
        keys = pd.Series(["all"] * len(summ), index=summ.index)
    g_levels = list(dict.fromkeys(keys))
    rest = [c for c in factor_columns(design) if c not in cats]
    if rest:  # average over the numeric factors
        frame = summ.assign(_g=keys).groupby([first, "_g"], sort=False)[
            [f"{kpi}_mean", f"{kpi}_q10", f"{kpi}_q90"]].mean().reset_index()
    else:
        frame = summ.assign(_g=keys)
    fig, ax = _figure((max(7.0, 0.6 * len(x_levels) * max(1, len(g_levels))),
                       4.5), dpi=110)
    width = 0.8 / len(g_levels)
    for j, g in enumerate(g_levels):
        sub = frame[frame["_g"] == g].set_index(first).reindex(x_levels)
        pos = np.arange(len(x_levels)) + (j - (len(g_levels) - 1) / 2) * width
        mean = sub[f"{kpi}_mean"].to_numpy(dtype=float)
        lo = mean - sub[f"{kpi}_q10"].to_numpy(dtype=float)
        hi = sub[f"{kpi}_q90"].to_numpy(dtype=float) - mean
        ax.bar(pos, mean, width, yerr=[lo, hi], capsize=2, label=g)
    ax.set_xticks(np.arange(len(x_levels)), x_levels)
    ax.set_xlabel(label(first))
    ax.set_ylabel(kpi)
    ax.set_title(f"{kpi}\nmean, whiskers 10–90 % over replications", fontsize=10)
    if len(g_levels) > 1:
        ax.legend(fontsize=8, title=", ".join(label(c) for c in groups))
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    path = out / f"cases_{kpi}.png"
    fig.savefig(path)
    return f"{kpi} by {', '.join(label(c) for c in cats)}", path


def fan_chart(folder: Path, out: Path, design: pd.DataFrame, runs: pd.DataFrame,
              notes: list[str]) -> tuple[str, Path] | None:
    """Quantile bands over time of a kept monthly series (realised gain if kept)."""
    d = folder / store.SERIES
    if not d.is_dir() or not any(d.glob("part-*.parquet")):
        notes.append("No monthly series kept ([keep] series = \"none\"): no fan chart.")
        return None
    names = ds.dataset(d, format="parquet").schema.names
    col = next((c for c in FAN_SERIES if c in names), None)
    if col is None:
        col = next((c for c in names if c not in ("run_id", "point_key", "replication",
                                                  "month")), None)
    if col is None:
        return None
    ids = np.sort(runs["run_id"].to_numpy(dtype=str))
    sample = ids[:FAN_MAX_RUNS]  # run ids are hashes: the smallest form a fair sample
    table = store.read_series(folder, columns=["month", "point_key", col],
                              filter=pc.field("run_id").isin(sample.tolist()))
    df = table.to_pandas()
    if df.empty:
        return None
    fig, ax = _figure((8, 4.5), dpi=110)
    q = df.groupby("month")[col].quantile([0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95]).unstack()
    m = q.index.to_numpy()
    ax.fill_between(m, q[0.05], q[0.95], color="#1f77b4", alpha=0.15, label="5–95 %")
    ax.fill_between(m, q[0.1], q[0.9], color="#1f77b4", alpha=0.25, label="10–90 %")
    ax.fill_between(m, q[0.25], q[0.75], color="#1f77b4", alpha=0.35, label="25–75 %")
    ax.plot(m, q[0.5], color="#1f4e79", lw=2, label="median")
    n_points = df["point_key"].nunique()
    if 1 < n_points <= 9:
        labels = _point_labels(design)
        for key, sub in df.groupby("point_key"):
            med = sub.groupby("month")[col].median()
            ax.plot(med.index, med.to_numpy(), lw=1, ls="--", label=labels.get(key, key))
    ax.set_xlabel("month")
    ax.set_ylabel(col)
    n_runs = int(min(len(ids), FAN_MAX_RUNS))
    ax.set_title(f"{col} over time: {n_runs} runs, {n_points} points")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    path = out / f"fan_{col}.png"
    fig.savefig(path)
    return f"Fan chart of {col}", path


def _point_labels(design: pd.DataFrame) -> dict[str, str]:
    pcols = factor_columns(design)
    return {r["point_key"]: ", ".join(f"{label(c)}={r[c]}" for c in pcols)
            for r in design.to_dict("records")}


def _numeric(col: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)


def factor_columns(design: pd.DataFrame) -> list[str]:
    """Design columns that are factors: case factors (``case_``) and parameters (``p_``)."""
    return [c for c in design.columns if c.startswith(("case_", "p_"))]


def label(col: str) -> str:
    return col.removeprefix("case_").removeprefix("p_")


def sensitivity_chart(out: Path, idx: pd.DataFrame, kind: str | None,
                      kpi: str) -> Path | None:
    """Horizontal (tornado-style) bars of the sensitivity indices of one KPI."""
    sub = idx[idx["kpi"] == kpi]
    if sub.empty:
        return None
    fig, ax = _figure((7, 0.45 * len(sub) + 1.6), dpi=110)
    y = np.arange(len(sub))
    if kind == "sobol":
        sub = sub.sort_values("ST")
        ax.barh(y + 0.2, sub["ST"], 0.4, xerr=sub["ST_conf"], label="total (ST)",
                color="#1f77b4", capsize=2)
        ax.barh(y - 0.2, sub["S1"], 0.4, xerr=sub["S1_conf"], label="first order (S1)",
                color="#ff7f0e", capsize=2)
        ax.set_xlabel("Sobol index (with confidence interval)")
    elif kind == "morris":
        sub = sub.sort_values("mu_star")
        ax.barh(y + 0.2, sub["mu_star"], 0.4, xerr=sub["mu_star_conf"], label="μ*",
                color="#1f77b4", capsize=2)
        ax.barh(y - 0.2, sub["sigma"], 0.4, label="σ", color="#ff7f0e")
        ax.set_xlabel("Morris elementary effects")
    else:
        sub = sub.assign(abs_rho=sub["rho"].abs()).sort_values("abs_rho")
        colors = ["#d62728" if r < 0 else "#2ca02c" for r in sub["rho"]]
        ax.barh(y, sub["rho"], 0.6, color=colors)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlabel("Spearman rank correlation with the KPI")
    ax.set_yticks(y, sub["parameter"])
    ax.set_title(kpi)
    if kind in ("sobol", "morris"):
        ax.legend(fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    path = out / f"sensitivity_{kpi}.png"
    fig.savefig(path)
    return path


def scatter_chart(out: Path, res: Any, design: pd.DataFrame) -> tuple[str, Path] | None:
    """Two varied parameters, one dot per design point, coloured by a KPI's mean."""
    summary = res.summary
    pcols = [c[2:] for c in design.columns
             if c.startswith("p_") and _numeric(design[c])]
    a = res.spec.analysis
    if a.scatter:
        pair = list(a.scatter)
    else:
        pair = _top_two(res, pcols)
    if len(pair) < 2:
        return None
    color = a.color or res.kpis[0]
    col = f"{color}_mean"
    if col not in summary:
        return None
    fig, ax = _figure((6.5, 5), dpi=110)
    sc = ax.scatter(summary["p_" + pair[0]], summary["p_" + pair[1]], c=summary[col], s=28,
                    cmap="viridis", edgecolors="none")
    fig.colorbar(sc, ax=ax, label=f"{color} (mean over replications)")
    ax.set_xlabel(pair[0])
    ax.set_ylabel(pair[1])
    ax.set_title(f"{color}\nby {pair[0]} and {pair[1]}", fontsize=10)
    fig.tight_layout()
    path = out / "scatter.png"
    fig.savefig(path)
    return f"{color} by {pair[0]} × {pair[1]}", path


def _top_two(res: Any, pcols: list[str]) -> list[str]:
    idx = res.indices
    if idx is not None and not idx.empty:
        sub = idx[idx["kpi"] == res.kpis[0]]
        metric = {"sobol": "ST", "morris": "mu_star"}.get(res.index_kind or "", "rho")
        if not sub.empty:
            order = sub.assign(m=sub[metric].abs()).sort_values("m", ascending=False)
            top = [p for p in order["parameter"] if p in pcols]
            if len(top) >= 2:
                return top[:2]
    return pcols[:2]
