"""A one-page summary to hand out, as HTML and as PDF, in English or Danish.

It holds the scenario and its sources, the parameters changed from the scenario, the key
figures of the run with their 10–90 % band over replications (seeds from ``sim.seeds``), the
story chart (annual gain against the business case with gains arrive and break-even marked,
and the service level with its dip) and, for a room, the debrief (the room against every
manager on the rules, same seed). Both formats are drawn from the same :class:`Summary`;
the PDF is one A4 page made with matplotlib (no extra dependency).
"""

from __future__ import annotations

import html
import io
import textwrap
from dataclasses import dataclass, field

import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from sim.kpis import FIGURE, KPI_SERIES, compute_kpis, shown_in, write
from sim.params import spec_map
from sim_app.export.summary_charts import story_figure
from sim_app.session.uncertainty import band_runs
from sim_app.text import figures as kpi_text
from sim_app.text.figures import writing
from sim_app.text.fmt import short, unit
from sim_app.text.i18n import param_label, tr


@dataclass
class Summary:
    """Everything on the page, already in the page's language."""

    lang: str
    title: str
    description: str
    sources: list[str]
    seed_line: str
    changed: list[tuple[str, str]]  # (label, value with unit)
    figures: list[tuple[str, str, str]]  # (label, this run, 10–90 % band)
    n_band: int
    arrays: dict[str, np.ndarray]
    kpis: dict
    start_year: int
    baseline: dict[str, np.ndarray] | None = None
    baseline_name: str = ""
    run_name: str = ""
    notes: list[str] = field(default_factory=list)


def _band_text(name: str, values: list, lang: str) -> str:
    vals = [v for v in values if v is not None]
    if not vals:
        return "–"
    missing = len(values) - len(vals)
    fig = FIGURE[name]
    if fig.fmt == "month" and fig.missing == "not reached":  # censored: not yet = later
        ends = np.quantile([np.inf if v is None else float(v) for v in values], [0.1, 0.9],
                           method="inverted_cdf")
        text = " – ".join(tr("kpi_not_yet", lang) if np.isinf(x) else
                          write(name, round(float(x)), writing(lang)) for x in ends)
        return text + (f" ({missing} {tr('kpi_not_yet', lang)})" if missing else "")
    lo, hi = np.quantile(np.asarray(vals, dtype=float), [0.1, 0.9])
    if fig.fmt == "month":
        lo, hi = round(lo), round(hi)
    text = f"{write(name, lo, writing(lang))} – {write(name, hi, writing(lang))}"
    if missing:
        text += f" ({missing} {tr('kpi_not_yet', lang)})"
    return text


def build(session, lang: str, n_band: int = 20) -> Summary:
    """The summary of what the session shows (a room's path, a fork, or the settings' run)."""
    from sim_app.text.scenarios import description, sources, title

    run = session.run
    kpis = compute_kpis(run.arrays).to_dict()
    # a fork's or a room's path is not a run of its parameters: no replications to band it
    outside = session.fork_info is not None or (session.room is not None
                                                and session.mode.value == "room")
    runs = [] if outside else list(band_runs(run.params, session.seed, n_band, KPI_SERIES,
                                             institutions=run.institutions))
    band_kpis = [compute_kpis(r).to_dict() for r in runs]
    specs = spec_map()
    changed = []
    for name in sorted(session.changed_from_scenario(), key=list(specs).index):
        spec = specs[name]
        value = session.values[name]
        u = (f" {unit(spec.unit, lang)}" if spec.kind in ("int", "float") and spec.unit
             and spec.unit not in ("0–1", "share", "trust", "sd", "ratio") else "")
        changed.append((param_label(spec, lang), f"{short(value, lang)}{u}"))
    figures = [(kpi_text.label(f, lang), write(f.name, kpis[f.name], writing(lang)),
                _band_text(f.name, [k[f.name] for k in band_kpis], lang))
               for f in shown_in("summary")]
    labels = session.mode_labels()
    if session.fork_info is not None:  # the two paths' names in the summary's language
        labels = {**labels, "run_name": tr("fork_path", lang),
                  "baseline_name": tr("original_path", lang)}
    elif session.room is not None and session.debrief:
        labels = {**labels, "run_name": tr("room_path", lang),
                  "baseline_name": tr("rules_run", lang)}
    notes = []
    if session.fork_info is not None:
        from sim_app.session.fork import describe

        info = session.fork_info
        notes.append(tr("fork_shown", lang, m=info["month"],
                        policy=describe(info["policy"], lang)))
    if run.institutions is not None:
        table = run.institutions
        notes.append(tr("inst_loaded", lang, name=table.source, n=len(table),
                        fte=f"{table.total_fte:,.0f}", groups=len(table.group_names)))
    if session.room is not None and session.debrief:
        room = session.room
        played = tr("sum_rounds", lang, k=len(room.claims), n=len(room.names),
                    r=sum(1 for r in room.rounds if not r.open))
        notes.append(tr("sum_debrief", lang) + ": " + played + "; "
                     + room_debrief_text(session, lang))
    return Summary(
        lang=lang, title=title(session.scenario, session.extras, lang),
        description=description(session.scenario, session.extras, lang),
        sources=list(sources(session.scenario, session.extras, lang)),
        seed_line=tr("sum_seed", lang, seed=session.seed, horizon=run.horizon,
                     year=int(run.params.start_year)),
        changed=changed, figures=figures, n_band=len(runs), arrays=run.arrays, kpis=kpis,
        start_year=int(run.params.start_year),
        baseline=session.baseline.arrays if session.baseline is not None else None,
        baseline_name=labels.get("baseline_name", session.baseline_label),
        run_name=labels.get("run_name", ""), notes=notes)


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


