"""The month shown and the KPI cards above the charts, describing the months shown so far.

The texts of every month (0..horizon) are computed once per run and sent to one small
browser widget (``kpi_cards.vue``); live play then only sets the widget's ``month``, with
no render pass on the server. In the projector view the cards are compact one-line chips.
"""

from __future__ import annotations

import ipyvuetify
import solara
import traitlets

from sim_app.fmt import month_label, num, percent
from sim_app.i18n import tr
from sim_app.state import Session

#: Cards left out of the projector's chips (the room needs the story, not every figure).
PROJECTOR_SKIP = ("gain90",)


def card_texts(k: dict, lang: str, compact: bool = False) -> list[tuple[str, str, str]]:
    """(key, title, value text) for each card; ``compact``: the projector's short titles."""
    def month(m):
        return tr("kpi_not_yet", lang) if m is None else tr("kpi_month", lang, m=m)

    def title(key: str) -> str:
        return tr(key + ("_short" if compact else ""), lang)

    if k.get("dip_min") is None:
        dip = tr("kpi_no_dip", lang)
    else:
        dip = (f"{percent(k['dip_min'], lang)}" + (" · " if compact else " (")
               + tr("kpi_month", lang, m=k["dip_month"]) + ("" if compact else ")"))
    shadow = ("–" if k.get("shadow_fte_now") is None
              else f"{num(k['shadow_fte_now'], 0, lang)} {tr('fte', lang)}")
    return [
        ("gain-positive", title("kpi_gain_positive"), month(k.get("gain_positive_month"))),
        ("break-even", title("kpi_break_even"), month(k.get("break_even_month"))),
        ("gain50", title("kpi_gain50"), month(k.get("months_to_50"))),
        ("gain90", title("kpi_gain90"), month(k.get("months_to_90"))),
        ("dip", title("kpi_dip"), dip),
        ("shadow", title("kpi_shadow"), shadow),
    ]


class KpiWidget(ipyvuetify.VuetifyTemplate):
    """The month label and the cards; see ``kpi_cards.vue``."""

    template_file = (__file__, "kpi_cards.vue")

    cards = traitlets.List().tag(sync=True)  # [{key, title}]
    labels = traitlets.List().tag(sync=True)  # per month: "Month m of n · Jan 2027"
    values = traitlets.List().tag(sync=True)  # per month: one text per card
    month = traitlets.Int(0).tag(sync=True)
    compact = traitlets.Bool(False).tag(sync=True)
    label_style = traitlets.Unicode("").tag(sync=True)
    value_style = traitlets.Unicode("").tag(sync=True)

    def label(self) -> str:
        """The month label as shown (tests)."""
        return self.labels[self.month]

    def shown(self) -> list[str]:
        """The cards' values as shown (tests)."""
        return list(self.values[self.month])


def month_text(m: int, n: int, start_year: int, lang: str, compact: bool = False) -> str:
    """"Month 25 of 120 · Jan 2027" (month 0: before the start); compact: "Jan 2027 · 25/120"."""
    if compact:
        return (tr("month_of", lang, m=m, n=n) if m == 0
                else f"{month_label(m, start_year, lang)} · {m}/{n}")
    base = tr("month_of", lang, m=m, n=n)
    return base if m == 0 else f"{base} · {month_label(m, start_year, lang)}"


def texts(session: Session, lang: str, compact: bool = False) -> dict:
    """Every month's label and card values for the current run."""
    timeline = session.kpi_timeline()
    n = session.run.horizon
    start_year = int(session.run.params.start_year)
    per_month = [card_texts(k, lang, compact) for k in timeline]
    keep = [i for i, (key, _, _) in enumerate(per_month[0])
            if not (compact and key in PROJECTOR_SKIP)]
    cards = [{"key": per_month[0][i][0], "title": per_month[0][i][1]} for i in keep]
    return {"cards": cards,
            "labels": [month_text(m, n, start_year, lang, compact) for m in range(n + 1)],
            "values": [[row[i][2] for i in keep] for row in per_month]}


@solara.component
def KpiCards(session: Session, revision: int, compact: bool = False):
    """The month label and the cards; ``revision`` (the session's view counter) is there to
    redraw them when the run changes. The month itself arrives through
    ``Session.show_month``."""
    lang = session.lang.value
    el = KpiWidget.element(compact=compact)
    data = texts(session, lang, compact)

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
