"""A self-contained HTML report of a sweep's analysis (charts embedded as base64 PNG)."""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

import pandas as pd

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85em;margin:.6em 0}
td,th{border:1px solid #ddd;padding:3px 7px;text-align:right}th{background:#f3f5f8}
td:first-child,th:first-child{text-align:left}.meta td{text-align:left}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.4em .8em;margin:.4em 0}
img{max-width:100%;border:1px solid #eee;margin:.5em 0}
.small{color:#666;font-size:.85em}
"""

MAX_ROWS = 60


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


def _table(df: pd.DataFrame, floatfmt: str = "{:.4g}") -> str:
    shown = df.head(MAX_ROWS)
    out = shown.to_html(index=False, float_format=lambda v: floatfmt.format(v), na_rep="–",
                        border=0, escape=True)
    if len(df) > MAX_ROWS:
        out += f'<p class="small">First {MAX_ROWS} of {len(df)} rows; all in the CSV.</p>'
    return out


def write_report(res: Any, start: dict[str, Any], path: Path) -> Path:
    """Write ``report.html`` for an :class:`~sim_sweep.analyze.Analysis`."""
    spec = res.spec
    e = html.escape
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Sweep {e(spec.name)}</title><style>{CSS}</style></head><body>",
             f"<h1>Sweep: {e(spec.name)}</h1>"]
    if spec.description:
        parts.append(f"<p>{e(spec.description)}</p>")
    scen = spec.scenario if isinstance(spec.scenario, str) else ", ".join(spec.scenario)
    meta = [("base scenario", scen), ("design", spec.design),
            ("design points", res.points), ("replications per point", spec.replications),
            ("finished runs analysed", res.runs), ("failed runs", res.failed),
            ("master seed", spec.master_seed), ("seed strategy", spec.seeds),
            ("model version", start.get("model_version", "?")),
            ("sweep file hash", start.get("spec_hash", "?"))]
    if spec.fixed:
        meta.append(("fixed", ", ".join(f"{k} = {v}" for k, v in spec.fixed.items())))
    parts.append("<table class='meta'>" + "".join(
        f"<tr><td>{e(str(k))}</td><td>{e(str(v))}</td></tr>" for k, v in meta) + "</table>")
    for n in res.notes:
        parts.append(f"<div class='note'>{e(n)}</div>")

    for title, p in res.charts.items():
        if title.startswith("Fan"):
            parts.append(f"<h2>{e(title)}</h2>{_img(p)}")
    if res.indices is not None and not res.indices.empty:
        label = {"sobol": "Sobol indices (SALib)", "morris": "Morris screening (SALib)",
                 "rank_correlation": "Spearman rank correlations"}[res.index_kind]
        parts.append(f"<h2>{label}</h2>")
        if res.index_kind == "rank_correlation":
            parts.append("<p class='small'>The design is not a Sobol or Morris design, so "
                         "variance-based indices are not available; rank correlations over all "
                         "runs screen which parameters matter.</p>")
        for title, p in res.charts.items():
            if title.startswith("Sensitivity"):
                parts.append(_img(p))
        parts.append(_table(res.indices[res.indices["kpi"].isin(res.kpis)]))
    for title, p in res.charts.items():
        if not title.startswith(("Fan", "Sensitivity")):
            parts.append(f"<h2>{e(title)}</h2>{_img(p)}")

    parts.append("<h2>KPIs per design point</h2>")
    cols = ["point_id"] + [c for c in res.summary.columns
                          if c.startswith(("case_", "p_"))] + ["n_runs"]
    for k in res.kpis:
        cols += [f"{k}_{s}" for s in ("mean", "std", "q10", "q50", "q90")]
    parts.append("<p class='small'>Mean, standard deviation and 10/50/90 % quantiles over "
                 "replications; every KPI is in summary.csv.</p>")
    parts.append(_table(res.summary[[c for c in cols if c in res.summary.columns]]))
    parts.append("<p class='small'>Raw results: runs/*.parquet and series/*.parquet in the "
                 "sweep folder (schema: experiments/README.md).</p></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