def kpi_heading(s: Summary) -> str:
    return (tr("sum_kpis", s.lang, n=s.n_band) if s.n_band
            else tr("sum_kpis_noband", s.lang))


# ---------------------------------------------------------------------- HTML
def to_html(s: Summary) -> bytes:
    """A self-contained HTML page (the chart inline as SVG), ready to print on one page."""
    e = html.escape
    buf = io.StringIO()
    FigureCanvasSVG(story_figure(s)).print_svg(buf)
    svg = buf.getvalue()
    svg = svg[svg.find("<svg"):]
    changed = ("".join(f"<tr><td>{e(a)}</td><td>{e(b)}</td></tr>" for a, b in s.changed)
               or f"<tr><td colspan=2>{e(tr('sum_none_changed', s.lang))}</td></tr>")
    figures = "".join(f"<tr><td>{e(a)}</td><td>{e(b)}</td><td>{e(c)}</td></tr>"
                      for a, b, c in s.figures)
    notes = "".join(f"<p class=note>{e(n)}</p>" for n in s.notes)
    sources = "; ".join(e(x) for x in s.sources)
    page = f"""<!doctype html>
<html lang="{s.lang}"><head><meta charset="utf-8"><title>{e(tr('sum_title', s.lang))}</title>
<style>
@page {{ size: A4; margin: 14mm; }}
body {{ font-family: system-ui, sans-serif; font-size: 10pt; max-width: 180mm; margin: auto; }}
h1 {{ font-size: 15pt; margin: 0 0 2mm 0; }} h2 {{ font-size: 11pt; margin: 4mm 0 1mm 0; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ padding: 1mm 2mm;
border-bottom: 1px solid #ddd; text-align: left; }} .muted {{ color: #555; }}
.note {{ font-weight: 600; }} svg {{ width: 100%; height: auto; }}
</style></head><body>
<div class=muted>{e(tr('sum_title', s.lang))}</div>
<h1>{e(s.title)}</h1>
<p>{e(s.description).replace(chr(10), '<br>')}</p>
<p class=muted>{e(tr('sources', s.lang))}: {sources}<br>{e(s.seed_line)}</p>
{notes}
<h2>{e(tr('sum_changed', s.lang))}</h2><table>{changed}</table>
<h2>{e(kpi_heading(s))}</h2>
<table><tr><th>{e(tr('sum_figure', s.lang))}</th><th>{e(tr('sum_run', s.lang))}</th>
<th>{e(tr('sum_band', s.lang))}</th></tr>{figures}</table>
{svg}
<p class=muted>{e(tr('sum_generated', s.lang))}</p>
</body></html>"""
    return page.encode("utf-8")


# ---------------------------------------------------------------------- PDF
def to_pdf(s: Summary) -> bytes:
    """One A4 page: the same content as the HTML, laid out with matplotlib."""
    fig = Figure(figsize=(8.27, 11.69))
    y = 0.965

    def text(t: str, size: float = 8.5, weight: str = "normal", color: str = "#111",
             width: int = 110, gap: float = 0.0035) -> None:
        nonlocal y
        for line in textwrap.wrap(t, width) or [""]:
            fig.text(0.07, y, line, fontsize=size, weight=weight, color=color, va="top")
            y -= size / 72 / 11.69 * 1.35
        y -= gap

    text(tr("sum_title", s.lang), 8, color="#555")
    text(s.title, 14, "bold", width=70, gap=0.006)
    for para in s.description.split("\n"):
        text(para)
    text(f"{tr('sources', s.lang)}: " + "; ".join(s.sources), 7.5, color="#555")
    text(s.seed_line, 7.5, color="#555", gap=0.006)
    for n in s.notes:
        text(n, 8.5, "bold")
    text(tr("sum_changed", s.lang), 10.5, "bold")
    rows = s.changed or [(tr("sum_none_changed", s.lang), "")]
    for a, b in rows[:14]:
        fig.text(0.07, y, a, fontsize=8.5, va="top")
        fig.text(0.55, y, b, fontsize=8.5, va="top")
        y -= 0.0145
    y -= 0.006
    text(kpi_heading(s), 10.5, "bold")
    for label, cols in ((tr("sum_figure", s.lang), (tr("sum_run", s.lang),
                                                     tr("sum_band", s.lang))),):
        fig.text(0.07, y, label, fontsize=8.5, weight="bold", va="top")
        fig.text(0.50, y, cols[0], fontsize=8.5, weight="bold", va="top")
        fig.text(0.68, y, cols[1], fontsize=8.5, weight="bold", va="top")
        y -= 0.0155
    for a, b, c in s.figures:
        fig.text(0.07, y, a, fontsize=8.5, va="top")
        fig.text(0.50, y, b, fontsize=8.5, va="top")
        fig.text(0.68, y, c, fontsize=8.5, va="top")
        y -= 0.0145
    bottom = 0.05
    chart_h = max(0.18, y - 0.02 - bottom)
    chart = story_figure(s)
    buf = io.BytesIO()
    chart.savefig(buf, format="png", dpi=200)
    buf.seek(0)
    from matplotlib.image import imread

    img = imread(buf, format="png")
    ax = fig.add_axes((0.06, bottom, 0.88, chart_h))
    ax.imshow(img)
    ax.set_axis_off()
    ax.set_anchor("N")
    fig.text(0.07, 0.025, tr("sum_generated", s.lang), fontsize=7, color="#555")
    out = io.BytesIO()
    with PdfPages(out) as pdf:
        pdf.savefig(fig)
    return out.getvalue()
