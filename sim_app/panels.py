"""The chart panels: time-series charts, the network view and the difference chart."""

from __future__ import annotations

import time

import solara

from sim_app import charts
from sim_app.echarts_widget import Chart
from sim_app.i18n import tr
from sim_app.state import Session

CHART_BUILDERS = (
    ("gain", charts.gain_chart),
    ("net", charts.net_benefit_chart),
    ("service", charts.service_chart),
    ("trust", charts.trust_chart),
    ("shadow", charts.shadow_chart),
    ("centre", charts.centre_chart),
)


def build_options(session: Session, lang: str, big: bool) -> dict[str, dict]:
    """Every chart's option for the month shown (timed for the benchmark)."""
    t0 = time.perf_counter()
    view = session.view()
    opts = {name: fn(view, lang, big) for name, fn in CHART_BUILDERS}
    opts["network"] = charts.network_chart(session.network(), lang, big)
    if "baseline" in view:
        opts["diff"] = charts.diff_chart(view, session.diff_metric.value, lang, big)
    session.timings["build"] = time.perf_counter() - t0
    return opts


@solara.component
def LiveView(session: Session):
    """Everything that changes with the month shown. The only component that subscribes to
    the session's view counter, so one step is one render pass (three subscribers made three
    passes over the whole tree)."""
    from sim_app.kpi_cards import KpiCards
    from sim_app.player import MonthLabel

    revision = session.view_rev.value
    MonthLabel(session, revision)
    KpiCards(session, revision)
    ChartsPanel(session, revision)


@solara.component
def ChartsPanel(session: Session, revision: int):
    lang = session.lang.value
    big = session.presentation.value
    _ = session.diff_metric.value
    opts = build_options(session, lang, big)
    height = "420px" if big else "300px"
    cols = [1, 1]
    with solara.Columns(cols, gutters_dense=True, classes=["charts"]):
        with solara.Column(gap="8px"):
            for name in ("gain", "service", "shadow"):
                Chart(name, opts[name], revision, height).key(name)
        with solara.Column(gap="8px"):
            for name in ("net", "trust", "centre"):
                Chart(name, opts[name], revision, height).key(name)
    with solara.Columns([1, 1] if "diff" in opts else [1], gutters_dense=True):
        Chart("network", opts["network"], revision, "460px" if big else "380px").key("network")
        if "diff" in opts:
            with solara.Column(gap="4px"):
                if not big:
                    solara.v.Select(label=tr("diff_metric", lang), dense=True, hide_details=True,
                                    items=[{"text": tr(v, lang), "value": k}
                                           for k, v in charts.DIFF_METRICS.items()],
                                    v_model=session.diff_metric.value, class_="diff-metric",
                                    on_v_model=session.diff_metric.set)
                Chart("diff", opts["diff"], revision, height).key("diff")
