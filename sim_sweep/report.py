"""A self-contained HTML report of a sweep's analysis, fit for a paper's appendix and for print.

A methods paragraph (design, policies, seeds, replications, model version, and what every
interval in the report assumes), then numbered figures with captions (each embedded as SVG,
true vectors; the SVG and PDF beside it in the folder are linked), numbered tables whose every
number has a unit (negative numbers with a true minus sign, intervals as ``[low, high]``),
time-to-event figures censored at the horizon, robustness and discovery results, guidance on
replications, the provenance of the runs and of the analysis, and how to cite. Tables stay
narrow: at most :data:`MAX_COLUMNS` columns (the full tables are in the CSV files), and the
sampled points of Sobol, Morris and LHS designs are summarised, never listed. The page prints
on A4 (``@page``; figures and tables are not split across pages).
"""

from __future__ import annotations

import base64
import html
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import citation, provenance
from sim.kpis import unit_of
from sim_sweep import survival
from sim_sweep.charts import bootstrap_mean, number
from sim_sweep.live import section as live_section
from sim_sweep.schema import RANDOM

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:960px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.82em;margin:.6em 0;max-width:100%}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:right}
th{background:#f3f5f8;overflow-wrap:anywhere}
td:first-child,th:first-child{text-align:left}.meta td{text-align:left}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.4em .8em;margin:.4em 0}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}
figcaption,.caption{font-size:.85em;color:#333}.caption{margin:.8em 0 .2em}
.small{color:#666;font-size:.85em}.methods{background:#f7f9fb;padding:.6em 1em}
.prov th{text-align:left;white-space:nowrap}.prov td{text-align:left;overflow-wrap:anywhere}
code{font-size:.92em;overflow-wrap:anywhere}
@page{size:A4;margin:14mm 12mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}
figure,table,.methods{break-inside:avoid}h2,h3{break-after:avoid}a{color:inherit}}
"""

MAX_ROWS = 40
MAX_COLUMNS = 8


class Numbering:
    """Figure and table numbers in the order they appear."""

    def __init__(self) -> None:
        self.figures = 0
        self.tables = 0

    def figure(self, path: Path, caption: str) -> str:
        """A numbered figure: the SVG embedded (vectors), its caption, links to SVG and PDF."""
        self.figures += 1
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        e = html.escape
        pdf = path.with_suffix(".pdf").name
        return (f"<figure><img alt='Figure {self.figures}: {e(caption)}' "
                f"src='data:image/svg+xml;base64,{data}'><figcaption><b>Figure "
                f"{self.figures}.</b> {e(caption)} Files: <a href='{e(path.name)}'>"
                f"{e(path.name)}</a> (SVG), <a href='{e(pdf)}'>{e(pdf)}</a> (PDF)."
                "</figcaption></figure>")

    def table(self, df: pd.DataFrame, csv: str, caption: str, digits: int = 4) -> str:
        """A numbered table (at most MAX_ROWS × MAX_COLUMNS; says where the rest is)."""
        self.tables += 1
        head = (f"<p class='caption'><b>Table {self.tables}.</b> {html.escape(caption)}</p>")
        return head + _table(df, csv, digits)


def cell(v: Any, digits: int = 4) -> str:
    """One table cell as text: numbers with a true minus sign, NaN as a dash."""
    if v is None:
        return "–"
    if isinstance(v, bool | np.bool_):
        return "yes" if v else "no"
    if isinstance(v, int | np.integer):
        return f"{int(v):,}".replace("-", "\u2212")
    if isinstance(v, float | np.floating):
        return number(float(v), digits)
    return str(v)


def interval(mean: float, lo: float, hi: float, digits: int = 4) -> str:
    """``mean [low, high]`` with true minus signs (``–`` where undefined)."""
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "–"
    if any(x is None or (isinstance(x, float) and math.isnan(x)) for x in (lo, hi)):
        return number(mean, digits)
    return f"{number(mean, digits)} [{number(lo, digits)}, {number(hi, digits)}]"


def _table(df: pd.DataFrame, csv: str, digits: int = 4) -> str:
    shown = df.iloc[:MAX_ROWS, :MAX_COLUMNS]
    e = html.escape

    def wrap(text: str) -> str:  # long names may break after an underscore
        return e(text).replace("_", "_<wbr>")

    head = "".join(f"<th>{wrap(str(c))}</th>" for c in shown.columns)
    body = "".join("<tr>" + "".join(f"<td>{wrap(cell(v, digits))}</td>" for v in row) + "</tr>"
                   for row in shown.itertuples(index=False, name=None))
    out = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    cut = []
    if len(df) > MAX_ROWS:
        cut.append(f"first {MAX_ROWS} of {len(df)} rows")
    if df.shape[1] > MAX_COLUMNS:
        cut.append(f"first {MAX_COLUMNS} of {df.shape[1]} columns")
    if cut:
        out += f'<p class="small">{" and ".join(cut).capitalize()}; all in {csv}.</p>'
    return out


def _unit(kpi: str) -> str:
    return unit_of(kpi) or "unitless"


def methods(res: Any, start: dict[str, Any]) -> str:
    """The methods paragraph: design, policies, seeds, replications, model version, and the
    statistics the report contains with what each assumes."""
    spec = res.spec
    sw = res.sweep
    e = html.escape
    scen = spec.scenario if isinstance(spec.scenario, str) else ", ".join(spec.scenario)
    varied = sw.varied if sw is not None else []
    s = spec.sampler
    design = {
        "grid": "a full factorial grid",
        "points": f"design points read from {s.file}",
        "lhs": f"a Latin hypercube of n = {s.n} (SALib)",
        "sobol": f"Saltelli's extension of the Sobol' sequence, base sample n = {s.n}"
                 f"{' with second-order terms' if s.second_order else ''} (SALib)",
        "morris": f"{s.trajectories} Morris trajectories on a {s.levels}-level grid (SALib)",
        "posterior": f"{s.n} draws resampled by weight from the posterior of "
                     + (f"{sw.draws.label}, file SHA-256 {sw.draws.sha256[:16]}…"
                        if sw is not None and sw.draws is not None
                        else f"{s.posterior or 'the base scenario'}")
                     + " (behavioural parameters, with the sweep file's own values winning)",
    }[spec.design]
    cases = ""
    if sw is not None and sw.case_names:
        crossed = ("as grid factors" if spec.design == "grid" else
                   f"each crossed with the same {design.split(' (')[0]} of futures")
        named = [f"{f} = {', '.join(lv)}" for f, lv in sw.cases.items()]
        if "scenario" in sw.case_names:
            named.insert(0, f"scenario = {', '.join(sw.scenarios)}")
        cases = f" Policies ({crossed}): " + "; ".join(named) + "."
    seeds = ("common random numbers: replication r uses the same seed at every design point, "
             "so policies are compared on the same futures and seeds"
             if spec.seeds == "common" else "independent seeds for every design point")
    if spec.design == "posterior":
        seeds = ("common random numbers per draw: each draw has its own replication seeds, the "
                 "same under every policy and level, so policies are compared on the same draws "
                 "and seeds, and a particle drawn twice is two worlds")
    conf = f"{100 * spec.analysis.conf_level:g} %"
    fixed = (" with " + ", ".join(f"{k} = {v}" for k, v in spec.fixed.items())
             if spec.fixed else "")
    stats_text = (
        f"All intervals are {conf} intervals. Per design point, a KPI's mean has a t-interval "
        "over its replications (they are independent draws: distinct seeds). Figures over the "
        "whole design (means of point means, rank correlations) have percentile bootstrap "
        "intervals over design points, each resampled with all its runs, because the runs of "
        "one point, and under common random numbers those of different points, are not "
        "independent; no p-value is given. Time-to-event figures (months until break-even, "
        "gains, 50 %/90 % of the gain) are censored at the horizon, never dropped: medians "
        "with distribution-free intervals (order statistics) per point, Kaplan–Meier curves "
        "with Greenwood log-log bands per policy, and means restricted to the horizon. "
        f"SALib's indices carry its bootstrap intervals ({spec.analysis.num_resamples} "
        "resamples). Policy comparisons give the interval each row names: a bootstrap over "
        "the sampled futures, or, with few futures, a t (Wilson for shares) interval that "
        "assumes the worlds are independent.")
    return (
        f"<p class='methods'><b>Methods.</b> The model (version "
        f"{e(str(start.get('model_version', '?')))}) was run over {e(design)} "
        f"varying {e(', '.join(varied) or 'no parameter')} on top of scenario "
        f"{e(scen)}{e(fixed)}.{e(cases)} The design has "
        f"{int(start.get('points', res.points)):,} points × {spec.replications} replications "
        f"({res.runs:,} runs analysed, {res.failed} failed). Seeds derive from numpy's "
        f"SeedSequence({spec.master_seed}) ({seeds}); every run's id hashes the model "
        f"version, its full parameters and its seed. {e(stats_text)} Sweep file "
        f"{e(str(start.get('spec_file', '?')))} (SHA-256 "
        f"<code>{e(str(start.get('file_sha256', '?')))}</code>); the software and inputs are "
        "listed under Provenance.</p>")


def write_report(res: Any, start: dict[str, Any], path: Path) -> Path:
    """Write ``report.html`` for an :class:`~sim_sweep.analyze.Analysis`."""
    spec = res.spec
    e = html.escape
    num = Numbering()
    conf = f"{100 * spec.analysis.conf_level:g} %"
    captions = getattr(res, "captions", {})

    def fig(title: str) -> str:
        return num.figure(res.charts[title], captions.get(title, title))

    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Sweep {e(spec.name)}</title><style>{CSS}</style></head><body>",
             f"<h1>Sweep: {e(spec.name)}</h1>"]
    if spec.description:
        parts.append(f"<p>{e(spec.description)}</p>")
    parts.append(methods(res, start))
    for n in res.notes:
        parts.append(f"<div class='note'>{e(n)}</div>")

    for title in res.charts:
        if title.startswith("Fan"):
            parts.append(f"<h2>{e(title)}</h2>{fig(title)}")
    parts += _time_to_event(res, num, fig)
    if res.discovery is not None:
        parts.append(f"<h2>Scenario discovery ({e(res.discovery.method.upper())}, EMA "
                     "Workbench)</h2>")
        parts += [f"<p>{e(line)}</p>" for line in res.discovery_lines]
        if "discovery_boxes" in res.tables:
            parts.append(num.table(res.tables["discovery_boxes"][
                ["box", "among", "coverage", "density", "mass", "runs_in_box", "limits"]],
                "discovery_boxes.csv", "Boxes in peeling order: each box's coverage, density "
                "and mass are shares of the runs it was found among (box 1: all runs; later "
                "boxes: the runs outside the earlier ones); its limits' own statistics over "
                "all runs are in discovery_boxes.csv (own_*). Shares are unitless.", 3))
        if "PRIM trade-off" in res.charts:
            parts.append(fig("PRIM trade-off"))
    if res.indices is not None and not res.indices.empty:
        parts += _indices(res, conf, num, fig)
    if res.features is not None and not res.features.empty:
        parts.append("<h2>Feature scores (extra trees, EMA Workbench)</h2>")
        parts.append(num.table(res.features.reset_index(), "feature_scores.csv",
                               "Share of the trees' impurity reduction due to each factor, "
                               "per KPI (unitless; sums to 1 per KPI); runs as samples.", 3))
    for title in res.charts:
        if title.startswith(("Heatmap", "Morris")) or " by " in title:
            parts.append(f"<h2>{e(title)}</h2>{fig(title)}")
    if res.robust is not None and res.robust.policies:
        parts += _robustness(res, conf, num, fig)
    parts += _per_point(res, num)
    parts += live_section(getattr(res, "live", None), res.kpis, cell)
    parts += _replications(res, num)
    parts += provenance_section(res)
    parts.append("<p class='small'>Raw results: runs/*.parquet and series/*.parquet in the "
                 "sweep folder (schema: experiments/README.md; units in each column's "
                 "metadata). Every table is in full in the CSV file it names; every figure is "
                 "beside this report as SVG and PDF (vectors) and PNG.</p></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _time_to_event(res: Any, num: Numbering, fig: Any) -> list[str]:
    table = res.tables.get("time_to_event")
    titles = [t for t in res.charts if t.startswith("Survival of")]
    if (table is None or table.empty) and not titles:
        return []
    out = ["<h2>Time-to-event figures (censored at the horizon)</h2>"]
    for t in titles:
        out.append(fig(t))
    if table is not None and not table.empty:
        rows = []
        for _, r in table.iterrows():
            med = r["km_median"]
            rows.append({
                "KPI (month)": r["kpi"], "group": r["group"], "runs": int(r["runs"]),
                "reached by the horizon": f"{int(r['reached'])} "
                                          f"({100 * r['share_reached']:.0f} %)",
                "horizon (month)": r["horizon_months"],
                "Kaplan–Meier median (month) [interval]":
                    f"not by month {number(r['horizon_months'])}" if math.isnan(med) else
                    interval(med, r["km_median_low"], r["km_median_high"]).replace(
                        ", –]", ", later than the horizon]")})
        out.append(num.table(pd.DataFrame(rows), "time_to_event.csv",
                             f"Per group of runs: how many reached the figure by the horizon, "
                             f"and the Kaplan–Meier median with the months where the "
                             f"{100 * float(table['conf_level'].iloc[0]):g} % band crosses "
                             "one half (an end that does not cross is later than the "
                             "horizon).", 4))
    return out


def _indices(res: Any, conf: str, num: Numbering, fig: Any) -> list[str]:
    kind = res.index_kind
    label = {"sobol": "Sobol indices (SALib)", "morris": "Morris screening (SALib)",
             "rank_correlation": "Spearman rank correlations"}[kind]
    out = [f"<h2>{label}</h2>"]
    for title in res.charts:
        if title.startswith("Sensitivity"):
            out.append(fig(title))
    idx = res.indices[res.indices["kpi"].isin(res.kpis)].copy()
    if kind == "sobol":
        cap = (f"S1, ST: first-order and total shares of the KPI's variance (unitless); ± = "
               f"half-width of the {conf} confidence interval (SALib's bootstrap).")
        idx = idx.rename(columns={"S1_conf": "S1 ±", "ST_conf": "ST ±"})
    elif kind == "morris":
        idx["unit"] = idx["kpi"].map(_unit)
        cap = (f"μ, μ*, σ in the KPI's unit; μ* ± = half-width of the {conf} confidence "
               "interval (bootstrap).")
        idx = idx.rename(columns={"mu_star_conf": "μ* ±", "mu": "μ", "mu_star": "μ*",
                                  "sigma": "σ"})
    else:
        cap = (f"Spearman's ρ over all runs (unitless, −1 to 1; a time-to-event figure not "
               f"reached counts as later than any month), with its {conf} interval by "
               "bootstrap over design points. No p-value: the runs are not independent "
               "draws (the design sets them, and common random numbers share seeds).")
        idx["ρ [interval]"] = [interval(r, lo, hi, 3) for r, lo, hi in
                               zip(idx["rho"], idx["ci_low"], idx["ci_high"], strict=True)]
        keep = [c for c in ("policy", "kpi", "parameter", "ρ [interval]", "n_runs",
                            "n_points") if c in idx]
        idx = idx[keep]
    out.append(num.table(idx, f"{kind}.csv", cap))
    if "sobol_s2" in res.tables:
        s2 = res.tables["sobol_s2"]
        out.append("<h3>Second-order indices</h3>")
        out.append(num.table(s2[s2["kpi"].isin(res.kpis)].rename(columns={"S2_conf": "S2 ±"}),
                             "sobol_s2.csv", f"S2 (unitless); ± = half-width of the {conf} "
                             "confidence interval."))
    if "sobol_convergence" in res.tables:
        c = res.tables["sobol_convergence"]
        cols = [x for x in ("policy", "kpi", "parameter", "ST_half", "ST", "ST_change",
                            "ST_conf") if x in c]
        c = c[c["kpi"].isin(res.kpis)][cols]
        out.append("<h3>Convergence: total indices at n/2 and n</h3>")
        out.append(num.table(c, "sobol_convergence.csv", f"ST_half uses the first half of the "
                             f"base sample; a change larger than the {conf} CI half-width "
                             "(ST_conf) means the indices have not settled (unitless).", 3))
    return out


def _robustness(res: Any, conf: str, num: Numbering, fig: Any) -> list[str]:
    r = res.robust
    out = [f"<h2>Policies across uncertainty</h2><p class='small'>Policies: "
           f"{html.escape(', '.join(r.policies))}; {r.worlds:,} worlds ({r.futures:,} "
           "futures, each with its replications' seeds).</p>"]
    if not r.paired.empty:
        p = r.paired[r.paired["kpi"].isin(res.kpis)].copy()
        p["unit"] = p["kpi"].map(_unit)
        p["difference [interval]"] = [interval(m, lo, hi) for m, lo, hi in
                                      zip(p["mean_difference"], p["ci_low"], p["ci_high"],
                                          strict=True)]
        out.append("<h3>Paired differences (common seeds)</h3>")
        out.append(num.table(p[["kpi", "unit", "policy", "minus", "difference [interval]",
                                "pairs", "interval"]], "paired_differences.csv",
                             f"Mean of policy − reference over the same worlds, in the KPI's "
                             f"unit, with its {conf} interval (the interval column says how "
                             "it was computed and what it assumes)."))
        if "Paired differences between policies" in res.charts:
            out.append(fig("Paired differences between policies"))
    if not r.regret.empty:
        g = r.regret.copy()
        g["unit"] = g["kpi"].map(_unit)
        g["best in (share of worlds)"] = g["best_in_share_of_worlds"]
        out.append("<h3>Regret</h3>")
        out.append(num.table(g[["kpi", "unit", "policy", "mean", "max_regret", "p90_regret",
                                "mean_regret", "best in (share of worlds)"]], "regret.csv",
                             "How far each policy falls short of the best policy in the same "
                             "world (0 = best there), in the KPI's unit: maximum, 90th "
                             "percentile and mean over the worlds (descriptive, no interval). "
                             "A time-to-event KPI not reached counts as the horizon (its "
                             "regret is then a lower bound)."))
    if not r.satisficing.empty:
        sat = r.satisficing.copy()
        sat["share [interval]"] = [interval(m, lo, hi, 3) for m, lo, hi in
                                   zip(sat["share_of_worlds"], sat["ci_low"], sat["ci_high"],
                                       strict=True)]
        out.append("<h3>Satisficing</h3>")
        out.append(num.table(sat[["policy", "share [interval]", "worlds", "interval"]],
                             "satisficing.csv", f"Share of worlds (unitless) in which the "
                             f"policy meets {r.satisficing['conditions'].iloc[0]}, with its "
                             f"{conf} interval (the interval column says how)."))
    return out


def _point_cell(summ: pd.DataFrame, k: str, digits: int = 4) -> list[str]:
    """Per design point: ``mean [CI]``, or for a time-to-event KPI ``median [interval];
    reached share``."""
    if survival.is_censored_kpi(k) and f"{k}_reached" in summ:
        out = []
        for med, lo, hi, reached, h in zip(summ[f"{k}_q50"], summ[f"{k}_median_low"],
                                           summ[f"{k}_median_high"], summ[f"{k}_reached"],
                                           summ["horizon_months"], strict=True):
            if pd.isna(reached):
                out.append("–")
                continue
            share = f"{100 * reached:.0f} % reached"
            if np.isinf(med):
                out.append(f"not by month {number(h)}; {share}")
                continue
            hi_text = f"after {number(h)}" if np.isinf(hi) else number(hi, digits)
            lo_text = number(lo, digits)
            rng = f" [{lo_text}, {hi_text}]" if not (pd.isna(lo) or pd.isna(hi)) else ""
            out.append(f"{number(med, digits)}{rng}; {share}")
        return out
    return [interval(m, lo, hi, digits) for m, lo, hi in
            zip(summ[f"{k}_mean"], summ[f"{k}_ci_low"], summ[f"{k}_ci_high"], strict=True)]


def _per_point(res: Any, num: Numbering) -> list[str]:
    summ = res.summary
    a = res.spec.analysis
    conf = f"{100 * a.conf_level:g} %"
    if res.spec.design in RANDOM or len(summ) > MAX_ROWS:
        cases = [c for c in summ.columns if c.startswith("case_")]
        keys = (summ[cases].astype(str).agg(" / ".join, axis=1) if cases
                else pd.Series("all", index=summ.index))
        rows = []
        for k in res.kpis:
            col = f"{k}_mean"
            if col not in summ:
                continue
            for g in dict.fromkeys(keys):
                m = summ.loc[keys == g, col].dropna().to_numpy(dtype=float)
                if not m.size:
                    continue
                lo, hi = bootstrap_mean(m, a.conf_level, a.num_resamples, res.spec.master_seed)
                q = np.quantile(m, [0.05, 0.5, 0.95])
                row = {"kpi": k, "unit": _unit(k)}
                if cases:
                    row["policy"] = g
                row.update({"points": int(m.size),
                            "mean of point means [interval]": interval(float(m.mean()), lo, hi),
                            "q05": q[0], "median": q[1], "q95": q[2]})
                rows.append(row)
        return ["<h2>KPIs over the design</h2>",
                num.table(pd.DataFrame(rows), "summary.csv",
                          f"Distribution of the per-point means over the design points, in the "
                          f"KPI's unit: their mean with its {conf} interval by bootstrap over "
                          "design points, and their 5 %, 50 % and 95 % quantiles (a "
                          "time-to-event KPI: the mean restricted to the horizon). Every "
                          "point is in summary.csv.")]
    factors = [c for c in summ.columns if c.startswith(("case_", "p_"))]
    table = summ[factors].copy()
    table.columns = [c.removeprefix("case_").removeprefix("p_") for c in factors]
    for k in res.kpis[: max(1, MAX_COLUMNS - len(factors))]:
        table[f"{k} ({_unit(k)})"] = _point_cell(summ, k)
    return ["<h2>KPIs per design point</h2>",
            num.table(table, "summary.csv",
                      f"Mean over replications with its {conf} t-interval [low, high], in the "
                      "unit in the column's header; a time-to-event KPI gives the median "
                      f"with its distribution-free {conf} interval (order statistics; a run "
                      "that did not reach it counts as later than the horizon) and the share "
                      "of runs that reached it. Every KPI and statistic is in summary.csv.")]


def _replications(res: Any, num: Numbering) -> list[str]:
    need = res.tables.get("replications_needed")
    narrow = res.tables.get("replications")
    if need is None or need.empty:
        return []
    conf = f"{100 * res.spec.analysis.conf_level:g} %"
    out = ["<h2>How many replications are enough</h2>"]
    if narrow is not None and not narrow.empty:
        wide = narrow.pivot_table(index="kpi", columns="replications",
                                  values="median_half_width", sort=False)
        wide.columns = [f"r = {c}" for c in wide.columns]
        wide = wide.reset_index()
        wide.insert(1, "unit", wide["kpi"].map(_unit))
        out.append(num.table(wide, "replications.csv", f"Half-width of the {conf} t-interval "
                             "of a design point's mean using its first r replications (median "
                             "over the design points), in the KPI's unit: how the interval "
                             "narrows (about as 1/√r).", 3))
    t = need.copy()
    t["unit"] = t["kpi"].map(_unit)
    t = t[["kpi", "unit", "target_half_width", "target", "replications", "median_half_width",
           "needed_median", "needed_p90"]].rename(columns={
               "target_half_width": "target ±", "replications": "replications run",
               "median_half_width": "± now (median)", "needed_median": "needed (median point)",
               "needed_p90": "needed (90 % of points)"})
    out.append(num.table(t, "replications_needed.csv", f"Replications a design point needs "
                         f"for its mean's {conf} interval to be at most ± the target (in the "
                         "KPI's unit), from each point's standard deviation: the median over "
                         "the points and the number that covers 90 % of them.", 3))
    return out


def provenance_section(res: Any) -> list[str]:
    """Provenance (this analysis and the sweep's starts) and how to cite, as HTML."""
    e = html.escape
    rec = res.provenance or {}
    out = ["<h2>Provenance</h2><p class='small'>Also in provenance.json beside this report. "
           "Hashes are full SHA-256 digests.</p>"]
    blocks = [("This analysis", rec.get("analysis") or {})]
    starts = rec.get("sweep_starts") or []
    for i, st in enumerate(starts, start=1):
        blocks.append((f"Sweep run {i} of {len(starts)} (the runs analysed)", st))
    for title, r in blocks:
        if not r:
            continue
        rows = "".join(f"<tr><th>{e(k)}</th><td><code>{e(v)}</code></td></tr>"
                       for k, v in provenance.lines(r)) if "command" in r else (
            f"<tr><th>note</th><td>{e(str(r.get('note', '')))}</td></tr>")
        out.append(f"<h3>{e(title)}</h3><table class='meta prov'>{rows}</table>")
    out.append("<h2>How to cite</h2><p>" + e(citation.PROJECT.format(
        version=str(res.start.get("model_version", "?")))) + " (CITATION.cff in the "
        "project.) The results rest on these libraries; please cite them:</p><ul>")
    for ref in citation.REFERENCES:
        out.append(f"<li>{e(ref.library)} ({e(ref.used_for)}): {e(ref.text)} "
                   f"<a href='{e(ref.url)}'>doi:{e(ref.doi)}</a></li>")
    out.append("</ul>")
    return out
