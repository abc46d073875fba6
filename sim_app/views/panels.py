"""The chart panels: time-series charts, the network view and the difference chart.

Each chart receives the whole run once (every series over the whole horizon, the marks that
depend on the month as change points, the network's per-month node values); each chart widget
reads the month shown itself (``sim_app.charts.widget.Chart``) and the browser cuts the series.
"""

from __future__ import annotations

import time

import solara

from sim.kpis import KPIs
from sim_app.charts import builders as charts
from sim_app.charts import diff as diffchart
from sim_app.charts import marks
from sim_app.charts import network as netchart
from sim_app.charts.widget import Chart, Payload
from sim_app.session.live_kpis import dip_span
from sim_app.session.shared import OPTIONS
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
        opts["diff"] = diffchart.diff_chart(view, session.diff_metric.value, lang, big)
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


def chart_options(session: Session, lang: str, big: bool,
                  only: tuple[str, ...] | None = None) -> dict[str, Payload]:
    """:func:`build_options`, stamped, made once for every session of the server shown the
    same run, baseline and band in the same language and type (``sim_app.session.shared``:
    a room on the default scenario builds and encodes its charts once, not per phone)."""
    st = session.state.peek()
    sh = st.shown
    if only == ("network",):  # the network view depends on the run alone
        return OPTIONS.get((sh.run,), (lang, big, only),
                           lambda: Payload.stamp(build_options(session, lang, big, only)))
    labels = tuple(sorted(session.mode_labels().items()))
    return OPTIONS.get((sh.run, sh.baseline, sh.band, sh.diff_band),
                       (sh.band_done, sh.diff_band_done, lang, big, only, st.diff_metric,
                        labels),
                       lambda: Payload.stamp(build_options(session, lang, big, only)))


@solara.component
def LiveView(session: Session):
    """Everything that shows the run: the month label, the KPI cards and the charts. A new
    run, baseline, band or language renders them; a month renders only the chart widgets and
    the cards (they read the month shown)."""
    from sim_app.views.kpi_cards import KpiCards

    KpiCards(session)
    ChartsPanel(session)


@solara.component
def ChartsPanel(session: Session):
    lang = session.lang.value
    shown = session.shown.value
    metric = session.diff_metric.value
    series = (*(name for name, _ in CHART_BUILDERS), "diff")
    opts = solara.use_memo(
        lambda: chart_options(session, lang, False, only=series),
        [shown, lang, metric])
    # the network (~240 KiB: every month's nodes) depends on the run alone: the band or a
    # pinned baseline arriving neither rebuilds nor resends it
    network = solara.use_memo(
        lambda: chart_options(session, lang, False, only=("network",)),
        [shown.run, lang])["network"]
    height = "300px"
    with solara.Div(classes=["charts-grid"]):
        for name in ("gain", "net", "service", "trust", "shadow", "centre"):
            Chart(session, name, opts[name], height).key(name)
        Chart(session, "network", network, "380px").key("network")
        if "diff" in opts:
            with solara.Div(classes=["diff-box"]):
                solara.v.Select(label=tr("diff_metric", lang), dense=True, hide_details=True,
                                items=[{"text": tr(v[0], lang), "value": k}
                                       for k, v in diffchart.DIFF_METRICS.items()],
                                v_model=metric, class_="diff-metric",
                                on_v_model=session.set_diff_metric)
                Chart(session, "diff", opts["diff"], "330px").key("diff")
