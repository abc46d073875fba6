"""The key figures (``sim.kpis.FIGURES``) in the page's language.

English labels, units and formats are the table's own; Danish labels live here, keyed by the
figure's name (a figure added without one falls back to English on screen, and
``test_every_figure_has_danish_label_and_format`` fails).
"""

from __future__ import annotations

from functools import cache

from sim.kpis import FIGURE, Figure, KPIs, Writing, write
from sim_app.text.fmt import num, unit
from sim_app.text.i18n import tr

#: Danish (label, card title) of each key figure ("" where the figure has no card).
FIGURES_DA: dict[str, tuple[str, str]] = {
    "break_even_month": ("Break-even (akkumuleret nettogevinst ≥ 0 for altid)", "Break-even"),
    "months_to_50pct_gain": ("Måneder til 50 % af den mulige gevinst", "50 % af gevinsten"),
    "months_to_90pct_gain": ("Måneder til 90 % af den mulige gevinst", "90 % af gevinsten"),
    "realised_share_y3": ("Andel af potentialet realiseret efter 3 år", ""),
    "realised_share_y5": ("Andel af potentialet realiseret efter 5 år", ""),
    "realised_share_end": ("Andel af potentialet realiseret til sidst", ""),
    "potential_gain_mdkk": ("Potentiale i business case", ""),
    "realised_gain_end_mdkk": ("Realiseret gevinst til sidst", ""),
    "cumulative_net_benefit_end_mdkk": ("Akkumuleret nettogevinst til sidst", ""),
    "gain_positive_month": ("Årlig gevinst positiv for altid (realiseret gevinst ≥ 0)",
                            "Gevinsten kommer"),
    "min_service_level": ("Laveste serviceniveau", "Dybeste servicedyk"),
    "min_service_month": ("Måned med laveste serviceniveau", ""),
    "dip_start_month": ("Første måned i det dybeste dyk (service < 95 %)", ""),
    "dip_end_month": ("Sidste måned i det dybeste dyk (service < 95 %)", ""),
    "months_service_below_95pct": ("Måneder med service under 95 %", ""),
    "shadow_fte_peak": ("Skyggeårsværk på toppen", ""),
    "shadow_fte_end": ("Skyggeårsværk til sidst", "Skyggeårsværk nu"),
    "trust_end": ("Gennemsnitlig tillid til sidst", ""),
    "share_institutions_served": ("Institutioner betjent til sidst", ""),
}

#: The table's "missing" texts as UI keys (the app says "not yet" while a run is shown live).
MISSING: dict[str, str] = {"not reached": "kpi_not_yet", "no dip": "kpi_no_dip"}


def label(fig: Figure, lang: str) -> str:
    """A figure's label in ``lang``."""
    return FIGURES_DA.get(fig.name, (fig.label, ""))[0] if lang == "da" else fig.label


def card_title(fig: Figure, lang: str) -> str:
    """A figure's card title in ``lang``."""
    if lang == "da":
        return FIGURES_DA.get(fig.name, ("", ""))[1] or fig.card
    return fig.card


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

