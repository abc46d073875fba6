"""Summary statistics: the figures of a run that calibration targets name.

Each statistic is a function of one run's monthly arrays (``sim.recorder.COLUMNS``) and KPIs
(``sim.kpis.KPIs``), with the arguments a target gives it (``column``, ``kpi``, ``year``,
``month``, ``months``, ``level``). It returns a number, or None when the run never reaches the
figure (a target's ``never`` then stands in, or the draw misses the target). Months are
1-based as in the recorded ``month`` column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.kpis import KPIs

Run = Mapping[str, np.ndarray]
#: The arguments a target may give a statistic.
ARGS = ("column", "kpi", "year", "month", "months", "level")
#: Monthly columns the statistics read by name, besides a target's own ``column`` (a calibration
#: records only these and its targets' columns; tests/calibrate/test_simulator.py checks it).
READS = ("year", "potential_gain", "share_served", "service_level", "centre_fte", "shadow_fte",
         "workaround_fte")


@dataclass(frozen=True)
class Statistic:
    """One summary statistic: its function, the arguments it needs, and what it measures."""

    fn: Callable[..., float | None]
    needs: tuple[str, ...]
    doc: str


def _year_mask(r: Run, year: int) -> np.ndarray:
    mask = np.floor(r["year"] + 1e-9) == year
    if not mask.any():
        return mask
    return mask


def year_mean(r: Run, k: KPIs, column: str, year: int) -> float | None:
    mask = _year_mask(r, year)
    return float(np.nanmean(r[column][mask])) if mask.any() else None


def year_mean_over_potential(r: Run, k: KPIs, column: str, year: int) -> float | None:
    value = year_mean(r, k, column, year)
    potential = float(r["potential_gain"][0])
    return None if value is None or potential <= 0 else value / potential


def end_over_potential(r: Run, k: KPIs, column: str) -> float | None:
    potential = float(r["potential_gain"][0])
    return None if potential <= 0 else float(r[column][-1]) / potential


def last_months_mean(r: Run, k: KPIs, column: str, months: int) -> float | None:
    return float(np.nanmean(r[column][-months:]))


def value_at_month(r: Run, k: KPIs, column: str, month: int) -> float | None:
    return float(r[column][month - 1]) if month <= r[column].size else None


def max_from_month(r: Run, k: KPIs, column: str, month: int) -> float | None:
    values = r[column][month - 1:]
    return float(np.nanmax(values)) if values.size else None


def kpi(r: Run, k: KPIs, kpi: str) -> float | None:
    value = getattr(k, kpi)
    return None if value is None else float(value)


def break_even_years(r: Run, k: KPIs) -> float | None:
    return None if k.break_even_month is None else k.break_even_month / 12.0


def never_breaks_even(r: Run, k: KPIs) -> float | None:
    return 1.0 if k.break_even_month is None else 0.0


def _first_golive(r: Run) -> int | None:
    live = np.flatnonzero(r["share_served"] > 0)
    return int(live[0]) if live.size else None


def first_year_mean(r: Run, k: KPIs, column: str) -> float | None:
    g = _first_golive(r)
    return None if g is None else float(np.mean(r[column][g:g + 12]))


def max_before_golive(r: Run, k: KPIs, column: str) -> float | None:
    g = _first_golive(r)
    return None if g is None or g == 0 else float(np.max(r[column][:g]))


def months_to_share_of_year(r: Run, k: KPIs, column: str, year: int,
                            level: float) -> float | None:
    g = _first_golive(r)
    ref = year_mean(r, k, column, year)
    if g is None or ref is None:
        return None
    hit = np.flatnonzero((r[column] >= level * ref) & (np.arange(r[column].size) > g))
    return float(hit[0] - g) if hit.size else None


def months_to_fall_below(r: Run, k: KPIs, column: str, month: int,
                         level: float) -> float | None:
    w = r[column][month - 1:]
    if not w.size:
        return None
    peak = int(np.argmax(w))
    back = np.flatnonzero(w[peak:] < level)
    return float(peak + back[0]) if back.size else None


def months_below_year_before(r: Run, k: KPIs, column: str, month: int) -> float | None:
    if month < 14:
        return None
    before = float(np.mean(r[column][month - 13:month - 1]))
    below = np.flatnonzero(r[column][month - 1:] < 0.98 * before)
    return float(below[-1] + 1) if below.size else 0.0


def months_to_settle(r: Run, k: KPIs, column: str) -> float | None:
    g = _first_golive(r)
    if g is None:
        return None
    level = float(np.mean(r[column][-12:]))
    outside = np.flatnonzero(np.abs(r[column] - level) > 0.05 * level)
    return float(outside[-1] + 1 - g) if outside.size else 0.0


def first_year_over_year(r: Run, k: KPIs, column: str, year: int) -> float | None:
    first = first_year_mean(r, k, column)
    ref = year_mean(r, k, column, year)
    return None if first is None or ref is None else first / max(ref, 1e-12)


def double_work_fte(r: Run, k: KPIs, year: int) -> float | None:
    shadow = year_mean(r, k, "shadow_fte", year)
    work = year_mean(r, k, "workaround_fte", year)
    return None if shadow is None or work is None else shadow + work


def _golive_span(r: Run) -> tuple[int, int] | None:
    new = np.flatnonzero(np.diff(np.concatenate([[0.0], r["share_served"]])) > 0)
    return (int(new[0]), int(new[-1])) if new.size else None


def transition_min_service(r: Run, k: KPIs) -> float | None:
    span = _golive_span(r)
    if span is None:
        return None
    window = r["service_level"][span[0]:min(span[1] + 13, r["service_level"].size)]
    return float(np.nanmin(window))


def transition_recovery_months(r: Run, k: KPIs, level: float) -> float | None:
    span = _golive_span(r)
    if span is None:
        return None
    below = np.flatnonzero(r["service_level"][span[1]:] < level)
    return float(below[-1] + 1) if below.size else 0.0


def shadow_share_end(r: Run, k: KPIs) -> float | None:
    staff = float(np.mean(r["centre_fte"][-12:])) + float(np.mean(r["shadow_fte"][-12:]))
    return None if staff <= 0 else float(np.mean(r["shadow_fte"][-12:])) / staff


STATISTICS: dict[str, Statistic] = {
    "year_mean": Statistic(year_mean, ("column", "year"),
                           "mean of a column over one calendar year"),
    "year_mean_over_potential": Statistic(
        year_mean_over_potential, ("column", "year"),
        "a column's mean over one year divided by the plan's potential gain"),
    "end_over_potential": Statistic(end_over_potential, ("column",),
                                    "a column's last month over the plan's potential gain"),
    "last_months_mean": Statistic(last_months_mean, ("column", "months"),
                                  "mean of a column over the run's last months"),
    "value_at_month": Statistic(value_at_month, ("column", "month"),
                                "a column's value in one month"),
    "max_from_month": Statistic(max_from_month, ("column", "month"),
                                "a column's largest value from a month on"),
    "kpi": Statistic(kpi, ("kpi",), "one of the run's key figures (sim.kpis.KPIs)"),
    "break_even_years": Statistic(break_even_years, (),
                                  "years from the decision to break-even"),
    "never_breaks_even": Statistic(never_breaks_even, (),
                                   "1 when the run never breaks even within its horizon, else 0"),
    "first_year_mean": Statistic(first_year_mean, ("column",),
                                 "mean of a column over the 12 months from the first go-live"),
    "max_before_golive": Statistic(max_before_golive, ("column",),
                                   "a column's largest value before the first go-live"),
    "months_to_share_of_year": Statistic(
        months_to_share_of_year, ("column", "year", "level"),
        "months from the first go-live until a column reaches level × its mean in a year"),
    "months_to_fall_below": Statistic(
        months_to_fall_below, ("column", "month", "level"),
        "months from a month until a column, past its peak, falls below a level"),
    "months_below_year_before": Statistic(
        months_below_year_before, ("column", "month"),
        "months from a month on in which a column stays below 98 % of the year before it"),
    "months_to_settle": Statistic(
        months_to_settle, ("column",),
        "months from the first go-live until a column stays within 5 % of its last year"),
    "first_year_over_year": Statistic(
        first_year_over_year, ("column", "year"),
        "a column's mean in the year from the first go-live over its mean in a year"),
    "double_work_fte": Statistic(double_work_fte, ("year",),
                                 "shadow plus workaround staff, mean over a year (FTE)"),
    "transition_min_service": Statistic(
        transition_min_service, (),
        "lowest service from the first go-live to a year after the last"),
    "transition_recovery_months": Statistic(
        transition_recovery_months, ("level",),
        "months from the last go-live until service stays at or above a level"),
    "shadow_share_end": Statistic(
        shadow_share_end, (), "shadow staff over centre plus shadow staff, the last year"),
}


def evaluate(name: str, args: Mapping[str, Any], arrays: Run, kpis: KPIs) -> float | None:
    """The statistic ``name`` of one run, with its arguments; NaN results count as None."""
    stat = STATISTICS[name]
    value = stat.fn(arrays, kpis, **{a: args[a] for a in stat.needs})
    if value is None or not np.isfinite(value):
        return None
    return float(value)
