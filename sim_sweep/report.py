"""A self-contained HTML report of a sweep's analysis, fit for a paper's appendix.

A methods paragraph (design, seeds, replications, model version), then charts (embedded PNG;
the SVG versions sit beside them in the folder), index tables with their confidence level and
units, robustness and discovery results. Tables stay narrow: at most :data:`MAX_COLUMNS`
columns (the full tables are in the CSV files), and the sampled points of Sobol, Morris and
LHS designs are summarised, never listed.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path
from typing import Any

import pandas as pd

from sim import citation, provenance
from sim.kpis import unit_of

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:960px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.82em;margin:.6em 0;max-width:100%}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:right}
th{background:#f3f5f8;overflow-wrap:anywhere}
td:first-child,th:first-child{text-align:left}.meta td{text-align:left}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.4em .8em;margin:.4em 0}
img{max-width:100%;border:1px solid #eee;margin:.5em 0}
.small{color:#666;font-size:.85em}
.prov th{text-align:left;white-space:nowrap}.prov td{overflow-wrap:anywhere}
code{font-size:.92em;overflow-wrap:anywhere}.methods{background:#f7f9fb;padding:.6em 1em}
"""

MAX_ROWS = 40
MAX_COLUMNS = 8
SAMPLED = ("lhs", "sobol", "morris")


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    svg = path.with_suffix(".svg").name
    return (f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'
            f'<p class="small">Vector version: {html.escape(svg)}</p>')


def _unit(kpi: str) -> str:
    return unit_of(kpi)


def _table(df: pd.DataFrame, csv: str, floatfmt: str = "{:.4g}") -> str:
    """At most MAX_ROWS × MAX_COLUMNS; says where the rest is."""
    shown = df.iloc[:MAX_ROWS, :MAX_COLUMNS]
    out = shown.to_html(index=False, float_format=lambda v: floatfmt.format(v), na_rep="–",
                        border=0, escape=True)
    # Long names (KPIs, parameters) may break after an underscore, so the table fits the page.
    out = re.sub(r"(<t[hd][^>]*>)(.*?)(</t[hd]>)",
                 lambda m: m[1] + m[2].replace("_", "_<wbr>") + m[3], out, flags=re.S)
    cut = []
    if len(df) > MAX_ROWS:
        cut.append(f"first {MAX_ROWS} of {len(df)} rows")
    if df.shape[1] > MAX_COLUMNS:
        cut.append(f"first {MAX_COLUMNS} of {df.shape[1]} columns")
    if cut:
        out += f'<p class="small">{" and ".join(cut).capitalize()}; all in {csv}.</p>'
    return out


def methods(res: Any, start: dict[str, Any]) -> str:
    """The methods paragraph: design, seeds, replications, model version, analysis."""
    spec = res.spec
    sw = res.sweep
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
    }[spec.design]
    cases = ""
    if sw is not None and sw.cases:
        cases = " Policies ([cases]): " + "; ".join(
            f"{f} = {', '.join(lv)}" for f, lv in sw.cases.items()) + "."
    seeds = ("common random numbers: replication r uses the same seed at every design point"
             if spec.seeds == "common" else "independent seeds for every design point")
    return (
        f"<p class='methods'><b>Methods.</b> The model (version "
        f"{html.escape(str(start.get('model_version', '?')))}) was run over {design} "
        f"varying {', '.join(varied) or 'no parameter'} on top of scenario "
        f"{html.escape(scen)}{' with ' + ', '.join(f'{k} = {v}' for k, v in spec.fixed.items()) if spec.fixed else ''}."
        f"{html.escape(cases)} The design has {int(start.get('points', res.points)):,} points "
        f"× {spec.replications} replications ({res.runs:,} runs analysed, {res.failed} "
        f"failed). Seeds derive from numpy's SeedSequence({spec.master_seed}) ({seeds}); "
        f"every run's id hashes the model version, its full parameters and its seed. "
        f"Intervals are {100 * spec.analysis.conf_level:g} % confidence intervals "
        f"({spec.analysis.num_resamples} bootstrap resamples for SALib's indices; t-intervals "
        f"for paired differences; Wilson intervals for shares). Sweep file "
        f"{html.escape(str(start.get('spec_file', '?')))} (SHA-256 "
        f"<code>{html.escape(str(start.get('file_sha256', '?')))}</code>); the software "
        "and inputs are listed under Provenance.</p>")


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


