"""A one-page summary to hand out, as HTML and as PDF, in English or Danish.

It holds the scenario and its sources, the parameters changed from the scenario, the key
figures of the run with their 10–90 % band over the band's replications (seeds from
``sim.seeds``; in *seeds and parameters* each also at a posterior draw, so the range is the
predictive interval, and the page says which), the
story chart (annual gain against the business case with gains arrive and break-even marked,
and the service level with its dip) and, for a room, the debrief (the room against every
manager on the rules, same seed). Both formats are drawn from the same :class:`Summary`;
the PDF is one A4 page made with matplotlib (no extra dependency).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np

from sim.kpis import FIGURE, KPI_SERIES, compute_kpis, shown_in, write
from sim.params import spec_map
from sim_app.export.summary_charts import charts_svg
from sim_app.export.summary_options import OptionSeries, diff_text, interval_text, option_series
from sim_app.export.summary_pdf import to_pdf  # noqa: F401  (the PDF of a Summary)
from sim_app.session.options import differing, option_names, paired_band, paired_runs
from sim_app.session.predictive import PARAMS
from sim_app.session.uncertainty import band_runs
from sim_app.text import figures as kpi_text
from sim_app.text.figures import writing
from sim_app.text.fmt import num
from sim_app.text.i18n import param_label, param_value, tr
from sim_app.text.settings_text import settings_text


@dataclass
class Summary:
    """Everything on the page, already in the page's language."""

    lang: str
    title: str
    description: str
    sources: list[str]
    seed_line: str
    changed: list[tuple[str, ...]]  # (label, value) or, for two options, (label, A, B)
    columns: list[str]  # the figures table's heading row
    figures: list[tuple[str, ...]]  # (label, one text per column after the first)
    n_band: int
    arrays: dict[str, np.ndarray]
    kpis: dict
    start_year: int
    baseline: dict[str, np.ndarray] | None = None
    baseline_name: str = ""
    run_name: str = ""
    notes: list[str] = field(default_factory=list)
    changed_heading: str = ""
    kpi_heading: str = ""
    interval_note: str = ""  # what the intervals include
    options: list[OptionSeries] = field(default_factory=list)  # medians and bands, A then B
    diff: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # paired net benefit B − A
    diff_title: str = ""


