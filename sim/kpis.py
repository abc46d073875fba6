"""The figures users ask for, computed from a run's monthly series (definitions: docs/model.md)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields

import numpy as np

from sim.economics import break_even_month

#: Service below this share counts as a dip month.
SERVICE_DIP_THRESHOLD = 0.95


@dataclass(frozen=True)
class KPIs:
    """Key figures of one run; ``None`` where the run never reaches the figure."""

    break_even_month: int | None
    months_to_50pct_gain: int | None
    months_to_90pct_gain: int | None
    realised_share_y3: float | None
    realised_share_y5: float | None
    realised_scale_share_y5: float | None
    realised_share_end: float | None
    potential_gain_mdkk: float
    realised_gain_end_mdkk: float
    cumulative_net_benefit_end_mdkk: float
    gain_positive_month: int | None
    min_service_level: float | None
    min_service_month: int | None
    dip_start_month: int | None
    dip_end_month: int | None
    months_service_below_95pct: int
    max_wait_weeks: float
    staff_share_peak: float
    shadow_fte_peak: float
    shadow_fte_end: float
    trust_min: float
    trust_end: float
    share_institutions_served: float

    def to_dict(self) -> dict[str, float | int | None]:
        """The KPIs as a plain dict (JSON-ready)."""
        return asdict(self)

    @classmethod
    def keys(cls) -> list[str]:
        """KPI names, in order."""
        return [f.name for f in fields(cls)]


def _first_month_reaching(gain: np.ndarray, level: float) -> int | None:
    hit = np.flatnonzero(gain >= level)
    return int(hit[0]) + 1 if hit.size else None


def _share_at(gain: np.ndarray, potential: float, month: int) -> float | None:
    if gain.size < month or potential <= 0:
        return None
    share = float(gain[month - 1]) / potential  # Python floats: an overflow is inf, no warning
    return share if math.isfinite(share) else None  # a potential too small to divide by


def dip(service: np.ndarray,
        threshold: float = SERVICE_DIP_THRESHOLD) -> tuple[float, int, int, int] | None:
    """The deepest service dip: (lowest service, its month, first and last dip month).

    A dip month has service below ``threshold``; the span is the run of consecutive dip months
    around the lowest month. None when service never fell below the threshold.
    """
    s = np.where(np.isnan(service), np.inf, service)
    if s.size == 0 or not np.isfinite(s).any():
        return None
    low = int(np.argmin(s))
    if not s[low] < threshold:
        return None
    below = s < threshold
    start = low
    while start > 0 and below[start - 1]:
        start -= 1
    end = low
    while end + 1 < s.size and below[end + 1]:
        end += 1
    return float(s[low]), low + 1, start + 1, end + 1


def compute_kpis(ts: Mapping[str, np.ndarray]) -> KPIs:
    """Compute the KPIs from a run's monthly series (arrays or DataFrame columns)."""
    gain = np.asarray(ts["realised_gain"], dtype=float)
    potential = float(np.asarray(ts["potential_gain"])[0])
    service = np.asarray(ts["service_level"], dtype=float)
    seen = service[~np.isnan(service)]
    shadow = np.asarray(ts["shadow_fte"], dtype=float)
    trust = np.asarray(ts["trust_mean"], dtype=float)
    due = np.asarray(ts["potential_due_gain"], dtype=float)
    positive = potential > 0
    low = dip(service)
    return KPIs(
        break_even_month=break_even_month(np.asarray(ts["cumulative_net_benefit"])),
        months_to_50pct_gain=_first_month_reaching(gain, 0.5 * potential) if positive else None,
        months_to_90pct_gain=_first_month_reaching(gain, 0.9 * potential) if positive else None,
        realised_share_y3=_share_at(gain, potential, 36),
        realised_share_y5=_share_at(gain, potential, 60),
        realised_scale_share_y5=(_share_at(gain, float(due[59]), 60) if due.size >= 60
                                 else None),
        realised_share_end=_share_at(gain, potential, gain.size),
        potential_gain_mdkk=potential,
        realised_gain_end_mdkk=float(gain[-1]),
        cumulative_net_benefit_end_mdkk=float(np.asarray(ts["cumulative_net_benefit"])[-1]),
        # the month the annual gain breaks even for good (same rule as the cumulative one)
        gain_positive_month=break_even_month(gain),
        min_service_level=float(seen.min()) if seen.size else None,
        min_service_month=low[1] if low else None,
        dip_start_month=low[2] if low else None,
        dip_end_month=low[3] if low else None,
        months_service_below_95pct=int((seen < SERVICE_DIP_THRESHOLD).sum()),
        max_wait_weeks=float(np.max(np.asarray(ts["wait_weeks"], dtype=float))),
        staff_share_peak=float(np.max(np.asarray(ts["staff_share"], dtype=float))),
        shadow_fte_peak=float(shadow.max()),
        shadow_fte_end=float(shadow[-1]),
        trust_min=float(trust.min()),
        trust_end=float(trust[-1]),
        share_institutions_served=float(np.asarray(ts["share_served"])[-1]),
    )


