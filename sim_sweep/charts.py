"""Charts of a sweep's analysis, each saved as SVG and PDF (true vectors, for print) and PNG.

matplotlib's object-oriented ``Figure`` is used throughout: no pyplot global state. Nothing is
rasterised: heatmaps are drawn as vector cells (``pcolormesh``), colour bars are kept vector
(matplotlib rasterises long ones by default), and the SVG holds no ``<image>`` (tested). Axis
labels carry units (``sim.kpis.FIGURES``, ``sim.recorder.UNITS``); intervals say what they
are (quantile band, confidence level); each chart has a caption the report numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pyarrow.dataset as ds
from matplotlib.figure import Figure

from sim.kpis import unit_of
from sim.recorder import UNITS
from sim_sweep import store, survival
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


#: File formats of every chart: SVG and PDF (vectors) for print, PNG for a quick look.
FORMATS = ("svg", "pdf", "png")


@dataclass(frozen=True)
class Chart:
    """A saved chart: its title, its SVG (PDF and PNG beside it) and its caption."""

    title: str
    path: Path
    caption: str


def _save(fig: Figure, out: Path, stem: str) -> Path:
    """Save as SVG, PDF and PNG (same stem); return the SVG's path.

    Files are reproducible: no creation date, SVG ids salted with the stem.
    """
    if fig.get_layout_engine() is None:
        fig.tight_layout()
    for ax in fig.axes:  # nothing rasterised: a journal takes vectors only
        for artist in ax.get_children():
            if artist.get_rasterized():
                artist.set_rasterized(False)
    with mpl.rc_context({"svg.hashsalt": stem, "svg.fonttype": "path"}):
        fig.savefig(out / f"{stem}.svg", metadata={"Date": None})
        fig.savefig(out / f"{stem}.pdf", metadata={"CreationDate": None})
        fig.savefig(out / f"{stem}.png")
    return out / f"{stem}.svg"


def _colorbar(fig: Figure, mappable: Any, ax: Any, label: str) -> Any:
    """A colour bar drawn as vectors (matplotlib rasterises bars of many colours)."""
    cb = fig.colorbar(mappable, ax=ax, label=label)
    if cb.solids is not None:
        cb.solids.set_rasterized(False)
    return cb


def text_colour(rgba: tuple[float, ...]) -> str:
    """Black or white, whichever reads better on a cell of colour ``rgba`` (WCAG relative
    luminance: black on light cells, white on dark ones)."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(float(c)) for c in rgba[:3])
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    # contrast with black (lum + .05)/.05 against white 1.05/(lum + .05): equal at 0.179
    return "black" if lum > 0.179 else "white"


def number(v: float, digits: int = 3) -> str:
    """A number for print: ``digits`` significant digits, a true minus sign (U+2212)."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "–"
    if np.isinf(v):
        return "∞" if v > 0 else "−∞"
    return f"{v:.{digits}g}".replace("-", "\u2212")


def kpi_label(kpi: str) -> str:
    """``kpi (unit)``."""
    u = unit_of(kpi)
    return f"{kpi} ({u})" if u else kpi


def conf_label(conf: float) -> str:
    return f"{100 * conf:g} % confidence interval"


def make_charts(folder: Path, out: Path, res: Any, design: pd.DataFrame,
                runs: pd.DataFrame) -> list[Chart]:
    """Draw every chart the data allows, in the report's order of sections."""
    charts: list[Chart] = []
    conf = res.spec.analysis.conf_level

    def add(item: Chart | None) -> None:
        if item is not None:
            charts.append(item)

    fan = fan_chart(folder, out, runs, res.notes)
    if fan:
        charts.append(fan[0])
        res.fan_panels = fan[1]
    for k in survival_kpis(res.kpis, runs):
        add(survival_chart(out, runs, k, conf))
    if res.indices is not None and not res.indices.empty:
        for k in res.kpis:
            add(sensitivity_chart(out, res.indices, res.index_kind, k, conf))
            if res.index_kind == "morris":
                add(morris_chart(out, res.indices, k, conf))
    for k in res.kpis:
        add(heatmap(out, res, design, k))
    if not any(c.title.startswith("Heatmap") for c in charts):
        add(scatter_chart(out, res, design))
    for k in res.kpis[:2]:
        add(case_chart(out, res, design, k))
    if res.robust is not None and not res.robust.paired.empty:
        add(paired_chart(out, res.robust.paired, res.kpis))
    if res.discovery is not None and res.discovery.trajectory is not None \
            and not res.discovery.trajectory.empty:
        add(tradeoff_chart(out, res.discovery))
    return charts