def build(session, lang: str, n_band: int = 20) -> Summary:
    """The summary of what the session shows: one option or two (a pinned baseline against
    the current settings, paired over the same seeds), or a room's or a fork's path."""
    from sim_app.text.scenarios import description, sources, title

    run, base = session.run, session.baseline
    kpis = compute_kpis(run.arrays).to_dict()
    # a fork's or a room's path is not a run of its parameters: no replications to band it
    outside = session.fork_info is not None or (session.room is not None
                                                and session.mode.value == "room")
    two = base is not None and not outside and session.room is None
    labels = session.mode_labels()
    if session.fork_info is not None:  # the two paths' names in the summary's language
        labels = {**labels, "run_name": tr("fork_path", lang),
                  "baseline_name": tr("original_path", lang)}
    elif session.room is not None and session.debrief:
        labels = {**labels, "run_name": tr("room_path", lang),
                  "baseline_name": tr("rules_run", lang)}
    elif two:
        run_name, base_name = option_names(run.params.model_dump(), base.params.model_dump(),
                                           lang, tr("opt_current", lang),
                                           session.baseline_label)
        labels = {**labels, "run_name": run_name, "baseline_name": base_name}
    run_name = labels.get("run_name", "")
    base_name = labels.get("baseline_name", session.baseline_label)
    shown = shown_in("summary")
    extra: dict = {}
    if outside:
        columns = [tr("sum_figure", lang), tr("sum_path", lang)]
        figures = [(kpi_text.label(f, lang), write(f.name, kpis[f.name], writing(lang)))
                   for f in shown]
        n_runs, heading, note = 0, tr("sum_kpis_noband", lang), ""
    else:  # the band's replications: seeds only, or the posterior's draws and seeds
        plan = session.band_plan(run, n_band)
        drawn = plan.mode == PARAMS
        if two:  # paired: draw k and seed k shared by both options
            pb = session.band_plan(base, n_band).params if drawn else base.params
            pairs = paired_runs((plan.params, run.institutions), (pb, base.institutions),
                                session.seed, n_band, KPI_SERIES)
            runs_b, runs_a = [b for b, _ in pairs], [a for _, a in pairs]
        else:
            runs_b = list(band_runs(plan.params, session.seed, n_band, KPI_SERIES,
                                    institutions=run.institutions))
        kb = [compute_kpis(r).to_dict() for r in runs_b]
        n_runs = len(runs_b)
        note = (tr("sum_interval_params", lang, n=n_runs, name=plan.posterior) if drawn
                else tr("sum_interval_note", lang, n=n_runs))
        if two:
            ka = [compute_kpis(r).to_dict() for r in runs_a]
            columns = [tr("sum_figure", lang), base_name, run_name,
                       tr("sum_diff_col", lang, a=run_name, b=base_name)]
            figures = [(kpi_text.label(f, lang),
                        interval_text(f.name, [k[f.name] for k in ka], lang),
                        interval_text(f.name, [k[f.name] for k in kb], lang),
                        diff_text(f.name, [k[f.name] for k in ka], [k[f.name] for k in kb],
                                  lang)) for f in shown]
            heading = tr("sum_kpis_two_params" if drawn else "sum_kpis_two", lang, n=n_runs)
            net = paired_band([({"c": b["cumulative_net_benefit"]},
                                {"c": a["cumulative_net_benefit"]}) for b, a in pairs])["c"]
            extra = {"options": [option_series(base_name, runs_a, ka),
                                 option_series(run_name, runs_b, kb)],
                     "diff": net, "diff_title": tr("ch_diff_named", lang, a=run_name,
                                                   b=base_name)}
        else:
            columns = [tr("sum_figure", lang), tr("sum_median_col", lang)]
            figures = [(kpi_text.label(f, lang),
                        interval_text(f.name, [k[f.name] for k in kb], lang)) for f in shown]
            heading = tr("sum_kpis", lang, n=n_runs)
            extra = {"options": [option_series(run_name or tr("opt_current", lang), runs_b,
                                               kb)]}
    specs = spec_map()
    values = run.params.model_dump()
    if two:
        base_values = base.params.model_dump()
        names = [k for k in specs if k in set(differing(values, base_values))
                 | session.changed_from_scenario()]
        changed = [(param_label(specs[k], lang), param_value(specs[k], base_values[k], lang),
                    param_value(specs[k], values[k], lang)) for k in names]
        changed_heading = tr("sum_differ", lang)
    else:
        names = sorted(session.changed_from_scenario(), key=list(specs).index)
        changed = [(param_label(specs[k], lang), param_value(specs[k], values[k], lang))
                   for k in names]
        changed_heading = tr("sum_changed", lang)
    text = description(session.scenario, session.extras, lang)
    if two:  # a description that matches what ran: each option's settings
        text = (tr("sum_from_scenario", lang, title=title(session.scenario, session.extras,
                                                          lang)) + "\n"
                + f"{base_name}: {settings_text(base.params.model_dump(), base.institutions, lang)}"
                + f"\n{run_name}: {settings_text(values, run.institutions, lang)}")
    elif names or run.institutions is not None:
        text = (tr("sum_from_scenario", lang, title=title(session.scenario, session.extras,
                                                          lang))
                + "\n" + settings_text(values, run.institutions, lang))
    notes = []
    if session.fork_info is not None:
        from sim_app.session.fork import describe

        info = session.fork_info
        notes.append(tr("fork_shown", lang, m=info["month"],
                        policy=describe(info["policy"], lang)))
    if run.institutions is not None:
        table = run.institutions
        notes.append(tr("inst_loaded", lang, name=table.source, n=len(table),
                        fte=num(table.total_fte, 0, lang), groups=len(table.group_names)))
    if session.room is not None and session.debrief:
        room = session.room
        played = tr("sum_rounds", lang, k=len(room.claims), n=len(room.names),
                    r=sum(1 for r in room.rounds if not r.open))
        notes.append(tr("sum_debrief", lang) + ": " + played + "; "
                     + room_debrief_text(session, lang))
    return Summary(
        lang=lang, title=title(session.scenario, session.extras, lang), description=text,
        sources=list(sources(session.scenario, session.extras, lang)),
        seed_line=tr("sum_seed", lang, seed=session.seed, horizon=run.horizon,
                     year=int(run.params.start_year)),
        changed=changed, columns=columns, figures=figures, n_band=n_runs, arrays=run.arrays,
        kpis=kpis, start_year=int(run.params.start_year),
        baseline=base.arrays if base is not None else None, baseline_name=base_name,
        run_name=run_name, notes=notes, changed_heading=changed_heading, kpi_heading=heading,
        interval_note=note, **extra)


