"""Shared-service centres: staff, learning, go-live dips, backlog and service level.

Productivity follows Wright's law on cumulative processed volume, capped at the business case's
planned efficiency; each go-live adds a temporary dip. The staff budget follows the business
case's planned productivity path, so a centre that learns slower than planned is understaffed,
builds a backlog and gives worse service. Equations: ``docs/model.md``, section "Centre".

:class:`CentreFamily` owns every centre's state and phase methods; :class:`SharedServiceCentre`
is one centre's writable Mesa view.
"""

from __future__ import annotations

import math

import numpy as np

from sim.agents.family import AgentFamily, ArrayAgent, Column, ModelContext
from sim.agents.institution import InstitutionFamily
from sim.economics import planned_productivity, target_productivity


def wright_productivity(initial: float, experience: np.ndarray, reference: np.ndarray,
                        progress_ratio: float, cap: float) -> np.ndarray:
    """Wright's law: productivity rises by 1/progress_ratio per doubling of volume.

    ``min(cap, initial * (1 + experience / reference) ** -log2(progress_ratio))``, where
    ``reference`` is one month of the centre's full volume (every centre at once).
    """
    b = -math.log2(progress_ratio)
    ref = np.maximum(reference, 1e-12)
    return np.minimum(cap, initial * (1.0 + experience / ref) ** b)


def hires_toward(staff: float, target: float, lag_months: float) -> float:
    """Hiring closes the gap to the target as a first-order delay; never negative."""
    return max(target - staff, 0.0) * (1.0 - math.exp(-1.0 / lag_months))


def release_above(staff: float, budget: float, release_months: float) -> float:
    """Staff a centre releases this month: the excess over its budget, as a first-order delay.

    ``max(staff - budget, 0) * (1 - exp(-1 / release_months))``; nothing when
    ``release_months`` is 0 (the centre then shrinks by natural attrition only).
    """
    if release_months <= 0:
        return 0.0
    return max(staff - budget, 0.0) * (1.0 - math.exp(-1.0 / release_months))


def serve(capacity: float, demand: float, backlog: float) -> tuple[float, float, float]:
    """Process this month's work.

    Returns:
        (processed, new backlog, service) where service is the share of the work due this
        month (new demand plus backlog) that was done; 1 when nothing was due.
    """
    due = demand + backlog
    processed = min(capacity, due)
    service = processed / due if due > 1e-12 else 1.0
    return processed, due - processed, service