def survival_kpis(kpis: list[str], runs: pd.DataFrame) -> list[str]:
    """Time-to-event KPIs to draw survival curves of: those chosen, else break-even."""
    chosen = [k for k in kpis if survival.is_censored_kpi(k) and k in runs]
    return chosen or [k for k in ("break_even_month",) if k in runs]


def groups_of(runs: pd.DataFrame) -> list[str]:
    """The run columns that name a policy: the scenario (when several) and ``case_*``."""
    groups = [c for c in runs.columns if c.startswith(CASE_PREFIX)]
    if SCENARIO in runs and runs[SCENARIO].nunique() > 1:
        groups = [SCENARIO, *groups]
    return groups


def survival_chart(out: Path, runs: pd.DataFrame, kpi: str, conf: float) -> Chart | None:
    """Kaplan-Meier curves of a time-to-event KPI: the share of runs that have not reached
    it, month by month, one curve (with its band) per policy."""
    groups = groups_of(runs)
    horizon = "p_" + survival.HORIZON
    if horizon not in runs:
        return None
    keyed = (runs.assign(_g=runs[groups].astype(str).agg(" · ".join, axis=1)) if groups
             else runs.assign(_g="all runs"))
    labels = list(dict.fromkeys(keyed["_g"]))[:MAX_PANELS]
    fig, ax = _figure((6.8, 4.2))
    colours = mpl.colormaps["tab10"]
    for i, g in enumerate(labels):
        sub = keyed[keyed["_g"] == g]
        c = survival.kaplan_meier(sub[kpi].to_numpy(dtype=float),
                                  sub[horizon].to_numpy(dtype=float), conf)
        m = np.concatenate([[0.0], c.months, [c.horizon]])
        s = np.concatenate([[1.0], c.survival, [c.survival[-1]]])
        lo = np.concatenate([[1.0], c.low, [c.low[-1]]])
        hi = np.concatenate([[1.0], c.high, [c.high[-1]]])
        col = colours(i % 10)
        ax.step(m, s, where="post", color=col, lw=1.6,
                label=f"{g}: {100 * c.not_reached:.0f} % not by month {c.horizon:g}")
        ax.fill_between(m, lo, hi, step="post", color=col, alpha=0.15, lw=0)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("month")
    ax.set_ylabel("share of runs not yet reached")
    ax.set_title(f"{survival_label(kpi)}: Kaplan–Meier", fontsize=10)
    ax.legend(fontsize=7, loc="best")
    ax.grid(alpha=0.3)
    cap = (f"Kaplan–Meier estimate of the share of runs that have not yet reached "
           f"{kpi} ({unit_of(kpi) or 'month'}), by month, "
           f"{'per ' + ', '.join(g.removeprefix(CASE_PREFIX) for g in groups) if groups else 'over all runs'}"
           f"; bands: pointwise {conf_label(conf)} (Greenwood, log-log). A run that does not "
           "reach it by its horizon is censored there, not dropped; the legend gives the "
           "share not reached by the horizon.")
    return Chart(f"Survival of {kpi}", _save(fig, out, f"survival_{kpi}"), cap)


def survival_label(kpi: str) -> str:
    from sim.kpis import FIGURE
    f = FIGURE.get(kpi)
    return f.label if f else kpi


def factor_columns(design: pd.DataFrame) -> list[str]:
    """Design columns that are factors: case factors (``case_``) and parameters (``p_``)."""
    return [c for c in design.columns if c.startswith(("case_", "p_"))]


def label(col: str) -> str:
    return col.removeprefix("case_").removeprefix("p_")


def _numeric(col: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)


