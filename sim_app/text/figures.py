"""The key figures (``sim.kpis.FIGURES``) in the page's language.

English labels, units and formats are the table's own; Danish labels and card titles are in
the gettext catalogue (contexts ``figure:NAME`` and ``figure_card:NAME``; a figure added
without them falls back to English on screen, and
``test_every_figure_has_danish_label_and_format`` fails).
"""

from __future__ import annotations

from functools import cache

from sim.kpis import FIGURE, Figure, KPIs, Writing, write
from sim_app.text.catalog import translate
from sim_app.text.fmt import num, unit
from sim_app.text.i18n import tr

#: The table's "missing" texts as UI keys (the app says "not yet" while a run is shown live).
MISSING: dict[str, str] = {"not reached": "kpi_not_yet", "no dip": "kpi_no_dip"}


def label(fig: Figure, lang: str) -> str:
    """A figure's label in ``lang``."""
    return translate(f"figure:{fig.name}", fig.label, lang)


def card_title(fig: Figure, lang: str, compact: bool = False) -> str:
    """A figure's card title in ``lang`` (``compact``: the projector chip's shorter one)."""
    if compact and fig.chip:
        return translate(f"figure_chip:{fig.name}", fig.chip, lang)
    return translate(f"figure_card:{fig.name}", fig.card, lang) if fig.card else ""


@cache
def writing(lang: str) -> Writing:
    """How figures are written on the page in ``lang``."""
    return Writing(number=lambda value, digits: num(value, digits, lang),
                   unit=lambda text: unit(text, lang),
                   month=tr("kpi_month", lang),
                   missing=lambda text: tr(MISSING[text], lang) if text in MISSING else text)


def shown(fig: Figure, kpis: KPIs, lang: str) -> str:
    """A figure as a card or a summary shows it: with the month it is reached at; a figure
    whose month is never reached reads as that month's "missing" text ("no dip")."""
    value = getattr(kpis, fig.name)
    if fig.at is None or value is None:
        return write(fig.name, value, writing(lang))
    at = getattr(kpis, fig.at)
    if at is None:
        return writing(lang).missing(FIGURE[fig.at].missing)
    return write(fig.name, value, writing(lang), at=at)

