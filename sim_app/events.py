"""The months a story turns on: go-live, the deepest dip, annual gains positive, break-even.

Two different "gains" moments are easy to confuse, so both are named everywhere they show:

* **gains arrive** — the first month the realised *annual* gain is above zero (the reform
  saves more each year than it costs to run);
* **break-even** — the first month the *cumulative* net benefit is back above zero (the
  savings have paid back every one-off cost). It comes years later.

Break-even and the dip come from ``sim.economics`` / ``sim_app.live_kpis`` (one definition);
this module adds the two the KPI cards do not carry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

#: Annual gains within this many mio. kr./year of zero count as zero (float noise before
#: any go-live, when running cost equals the baseline cost).
GAIN_TOLERANCE = 1e-6

#: The story events, in the order a run meets them.
EVENTS = ("golive", "dip", "gain_positive", "break_even")


def gain_positive_month(realised_gain: np.ndarray) -> int | None:
    """First month (1-based) whose realised annual gain is above zero, or None."""
    g = np.asarray(realised_gain, dtype=float)
    hit = np.flatnonzero(np.nan_to_num(g, nan=-np.inf) > GAIN_TOLERANCE)
    return int(hit[0]) + 1 if hit.size else None


def golive_month(share_served: np.ndarray) -> int | None:
    """First month (1-based) with any institution live (in transition or served)."""
    s = np.nan_to_num(np.asarray(share_served, dtype=float), nan=0.0)
    hit = np.flatnonzero(s > 0)
    return int(hit[0]) + 1 if hit.size else None


def event_months(arrays: Mapping[str, np.ndarray], timeline: Sequence[Mapping]) -> dict:
    """Month of each story event in the whole run (None: it never happens).

    ``timeline`` is the run's KPI timeline (``Session.kpi_timeline()``); its last entry
    describes the whole run.
    """
    end = timeline[-1]
    return {
        "golive": golive_month(arrays["share_served"]),
        "dip": end.get("dip_month"),
        "gain_positive": gain_positive_month(arrays["realised_gain"]),
        "break_even": end.get("break_even_month"),
    }


def shown_by(month_of_event: int | None, month: int) -> int | None:
    """The event's month if it has happened by ``month`` (months 1..month shown), else None."""
    return month_of_event if month_of_event is not None and month_of_event <= month else None
