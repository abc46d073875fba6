"""Charts of a sweep's analysis, each saved as PNG and as SVG (vector, for a paper).

matplotlib's object-oriented ``Figure`` is used throughout: no pyplot global state. Axis
labels carry units (``sim.kpis.FIGURES``, ``sim.recorder.UNITS``); intervals say what they
are (quantile band, confidence level).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pyarrow.dataset as ds
from matplotlib.figure import Figure

from sim.kpis import unit_of
from sim.recorder import UNITS
from sim_sweep import store
from sim_sweep.worker import CASE_PREFIX, SCENARIO

#: At most this many runs go into the fan chart (a deterministic sample by run id).
FAN_MAX_RUNS = 5000
#: At most this many panels (scenario × case) in the fan chart.
MAX_PANELS = 12
FAN_SERIES = ("realised_gain", "cumulative_net_benefit", "service_level", "shadow_fte",
              "trust_mean")


def _figure(figsize: tuple[float, float], nrows: int = 1, ncols: int = 1,
            **kw: Any) -> tuple[Figure, Any]:
    """A new figure and its axes, without pyplot (safe in threads and servers)."""
    fig = Figure(figsize=figsize, dpi=110)
    return fig, fig.subplots(nrows, ncols, **kw)


def _save(fig: Figure, out: Path, stem: str) -> Path:
    """Save as PNG and SVG beside it; return the PNG's path."""
    fig.tight_layout()
    png = out / f"{stem}.png"
    fig.savefig(png)
    fig.savefig(out / f"{stem}.svg")
    return png


def kpi_label(kpi: str) -> str:
    """``kpi (unit)``."""
    u = unit_of(kpi)
    return f"{kpi} ({u})" if u else kpi


def conf_label(conf: float) -> str:
    return f"{100 * conf:g} % confidence interval"


def make_charts(folder: Path, out: Path, res: Any, design: pd.DataFrame,
                runs: pd.DataFrame) -> dict[str, Path]:
    """Draw every chart the data allows; return {title: png path}."""
    charts: dict[str, Path] = {}
    fan = fan_chart(folder, out, runs, res.notes)
    if fan:
        charts[fan[0]] = fan[1]
        res.fan_panels = fan[2]
    conf = res.spec.analysis.conf_level
    if res.indices is not None and not res.indices.empty:
        for k in res.kpis:
            p = sensitivity_chart(out, res.indices, res.index_kind, k, conf)
            if p:
                charts[f"Sensitivity of {k}"] = p
            if res.index_kind == "morris":
                p = morris_chart(out, res.indices, k, conf)
                if p:
                    charts[f"Morris μ*–σ of {k}"] = p
    for k in res.kpis:
        hm = heatmap(out, res, design, k)
        if hm:
            charts[hm[0]] = hm[1]
    if not any(t.startswith("Heatmap") for t in charts):
        sc = scatter_chart(out, res, design)
        if sc:
            charts[sc[0]] = sc[1]
    for k in res.kpis[:2]:
        cc = case_chart(out, res, design, k)
        if cc:
            charts[cc[0]] = cc[1]
    if res.robust is not None and not res.robust.paired.empty:
        p = paired_chart(out, res.robust.paired, res.kpis)
        if p:
            charts["Paired differences between policies"] = p
    if res.discovery is not None and res.discovery.trajectory is not None \
            and not res.discovery.trajectory.empty:
        charts["PRIM trade-off"] = tradeoff_chart(out, res.discovery)
    return charts


def factor_columns(design: pd.DataFrame) -> list[str]:
    """Design columns that are factors: case factors (``case_``) and parameters (``p_``)."""
    return [c for c in design.columns if c.startswith(("case_", "p_"))]


def label(col: str) -> str:
    return col.removeprefix("case_").removeprefix("p_")


def _numeric(col: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)


