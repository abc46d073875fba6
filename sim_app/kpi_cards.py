"""The month shown and the KPI cards above the charts, describing the months shown so far.

The texts of every month (0..horizon) are computed once per run and sent to one small
browser widget (``kpi_cards.vue``); live play then only sets the widget's ``month``, with
no render pass on the server.
"""

from __future__ import annotations

import ipyvuetify
import solara
import traitlets

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


class KpiWidget(ipyvuetify.VuetifyTemplate):
    """The month label and the cards; see ``kpi_cards.vue``."""

    template_file = (__file__, "kpi_cards.vue")

    cards = traitlets.List().tag(sync=True)  # [{key, title}]
    labels = traitlets.List().tag(sync=True)  # per month: "Month m of n"
    values = traitlets.List().tag(sync=True)  # per month: one text per card
    month = traitlets.Int(0).tag(sync=True)
    label_style = traitlets.Unicode("").tag(sync=True)
    value_style = traitlets.Unicode("").tag(sync=True)

    def label(self) -> str:
        """The month label as shown (tests)."""
        return self.labels[self.month]

    def shown(self) -> list[str]:
        """The cards' values as shown (tests)."""
        return list(self.values[self.month])


def texts(session: Session, lang: str) -> dict:
    """Every month's label and card values for the current run."""
    timeline = session.kpi_timeline()
    n = session.run.horizon
    per_month = [card_texts(k, lang) for k in timeline]
    cards = [{"key": key, "title": title} for key, title, _ in per_month[0]]
    return {"cards": cards,
            "labels": [tr("month_of", lang, m=m, n=n) for m in range(n + 1)],
            "values": [[value for _, _, value in row] for row in per_month]}


@solara.component
def KpiCards(session: Session, revision: int):
    """The month label and the cards; ``revision`` (the session's view counter) is there to
    redraw them when the run changes. The month itself arrives through
    ``Session.show_month``."""
    lang = session.lang.value
    big = session.presentation.value
    el = KpiWidget.element(
        label_style=f"font-size: {'2em' if big else '1.2em'}; font-weight: 600;",
        value_style=f"font-size: {'2.6em' if big else '1.5em'}; font-weight: 600;",
    )
    data = texts(session, lang)

    def attach():
        widget = solara.get_widget(el)
        session.attach_month_widget("kpi", widget)
        return lambda: session.detach_month_widget("kpi", widget)

    def push():
        widget = solara.get_widget(el)
        with widget.hold_sync():
            widget.cards = data["cards"]
            widget.labels = data["labels"]
            widget.values = data["values"]
            widget.month = min(session.month, len(data["labels"]) - 1)

    solara.use_effect(attach, [])
    solara.use_effect(push, None)
    return el
