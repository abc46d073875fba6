"""KPI cards above the charts, describing the months shown so far."""

from __future__ import annotations

import solara

from sim_app.i18n import tr
from sim_app.state import Session


def card_texts(k: dict, lang: str) -> list[tuple[str, str, str]]:
    """(key, title, value text) for each card."""
    def month(m):
        return tr("kpi_not_yet", lang) if m is None else tr("kpi_month", lang, m=m)

    if k.get("dip_min") is None:
        dip = tr("kpi_no_dip", lang)
    else:
        dip = f"{k['dip_min'] * 100:.0f} % ({tr('kpi_month', lang, m=k['dip_month'])})"
    shadow = "–" if k.get("shadow_fte_now") is None else f"{k['shadow_fte_now']:.0f} {tr('fte', lang)}"
    return [
        ("break-even", tr("kpi_break_even", lang), month(k.get("break_even_month"))),
        ("gain50", tr("kpi_gain50", lang), month(k.get("months_to_50"))),
        ("gain90", tr("kpi_gain90", lang), month(k.get("months_to_90"))),
        ("dip", tr("kpi_dip", lang), dip),
        ("shadow", tr("kpi_shadow", lang), shadow),
    ]


@solara.component
def KpiCards(session: Session, revision: int):
    """The cards; ``revision`` (the session's view counter) is only there to redraw them."""
    lang = session.lang.value
    big = session.presentation.value
    with solara.Row(gap="12px", classes=["kpi-row"], style={"flex-wrap": "wrap"}):
        for key, title, value in card_texts(session.kpis(), lang):
            with solara.v.Sheet(elevation=1, rounded=True, class_=f"kpi-card kpi-{key} pa-3",
                                style_="min-width: 170px; flex: 1 1 0;"):
                solara.Text(title, classes=["kpi-title"])
                solara.v.Html(tag="div", children=[value], class_="kpi-value",
                              style_=f"font-size: {'2.6em' if big else '1.5em'}; font-weight: 600;")
