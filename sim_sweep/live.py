"""The sweep report's runs to open live: the runs at both ends of the first KPI (where a
striking run is found), each linked to the app that opens it (``sim app --sweep FOLDER``;
:func:`sim_sweep.openrun.app_link`). ``analysis/runs_live.csv`` lists every run with its
link."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from sim_sweep.openrun import app_link
from sim_sweep.worker import CASE_PREFIX, PARAM_PREFIX, SCENARIO

#: Runs listed in the report at each end of the first KPI.
EACH_END = 10
#: Labels and varied parameters shown in the report's table (the rest in the CSV).
SHOWN_FACTORS = 3


def live_runs(runs: pd.DataFrame, kpis: list[str]) -> pd.DataFrame:
    """Every run with its labels, the parameters the sweep varies, its seed, the chosen KPIs
    and its app link, sorted by the first KPI."""
    varied = [c for c in runs.columns if c.startswith(PARAM_PREFIX)
              and runs[c].nunique(dropna=False) > 1]
    labels = [c for c in runs.columns if c == SCENARIO or c.startswith(CASE_PREFIX)]
    cols = ["run_id", *labels, *varied, "seed", "replication", *kpis]
    table = runs[cols].copy()
    table.columns = [c.removeprefix(PARAM_PREFIX).removeprefix(CASE_PREFIX) for c in cols]
    table["app"] = [app_link(r) for r in table["run_id"]]
    if kpis:
        table = table.sort_values(kpis[0], kind="stable", na_position="last")
    return table.reset_index(drop=True)


def write_live(table: pd.DataFrame, out_dir: Path) -> None:
    table.to_csv(out_dir / "runs_live.csv", index=False)


def section(table: pd.DataFrame | None, kpis: list[str], cell) -> list[str]:
    """The report's section: the runs at both ends of the first KPI, each run id a link."""
    if table is None or table.empty:
        return []
    e = html.escape
    shown = (table if len(table) <= 2 * EACH_END
             else pd.concat([table.head(EACH_END), table.tail(EACH_END)]))
    # the run id, its labels, at most SHOWN_FACTORS varied parameters and the first KPI
    # (the page stays within an A4 page's width; every column is in runs_live.csv)
    factors = [c for c in shown.columns if c not in ("run_id", "app", "seed", "replication",
                                                     *kpis)]
    cols = ["run_id", *factors[:SHOWN_FACTORS], *kpis[:1]]
    head = "".join(f"<th>{e(c).replace('_', '_<wbr>')}</th>" for c in cols)
    body = []
    for row in shown.itertuples(index=False):
        d = row._asdict() if hasattr(row, "_asdict") else dict(zip(shown.columns, row,
                                                                    strict=True))
        cells = [f"<td><a class='open-live' href='{e(d['app'])}'>{e(d['run_id'])}</a></td>"]
        cells += [f"<td>{e(cell(d[c]))}</td>" for c in cols[1:]]
        body.append("<tr>" + "".join(cells) + "</tr>")
    by = f" by {kpis[0]}" if kpis else ""
    return ["<h2>Runs to open live</h2>",
            f"<p class='caption'>The {len(shown)} runs at both ends{e(by)} (all {len(table)}, "
            "with every varied parameter, seed and KPI, in runs_live.csv). A run id opens that run in the app, with its exact scenario, "
            "parameters and seed, ready to play, compare or fork, after <code>sim app --sweep "
            "FOLDER</code> (the page checks that its series equal the stored ones).</p>",
            f"<table class='runs-live'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}"
            "</tbody></table>"]
