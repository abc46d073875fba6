"""The months a story turns on: go-live, the deepest dip, annual gains positive, break-even.

Two different "gains" moments are easy to confuse, so both are named everywhere they show:

* **gains arrive** — the first month the realised *annual* gain is above zero (the reform
  saves more each year than it costs to run);
* **break-even** — the first month the *cumulative* net benefit is back above zero (the
  savings have paid back every one-off cost). It comes years later.

Break-even, gains arrive and the dip are ``sim.kpis``'s figures (through
``sim_app.session.live_kpis``'s timeline: one definition); this module adds the first go-live.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from sim.kpis import KPIs

#: The story events, in the order a run meets them.
EVENTS = ("golive", "dip", "gain_positive", "break_even")


def golive_month(share_served: np.ndarray) -> int | None:
    """First month (1-based) with any institution live (in transition or served)."""
    s = np.nan_to_num(np.asarray(share_served, dtype=float), nan=0.0)
    hit = np.flatnonzero(s > 0)
    return int(hit[0]) + 1 if hit.size else None


def event_months(arrays: Mapping[str, np.ndarray], timeline: Sequence[KPIs]) -> dict:
    """Month of each story event in the whole run (None: it never happens).

    ``timeline`` is the run's KPI timeline (``Session.kpi_timeline()``); its last entry
    describes the whole run.
    """
    end = timeline[-1]
    return {
        "golive": golive_month(arrays["share_served"]),
        "dip": end.min_service_month,
        "gain_positive": end.gain_positive_month,
        "break_even": end.break_even_month,
    }


def shown_by(month_of_event: int | None, month: int) -> int | None:
    """The event's month if it has happened by ``month`` (months 1..month shown), else None."""
    return month_of_event if month_of_event is not None and month_of_event <= month else None