#: How a figure is written: a month of the run, a duration or count with its unit, a share as a
#: percentage, an amount with its unit, a value on a 0–1 scale.
FORMATS: tuple[str, ...] = ("month", "count", "share", "amount", "scale")
#: Where a figure is shown besides the command line and the sweeps (which show every figure):
#: the app's cards, the projector's chips, the one-page summary.
PLACES: tuple[str, ...] = ("card", "chip", "summary")


@dataclass(frozen=True)
class Figure:
    """One key figure: its name (a :class:`KPIs` field), how it is called and written.

    Attributes:
        name: The :class:`KPIs` field.
        label: Plain-language English label (tables, reports, the summary).
        unit: Unit, in the parameter definition's vocabulary ("month", "share", "FTE", ...).
        fmt: How it is written, one of :data:`FORMATS`.
        columns: The monthly series it is computed from.
        digits: Decimals written.
        card: The short English title of its card ("" when it has none).
        chip: A shorter title for the projector's one-line chips ("" : the card's).
        places: Where it is shown, from :data:`PLACES`.
        at: The figure giving the month this one is reached at (written after it), if any.
        missing: English text for a figure the run does not reach.
    """

    name: str
    label: str
    unit: str
    fmt: str
    columns: tuple[str, ...]
    digits: int = 0
    card: str = ""
    chip: str = ""
    places: frozenset[str] = frozenset()
    at: str | None = None
    missing: str = "not reached"


_GAIN = ("realised_gain", "potential_gain")
_BOTH, _CARD, _SUMMARY = frozenset({"card", "chip"}), frozenset({"card"}), frozenset({"summary"})

#: The one table of key figures, in the order of :class:`KPIs`. The command line, the app's
#: cards, the summary and the sweep reports read it; a figure added to :class:`KPIs` is added
#: here (and its Danish label to the app's catalogue; a test names what is missing).
FIGURES: tuple[Figure, ...] = (
    Figure("break_even_month", "Break-even (cumulative net benefit ≥ 0 for good)", "month",
           "month", ("cumulative_net_benefit",), card="Break-even", places=_BOTH | _SUMMARY),
    Figure("months_to_50pct_gain", "Months until 50 % of the potential gain", "months", "month",
           _GAIN, card="50 % of the gain", chip="50 % of gain", places=_BOTH),
    Figure("months_to_90pct_gain", "Months until 90 % of the potential gain", "months", "month",
           _GAIN, card="90 % of the gain", places=_CARD),
    Figure("realised_share_y3", "Share of potential realised after 3 years", "share", "share",
           _GAIN),
    Figure("realised_share_y5", "Share of the full potential realised after 5 years", "share",
           "share", _GAIN, card="Full potential, year 5",
           places=_CARD | _SUMMARY),
    Figure("realised_scale_share_y5", "Share of the gain due by year 5 realised", "share",
           "share",
           ("realised_gain", "potential_due_gain"), card="Gain due, year 5",
           places=_CARD | _SUMMARY),
    Figure("realised_share_end", "Share of potential realised at the end", "share", "share",
           _GAIN),
    Figure("potential_gain_mdkk", "Business-case potential gain", "mio. kr./year", "amount",
           ("potential_gain",), digits=1, places=_SUMMARY),
    Figure("realised_gain_end_mdkk", "Realised gain at the end", "mio. kr./year", "amount",
           ("realised_gain",), digits=1, places=_SUMMARY),
    Figure("cumulative_net_benefit_end_mdkk", "Cumulative net benefit at the end", "mio. kr.",
           "amount", ("cumulative_net_benefit",), digits=1, places=_SUMMARY),
    Figure("gain_positive_month", "Annual gain positive for good (realised gain ≥ 0)", "month",
           "month", ("realised_gain",), card="Gains arrive", places=_BOTH | _SUMMARY),
    Figure("min_service_level", "Deepest service level", "share", "share", ("service_level",),
           card="Deepest service dip", chip="Deepest dip", places=_BOTH | _SUMMARY,
           at="min_service_month"),
    Figure("min_service_month", "Month of the deepest service level", "month", "month",
           ("service_level",), missing="no dip"),
    Figure("dip_start_month", "First month of the deepest dip (service < 95 %)", "month",
           "month", ("service_level",), missing="no dip"),
    Figure("dip_end_month", "Last month of the deepest dip (service < 95 %)", "month", "month",
           ("service_level",), missing="no dip"),
    Figure("months_service_below_95pct", "Months with service below 95 %", "months", "count",
           ("service_level",)),
    Figure("max_wait_weeks", "Longest extra wait for a case", "weeks", "amount",
           ("wait_weeks",), digits=1, places=_SUMMARY),
    Figure("staff_share_peak", "Staff on the task at its peak, against before", "share",
           "share", ("staff_share",), places=_SUMMARY),
    Figure("shadow_fte_peak", "Shadow staff at peak", "FTE", "amount", ("shadow_fte",),
           places=_SUMMARY),
    Figure("shadow_fte_end", "Shadow staff at the end", "FTE", "amount", ("shadow_fte",),
           card="Shadow staff now", chip="Shadow staff", places=_BOTH),
    Figure("trust_min", "Mean trust at its lowest", "0–1", "scale", ("trust_mean",), digits=2,
           places=_SUMMARY),
    Figure("trust_end", "Mean trust at the end", "0–1", "scale", ("trust_mean",), digits=2,
           places=_SUMMARY),
    Figure("share_institutions_served", "Institutions served at the end", "share", "share",
           ("share_served",)),
)
#: The table by name.
FIGURE: dict[str, Figure] = {f.name: f for f in FIGURES}