def write_report(res: Any, start: dict[str, Any], path: Path) -> Path:
    """Write ``report.html`` for an :class:`~sim_sweep.analyze.Analysis`."""
    spec = res.spec
    e = html.escape
    conf = f"{100 * spec.analysis.conf_level:g} %"
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Sweep {e(spec.name)}</title><style>{CSS}</style></head><body>",
             f"<h1>Sweep: {e(spec.name)}</h1>"]
    if spec.description:
        parts.append(f"<p>{e(spec.description)}</p>")
    parts.append(methods(res, start))
    for n in res.notes:
        parts.append(f"<div class='note'>{e(n)}</div>")

    for title, p in res.charts.items():
        if title.startswith("Fan"):
            parts.append(f"<h2>{e(title)}</h2>{_img(p)}")
    if res.discovery is not None:
        parts.append(f"<h2>Scenario discovery ({e(res.discovery.method.upper())}, EMA "
                     "Workbench)</h2>")
        parts += [f"<p>{e(line)}</p>" for line in res.discovery_lines]
        if "discovery_boxes" in res.tables:
            parts.append(_table(res.tables["discovery_boxes"][
                ["box", "coverage", "density", "mass", "runs_in_box", "limits"]],
                "discovery_boxes.csv", "{:.3g}"))
        if "PRIM trade-off" in res.charts:
            parts.append(_img(res.charts["PRIM trade-off"]))
    if res.indices is not None and not res.indices.empty:
        parts += _indices(res, conf)
    if res.features is not None and not res.features.empty:
        parts.append("<h2>Feature scores (extra trees, EMA Workbench)</h2><p class='small'>"
                     "Share of the trees' impurity reduction due to each factor, per KPI "
                     "(sums to 1 per KPI; unitless). Any design; runs as samples.</p>")
        parts.append(_table(res.features.reset_index(), "feature_scores.csv", "{:.3f}"))
    for title, p in res.charts.items():
        if title.startswith(("Heatmap", "Morris")) or " by " in title:
            parts.append(f"<h2>{e(title)}</h2>{_img(p)}")
    if res.robust is not None and res.robust.policies:
        parts += _robustness(res, conf)
    parts += _per_point(res)
    parts += provenance_section(res)
    parts.append("<p class='small'>Raw results: runs/*.parquet and series/*.parquet in the "
                 "sweep folder (schema: experiments/README.md; units in each column's "
                 "metadata). Charts: PNG here, SVG beside them in the analysis folder."
                 "</p></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _indices(res: Any, conf: str) -> list[str]:
    kind = res.index_kind
    label = {"sobol": "Sobol indices (SALib)", "morris": "Morris screening (SALib)",
             "rank_correlation": "Spearman rank correlations"}[kind]
    out = [f"<h2>{label}</h2>"]
    if kind == "rank_correlation":
        out.append("<p class='small'>The design is not a Sobol or Morris design, so "
                   "variance-based indices are not available; rank correlations over all runs "
                   "(unitless, −1 to 1) screen which parameters matter.</p>")
    for title, p in res.charts.items():
        if title.startswith("Sensitivity"):
            out.append(_img(p))
    idx = res.indices[res.indices["kpi"].isin(res.kpis)].copy()
    if kind == "sobol":
        out.append(f"<p class='small'>S1, ST: first-order and total shares of the KPI's "
                   f"variance (unitless); ± = half-width of the {conf} confidence interval "
                   "(bootstrap).</p>")
        idx = idx.rename(columns={"S1_conf": f"S1 ± ({conf} CI)", "ST_conf": f"ST ± ({conf} CI)"})
    elif kind == "morris":
        idx["unit"] = idx["kpi"].map(_unit)
        out.append(f"<p class='small'>μ, μ*, σ in the KPI's unit; μ* ± = half-width of the "
                   f"{conf} confidence interval (bootstrap).</p>")
        idx = idx.rename(columns={"mu_star_conf": f"μ* ± ({conf} CI)", "mu": "μ",
                                  "mu_star": "μ*", "sigma": "σ"})
    out.append(_table(idx, f"{kind}.csv"))
    if "sobol_s2" in res.tables:
        s2 = res.tables["sobol_s2"]
        out.append(f"<h3>Second-order indices</h3><p class='small'>S2 ± = half-width of the "
                   f"{conf} confidence interval.</p>")
        out.append(_table(s2[s2["kpi"].isin(res.kpis)].rename(
            columns={"S2_conf": f"S2 ± ({conf} CI)"}), "sobol_s2.csv"))
    if "sobol_convergence" in res.tables:
        c = res.tables["sobol_convergence"]
        c = c[c["kpi"].isin(res.kpis)][["kpi", "parameter", "ST_half", "ST", "ST_change",
                                        "ST_conf"]]
        out.append(f"<h3>Convergence: total indices at n/2 and n</h3><p class='small'>"
                   f"ST_half uses the first half of the base sample; a change larger than the "
                   f"{conf} CI half-width (ST_conf) means the indices have not settled.</p>")
        out.append(_table(c, "sobol_convergence.csv", "{:.3f}"))
    return out


def _robustness(res: Any, conf: str) -> list[str]:
    r = res.robust
    out = [f"<h2>Policies across uncertainty ([cases])</h2><p class='small'>Policies: "
           f"{html.escape(', '.join(r.policies))}; {r.worlds:,} worlds (every combination of "
           "the other factors and the replication's seed).</p>"]
    if not r.paired.empty:
        p = r.paired[r.paired["kpi"].isin(res.kpis)].copy()
        p["unit"] = p["kpi"].map(_unit)
        out.append(f"<h3>Paired differences (common seeds)</h3><p class='small'>Mean of "
                   f"policy − reference over the same worlds, with its {conf} confidence "
                   "interval (t), in the KPI's unit.</p>")
        out.append(_table(p[["kpi", "unit", "policy", "minus", "mean_difference", "ci_low",
                             "ci_high", "pairs"]], "paired_differences.csv"))
        if "Paired differences between policies" in res.charts:
            out.append(_img(res.charts["Paired differences between policies"]))
    if not r.regret.empty:
        g = r.regret.copy()
        g["unit"] = g["kpi"].map(_unit)
        out.append("<h3>Regret</h3><p class='small'>How far each policy falls short of the "
                   "best policy in the same world (0 = best there), in the KPI's unit.</p>")
        out.append(_table(g[["kpi", "unit", "policy", "mean", "max_regret", "p90_regret",
                             "mean_regret", "best_in_share_of_worlds"]], "regret.csv"))
    if not r.satisficing.empty:
        out.append(f"<h3>Satisficing</h3><p class='small'>Share of worlds in which the policy "
                   f"meets {html.escape(str(r.satisficing['conditions'].iloc[0]))}, with its "
                   f"{conf} Wilson interval.</p>")
        out.append(_table(r.satisficing[["policy", "share_of_worlds", "ci_low", "ci_high",
                                         "worlds"]], "satisficing.csv", "{:.3f}"))
    return out


def _per_point(res: Any) -> list[str]:
    summ = res.summary
    if res.spec.design in SAMPLED:
        rows = []
        for k in res.kpis:
            col = f"{k}_mean"
            if col in summ:
                q = summ[col].quantile([0.05, 0.5, 0.95])
                rows.append({"kpi": k, "unit": _unit(k), "points": int(summ[col].notna().sum()),
                             "q05 of point means": q[0.05], "median": q[0.5],
                             "q95 of point means": q[0.95]})
        return ["<h2>KPIs over the design</h2><p class='small'>Distribution of the per-point "
                "means over the sampled points (every point is in summary.csv).</p>",
                _table(pd.DataFrame(rows), "summary.csv")]
    factors = [c for c in summ.columns if c.startswith(("case_", "p_"))]
    table = summ[factors].copy()
    for k in res.kpis[: max(1, MAX_COLUMNS - len(factors))]:
        u = _unit(k)
        table[f"{k} ({u})" if u else k] = [
            f"{m:.4g} [{lo:.4g}–{hi:.4g}]" if pd.notna(m) else "–"
            for m, lo, hi in zip(summ[f"{k}_mean"], summ[f"{k}_q10"], summ[f"{k}_q90"],
                                 strict=True)]
    return ["<h2>KPIs per design point</h2><p class='small'>Mean [10–90 % quantiles] over "
            "replications; every KPI and statistic is in summary.csv.</p>",
            _table(table, "summary.csv")]
