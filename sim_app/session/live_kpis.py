"""The KPI cards' figures, computed from the months shown so far.

During live play the cards must describe what the room has seen, not the end of the run, so
they are :func:`sim.kpis.compute_kpis` over the first ``month`` months only (the same
definitions and the same :class:`sim.kpis.KPIs` type as everywhere else; at the horizon they
are the run's KPIs).
"""

from __future__ import annotations

import numpy as np

from sim.kpis import KPI_SERIES, KPIs, compute_kpis

#: Before the first month: no figure yet.
NOTHING_YET = KPIs(**dict.fromkeys(KPIs.keys()))


def live_kpis(arrays: dict[str, np.ndarray], month: int) -> KPIs:
    """The KPIs over months 1..``month`` (:data:`NOTHING_YET` before month 1)."""
    if month <= 0:
        return NOTHING_YET
    return compute_kpis({key: np.asarray(arrays[key][:month], dtype=float)
                         for key in KPI_SERIES})


def kpi_timeline(arrays: dict[str, np.ndarray], horizon: int) -> list[KPIs]:
    """:func:`live_kpis` for every month shown, 0..``horizon`` (computed once per run, so
    live play only picks an entry)."""
    a = {k: np.asarray(arrays[k], dtype=float) for k in KPI_SERIES}
    return [live_kpis(a, m) for m in range(horizon + 1)]


def dip_span(k: KPIs) -> tuple[int, int] | None:
    """First and last month of the deepest dip so far (None: no dip yet)."""
    if k.dip_start_month is None or k.dip_end_month is None:
        return None
    return k.dip_start_month, k.dip_end_month