def fan_chart(folder: Path, out: Path, runs: pd.DataFrame,
              notes: list[str]) -> tuple[Chart, list[str]] | None:
    """Quantile bands over time of a kept series, never pooled across what the design sets:
    one panel per policy (scenario × case, its band over the sampled futures and seeds), or
    without policies one panel per design point (up to :data:`MAX_PANELS`; more points: one
    median line per point). Returns the chart and its panel labels."""
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
    groups = groups_of(runs)
    by_run = runs.set_index("run_id")
    lines_only = False
    if groups:
        lab = by_run[groups].astype(str).agg(" · ".join, axis=1)
        what = "policy (" + ", ".join(g.removeprefix(CASE_PREFIX) for g in groups) + ")"
    else:
        factors = [c for c in runs.columns if c.startswith("p_") and runs[c].nunique() > 1]
        npoints = runs["point_key"].nunique()
        if npoints <= MAX_PANELS and factors:
            lab = by_run[factors].apply(
                lambda r: ", ".join(f"{c[2:]} = {number(v) if isinstance(v, float) else v}"
                                    for c, v in r.items()), axis=1)
            what = "design point"
        elif npoints > 1:
            lab = pd.Series("all design points", index=by_run.index)
            lines_only = True
            what = "design point (one median line each)"
        else:
            lab = pd.Series("all runs", index=by_run.index)
            what = "the one design point"
    df["panel"] = df["run_id"].map(lab)
    panels = list(dict.fromkeys(sorted(df["panel"].unique())))[:MAX_PANELS]
    if df["panel"].nunique() > MAX_PANELS:
        notes.append(f"Fan chart: the first {MAX_PANELS} of {df['panel'].nunique()} "
                     "panels are drawn.")
    ncols = min(3, len(panels))
    nrows = -(-len(panels) // ncols)
    fig, axes = _figure((3.4 * ncols + 0.6, 2.6 * nrows + 0.8), nrows, ncols, sharex=True,
                        sharey=True, squeeze=False)
    u = UNITS.get(col, "")
    for ax, panel in zip(axes.flat, panels, strict=False):
        sub = df[df["panel"] == panel]
        if lines_only:
            sub = sub.assign(point=sub["run_id"].map(by_run["point_key"]))
            med = sub.groupby(["point", "month"])[col].median().unstack(0)
            ax.plot(med.index.to_numpy(), med.to_numpy(), color="#1f4e79", lw=0.6, alpha=0.35)
            ax.set_title(f"{med.shape[1]} design points", fontsize=8)
        else:
            q = sub.groupby("month")[col].quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()
            m = q.index.to_numpy()
            ax.fill_between(m, q[0.05], q[0.95], color="#1f77b4", alpha=0.18, lw=0,
                            label="5–95 %")
            ax.fill_between(m, q[0.25], q[0.75], color="#1f77b4", alpha=0.35, lw=0,
                            label="25–75 %")
            ax.plot(m, q[0.5], color="#1f4e79", lw=1.6, label="median")
            ax.set_title(f"{panel} ({sub['run_id'].nunique()} runs)", fontsize=8)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("month")
    for ax in axes[:, 0]:
        ax.set_ylabel(f"{col} ({u})" if u else col)
    if not lines_only:
        axes.flat[0].legend(fontsize=7, loc="best")
    sampled = len(runs) > ids.size
    fig.suptitle(f"{col} over time", fontsize=10)
    cap = (f"{col}{f' ({u})' if u else ''} by month, one panel per {what}: "
           + ("the median over replications of each design point (no pooled band: the points "
              "differ by design)" if lines_only else
              "median and 25–75 % / 5–95 % quantile bands over the panel's runs")
           + (f"; {ids.size:,} of {len(runs):,} runs drawn (a sample by run id)"
              if sampled else "") + ".")
    return Chart(f"Fan chart of {col}", _save(fig, out, f"fan_{col}"), cap), panels


def sensitivity_chart(out: Path, idx: pd.DataFrame, kind: str | None, kpi: str,
                      conf: float = 0.95) -> Chart | None:
    """Horizontal bars of the sensitivity indices of one KPI (with their intervals); with
    policies crossed with the design, one coloured marker per policy on each parameter's
    row."""
    sub_all = idx[idx["kpi"] == kpi]
    if sub_all.empty:
        return None
    metric, err_lo, err_hi, xlabel = {
        "sobol": ("ST", "ST_conf", "ST_conf", "total Sobol index ST (share of variance)"),
        "morris": ("mu_star", "mu_star_conf", "mu_star_conf",
                   f"μ*, mean |elementary effect| ({unit_of(kpi) or 'unitless'})"),
    }.get(kind or "", ("rho", "ci_low", "ci_high", "Spearman's ρ (unitless)"))
    what = {"sobol": f"Sobol first-order (S1) and total (ST) indices; whiskers: "
                     f"{conf_label(conf)} (SALib's bootstrap)",
            "morris": f"Morris μ* and σ; whiskers: {conf_label(conf)} of μ* (bootstrap)"}.get(
        kind or "", f"Spearman rank correlations over all runs (not reached = later than any "
                    f"month); whiskers: {conf_label(conf)} by bootstrap over design points "
                    "(shown for the report's key figures)")
    if "policy" in sub_all and sub_all["policy"].nunique() > 1:
        return _policy_dots(out, sub_all, kpi, kind, metric, err_lo, err_hi, xlabel, what)
    sub = sub_all
    fig, ax = _figure((6.8, 0.42 * len(sub) + 1.9))
    y = np.arange(len(sub))
    if kind == "sobol":
        sub = sub.sort_values("ST")
        ax.barh(y + 0.2, sub["ST"], 0.4, xerr=sub["ST_conf"], label="total (ST)",
                color="#1f77b4", capsize=2)
        ax.barh(y - 0.2, sub["S1"], 0.4, xerr=sub["S1_conf"], label="first order (S1)",
                color="#ff7f0e", capsize=2)
        ax.set_xlabel("Sobol index (share of variance)", fontsize=8)
    elif kind == "morris":
        sub = sub.sort_values("mu_star")
        ax.barh(y + 0.2, sub["mu_star"], 0.4, xerr=sub["mu_star_conf"], label="μ*",
                color="#1f77b4", capsize=2)
        ax.barh(y - 0.2, sub["sigma"], 0.4, label="σ", color="#ff7f0e")
        ax.set_xlabel(f"elementary effect ({unit_of(kpi) or 'unitless'})", fontsize=8)
    else:
        sub = sub.assign(abs_rho=sub["rho"].abs()).sort_values("abs_rho")
        colors = ["#d62728" if r < 0 else "#2ca02c" for r in sub["rho"]]
        err = None
        if "ci_low" in sub and sub["ci_low"].notna().any():
            err = [(sub["rho"] - sub["ci_low"]).clip(lower=0).fillna(0),
                   (sub["ci_high"] - sub["rho"]).clip(lower=0).fillna(0)]
        ax.barh(y, sub["rho"], 0.6, color=colors, xerr=err, capsize=2)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlim(-1.05, 1.05)
        ax.set_xlabel(xlabel, fontsize=8)
    ax.set_yticks(y, sub["parameter"], fontsize=8)
    if kind in ("sobol", "morris"):
        ax.legend(fontsize=7)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(kpi_label(kpi), fontsize=10)
    cap = f"Sensitivity of {kpi_label(kpi)}: {what}."
    return Chart(f"Sensitivity of {kpi}", _save(fig, out, f"sensitivity_{kpi}"), cap)


def _policy_dots(out: Path, sub: pd.DataFrame, kpi: str, kind: str | None, metric: str,
                 err_lo: str, err_hi: str, xlabel: str, what: str) -> Chart:
    """One row per parameter, one marker (with its interval) per policy."""
    policies = list(dict.fromkeys(sub["policy"]))[:10]
    order = (sub.assign(m=sub[metric].abs()).groupby("parameter")["m"].mean()
             .sort_values().index.tolist())
    fig, ax = _figure((6.8, 0.55 * len(order) + 0.28 * len(policies) + 1.6))
    colours = mpl.colormaps["tab10"]
    step = 0.8 / max(1, len(policies))
    for j, p in enumerate(policies):
        s = sub[sub["policy"] == p].set_index("parameter").reindex(order)
        y = np.arange(len(order)) - 0.4 + step * (j + 0.5)
        v = s[metric].to_numpy(dtype=float)
        if err_lo == err_hi:
            e = s[err_lo].to_numpy(dtype=float)
            xerr = [np.nan_to_num(e), np.nan_to_num(e)]
        else:
            xerr = [np.nan_to_num(np.clip(v - s[err_lo].to_numpy(dtype=float), 0, None)),
                    np.nan_to_num(np.clip(s[err_hi].to_numpy(dtype=float) - v, 0, None))]
        ax.errorbar(v, y, xerr=xerr, fmt="o", ms=3.5, lw=0.9, capsize=1.5,
                    color=colours(j % 10), label=str(p))
    if kind not in ("sobol", "morris"):
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlim(-1.05, 1.05)
    ax.set_yticks(np.arange(len(order)), order, fontsize=8)
    for k in range(len(order) - 1):
        ax.axhline(k + 0.5, color="#ddd", lw=0.6)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_title(kpi_label(kpi), fontsize=10)
    ax.legend(fontsize=6.5, loc="upper center", bbox_to_anchor=(0.5, -0.16 - 0.02 * len(order)),
              ncol=3, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    cap = (f"Sensitivity of {kpi_label(kpi)} per policy: {what}"
           + ("; markers: the total index ST" if kind == "sobol" else "")
           + "; one marker per policy on each parameter's row.")
    return Chart(f"Sensitivity of {kpi}", _save(fig, out, f"sensitivity_{kpi}"), cap)


def morris_chart(out: Path, idx: pd.DataFrame, kpi: str, conf: float) -> Chart | None:
    """μ*–σ plane of a Morris screening: far right = influential, high = non-linear or
    interacting."""
    sub = idx[idx["kpi"] == kpi]
    if "policy" in sub and sub["policy"].nunique() > 1:
        sub = sub[sub["policy"] == sub["policy"].iloc[0]]
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
    policy = f" (policy {sub['policy'].iloc[0]})" if "policy" in sub else ""
    cap = (f"Morris screening of {kpi_label(kpi)}{policy}: μ* (influence) against σ "
           "(non-linearity or interaction); the dashed line is σ = μ*.")
    return Chart(f"Morris μ*–σ of {kpi}", _save(fig, out, f"morris_{kpi}"), cap)


def _tick(v: Any) -> str:
    return number(v, 4) if isinstance(v, float) else str(v)


def heatmap(out: Path, res: Any, design: pd.DataFrame, kpi: str) -> Chart | None:
    """Mean KPI over the cells of a two-factor grid (vector cells; each number in black or
    white by its cell's luminance)."""
    cols = factor_columns(design)
    if res.spec.design != "grid" or len(cols) != 2 or f"{kpi}_mean" not in res.summary:
        return None
    a, b = cols
    table = res.summary.pivot_table(index=b, columns=a, values=f"{kpi}_mean", aggfunc="mean")
    vals = table.to_numpy(dtype=float)
    fig, ax = _figure((min(7.0, 0.9 * table.shape[1] + 3.2), 0.5 * table.shape[0] + 2.2))
    cmap = mpl.colormaps["viridis"]
    finite = vals[np.isfinite(vals)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    norm = mpl.colors.Normalize(lo, hi if hi > lo else lo + 1)
    mesh = ax.pcolormesh(np.arange(vals.shape[1] + 1) - 0.5, np.arange(vals.shape[0] + 1) - 0.5,
                         np.ma.masked_invalid(vals), cmap=cmap, norm=norm, shading="flat")
    _colorbar(fig, mesh, ax, f"mean of {kpi_label(kpi)}")
    ax.set_xticks(range(table.shape[1]), [_tick(v) for v in table.columns], fontsize=8)
    ax.set_yticks(range(table.shape[0]), [_tick(v) for v in table.index], fontsize=8)
    for i in range(vals.shape[0]):
        for j in range(vals.shape[1]):
            if np.isfinite(vals[i, j]):
                ax.text(j, i, number(vals[i, j]), ha="center", va="center", fontsize=7,
                        color=text_colour(cmap(norm(vals[i, j]))))
    ax.set_xlabel(label(a))
    ax.set_ylabel(label(b))
    ax.set_title(f"{kpi}: mean over replications", fontsize=10)
    rest = " (for a time-to-event figure: the restricted mean, a run not reached counting " \
        "as the horizon)" if survival.is_censored_kpi(kpi) else ""
    cap = (f"Mean of {kpi_label(kpi)} over the replications of each cell of the "
           f"{label(a)} × {label(b)} grid{rest}; the per-cell intervals are in summary.csv.")
    return Chart(f"Heatmap of {kpi}", _save(fig, out, f"heatmap_{kpi}"), cap)


def scatter_chart(out: Path, res: Any, design: pd.DataFrame) -> Chart | None:
    """Two varied parameters, one dot per design point, coloured by a KPI's mean; one panel
    per policy (the same futures under each policy would hide each other)."""
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
    cases = [c for c in summary.columns if c.startswith("case_")]
    keys = (summary[cases].astype(str).agg(" / ".join, axis=1) if cases
            else pd.Series("", index=summary.index))
    panels = list(dict.fromkeys(keys))[:6]
    ncols = min(3, len(panels))
    nrows = -(-len(panels) // ncols)
    fig = Figure(figsize=(min(7.2, 2.5 * ncols + 2.2) if cases else 6.5,
                          (2.4 * nrows + 1.0) if cases else 5), dpi=110, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
    vals = summary[col].to_numpy(dtype=float)
    finite = vals[np.isfinite(vals)]
    norm = mpl.colors.Normalize(*(float(finite.min()), float(finite.max())) if finite.size
                                else (0.0, 1.0))
    sc = None
    for ax, panel in zip(axes.flat, panels, strict=False):
        sub = summary[keys == panel]
        sc = ax.scatter(sub["p_" + pair[0]], sub["p_" + pair[1]], c=sub[col], s=18,
                        cmap="viridis", norm=norm, edgecolors="none")
        if panel:
            ax.set_title(panel, fontsize=8)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel(pair[0], fontsize=8)
    for ax in axes[:, 0]:
        ax.set_ylabel(pair[1], fontsize=8)
    _colorbar(fig, sc, list(axes.flat), f"{kpi_label(color)}, mean")
    fig.suptitle(f"{color} by {pair[0]} and {pair[1]}", fontsize=10)
    cap = (f"{kpi_label(color)}, mean over each design point's replications, against "
           f"{pair[0]} and {pair[1]}; one dot per design point"
           + ("; one panel per policy, on one colour scale" if cases else "") + ".")
    return Chart(f"{color} by {pair[0]} × {pair[1]}", _save(fig, out, "scatter"), cap)


def _top_two(res: Any, pcols: list[str]) -> list[str]:
    idx = res.indices
    if idx is not None and not idx.empty:
        sub = idx[idx["kpi"] == res.kpis[0]]
        metric = {"sobol": "ST", "morris": "mu_star"}.get(res.index_kind or "", "rho")
        if not sub.empty:
            order = sub.assign(m=sub[metric].abs()).sort_values("m", ascending=False)
            top = [p for p in dict.fromkeys(order["parameter"]) if p in pcols]
            if len(top) >= 2:
                return top[:2]
    return pcols[:2]


def case_chart(out: Path, res: Any, design: pd.DataFrame, kpi: str) -> Chart | None:
    """Grouped bars of a KPI by the categorical factors: the mean with its interval (over the
    replications of a point; over the design points when numeric factors vary too)."""
    cats = [c for c in factor_columns(design) if not _numeric(design[c])]
    summ = res.summary
    if not cats or f"{kpi}_mean" not in summ:
        return None
    first, groups = cats[0], cats[1:]
    x_levels = list(dict.fromkeys(summ[first]))
    keys = (summ[groups].astype(str).agg(", ".join, axis=1) if groups
            else pd.Series(["all"] * len(summ), index=summ.index))
    g_levels = list(dict.fromkeys(keys))
    if len(x_levels) * len(g_levels) > 40:
        return None
    rest = [c for c in factor_columns(design) if c not in cats]
    conf = res.spec.analysis.conf_level
    if rest:  # over design points: mean of the point means, bootstrap interval over points
        rows = []
        for (x, g), sub in summ.assign(_g=keys).groupby([first, "_g"], sort=False):
            m = sub[f"{kpi}_mean"].dropna().to_numpy(dtype=float)
            lo, hi = bootstrap_mean(m, conf, res.spec.analysis.num_resamples,
                                    res.spec.master_seed)
            rows.append({first: x, "_g": g, "mean": m.mean() if m.size else np.nan,
                         "lo": lo, "hi": hi})
        frame = pd.DataFrame(rows)
        how = (f"mean over the design points of their means; whiskers: {conf_label(conf)} "
               "by bootstrap over design points")
    else:
        frame = summ.assign(_g=keys).rename(columns={f"{kpi}_mean": "mean",
                                                     f"{kpi}_ci_low": "lo",
                                                     f"{kpi}_ci_high": "hi"})
        how = f"mean over replications; whiskers: {conf_label(conf)} (t, over replications)"
    fig, ax = _figure((min(7.0, max(5.0, 0.6 * len(x_levels) * max(1, len(g_levels)))), 4.2))
    width = 0.8 / len(g_levels)
    for j, g in enumerate(g_levels):
        sub = frame[frame["_g"] == g].set_index(first).reindex(x_levels)
        pos = np.arange(len(x_levels)) + (j - (len(g_levels) - 1) / 2) * width
        mean = sub["mean"].to_numpy(dtype=float)
        lo = np.clip(mean - sub["lo"].to_numpy(dtype=float), 0, None)
        hi = np.clip(sub["hi"].to_numpy(dtype=float) - mean, 0, None)
        ax.bar(pos, mean, width, yerr=[np.nan_to_num(lo), np.nan_to_num(hi)], capsize=2,
               label=g)
    ax.set_xticks(np.arange(len(x_levels)), x_levels, fontsize=8)
    ax.set_xlabel(label(first))
    ax.set_ylabel(kpi_label(kpi), fontsize=8)
    ax.axhline(0, color="black", lw=0.6)
    ax.set_title(kpi, fontsize=9)
    if len(g_levels) > 1:
        ax.legend(fontsize=7, title=", ".join(label(c) for c in groups), title_fontsize=7)
    ax.grid(axis="y", alpha=0.3)
    rmean = (" (restricted mean: a run not reached counts as the horizon)"
             if survival.is_censored_kpi(kpi) else "")
    cap = f"{kpi_label(kpi)} by {', '.join(label(c) for c in cats)}: {how}{rmean}."
    return Chart(f"{kpi} by {', '.join(label(c) for c in cats)}",
                 _save(fig, out, f"cases_{kpi}"), cap)


def bootstrap_mean(values: np.ndarray, conf: float, resamples: int,
                   seed: int) -> tuple[float, float]:
    """Percentile bootstrap interval of a mean (NaN, NaN for fewer than 2 values)."""
    v = np.asarray(values, dtype=float)
    if v.size < 2:
        return np.nan, np.nan
    rng = np.random.default_rng(seed % 2**32)
    means = v[rng.integers(0, v.size, (resamples, v.size))].mean(axis=1)
    lo, hi = np.quantile(means, [0.5 - conf / 2, 0.5 + conf / 2])
    return float(lo), float(hi)


def paired_chart(out: Path, paired: pd.DataFrame, kpis: list[str]) -> Chart | None:
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
        ax.set_xlabel(f"difference in {kpi_label(k)}", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle("Paired differences on common seeds", fontsize=10)
    conf = float(sub["conf_level"].iloc[0])
    hows = "; ".join(dict.fromkeys(sub["interval"])) if "interval" in sub else "t"
    cap = (f"Each policy minus the reference policy, world by world (the same future and "
           f"seed), averaged; whiskers: {conf_label(conf)} ({hows}).")
    return Chart("Paired differences between policies",
                 _save(fig, out, "paired_differences"), cap)


def tradeoff_chart(out: Path, d: Any) -> Chart:
    """PRIM's peeling trajectory: coverage against density, colour = restricted factors."""
    t = d.trajectory
    fig, ax = _figure((6.5, 5))
    sc = ax.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=18)
    _colorbar(fig, sc, ax, "restricted factors")
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
    cap = (f"PRIM's peeling trajectory for {d.condition} (first box): coverage against "
           "density at each peeling step; colour: number of restricted factors; the circle "
           "marks the box reported.")
    return Chart("PRIM trade-off", _save(fig, out, "prim_tradeoff"), cap)
