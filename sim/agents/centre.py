"""Shared-service centres: staff, learning, go-live dips, backlog and service level.

Productivity follows Wright's law on cumulative processed volume, capped at the business case's
planned efficiency; each go-live adds a temporary dip. The staff budget follows the business
case's planned productivity path, so a centre that learns slower than planned is understaffed,
builds a backlog and gives worse service. Equations: ``docs/model.md``, section "Centre".
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from mesa import Agent

if TYPE_CHECKING:
    from sim.model import SharedServiceModel


class SharedServiceCentre(Agent):
    """One centre; its state lives in ``model.ctr`` at index ``idx``."""

    def __init__(self, model: SharedServiceModel, idx: int) -> None:
        """Create the view onto centre ``idx``."""
        super().__init__(model)
        self.idx = idx

    @property
    def staff(self) -> float:
        """Centre staff in FTE."""
        return float(self.model.ctr.staff[self.idx])

    @property
    def backlog(self) -> float:
        """Work waiting, in baseline FTE-months."""
        return float(self.model.ctr.backlog[self.idx])

    @property
    def productivity(self) -> float:
        """Work per FTE-month relative to local staff before the reform."""
        return float(self.model.ctr.productivity[self.idx])


def target_productivity(scale_gain_share: float) -> float:
    """Planned work per FTE when learning is complete: ``1 / (1 - scale_gain_share)``."""
    return 1.0 / (1.0 - scale_gain_share)


def wright_productivity(initial: float, experience: np.ndarray, reference: np.ndarray,
                        progress_ratio: float, cap: float) -> np.ndarray:
    """Wright's law: productivity rises by 1/progress_ratio per doubling of volume.

    ``min(cap, initial * (1 + experience / reference) ** -log2(progress_ratio))``, where
    ``reference`` is one month of the centre's full volume.
    """
    b = -math.log2(progress_ratio)
    ref = np.maximum(reference, 1e-12)
    return np.minimum(cap, initial * (1.0 + experience / ref) ** b)


def planned_productivity(months_live: np.ndarray, target: float,
                         planned_months: int) -> np.ndarray:
    """The business case's path: from local productivity (1) to ``target`` linearly."""
    frac = np.clip(months_live / planned_months, 0.0, 1.0)
    return 1.0 + (target - 1.0) * frac


def hires_toward(staff: np.ndarray, target: np.ndarray, lag_months: float) -> np.ndarray:
    """Hiring closes the gap to the target as a first-order delay; never negative."""
    return np.maximum(target - staff, 0.0) * (1.0 - math.exp(-1.0 / lag_months))


def release_above(staff: np.ndarray, budget: np.ndarray, release_months: float) -> np.ndarray:
    """Staff a centre releases this month: the excess over its budget, as a first-order delay.

    ``max(staff - budget, 0) * (1 - exp(-1 / release_months))``; nothing when
    ``release_months`` is 0 (the centre then shrinks by natural attrition only).
    """
    if release_months <= 0:
        return np.zeros_like(staff)
    return np.maximum(staff - budget, 0.0) * (1.0 - math.exp(-1.0 / release_months))


def serve(capacity: np.ndarray, demand: np.ndarray,
          backlog: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Process this month's work.

    Returns:
        (processed, new backlog, service) where service is the share of the work due this
        month (new demand plus backlog) that was done; 1 where nothing was due.
    """
    due = demand + backlog
    processed = np.minimum(capacity, due)
    service = np.divide(processed, due, out=np.ones_like(due), where=due > 1e-12)
    return processed, due - processed, service


def relocate(model: SharedServiceModel) -> np.ndarray:
    """Relocate every centre: most staff leave, most experience is lost. Returns leavers."""
    ctr, p = model.ctr, model.p
    leavers = ctr.staff * p.relocation_staff_loss
    ctr.staff = ctr.staff - leavers
    ctr.experience = ctr.experience * (1.0 - p.relocation_experience_loss)
    return leavers


def step_centres(model: SharedServiceModel, demand: np.ndarray, coming_work: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Staff, produce and serve for one month in every centre.

    Args:
        model: The model.
        demand: Work arriving this month per centre (FTE-months, after digitalisation and
            including rework).
        coming_work: Baseline work scheduled to go live within the hiring lag (pre-hiring).

    Returns:
        (hires, leavers, processed, released) per centre; ``leavers`` includes ``released``,
        the staff let go because they exceed the budget (they cost severance).
    """
    ctr, p = model.ctr, model.p
    leavers = ctr.staff * (p.centre_attrition_rate / 12.0)
    ctr.staff = ctr.staff - leavers
    target = target_productivity(p.scale_gain_share)
    learned = wright_productivity(p.initial_productivity, ctr.experience, ctr.full_work,
                                  p.progress_ratio, max(target, p.initial_productivity))
    ctr.productivity = learned * (1.0 - ctr.disruption)
    months_live = np.where(ctr.first_golive > 0, model.month - ctr.first_golive, 0)
    plan = planned_productivity(months_live, target, p.planned_learning_months)
    remaining = 1.0 - model.digital
    # Hire ahead for the attrition expected over the hiring lag, so the centre settles on its
    # target instead of one lag's worth of leavers below it.
    ahead = 1.0 + p.centre_attrition_rate / 12.0 * p.hiring_lag_months
    # The budget pays for the work that actually arrives (rework from shadow functions
    # included) at the business case's planned productivity.
    budget = (demand + coming_work * remaining) / plan * (1.0 + p.staffing_buffer) * ahead
    required = (demand + coming_work * remaining
                + ctr.backlog / p.backlog_clear_months) / np.maximum(ctr.productivity, 1e-9)
    hires = hires_toward(ctr.staff, np.minimum(required * ahead, budget), p.hiring_lag_months)
    ctr.staff = ctr.staff + hires
    released = release_above(ctr.staff, budget, p.centre_release_months)
    ctr.staff = ctr.staff - released
    processed, ctr.backlog, ctr.service = serve(ctr.staff * ctr.productivity, demand,
                                                ctr.backlog)
    ctr.experience = ctr.experience + processed
    ctr.disruption = ctr.disruption * math.exp(-1.0 / p.dip_recovery_months)
    return hires, leavers + released, processed, released
