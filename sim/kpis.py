"""The figures users ask for, computed from a run's monthly series (definitions: docs/model.md)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

import numpy as np

from sim.economics import break_even_month

#: Service below this share counts as a dip month.
SERVICE_DIP_THRESHOLD = 0.95
#: The monthly series :func:`compute_kpis` reads (a run recording only these has all its KPIs).
KPI_SERIES: tuple[str, ...] = ("realised_gain", "potential_gain", "potential_due_gain",
                               "service_level", "wait_weeks", "shadow_fte", "staff_share",
                               "cumulative_net_benefit", "trust_mean", "share_served")


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


#: Unit and plain-language label of each KPI (for tables, cards and reports).
KPI_LABELS: dict[str, tuple[str, str]] = {
    "break_even_month": ("Break-even (cumulative net benefit ≥ 0 for good)", "month"),
    "months_to_50pct_gain": ("Months until 50 % of the potential gain", "months"),
    "months_to_90pct_gain": ("Months until 90 % of the potential gain", "months"),
    "realised_share_y3": ("Share of potential realised after 3 years", "share"),
    "realised_share_y5": ("Share of potential realised after 5 years", "share"),
    "realised_scale_share_y5": ("Share of the gain due after 5 years realised (the scale gain "
                                "and any digitalisation dated before then)", "share"),
    "realised_share_end": ("Share of potential realised at the end", "share"),
    "potential_gain_mdkk": ("Business-case potential gain", "mio. kr./year"),
    "realised_gain_end_mdkk": ("Realised gain at the end", "mio. kr./year"),
    "cumulative_net_benefit_end_mdkk": ("Cumulative net benefit at the end", "mio. kr."),
    "gain_positive_month": ("Annual gain positive for good (realised gain ≥ 0)", "month"),
    "min_service_level": ("Deepest service level", "share"),
    "min_service_month": ("Month of the deepest service level", "month"),
    "dip_start_month": ("First month of the deepest dip (service < 95 %)", "month"),
    "dip_end_month": ("Last month of the deepest dip (service < 95 %)", "month"),
    "months_service_below_95pct": ("Months with service below 95 %", "months"),
    "max_wait_weeks": ("Longest extra wait for a case", "weeks"),
    "staff_share_peak": ("Staff on the task at its peak, against before", "share"),
    "shadow_fte_peak": ("Shadow staff at peak", "FTE"),
    "shadow_fte_end": ("Shadow staff at the end", "FTE"),
    "trust_min": ("Mean trust at its lowest", "0–1"),
    "trust_end": ("Mean trust at the end", "0–1"),
    "share_institutions_served": ("Institutions served at the end", "share"),
}