def fan_chart(folder: Path, out: Path, runs: pd.DataFrame,
              notes: list[str]) -> tuple[str, Path, list[str]] | None:
    """Quantile bands over time of a kept series: one panel per scenario × case (title,
    path, panel labels)."""
    d = folder / store.SERIES
    if not d.is_dir() or not any(d.glob("part-*.parquet")):
        notes.append("No monthly series kept ([keep] series = \"none\"): no fan chart.")
        return None
    names = ds.dataset(d, format="parquet").schema.names
    col = next((c for c in FAN_SERIES if c in names), None) or next(
        (c for c in names if c not in ("run_id", "point_key", "replication", "month")), None)
    if col is None:
        return None
    ids = np.sort(runs["run_id"].to_numpy(dtype=str))[:FAN_MAX_RUNS]  # hashes: a fair sample
    df = store.read_series(folder, columns=["month", "run_id", col],
                           filter=pc.field("run_id").isin(ids.tolist())).to_pandas()
    if df.empty:
        return None
    groups = [c for c in runs.columns if c.startswith(CASE_PREFIX)]
    if SCENARIO in runs and runs[SCENARIO].nunique() > 1:
        groups = [SCENARIO, *groups]
    if groups:
        lab = runs.set_index("run_id")[groups].astype(str).agg(" · ".join, axis=1)
        df["panel"] = df["run_id"].map(lab)
    else:
        df["panel"] = "all runs"
    panels = list(dict.fromkeys(sorted(df["panel"].unique())))[:MAX_PANELS]
    if len(df["panel"].unique()) > MAX_PANELS:
        notes.append(f"Fan chart: the first {MAX_PANELS} of {df['panel'].nunique()} "
                     "scenario × case panels are drawn.")
    ncols = min(3, len(panels))
    nrows = -(-len(panels) // ncols)
    fig, axes = _figure((4.2 * ncols, 3.0 * nrows), nrows, ncols, sharex=True, sharey=True,
                        squeeze=False)
    u = UNITS.get(col, "")
    for ax, panel in zip(axes.flat, panels, strict=False):
        sub = df[df["panel"] == panel]
        q = sub.groupby("month")[col].quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()
        m = q.index.to_numpy()
        ax.fill_between(m, q[0.05], q[0.95], color="#1f77b4", alpha=0.18, label="5–95 %")
        ax.fill_between(m, q[0.25], q[0.75], color="#1f77b4", alpha=0.35, label="25–75 %")
        ax.plot(m, q[0.5], color="#1f4e79", lw=1.6, label="median")
        ax.set_title(f"{panel} ({sub['run_id'].nunique()} runs)", fontsize=9)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("month")
    for ax in axes[:, 0]:
        ax.set_ylabel(f"{col} ({u})" if u else col)
    axes.flat[0].legend(fontsize=7, loc="best")
    sampled = len(runs) > ids.size
    fig.suptitle(f"{col} over time: quantiles over runs" + (
        f" ({ids.size:,} of {len(runs):,} runs, a sample by run id)" if sampled else ""),
        fontsize=10)
    return f"Fan chart of {col}", _save(fig, out, f"fan_{col}"), panels


def sensitivity_chart(out: Path, idx: pd.DataFrame, kind: str | None, kpi: str,
                      conf: float = 0.95) -> Path | None:
    """Horizontal bars of the sensitivity indices of one KPI (with their intervals)."""
    sub = idx[idx["kpi"] == kpi]
    if sub.empty:
        return None
    fig, ax = _figure((7, 0.45 * len(sub) + 1.8))
    y = np.arange(len(sub))
    if kind == "sobol":
        sub = sub.sort_values("ST")
        ax.barh(y + 0.2, sub["ST"], 0.4, xerr=sub["ST_conf"], label="total (ST)",
                color="#1f77b4", capsize=2)
        ax.barh(y - 0.2, sub["S1"], 0.4, xerr=sub["S1_conf"], label="first order (S1)",
                color="#ff7f0e", capsize=2)
        ax.set_xlabel(f"Sobol index (share of variance); whiskers: {conf_label(conf)}")
    elif kind == "morris":
        sub = sub.sort_values("mu_star")
        ax.barh(y + 0.2, sub["mu_star"], 0.4, xerr=sub["mu_star_conf"], label="μ*",
                color="#1f77b4", capsize=2)
        ax.barh(y - 0.2, sub["sigma"], 0.4, label="σ", color="#ff7f0e")
        ax.set_xlabel(f"elementary effect, {kpi_label(kpi)}; whiskers: {conf_label(conf)}")
    else:
        sub = sub.assign(abs_rho=sub["rho"].abs()).sort_values("abs_rho")
        colors = ["#d62728" if r < 0 else "#2ca02c" for r in sub["rho"]]
        ax.barh(y, sub["rho"], 0.6, color=colors)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlabel("Spearman rank correlation with the KPI (unitless)")
    ax.set_yticks(y, sub["parameter"])
    ax.set_title(kpi_label(kpi), fontsize=10)
    if kind in ("sobol", "morris"):
        ax.legend(fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return _save(fig, out, f"sensitivity_{kpi}")


def morris_chart(out: Path, idx: pd.DataFrame, kpi: str, conf: float) -> Path | None:
    """μ*–σ plane of a Morris screening: far right = influential, high = non-linear or
    interacting."""
    sub = idx[idx["kpi"] == kpi]
    if sub.empty:
        return None
    fig, ax = _figure((6.5, 5))
    ax.errorbar(sub["mu_star"], sub["sigma"], xerr=sub["mu_star_conf"], fmt="o", ms=5,
                capsize=2, color="#1f77b4")
    for _, r in sub.iterrows():
        ax.annotate(r["parameter"], (r["mu_star"], r["sigma"]), fontsize=7,
                    xytext=(4, 3), textcoords="offset points")
    lim = float(max(sub["mu_star"].max(), sub["sigma"].max()) * 1.1 or 1)
    ax.plot([0, lim], [0, lim], color="grey", lw=0.8, ls="--", label="σ = μ*")
    ax.set_xlim(0, lim)
    ax.set_ylim(0, lim)
    u = unit_of(kpi)
    ax.set_xlabel(f"μ* (mean |elementary effect|, {u}); whiskers: {conf_label(conf)}")
    ax.set_ylabel(f"σ (spread of elementary effects, {u})")
    ax.set_title(f"Morris screening: {kpi}", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return _save(fig, out, f"morris_{kpi}")


def heatmap(out: Path, res: Any, design: pd.DataFrame, kpi: str) -> tuple[str, Path] | None:
    """Mean KPI over the cells of a two-factor grid."""
    cols = factor_columns(design)
    if res.spec.design != "grid" or len(cols) != 2 or f"{kpi}_mean" not in res.summary:
        return None
    a, b = cols
    table = res.summary.pivot_table(index=b, columns=a, values=f"{kpi}_mean", aggfunc="mean")
    fig, ax = _figure((1.0 * table.shape[1] + 3.2, 0.55 * table.shape[0] + 2.2))
    im = ax.imshow(table.to_numpy(dtype=float), origin="lower", aspect="auto", cmap="viridis")
    fig.colorbar(im, ax=ax, label=f"mean of {kpi_label(kpi)}")
    ax.set_xticks(range(table.shape[1]), [f"{v:g}" if isinstance(v, float) else str(v)
                                          for v in table.columns], fontsize=8)
    ax.set_yticks(range(table.shape[0]), [f"{v:g}" if isinstance(v, float) else str(v)
                                          for v in table.index], fontsize=8)
    vals = table.to_numpy(dtype=float)
    for i in range(vals.shape[0]):
        for j in range(vals.shape[1]):
            if np.isfinite(vals[i, j]):
                ax.text(j, i, f"{vals[i, j]:.3g}", ha="center", va="center", fontsize=7,
                        color="white")
    ax.set_xlabel(label(a))
    ax.set_ylabel(label(b))
    ax.set_title(f"{kpi}: mean over replications", fontsize=10)
    return f"Heatmap of {kpi}", _save(fig, out, f"heatmap_{kpi}")


def scatter_chart(out: Path, res: Any, design: pd.DataFrame) -> tuple[str, Path] | None:
    """Two varied parameters, one dot per design point, coloured by a KPI's mean."""
    summary = res.summary
    pcols = [c[2:] for c in design.columns if c.startswith("p_") and _numeric(design[c])]
    a = res.spec.analysis
    pair = list(a.scatter) if a.scatter else _top_two(res, pcols)
    if len(pair) < 2:
        return None
    color = a.color or res.kpis[0]
    col = f"{color}_mean"
    if col not in summary:
        return None
    fig, ax = _figure((6.5, 5))
    sc = ax.scatter(summary["p_" + pair[0]], summary["p_" + pair[1]], c=summary[col], s=22,
                    cmap="viridis", edgecolors="none")
    fig.colorbar(sc, ax=ax, label=f"{kpi_label(color)}, mean over replications")
    ax.set_xlabel(pair[0])
    ax.set_ylabel(pair[1])
    ax.set_title(f"{color} by {pair[0]} and {pair[1]}", fontsize=10)
    return f"{color} by {pair[0]} × {pair[1]}", _save(fig, out, "scatter")


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


def case_chart(out: Path, res: Any, design: pd.DataFrame, kpi: str) -> tuple[str, Path] | None:
    """Grouped bars of a KPI by the categorical factors (mean, 10–90 % whiskers)."""
    cats = [c for c in factor_columns(design) if not _numeric(design[c])]
    summ = res.summary
    if not cats or f"{kpi}_mean" not in summ or len(summ) > 40:
        return None
    first, groups = cats[0], cats[1:]
    x_levels = list(dict.fromkeys(summ[first]))
    keys = (summ[groups].astype(str).agg(", ".join, axis=1) if groups
            else pd.Series(["all"] * len(summ), index=summ.index))
    g_levels = list(dict.fromkeys(keys))
    rest = [c for c in factor_columns(design) if c not in cats]
    cols = [f"{kpi}_mean", f"{kpi}_q10", f"{kpi}_q90"]
    frame = (summ.assign(_g=keys).groupby([first, "_g"], sort=False)[cols].mean().reset_index()
             if rest else summ.assign(_g=keys))
    fig, ax = _figure((max(7.0, 0.6 * len(x_levels) * max(1, len(g_levels))), 4.5))
    width = 0.8 / len(g_levels)
    for j, g in enumerate(g_levels):
        sub = frame[frame["_g"] == g].set_index(first).reindex(x_levels)
        pos = np.arange(len(x_levels)) + (j - (len(g_levels) - 1) / 2) * width
        mean = sub[cols[0]].to_numpy(dtype=float)
        lo = mean - sub[cols[1]].to_numpy(dtype=float)
        hi = sub[cols[2]].to_numpy(dtype=float) - mean
        ax.bar(pos, mean, width, yerr=[lo, hi], capsize=2, label=g)
    ax.set_xticks(np.arange(len(x_levels)), x_levels)
    ax.set_xlabel(label(first))
    ax.set_ylabel(kpi_label(kpi))
    ax.set_title(f"{kpi}: mean, whiskers 10–90 % quantiles over replications"
                 + (" (averaged over the numeric factors)" if rest else ""), fontsize=9)
    if len(g_levels) > 1:
        ax.legend(fontsize=8, title=", ".join(label(c) for c in groups))
    ax.grid(axis="y", alpha=0.3)
    return (f"{kpi} by {', '.join(label(c) for c in cats)}",
            _save(fig, out, f"cases_{kpi}"))


def paired_chart(out: Path, paired: pd.DataFrame, kpis: list[str]) -> Path | None:
    """Mean paired difference of each policy from the reference, with its interval."""
    sub = paired[paired["kpi"].isin(kpis)]
    if sub.empty:
        return None
    ks = list(dict.fromkeys(sub["kpi"]))
    fig, axes = _figure((7, 1.6 + 1.1 * len(sub["policy"].unique()) * len(ks) / 2), len(ks), 1,
                        squeeze=False)
    for ax, k in zip(axes[:, 0], ks, strict=True):
        s = sub[sub["kpi"] == k]
        y = np.arange(len(s))
        ax.errorbar(s["mean_difference"], y, xerr=[s["mean_difference"] - s["ci_low"],
                                                    s["ci_high"] - s["mean_difference"]],
                    fmt="o", capsize=3)
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_yticks(y, [f"{p} − {m}" for p, m in zip(s["policy"], s["minus"], strict=True)],
                      fontsize=8)
        ax.set_xlabel(f"difference in {kpi_label(k)}; whiskers: "
                      f"{conf_label(float(s['conf_level'].iloc[0]))}", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle("Paired differences on common seeds", fontsize=10)
    return _save(fig, out, "paired_differences")


def tradeoff_chart(out: Path, d: Any) -> Path:
    """PRIM's peeling trajectory: coverage against density, colour = restricted factors."""
    t = d.trajectory
    fig, ax = _figure((6.5, 5))
    sc = ax.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=18)
    fig.colorbar(sc, ax=ax, label="restricted factors")
    for i, b in enumerate(d.boxes[:1], start=1):
        ax.scatter([b.coverage], [b.density], s=120, facecolors="none", edgecolors="red",
                   label=f"box {i} (reported)")
    ax.set_xlabel("coverage (share of the runs of interest in the box)")
    ax.set_ylabel("density (share of the box's runs that are of interest)")
    ax.set_title(f"PRIM trade-off: {d.condition}", fontsize=10)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return _save(fig, out, "prim_tradeoff")
