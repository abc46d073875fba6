"""Monthly time series: the one list of recorded columns, and their recording.

:data:`SERIES` is the single definition of every recorded column (name, unit, meaning); the
sweep engine, the app and ``docs/api.md`` (its table is generated from it and checked by a test)
read it from here. :class:`Recorder` keeps each month's state and stores the rows computed from
it (``sim.observation``) in a preallocated numpy array (no pandas in the step).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from sim import observation
from sim.kpis import KPI_SERIES

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


#: Most months kept before their columns are computed: a block's columns take a few dozen
#: numpy calls whatever its length, so a run of the default's ten years computes them once
#: (a cost setting, not a rule of the model).
BLOCK_MONTHS = 120
#: Most bytes of agents' arrays kept per block: memory stays bounded for any ensemble, and a
#: block stays within a core's second-level cache (1 MiB on the machine measured:
#: ``docs/sweeps.md``), so a big ensemble's copies and columns do not wait on memory.
BLOCK_BYTES = 2**20


class Recorder:
    """Holds one row per simulated month and member, of all columns or of a chosen few.

    Each month, :meth:`record` keeps a copy of the state the columns are computed from
    (``sim.observation``); the columns of a block of months are computed together, when the
    block is full or a column is read, so reading mid-run always sees every month recorded.
    """

    def __init__(self, months: int, columns: Iterable[str] | None = None,
                 members: int = 1) -> None:
        """Allocate room for ``months`` rows of each of ``members`` members.

        Args:
            months: The horizon.
            columns: The columns to record (None: all of :data:`COLUMNS`). ``month`` and the
                KPIs' columns (:data:`CORE`) are always recorded; a recorder that needs no
                other column keeps less of each month.
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
        self._data = np.full((members, months, len(self.columns)), np.nan)
        self.rows = 0
        keep = None if self.detail else observation.CORE_SOURCES
        self._member_get = observation.getters(observation.MEMBER_SOURCES, keep)
        self._read_members = observation.reader(observation.MEMBER_SOURCES, keep)
        self._array_get = (observation.getters(observation.CENTRE_SOURCES, keep)
                           + observation.getters(observation.AGENT_SOURCES, keep))
        self._done = 0  # months whose columns are computed
        self._kept: np.ndarray | None = None  # member sources: key × month × members × 1
        self._arrays: list[np.ndarray] = []  # array sources: month × members × agents
        self._block = 1
        self._start_year: object = None
        self._baseline: np.ndarray | None = None

    def record(self, model: SharedServiceModel) -> None:
        """Keep the model's month, for every member (its columns: ``sim.observation``)."""
        if self._kept is None:
            self._open(model)
        b = self.rows - self._done
        kept = self._kept
        if kept.shape[2] == 1:  # one member: its numbers in one assignment
            kept[:, b, 0, 0] = [v.item() if type(v) is np.ndarray else v
                                for v in self._read_members(model)]
        else:
            for k, (_, read) in enumerate(self._member_get):
                kept[k, b] = read(model)
        for buf, (_, read) in zip(self._arrays, self._array_get, strict=True):
            buf[b] = read(model)
        self.rows += 1
        if b + 1 == self._block:
            self._compute()

    def _open(self, model: SharedServiceModel) -> None:
        """Size the blocks from the first month's arrays."""
        members = self._data.shape[0]
        arrays = [np.asarray(read(model)) for _, read in self._array_get]
        per_month = sum(a.nbytes for a in arrays)
        self._block = max(1, min(BLOCK_MONTHS, self._data.shape[1],
                                 BLOCK_BYTES // max(per_month, 1)))
        self._kept = np.zeros((len(self._member_get), self._block, members, 1))
        self._arrays = [np.zeros((self._block, *a.shape), dtype=a.dtype) for a in arrays]
        self._start_year = model.p.start_year
        self._baseline = model.baseline_fte

    def _compute(self) -> None:
        """Compute the columns of the months kept since the last block."""
        n = self.rows - self._done
        if n == 0 or self._kept is None:
            return
        kept = {key: self._kept[k, :n] for k, (key, _) in enumerate(self._member_get)}
        kept.update((key, buf[:n]) for buf, (key, _) in zip(self._arrays, self._array_get,
                                                             strict=True))
        values = observation.columns(kept, self._baseline, self._start_year, self.detail)
        rows = np.concatenate([values[name] for name in self.columns], axis=-1)
        self._data[:, self._done:self.rows] = rows.transpose(1, 0, 2)
        self._done = self.rows

    @property
    def data(self) -> np.ndarray:
        """Every member's months × columns (NaN beyond the months recorded so far)."""
        self._compute()
        return self._data

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
