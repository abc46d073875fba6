"""What the recorder keeps of each month, and how the recorded columns are computed from it.

Recording a month is a copy: :data:`MEMBER_SOURCES` (one number per member), the centres'
arrays (:data:`CENTRE_SOURCES`) and the agents' arrays (:data:`AGENT_SOURCES`) are kept as
they stand after the month's phases. :func:`columns` then computes the columns of
``sim.recorder.SERIES`` for a block of months at once (months × members), with the same
operations, per month and member, as computing them month by month: elementwise arithmetic,
sums and sorts along the agent axis (numpy sums each contiguous row pairwise, whatever the rows
around it) and counts. So the numbers are the same to the last bit, and the step pays a copy
per array instead of some hundred small numpy calls a month.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any

import numpy as np

from sim.agents.institution import LEFT, SERVED, TRANSITION
from sim.units import MONTHS_PER_YEAR, WEEKS_PER_MONTH

#: One number per member (a Python number, or members × 1), by key: where the model holds it.
MEMBER_SOURCES: dict[str, str] = {
    "month": "steps", "digital": "digital", "status": "owner.status",
    "relocated": "ctr.relocated", "transferred": "inst.transferred",
    **{name: f"ledger.{name}" for name in (
        "local_fte", "shadow_fte", "centre_fte", "workaround_fte", "informal_fte",
        "takeback_fte", "baseline_cost", "running_cost", "failure_cost", "transition_cost",
        "realised_gain", "potential_gain", "potential_due_gain", "one_off_cost",
        "cumulative_net_benefit")},
}
#: Each centre's arrays (members × centres), by key.
CENTRE_SOURCES: dict[str, str] = {
    f"ctr_{name}": f"ctr.{name}" for name in (
        "processed", "backlog", "experienced", "first_golive", "full_work", "productivity",
        "hired", "left", "recruited", "demand", "errors", "responding")}
#: Each institution's or manager's arrays (members × institutions), by key.
AGENT_SOURCES: dict[str, str] = {
    "phase": "inst.phase", "service": "inst.service", "price_ratio": "inst.price_ratio",
    "shadow_hired": "inst.shadow_hired", "rehired": "inst.rehired", "inst_left": "inst.left",
    "trust": "mgr.trust", "expected": "mgr.expected"}
#: What the columns the KPIs need (``sim.recorder.CORE``) are computed from.
CORE_SOURCES: frozenset[str] = frozenset({
    "month", "shadow_fte", "local_fte", "centre_fte", "realised_gain", "potential_gain",
    "potential_due_gain", "cumulative_net_benefit", "ctr_processed", "ctr_backlog", "phase",
    "service", "trust"})


def getters(sources: Mapping[str, str], keep: frozenset[str] | None
            ) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """``(key, read)`` for each source kept (all when ``keep`` is None)."""
    return tuple((key, attrgetter(path)) for key, path in sources.items()
                 if keep is None or key in keep)


def reader(sources: Mapping[str, str], keep: frozenset[str] | None
           ) -> Callable[[Any], tuple[Any, ...]]:
    """One call that reads every source :func:`getters` gives, as a tuple in its order."""
    paths = [path for key, path in sources.items() if keep is None or key in keep]
    read = attrgetter(*paths)
    return read if len(paths) > 1 else lambda model: (read(model),)


def _rowsum(x: np.ndarray) -> np.ndarray:
    return np.add.reduce(x, axis=-1, keepdims=True)


def _count(x: np.ndarray) -> np.ndarray:
    return np.add.reduce(x, axis=-1, keepdims=True, dtype=np.intp)


def _share(num: np.ndarray, den: np.ndarray, empty: float) -> np.ndarray:
    """``num / den``, ``empty`` where ``den`` is 0."""
    return np.where(den > 0, np.divide(num, den, out=np.zeros(np.shape(num)), where=den > 0),
                    empty)


def _masked_mean(x: np.ndarray, mask: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The mean of ``x`` over ``mask`` (``count`` of them), NaN where none."""
    return _share(_rowsum(np.where(mask, x, 0.0)), count, np.nan)


def quantiles(values: np.ndarray, *qs: float) -> tuple[np.ndarray, ...]:
    """Quantiles of ``values`` along the last axis with numpy's default (linear) rule, from
    one sort (faster than percentile); keeps that axis, of length 1."""
    ordered = np.sort(values, axis=-1)
    n = ordered.shape[-1]
    out = []
    for q in qs:
        pos = q * (n - 1)
        lo = int(pos)
        hi = min(lo + 1, n - 1)
        out.append(ordered[..., lo:lo + 1] + (ordered[..., hi:hi + 1] - ordered[..., lo:lo + 1])
                   * (pos - lo))
    return tuple(out)


