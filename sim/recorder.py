"""Monthly time series: the one list of recorded columns, and their recording.

:data:`SERIES` is the single definition of every recorded column (name, unit, meaning); the
sweep engine, the app and ``docs/api.md`` (its table is generated from it and checked by a test)
read it from here. :func:`observe` computes one month's row from the model's families and books;
:class:`Recorder` stores rows in a preallocated numpy array (no pandas in the step).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from sim.agents.institution import LEFT, SERVED, TRANSITION
from sim.kpis import KPI_SERIES
from sim.units import MONTHS_PER_YEAR, WEEKS_PER_MONTH

if TYPE_CHECKING:
    from sim.model import SharedServiceModel


class Series(NamedTuple):
    """One recorded column."""

    name: str
    unit: str
    meaning: str
    integer: bool = False


#: Every recorded column, in order.
SERIES: tuple[Series, ...] = (
    Series("month", "month", "month since the decision (1 = first simulated month)", True),
    Series("year", "year", "calendar year as a decimal (`start_year + (month-1)/12`)"),
    Series("n_waiting", "count", "institutions waiting for their wave", True),
    Series("n_transition", "count", "institutions live, within their notice period", True),
    Series("n_served", "count", "institutions live and past their notice period", True),
    Series("n_left", "count", "institutions that took the task back from the centre", True),
    Series("share_served", "share", "institutions live (in transition or served) / all"),
    Series("local_fte", "FTE", "local staff on the task (legitimately local + awaiting release)"),
    Series("shadow_fte", "FTE", "local staff doing work the centre is meant to do"),
    Series("centre_fte", "FTE", "staff in the shared-service centre(s)"),
    Series("total_fte", "FTE", "local + shadow + centre"),
    Series("staff_share", "share", "total_fte over the staff on the task before the reform"),
    Series("workaround_fte", "FTE", "local staff time spent on the centre's errors (double "
           "administration), FTE-equivalent; not in total_fte"),
    Series("informal_fte", "FTE", "shadow work cut by order that goes on informally, "
           "FTE-equivalent; not in shadow_fte or total_fte"),
    Series("takeback_fte", "FTE", "local time spent doing the centre's work again while its "
           "service falls short, FTE-equivalent; not in total_fte"),
    Series("experienced_share", "share", "centre staff who know the task (the rest are novices);"
           " NaN while the centre has no staff"),
    Series("hires_fte", "FTE/month", "hired this month (centre, shadow functions, institutions "
           "that took the task back)"),
    Series("leavers_fte", "FTE/month", "left this month (attrition, notice, release, relocation)"),
    Series("transfers_fte", "FTE/month", "moved from institutions to the centre(s) this month "
           "(with the work at go-live, or later into a centre's vacancies)"),
    Series("demand", "FTE-months", "work arriving at the centre(s) this month, in baseline "
           "FTE-months"),
    Series("processed", "FTE-months", "work done by the centre(s)"),
    Series("backlog", "FTE-months", "work waiting at the centre(s) at month end"),
    Series("wait_weeks", "weeks", "extra waiting time of a case: backlog over the month's "
           "processed work (Little's law), in weeks"),
    Series("productivity", "× baseline", "centre work per FTE-month at full effort (learning × "
           "dip); NaN before the first go-live"),
    Series("work_per_fte", "× baseline", "work actually done per centre FTE (the source's "
           "measure); NaN while the centre has no staff"),
    Series("service_level", "share", "mean service experienced by live institutions (NaN "
           "before go-live)"),
    Series("error_rate", "share", "share of the centre(s)' cases with errors (work-weighted)"),
    Series("centres_responding", "count", "centres whose failure response is on", True),
    Series("programme_status", "code", "the programme owner's status: 0 running, 1 paused, "
           "2 re-scoped, 3 ended", True),
    Series("trust_mean", "0–1", "managers' mean trust"),
    Series("trust_paying_more", "0–1", "mean trust of managers whose live institution pays more "
           "than its own former cost; NaN when none does"),
    Series("trust_p10", "0–1", "10th percentile of managers' trust"),
    Series("trust_p90", "0–1", "90th percentile of managers' trust"),
    Series("expected_service", "share", "managers' mean expected service (their reference "
           "point)"),
    Series("share_paying_more", "share", "live institutions paying the centre more than their "
           "own former cost of the work (0 without charging)"),
    Series("price_ratio_max", "ratio", "highest price over own former cost among live "
           "institutions (0 without charging)"),
    Series("digital_reduction", "share", "share of the task's work removed by digitalisation"),
    Series("baseline_cost", "mio. kr./year", "annual cost of the task before the reform"),
    Series("running_cost", "mio. kr./year", "annual running cost now"),
    Series("failure_cost", "mio. kr./year", "part of the running cost due to poor service: work "
           "waiting (bounded per case) and emergency staff"),
    Series("transition_cost", "mio. kr./year", "part of the running cost paid twice while the "
           "work moves: local surplus awaiting release and centre staff hired ahead"),
    Series("realised_gain", "mio. kr./year", "baseline − running cost"),
    Series("potential_gain", "mio. kr./year", "the business case's promised annual gain"),
    Series("potential_due_gain", "mio. kr./year", "the part of it due by this month: the scale "
           "gain and the digitalisation the plan dates by now"),
    Series("one_off_cost", "mio. kr.", "one-off costs paid this month"),
    Series("cumulative_net_benefit", "mio. kr.", "Σ (realised_gain/12 − one_off_cost)"),
)

#: Recorded column names, in order.
COLUMNS: tuple[str, ...] = tuple(s.name for s in SERIES)
#: Unit of each column.
UNITS: dict[str, str] = {s.name: s.unit for s in SERIES}
#: Columns that may hold NaN (with the reason in their meaning).
NAN_COLUMNS: tuple[str, ...] = ("productivity", "work_per_fte", "service_level",
                                 "experienced_share", "trust_paying_more")
#: Columns every run records: ``month`` and those the KPIs are computed from.
CORE: tuple[str, ...] = ("month", *KPI_SERIES)
_INT_COLUMNS = tuple(s.name for s in SERIES if s.integer)


def _rowsum(x: np.ndarray) -> np.ndarray:
    return np.add.reduce(x, axis=1, keepdims=True)


def _share(num: np.ndarray, den: np.ndarray, empty: float) -> np.ndarray:
    """``num / den`` per member, ``empty`` where ``den`` is 0."""
    return np.where(den > 0, np.divide(num, den, out=np.zeros(np.shape(num)), where=den > 0),
                    empty)


def _mean(x: np.ndarray) -> np.ndarray:
    """Each member's mean over its agents (``x.mean()`` of its row, the same value)."""
    return _rowsum(x) / x.shape[1]


