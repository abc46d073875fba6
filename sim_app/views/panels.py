"""The chart panels: time-series charts, the network view and the difference chart.

Each chart receives the whole run once (every series over the whole horizon, the marks that
depend on the month as change points, the network's per-month node values); the month shown
is set on the chart widgets directly by ``Session.show_month`` and the browser cuts the series.
"""

from __future__ import annotations

import time

import solara

from sim.kpis import KPIs
from sim_app.charts import builders as charts
from sim_app.charts import marks
from sim_app.charts import network as netchart
from sim_app.charts.widget import Chart, Payload
from sim_app.session.live_kpis import dip_span
from sim_app.session.state import Session
from sim_app.text.i18n import tr

CHART_BUILDERS = (
    ("gain", charts.gain_chart),
    ("net", charts.net_benefit_chart),
    ("service", charts.service_chart),
    ("trust", charts.trust_chart),
    ("shadow", charts.shadow_chart),
    ("centre", charts.centre_chart),
)

# the file each chart's save button (ECharts' saveAsImage) downloads, without ".png"
PNG_NAMES = {"gain": "gain", "net": "net_benefit", "service": "service_level",
             "trust": "trust", "shadow": "shadow_fte", "centre": "centre_staff",
             "network": "network", "diff": "difference"}


def add_month_marks(opts: dict[str, dict], timeline: list[KPIs], lang: str, big: bool) -> None:
    """The marks that depend on the month shown, as change points (first series of each)."""
    gains = marks.mark_steps(
        [(k.gain_positive_month, k.break_even_month) for k in timeline],
        lambda v: marks.gains_marks(v[0], v[1], lang, big))
    for name in ("gain", "net"):
        if name in opts:
            opts[name]["_marks"] = [{"series": 0, "key": "markLine", "steps": gains}]
    if "service" in opts:
        opts["service"]["_marks"] = [{"series": 0, "key": "markArea", "steps": marks.mark_steps(
            [dip_span(k) for k in timeline], lambda span: marks.dip_mark(span, lang, big))}]


def build_options(session: Session, lang: str, big: bool,
                  only: tuple[str, ...] | None = None) -> dict[str, dict]:
    """Every chart's option for the whole run (timed for the benchmark); ``only``: just
    these charts (the projector shows three)."""
    t0 = time.perf_counter()
    run = session.run
    horizon = run.horizon
    view = session.view(month=horizon)
    opts = {name: fn(view, lang, big) for name, fn in CHART_BUILDERS
            if only is None or name in only}
    if "baseline" in view and (only is None or "diff" in only):
        opts["diff"] = charts.diff_chart(view, session.diff_metric.value, lang, big)
    for opt in opts.values():
        opt["_grow"] = True
        opt["_horizon"] = horizon
    add_month_marks(opts, session.kpi_timeline(), lang, big)
    if only is None or "network" in only:
        net = session.network(month=horizon)
        opts["network"] = netchart.network_chart(net, lang, big, names=net["names"])
        opts["network"]["_horizon"] = horizon
        opts["network"]["_frames"] = netchart.network_frames(
            run.initial_trust, run.trust, run.shadow, run.phase, net["shadow_max"], big)
    for name, opt in opts.items():  # ECharts' save button names the file after the chart
        save = opt.get("toolbox", {}).get("feature", {}).get("saveAsImage")
        if save is not None:
            save["name"] = PNG_NAMES.get(name, name)  # gain.png, network.png, ...
    session.timings["build"] = time.perf_counter() - t0
    return opts


@solara.component
def LiveView(session: Session):
    """Everything that shows the run: the month label, the KPI cards and the charts. The only
    component that subscribes to the session's view counter (a new run, baseline, band or
    language), so such a change is one render pass. The month shown does not render: it is
    set on the widgets directly (``Session.show_month``)."""
    from sim_app.views.kpi_cards import KpiCards

    revision = session.view_rev.value
    KpiCards(session, revision)
    ChartsPanel(session, revision)


@solara.component
def ChartsPanel(session: Session, revision: int):
    lang = session.lang.value
    _ = session.diff_metric.value
    opts = {k: Payload(v) for k, v in build_options(session, lang, False).items()}
    height = "300px"
    with solara.Div(classes=["charts-grid"]):
        for name in ("gain", "net", "service", "trust", "shadow", "centre"):
            Chart(session, name, opts[name], revision, height).key(name)
        Chart(session, "network", opts["network"], revision, "380px").key("network")
        if "diff" in opts:
            with solara.Div(classes=["diff-box"]):
                solara.v.Select(label=tr("diff_metric", lang), dense=True, hide_details=True,
                                items=[{"text": tr(v[0], lang), "value": k}
                                       for k, v in charts.DIFF_METRICS.items()],
                                v_model=session.diff_metric.value, class_="diff-metric",
                                on_v_model=session.diff_metric.set)
                Chart(session, "diff", opts["diff"], revision, "330px").key("diff")