class CentreFamily(AgentFamily):
    """Every centre's state (index c = centre c) and its monthly phases.

    Attributes:
        full_work: Monthly work of all its institutions at baseline productivity.
        staff: Centre staff (FTE).
        experience: Cumulative processed work (Wright's law volume).
        disruption: Share of productivity lost to recent go-lives.
        backlog: Work waiting (baseline FTE-months).
        productivity: Effective work per FTE-month this month.
        service: Share of due work done this month.
        first_golive: Month of its first go-live (0 = none yet).
        demand: Work arriving this month (flow, after digitalisation, rework included).
        expected_work: Baseline work due to go live within the hiring lag (flow; pre-hiring).
        hired, left, released, processed: This month's flows (FTE, FTE, FTE, FTE-months);
            ``left`` includes ``released`` and any relocation leavers.
    """

    def __init__(self, model: ModelContext, inst: InstitutionFamily) -> None:
        """Create the centres the institutions of ``inst`` are assigned to."""
        n = model.p.n_centres
        super().__init__(model, n)
        self.inst = inst
        self.full_work = self.per(inst.centre, inst.moved_work, n)
        self.staff = np.zeros(n)
        self.experience = np.zeros(n)
        self.disruption = np.zeros(n)
        self.backlog = np.zeros(n)
        self.productivity = np.full(n, model.p.initial_productivity)
        self.service = np.ones(n)
        self.first_golive = np.zeros(n, dtype=np.int64)
        self.demand = np.zeros(n)
        self.expected_work = np.zeros(n)
        self.hired = np.zeros(n)
        self.left = np.zeros(n)
        self.released = np.zeros(n)
        self.processed = np.zeros(n)
        self.relocated = 0.0

    def relocate(self) -> None:
        """In ``relocation_month`` only: most staff leave, most experience is lost.

        The month's relocation leavers (in all) go to ``relocated``.
        """
        p = self.model.p
        if self.model.steps != p.relocation_month:
            self.relocated = 0.0
            return
        leavers = self.staff * p.relocation_staff_loss
        self.staff = self.staff - leavers
        self.experience = self.experience * (1.0 - p.relocation_experience_loss)
        self.relocated = 0.0 + float(leavers.sum())

    def take_over(self, idx: np.ndarray, transferred: np.ndarray) -> None:
        """Institutions ``idx`` went live: take their transferred staff and their work.

        The new work's share of the centre's full volume deepens its go-live dip
        (``golive_dip`` × share, at most 95 %).
        """
        if idx.size == 0:
            return
        n, p = self.size, self.model.p
        where = self.inst.centre[idx]
        self.staff = self.staff + self.per(where, transferred, n)
        new_work = self.per(where, self.inst.moved_work[idx], n)
        share = np.divide(new_work, self.full_work, out=np.zeros(n), where=self.full_work > 0)
        self.disruption = np.minimum(self.disruption + p.golive_dip * share, 0.95)
        self.first_golive = np.where((self.first_golive == 0) & (new_work > 0),
                                     self.model.steps, self.first_golive)

    def receive(self) -> None:
        """Work arriving this month: the live institutions' moved work, less digitalisation,
        plus rework caused by their shadow functions; and the work expected soon.

        The centre pre-hires for the work due to go live within the hiring lag — only under
        mandatory adoption (voluntary joiners are not known in advance).
        """
        inst, p, n = self.inst, self.model.p, self.size
        live = inst.live
        live_work = self.per(inst.centre, np.where(live, inst.moved_work, 0.0), n)
        shadow_work = self.per(inst.centre, np.where(live, inst.shadow_fte, 0.0), n)
        self.demand = (1 - self.model.digital) * (live_work + p.rework_per_shadow * shadow_work)
        if p.adoption == "voluntary":
            self.expected_work = np.zeros(n)
        else:
            self.expected_work = self.per(inst.centre,
                                          inst.work_due_within(p.hiring_lag_months), n)

    def work(self) -> None:
        """Staff, produce and serve for one month in every centre.

        Attrition, hiring toward the staff target within the business case's budget, release
        of staff above the budget, production (learning × dip), backlog and service level.
        Centres are few (one to twenty), so each is updated with plain floats: numpy's
        per-call overhead would dominate arrays this small.
        """
        p = self.model.p
        target = target_productivity(p.scale_gain_share)
        learned = wright_productivity(p.initial_productivity, self.experience, self.full_work,
                                      p.progress_ratio, max(target, p.initial_productivity))
        for c in range(self.size):
            self._work_one(c, float(learned[c]), target)

    def _work_one(self, c: int, learned: float, target: float) -> None:
        p, m = self.model.p, self.model
        staff = float(self.staff[c])
        leavers = staff * (p.centre_attrition_rate / 12.0)
        staff = staff - leavers
        disruption = float(self.disruption[c])
        productivity = learned * (1.0 - disruption)
        first = int(self.first_golive[c])
        months_live = m.steps - first if first > 0 else 0
        plan = planned_productivity(months_live, target, p.planned_learning_months)
        remaining = 1.0 - m.digital
        # Hire ahead for the attrition expected over the hiring lag, so the centre settles on
        # its target instead of one lag's worth of leavers below it.
        ahead = 1.0 + p.centre_attrition_rate / 12.0 * p.hiring_lag_months
        # The budget pays for the work that actually arrives (rework from shadow functions
        # included) at the business case's planned productivity.
        demand, backlog = float(self.demand[c]), float(self.backlog[c])
        arriving = demand + float(self.expected_work[c]) * remaining
        budget = arriving / plan * (1.0 + p.staffing_buffer) * ahead
        required = (arriving + backlog / p.backlog_clear_months) / max(productivity, 1e-9)
        hired = hires_toward(staff, min(required * ahead, budget), p.hiring_lag_months)
        staff = staff + hired
        released = release_above(staff, budget, p.centre_release_months)
        staff = staff - released
        processed, backlog, service = serve(staff * productivity, demand, backlog)
        self.staff[c] = staff
        self.productivity[c] = productivity
        self.hired[c] = hired
        self.released[c] = released
        self.processed[c] = processed
        self.backlog[c] = backlog
        self.service[c] = service
        self.experience[c] += processed
        self.disruption[c] = disruption * math.exp(-1.0 / p.dip_recovery_months)
        self.left[c] = leavers + released


class SharedServiceCentre(ArrayAgent):
    """One centre: a writable view onto element ``idx`` of ``model.ctr``."""

    family_attr = "ctr"

    staff = Column("Centre staff (FTE).")
    backlog = Column("Work waiting (baseline FTE-months).")
    productivity = Column("Work per FTE-month relative to local staff before the reform.")
    experience = Column("Cumulative processed work (FTE-months; Wright's law volume).")
    disruption = Column("Share of productivity lost to recent go-lives.")
    service = Column("Share of the work due this month that was done.")