def _masked_mean(x: np.ndarray, mask: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Each member's mean of ``x`` over ``mask`` (``count`` of them), NaN where none."""
    return _share(_rowsum(np.where(mask, x, 0.0)), count, np.nan)


def quantiles(values: np.ndarray, *qs: float) -> tuple[np.ndarray, ...]:
    """Each member's quantiles of ``values`` (members × agents) with numpy's default (linear)
    rule, from one sort (faster than percentile)."""
    ordered = np.sort(values, axis=1)
    n = ordered.shape[1]
    out = []
    for q in qs:
        pos = q * (n - 1)
        lo = int(pos)
        hi = min(lo + 1, n - 1)
        out.append(ordered[:, lo:lo + 1] + (ordered[:, hi:hi + 1] - ordered[:, lo:lo + 1])
                   * (pos - lo))
    return tuple(out)


def _phase_counts(phase: np.ndarray) -> np.ndarray:
    """Institutions per phase, members × 4."""
    m = phase.shape[0]
    if m == 1:
        return np.bincount(phase[0], minlength=4)[np.newaxis]
    offset = phase + (np.arange(m) * 4)[:, np.newaxis]
    return np.bincount(offset.ravel(), minlength=4 * m).reshape(m, 4)


def observe(model: SharedServiceModel, detail: bool = True) -> dict[str, np.ndarray | float]:
    """The month's row of every member from the families and the books (each value one
    number, or members × 1).

    Args:
        model: The model, after its month's phases.
        detail: Every column of :data:`SERIES` if True; else only :data:`CORE`, the columns
            the KPIs are computed from (a few sums instead of some forty).
    """
    books, inst, ctr = model.ledger, model.inst, model.ctr
    phase = inst.phase
    counts = _phase_counts(phase)
    n_live = counts[:, TRANSITION:TRANSITION + 1] + counts[:, SERVED:SERVED + 1]
    live = inst.live
    processed = _rowsum(ctr.processed)
    backlog = _rowsum(ctr.backlog)
    row = {
        "month": model.steps,
        "shadow_fte": books.shadow_fte,
        "staff_share": (books.local_fte + books.shadow_fte + books.centre_fte)
        / model.baseline_fte,
        "share_served": n_live / phase.shape[1],
        "service_level": _masked_mean(inst.service, live, n_live),
        "wait_weeks": _share(backlog / np.where(processed > 0, processed, 1.0)
                             * WEEKS_PER_MONTH, processed > 0, 0.0),
        "trust_mean": _mean(model.mgr.trust),
        "realised_gain": books.realised_gain, "potential_gain": books.potential_gain,
        "potential_due_gain": books.potential_due_gain,
        "cumulative_net_benefit": books.cumulative_net_benefit,
    }
    if detail:
        row.update(_detail(model, counts, n_live, live))
    return row


def _detail(model: SharedServiceModel, counts: np.ndarray, n_live: np.ndarray,
            live: np.ndarray) -> dict[str, np.ndarray | float]:
    """The columns of :data:`SERIES` that are not in :data:`CORE` (``counts`` of institutions
    per phase, ``n_live`` of them live, ``live`` their mask: from :func:`observe`)."""
    p, inst, ctr, mgr, books = model.p, model.inst, model.ctr, model.mgr, model.ledger
    month = model.steps
    local, shadow, centre = books.local_fte, books.shadow_fte, books.centre_fte
    started = ctr.first_golive > 0
    n_started = np.count_nonzero(started, axis=1, keepdims=True)
    weight = _rowsum(np.where(started, ctr.full_work, 0.0))
    productivity = np.where(
        n_started > 0, _rowsum(np.where(started, ctr.productivity * ctr.full_work, 0.0))
        / np.where(n_started > 0, weight, 1.0), np.nan)
    processed = _rowsum(ctr.processed)
    p10, p90 = quantiles(mgr.trust, 0.1, 0.9)
    n_left = counts[:, LEFT:LEFT + 1]
    staffed = centre > 1e-9
    paying = live & (inst.price_ratio > 1.0)
    n_paying = np.count_nonzero(paying, axis=1, keepdims=True)
    return {
        "year": p.start_year + (month - 1) / MONTHS_PER_YEAR,
        "n_waiting": inst.phase.shape[1] - n_live - n_left,
        "n_transition": counts[:, TRANSITION:TRANSITION + 1],
        "n_served": counts[:, SERVED:SERVED + 1],
        "n_left": n_left,
        "local_fte": local, "centre_fte": centre,
        "total_fte": local + shadow + centre,
        "workaround_fte": books.workaround_fte,
        "informal_fte": books.informal_fte, "takeback_fte": books.takeback_fte,
        "experienced_share": _share(_rowsum(ctr.experienced), np.where(staffed, centre, 0.0),
                                    np.nan),
        "hires_fte": _rowsum(ctr.hired) + _rowsum(inst.shadow_hired) + _rowsum(inst.rehired),
        "leavers_fte": ctr.relocated + (_rowsum(ctr.left) + _rowsum(inst.left)),
        "transfers_fte": inst.transferred + _rowsum(ctr.recruited),
        "demand": _rowsum(ctr.demand), "processed": processed,
        "backlog": _rowsum(ctr.backlog),
        "productivity": productivity,
        "work_per_fte": _share(processed, np.where(staffed, centre, 0.0), np.nan),
        "error_rate": _share(_rowsum(ctr.errors * ctr.processed), processed, 0.0),
        "centres_responding": np.count_nonzero(ctr.responding, axis=1, keepdims=True),
        "programme_status": model.owner.status,
        "trust_p10": p10, "trust_p90": p90,
        "trust_paying_more": _masked_mean(mgr.trust, paying, n_paying),
        "expected_service": _mean(mgr.expected),
        "share_paying_more": _share(n_paying, n_live, 0.0),
        "price_ratio_max": np.max(inst.price_ratio, axis=1, where=live, initial=0.0,
                                  keepdims=True),
        "digital_reduction": model.digital,
        "baseline_cost": books.baseline_cost, "running_cost": books.running_cost,
        "failure_cost": books.failure_cost, "transition_cost": books.transition_cost,
        "one_off_cost": books.one_off_cost,
    }


class Recorder:
    """Holds one row per simulated month and member, of all columns or of a chosen few."""

    def __init__(self, months: int, columns: Iterable[str] | None = None,
                 members: int = 1) -> None:
        """Allocate room for ``months`` rows of each of ``members`` members.

        Args:
            months: The horizon.
            columns: The columns to record (None: all of :data:`COLUMNS`). ``month`` and the
                KPIs' columns (:data:`CORE`) are always recorded; a recorder that needs no
                other column computes each month's row from a few sums.
            members: How many members the model steps.

        Raises:
            ValueError: for a name that is not a recorded column.
        """
        if columns is None:
            self.columns = COLUMNS
        else:
            wanted = set(columns)
            unknown = sorted(wanted - set(COLUMNS))
            if unknown:
                raise ValueError(f"unknown column(s) {', '.join(map(repr, unknown))}; allowed: "
                                 f"{', '.join(COLUMNS)}")
            self.columns = tuple(c for c in COLUMNS if c in wanted or c in CORE)
        self.detail = not set(self.columns) <= set(CORE)
        self._index = {name: i for i, name in enumerate(self.columns)}
        self.data = np.full((members, months, len(self.columns)), np.nan)
        self.rows = 0

    def record(self, model: SharedServiceModel) -> None:
        """Append the model's month, for every member (see :func:`observe`)."""
        values = observe(model, self.detail)
        data, r = self.data, self.rows
        for j, name in enumerate(self.columns):
            data[:, r, j:j + 1] = values[name]
        self.rows += 1

    def column(self, name: str, member: int = 0) -> np.ndarray:
        """One column over the months recorded so far (a view, do not modify)."""
        try:
            i = self._index[name]
        except KeyError:
            raise KeyError(f"column {name!r} is not recorded in this run; recorded: "
                           f"{', '.join(self.columns)}") from None
        return self.data[member, : self.rows, i]

    def arrays(self, member: int = 0) -> dict[str, np.ndarray]:
        """Every recorded column of one member over the months recorded so far (copies)."""
        block = self.data[member, : self.rows]
        return {name: block[:, i].copy() for i, name in enumerate(self.columns)}

    def frame(self, member: int = 0) -> pd.DataFrame:
        """One member's months recorded so far as a DataFrame, one row per month."""
        return to_frame(self.arrays(member))


def to_frame(arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    """Turn recorded arrays into a DataFrame with integer count columns."""
    df = pd.DataFrame(arrays)
    for name in _INT_COLUMNS:
        if name in df:
            df[name] = df[name].astype("int64")
    return df
