"""The month shown and the KPI cards above the charts, describing the months shown so far.

The texts of every month (0..horizon) are computed once per run and sent to one small
browser widget (``kpi_cards.vue``); live play then only sets the widget's ``month``, and
only this small component renders. In the projector view the cards are compact one-line
chips.
"""

from __future__ import annotations

import ipyvuetify
import solara
import traitlets

from sim.kpis import KPIs, shown_in
from sim_app.charts.widget import Payload
from sim_app.export.summary_options import range_text
from sim_app.session.predictive import PARAMS
from sim_app.session.shared import CARD_TEXTS
from sim_app.session.state import Session
from sim_app.text.figures import card_title, shown
from sim_app.text.fmt import month_label
from sim_app.text.i18n import tr


def card_texts(k: KPIs, lang: str, compact: bool = False) -> list[tuple[str, str, str]]:
    """(figure name, title, value text) for each card of ``sim.kpis.FIGURES`` (``compact``:
    the projector's chips)."""
    return [(fig.name, card_title(fig, lang, compact), shown(fig, k, lang))
            for fig in shown_in("chip" if compact else "card")]


class KpiWidget(ipyvuetify.VuetifyTemplate):
    """The month label and the cards; see ``kpi_cards.vue``."""

    template_file = (__file__, "kpi_cards.vue")

    cards = traitlets.List().tag(sync=True)  # [{key, title}]
    labels = traitlets.List().tag(sync=True)  # per month: "Month m of n · Jan 2027"
    values = traitlets.List().tag(sync=True)  # per month: one text per card
    month = traitlets.Int(0).tag(sync=True)
    compact = traitlets.Bool(False).tag(sync=True)
    ranges = traitlets.List().tag(sync=True)  # per card: its 10–90 % over the band's runs
    range_note = traitlets.Unicode("").tag(sync=True)  # what the ranges include
    range_month = traitlets.Int(-1).tag(sync=True)  # the month they are shown at (the end)
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


def range_texts(session: Session, lang: str) -> dict:
    """Each card's 10–90 % over the band's replications at the end of the horizon, and what
    they include ("seeds and parameters"); empty while there is no band."""
    shown = session.shown.peek()
    if shown.band_kpis is None or not shown.band_kpis:
        return {"ranges": [], "range_note": "", "range_month": -1}
    ranges = [range_text(fig.name, [getattr(k, fig.name) for k in shown.band_kpis], lang)
              for fig in shown_in("card")]
    note = tr("card_ranges", lang, n=len(shown.band_kpis),
              what=tr("unc_params" if shown.band_plan is not None
                      and shown.band_plan.mode == PARAMS else "unc_seeds", lang).lower())
    return {"ranges": ranges, "range_note": note, "range_month": shown.run.horizon}


def texts(session: Session, lang: str, compact: bool = False) -> dict:
    """Every month's label and card values for the current run."""
    timeline = session.kpi_timeline()
    n = session.run.horizon
    start_year = int(session.run.params.start_year)
    per_month = [card_texts(k, lang, compact) for k in timeline]
    return {"cards": [{"key": key, "title": title} for key, title, _ in per_month[0]],
            "labels": [month_text(m, n, start_year, lang, compact) for m in range(n + 1)],
            "values": [[value for _, _, value in row] for row in per_month]}


@solara.component
def KpiCards(session: Session, compact: bool = False):
    """The month label and the cards. Every month's texts are made once per run and
    language; the month shown (read from the session's state) picks which the browser
    shows, so a month of live play renders only this leaf."""
    lang = session.lang.value
    shown = session.shown.value
    month = session.month_shown.value
    # the texts depend on the run alone: a band or a baseline arriving does not redo them,
    # and every session shown the same run shares them (``sim_app.session.shared``)
    data = solara.use_memo(
        lambda: CARD_TEXTS.get((shown.run,), (lang, compact),
                               lambda: Payload(texts(session, lang, compact))),
        [shown.run, lang, compact])
    # the band's ranges at the end (not on the projector's one-line chips)
    ranges = solara.use_memo(
        lambda: ({"ranges": [], "range_note": "", "range_month": -1} if compact
                 else range_texts(session, lang)), [shown.band_kpis, lang, compact])
    el = KpiWidget.element(compact=compact, month=min(month, len(data.value["labels"]) - 1),
                           **ranges)

    def push():
        widget = solara.get_widget(el)
        with widget.hold_sync():
            widget.cards = data.value["cards"]
            widget.labels = data.value["labels"]
            widget.values = data.value["values"]

    solara.use_effect(push, [data])
    return el
