"""The KPI cards' figures, computed from the months shown so far.

During live play the cards must describe what the room has seen, not the end of the run, so
they are :func:`sim.kpis.compute_kpis` over the first ``month`` months only (the same
definitions as everywhere else; at the horizon they are the run's KPIs).
"""

from __future__ import annotations

import numpy as np

from sim.kpis import KPI_SERIES, compute_kpis

#: The series the cards read: those the KPIs are computed from.
KPI_KEYS = KPI_SERIES


def live_kpis(arrays: dict[str, np.ndarray], month: int) -> dict:
    """KPI figures over months 1..``month``."""
    if month <= 0:
        return {"month": 0, "break_even_month": None, "gain_positive_month": None,
                "months_to_50": None, "months_to_90": None, "dip_min": None,
                "dip_month": None, "dip_span": None, "shadow_fte_now": None}
    k = compute_kpis({key: np.asarray(arrays[key][:month], dtype=float) for key in KPI_KEYS})
    dipped = k.min_service_level is not None and k.dip_start_month is not None
    return {
        "month": month,
        "break_even_month": k.break_even_month,
        "gain_positive_month": k.gain_positive_month,
        "months_to_50": k.months_to_50pct_gain,
        "months_to_90": k.months_to_90pct_gain,
        "dip_min": k.min_service_level if dipped else None,
        "dip_month": k.min_service_month,
        "dip_span": (k.dip_start_month, k.dip_end_month) if dipped else None,
        "shadow_fte_now": k.shadow_fte_end,
    }


def kpi_timeline(arrays: dict[str, np.ndarray], horizon: int) -> list[dict]:
    """:func:`live_kpis` for every month shown, 0..``horizon`` (computed once per run, so
    live play only picks an entry)."""
    a = {k: np.asarray(arrays[k], dtype=float) for k in KPI_KEYS}
    return [live_kpis(a, m) for m in range(horizon + 1)]
