"""The KPI cards' figures, computed from the months shown so far.

During live play the cards must describe what the room has seen, not the end of the run, so
these are computed on the first ``month`` months only. At the end of the horizon they agree
with ``sim.kpis`` (see tests/app/test_components.py).
"""

from __future__ import annotations

import math

import numpy as np

from sim.economics import break_even_month
from sim.kpis import SERVICE_DIP_THRESHOLD


def _first(mask: np.ndarray) -> int | None:
    idx = np.flatnonzero(mask)
    return int(idx[0]) + 1 if idx.size else None


def months_to_share(gain: np.ndarray, potential: np.ndarray, share: float) -> int | None:
    """First month the realised gain reaches ``share`` of the business-case potential."""
    ok = (potential > 0) & (gain >= share * potential)
    return _first(ok)


def dip(service: np.ndarray,
        threshold: float = SERVICE_DIP_THRESHOLD) -> tuple[float, int, tuple[int, int]] | None:
    """The deepest service dip: (lowest service level, its month, (first, last) dip month).

    A dip month has service below ``threshold`` (``sim.kpis``: 95 %). The span is the run of
    consecutive dip months around the lowest month. None when service never fell below it.
    """
    s = np.where(np.isnan(service), np.inf, service)
    if s.size == 0 or not np.isfinite(s).any():
        return None
    low = int(np.argmin(s))
    if not s[low] < threshold:
        return None
    start = low
    while start > 0 and s[start - 1] < threshold:
        start -= 1
    end = low
    while end + 1 < s.size and s[end + 1] < threshold:
        end += 1
    return float(s[low]), low + 1, (start + 1, end + 1)


def live_kpis(arrays: dict[str, np.ndarray], month: int) -> dict:
    """KPI figures over months 1..``month``."""
    if month <= 0:
        return {"month": 0, "break_even_month": None, "months_to_50": None,
                "months_to_90": None, "dip_min": None, "dip_month": None, "dip_span": None,
                "shadow_fte_now": None}
    a = {k: np.asarray(v[:month], dtype=float) for k, v in arrays.items()}
    d = dip(a["service_level"])
    shadow_now = float(a["shadow_fte"][-1])
    return {
        "month": month,
        "break_even_month": break_even_month(a["cumulative_net_benefit"]),
        "months_to_50": months_to_share(a["realised_gain"], a["potential_gain"], 0.5),
        "months_to_90": months_to_share(a["realised_gain"], a["potential_gain"], 0.9),
        "dip_min": d[0] if d else None,
        "dip_month": d[1] if d else None,
        "dip_span": d[2] if d else None,
        "shadow_fte_now": None if math.isnan(shadow_now) else shadow_now,
    }


#: The series :func:`live_kpis` reads.
KPI_KEYS = ("service_level", "shadow_fte", "cumulative_net_benefit", "realised_gain",
            "potential_gain")


def kpi_timeline(arrays: dict[str, np.ndarray], horizon: int) -> list[dict]:
    """:func:`live_kpis` for every month shown, 0..``horizon`` (computed once per run, so
    live play only picks an entry)."""
    a = {k: np.asarray(arrays[k], dtype=float) for k in KPI_KEYS}
    return [live_kpis(a, m) for m in range(horizon + 1)]