def unit_of(name: str) -> str:
    """A figure's unit, or an empty string for a name that is not a key figure."""
    fig = FIGURE.get(name)
    return fig.unit if fig else ""


def shown_in(place: str) -> tuple[Figure, ...]:
    """The figures shown in ``place`` (one of :data:`PLACES`), in table order."""
    if place not in PLACES:
        raise ValueError(f"unknown place {place!r}; allowed: {', '.join(PLACES)}")
    return tuple(f for f in FIGURES if place in f.places)


def _english_number(value: float, digits: int) -> str:
    return f"{value:,.{digits}f}"


@dataclass(frozen=True)
class Writing:
    """How figures are written in one language (the app supplies Danish; English is the default).

    Attributes:
        number: ``(value, digits) -> text`` in the language's convention.
        unit: An English unit in the language.
        month: A month of the run, with ``{m}``.
        missing: Text by a figure's English ``missing`` text (default: that text itself).
        min_digits: The fewest decimals of a share or an amount (the command line writes one).
    """

    number: Callable[[float, int], str] = _english_number
    unit: Callable[[str], str] = str
    month: str = "month {m}"
    missing: Callable[[str], str] = str
    min_digits: int = 0


ENGLISH = Writing()


def write(name: str, value: float | int | None, writing: Writing = ENGLISH,
          at: int | None = None) -> str:
    """A figure's value as text, with its unit (and the month ``at`` it is reached, if given).

    Raises:
        KeyError: ``name`` is not in :data:`FIGURES`.
    """
    fig = FIGURE[name]
    if value is None:
        return writing.missing(fig.missing)
    if isinstance(value, float) and math.isnan(value):
        return "–"
    digits = max(fig.digits, writing.min_digits)
    if fig.fmt == "month":  # a median of months may fall between two
        whole = float(value).is_integer()
        text = writing.month.format(m=int(value) if whole else writing.number(value, 1))
    elif fig.fmt == "share":
        text = f"{writing.number(100 * value, digits)} %"
    elif fig.fmt == "scale":
        text = writing.number(value, fig.digits)
    elif fig.fmt == "count":
        text = f"{writing.number(value, 0)} {writing.unit(fig.unit)}"
    else:
        text = f"{writing.number(value, digits)} {writing.unit(fig.unit)}"
    if at is not None:
        text += f" ({writing.month.format(m=int(at))})"
    return text


#: The monthly series :func:`compute_kpis` reads (a run recording only these has all its KPIs).
KPI_SERIES: tuple[str, ...] = tuple(dict.fromkeys(c for f in FIGURES for c in f.columns))