def columns(s: Mapping[str, np.ndarray], baseline_fte: np.ndarray, start_year: Any,
            detail: bool) -> dict[str, np.ndarray]:
    """The recorded columns of a block of months.

    Args:
        s: The kept sources by key: months × members × 1 for :data:`MEMBER_SOURCES`, months ×
            members × centres or institutions for the others.
        baseline_fte: The members' staff on the task before the reform (members × 1).
        start_year: The calendar year of month 1 (one number, or members × 1).
        detail: Every column of ``sim.recorder.SERIES`` if True; else only those the KPIs
            need (``sim.recorder.CORE``).

    Returns:
        Each column as months × members × 1.
    """
    phase = s["phase"]
    n = phase.shape[-1]
    n_transition, n_served = _count(phase == TRANSITION), _count(phase == SERVED)
    n_live = n_transition + n_served
    live = (phase == TRANSITION) | (phase == SERVED)
    processed, backlog = _rowsum(s["ctr_processed"]), _rowsum(s["ctr_backlog"])
    local, shadow, centre = s["local_fte"], s["shadow_fte"], s["centre_fte"]
    out = {
        "month": s["month"], "shadow_fte": shadow,
        "staff_share": (local + shadow + centre) / baseline_fte,
        "share_served": n_live / n,
        "service_level": _masked_mean(s["service"], live, n_live),
        "wait_weeks": _share(backlog / np.where(processed > 0, processed, 1.0)
                             * WEEKS_PER_MONTH, processed > 0, 0.0),
        "trust_mean": _rowsum(s["trust"]) / n,
        **{k: s[k] for k in ("realised_gain", "potential_gain", "potential_due_gain",
                             "cumulative_net_benefit")},
    }
    if not detail:
        return out
    started = s["ctr_first_golive"] > 0
    n_started = _count(started)
    full_work = s["ctr_full_work"]
    weight = _rowsum(np.where(started, full_work, 0.0))
    productivity = np.where(
        n_started > 0, _rowsum(np.where(started, s["ctr_productivity"] * full_work, 0.0))
        / np.where(n_started > 0, weight, 1.0), np.nan)
    trust = s["trust"]
    p10, p90 = quantiles(trust, 0.1, 0.9)
    n_left = _count(phase == LEFT)
    staffed = centre > 1e-9
    paying = live & (s["price_ratio"] > 1.0)
    n_paying = _count(paying)
    out.update({
        "year": start_year + (s["month"] - 1) / MONTHS_PER_YEAR,
        "n_waiting": n - n_live - n_left, "n_transition": n_transition, "n_served": n_served,
        "n_left": n_left,
        "local_fte": local, "centre_fte": centre, "total_fte": local + shadow + centre,
        "experienced_share": _share(_rowsum(s["ctr_experienced"]),
                                    np.where(staffed, centre, 0.0), np.nan),
        "hires_fte": (_rowsum(s["ctr_hired"]) + _rowsum(s["shadow_hired"])
                      + _rowsum(s["rehired"])),
        "leavers_fte": s["relocated"] + (_rowsum(s["ctr_left"]) + _rowsum(s["inst_left"])),
        "transfers_fte": s["transferred"] + _rowsum(s["ctr_recruited"]),
        "demand": _rowsum(s["ctr_demand"]), "processed": processed, "backlog": backlog,
        "productivity": productivity,
        "work_per_fte": _share(processed, np.where(staffed, centre, 0.0), np.nan),
        "error_rate": _share(_rowsum(s["ctr_errors"] * s["ctr_processed"]), processed, 0.0),
        "centres_responding": _count(s["ctr_responding"]),
        "programme_status": s["status"],
        "trust_p10": p10, "trust_p90": p90,
        "trust_paying_more": _masked_mean(trust, paying, n_paying),
        "expected_service": _rowsum(s["expected"]) / n,
        "share_paying_more": _share(n_paying, n_live, 0.0),
        "price_ratio_max": np.max(s["price_ratio"], axis=-1, where=live, initial=0.0,
                                  keepdims=True),
        "digital_reduction": s["digital"],
        **{k: s[k] for k in ("workaround_fte", "informal_fte", "takeback_fte",
                             "baseline_cost", "running_cost", "failure_cost",
                             "transition_cost", "one_off_cost")},
    })
    return out