def room_debrief_text(session, lang: str) -> str:
    """The room against the rules in one line: break-even and net benefit at the end."""
    room, base = session.run.arrays, session.baseline.arrays
    k_room, k_rules = compute_kpis(room), compute_kpis(base)
    diff = k_room.cumulative_net_benefit_end_mdkk - k_rules.cumulative_net_benefit_end_mdkk
    w = writing(lang)
    be = write("break_even_month", k_room.break_even_month, w)
    be_rules = write("break_even_month", k_rules.break_even_month, w)
    net = FIGURE["cumulative_net_benefit_end_mdkk"]
    return (f"{kpi_text.label(FIGURE['break_even_month'], lang)}: {be} "
            f"({tr('rules_run', lang)}: {be_rules}); "
            f"Δ {kpi_text.label(net, lang).lower()}: {write(net.name, diff, w)}")


def _table(rows: list[tuple[str, ...]], head: list[str] | None = None) -> str:
    e = html.escape
    top = ("<tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>") if head else ""
    return "<table>" + top + "".join(
        "<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows) + "</table>"


# ---------------------------------------------------------------------- HTML
def to_html(s: Summary) -> bytes:
    """A self-contained HTML page (the charts inline as SVG with real text), ready to print
    on one page."""
    e = html.escape
    svg = "".join(f'<div class="chart chart-{name}">{text}</div>'
                  for name, text in charts_svg(s).items())
    changed_head = ([tr("sum_param", s.lang), *s.columns[1:3]] if s.changed
                    and len(s.changed[0]) == 3 else None)
    changed = (_table(s.changed, changed_head) if s.changed
               else f"<p>{e(tr('sum_none_changed', s.lang))}</p>")
    notes = "".join(f"<p class=note>{e(n)}</p>" for n in s.notes)
    sources = "; ".join(e(x) for x in s.sources)
    interval = f"<p class='muted interval-note'>{e(s.interval_note)}</p>" if s.interval_note else ""
    page = f"""<!doctype html>
<html lang="{s.lang}"><head><meta charset="utf-8"><title>{e(tr('sum_title', s.lang))}</title>
<style>
@page {{ size: A4; margin: 12mm; }}
body {{ font-family: system-ui, sans-serif; font-size: 9.5pt; max-width: 186mm; margin: auto; }}
h1 {{ font-size: 15pt; margin: 0 0 2mm 0; }} h2 {{ font-size: 11pt; margin: 3mm 0 1mm 0; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
td, th {{ padding: 0.8mm 1.5mm; border-bottom: 1px solid #ddd; text-align: left;
overflow-wrap: anywhere; vertical-align: top; }} .muted {{ color: #555; }}
.note {{ font-weight: 600; }} .chart svg {{ width: 100%; height: auto; }}
.charts-row {{ display: flex; gap: 2mm; }} .charts-row > .chart {{ flex: 1 1 0; min-width: 0; }}
</style></head><body>
<div class=muted>{e(tr('sum_title', s.lang))}</div>
<h1>{e(s.title)}</h1>
<p class=description>{e(s.description).replace(chr(10), '<br>')}</p>
<p class=muted>{e(tr('sources', s.lang))}: {sources}<br>{e(s.seed_line)}</p>
{notes}
<h2>{e(s.changed_heading)}</h2>{changed}
<h2>{e(s.kpi_heading)}</h2>
{_table(s.figures, s.columns).replace("<table>", "<table class=figures>", 1)}
{interval}
{svg.replace('<div class="chart chart-net">', '<div class=charts-row><div class="chart chart-net">')
    + ('</div>' if 'chart-net' in svg else '')}
<p class=muted>{e(tr('sum_generated', s.lang))}</p>
</body></html>"""
    return page.encode("utf-8")
