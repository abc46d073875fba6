"""Shared-service centres: staff, learning, go-live dips, backlog and service level.

Productivity follows Wright's law on cumulative processed volume, capped at a technical
frontier; each go-live adds a temporary dip. The staff budget follows the business case's
planned productivity path, so a centre that learns slower than planned is understaffed, builds a
backlog and its cases wait longer. Staff arrive with the work (transfers, experienced) or are
hired as novices, within a hiring capacity, and learn from mentors. Service is the normal
processing time over the time a case takes now. Equations: ``docs/model.md``, section "Centre".

:class:`CentreFamily` owns every centre's state and phase methods; :class:`SharedServiceCentre`
is one centre's writable Mesa view.
"""

from __future__ import annotations

import math

import numpy as np

from sim.agents.family import AgentFamily, ArrayAgent, Column, ModelContext
from sim.agents.institution import InstitutionFamily
from sim.economics import planned_productivity, target_productivity
from sim.units import MONTHS_PER_YEAR, WEEKS_PER_MONTH

#: Largest share of productivity a go-live or a task change can take away at once (stated
#: assumption: some cases are always processed, by hand if need be).
MAX_DISRUPTION = 0.95
#: Shortest re-baselined plan, in months: a re-plan covers at least one budget year (the Danish
#: state and municipalities budget by calendar year).
MIN_REPLAN_MONTHS = 12
#: The lowest productivity a re-baselined plan assumes, relative to local staff (stated
#: assumption: the parameter definition's lowest initial productivity).
MIN_REPLAN_PRODUCTIVITY = 0.1


def wright_productivity(initial: float, experience: np.ndarray, reference: np.ndarray,
                        progress_ratio: float, cap: float) -> np.ndarray:
    """Wright's law: productivity rises by 1/progress_ratio per doubling of volume.

    ``min(cap, initial * (1 + experience / reference) ** -log2(progress_ratio))``, where
    ``reference`` is the volume of the first unit (``learning_reference_months`` of the
    centre's full volume).
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


def serve(capacity: float, demand: float, backlog: float,
          normal_wait_months: float) -> tuple[float, float, float]:
    """Process this month's work.

    A case's extra wait is the backlog over the month's throughput (Little's law); service is
    the normal processing time over the time a case takes now,
    ``normal / (normal + backlog / processed)``: 1 with no backlog, 0.5 when cases take twice
    as long as normal, 0 when nothing is processed while work waits.

    Returns:
        (processed, new backlog, service); service is 1 when nothing was due.
    """
    due = demand + backlog
    processed = min(capacity, due)
    backlog = due - processed
    if backlog <= 1e-12:
        return processed, backlog, 1.0
    if processed <= 1e-12:
        return processed, backlog, 0.0
    return processed, backlog, normal_wait_months / (normal_wait_months + backlog / processed)


def trained_this_month(novices: float, experienced: float, training_months: float,
                       self_training_months: float, mentor_ratio: float) -> float:
    """Novices who become experienced this month.

    Up to ``mentor_ratio`` novices per experienced employee learn with a mentor (time constant
    ``training_months``); the rest learn on their own, slower (``self_training_months``).
    """
    mentored = min(novices, mentor_ratio * experienced)
    return (mentored * (1.0 - math.exp(-1.0 / training_months))
            + (novices - mentored) * (1.0 - math.exp(-1.0 / self_training_months)))


def error_rate(novice: float, strain: float, novice_share: float, progress: float,
               service: float, defects: float = 0.0) -> float:
    """Share of cases with errors: high while the centre is new, higher under strain, plus the
    new systems' defects.

    ``novice × mean(novice_share, 1 − progress) + strain × (1 − service) + defects``, where
    ``progress`` ∈ [0, 1] is how far learning has come toward the frontier (capped at 1).
    """
    return min(novice * (novice_share + 1.0 - progress) / 2 + strain * (1.0 - service)
               + defects, 1.0)


def staff_mix(experienced: float, staff: float, novice_productivity: float) -> float:
    """Productivity of the staff mix relative to experienced staff (1 with no novices)."""
    if staff <= 1e-12:
        return 1.0
    return (experienced + novice_productivity * (staff - experienced)) / staff


class CentreFamily(AgentFamily):
    """Every centre's state (index c = centre c) and its monthly phases.

    Attributes:
        full_work: Monthly work of all its institutions at baseline productivity.
        staff: Centre staff (FTE); ``experienced`` of them know the task, the rest are novices.
        experience: Cumulative processed work (Wright's law volume: the organisation's
            learning).
        disruption: Share of productivity lost to recent go-lives.
        backlog: Work waiting (baseline FTE-months).
        productivity: Effective work per FTE-month this month.
        service: Share of due work done this month.
        errors: Share of this month's cases with errors.
        first_golive: Month of its first go-live (0 = none yet).
        peak_volume: Largest monthly live work so far (customers who leave cost scale).
        months_failing: Consecutive months below the service target (or with complaints).
        responding: Whether the failure response is on.
        rebase_month, rebase_productivity, rebase_target: The re-baselined plan's start month
            (0 = original plan), its starting productivity and its new target.
        unit_price: Price per unit of work charged to institutions (mio. kr./year per FTE-month
            of monthly work).
        demand: Work arriving this month (flow, after digitalisation, rework and corrections).
        expected_work: Work expected to go live within the hiring lag (flow; pre-hiring).
        expected_transfer: Staff expected to move with that work (the centre does not hire
            for them).
        ahead_fte: Staff hired ahead for work not yet live (part of the transition's double
            running).
        hired, left, released, processed, emergency_fte: This month's flows; ``left``
            includes ``released``; ``emergency_fte`` is staff above the normal budget.
        recruited: Surplus staff of its institutions it took into vacancies this month (they
            bring their experience; not in ``hired``).
        relocated: Staff lost in a relocation this month (in all).
        rebaselined: Re-baselinings this month (each has a one-off cost).
    """

    def __init__(self, model: ModelContext, inst: InstitutionFamily) -> None:
        """Create the centres the institutions of ``inst`` are assigned to."""
        n = model.p.n_centres
        super().__init__(model, n)
        self.inst = inst
        self.full_work = self.per(inst.centre, inst.moved_work, n)
        self.staff = np.zeros(n)
        self.experienced = np.zeros(n)
        self.experience = np.zeros(n)
        self.disruption = np.zeros(n)
        self.backlog = np.zeros(n)
        self.productivity = np.full(n, model.p.initial_productivity)
        self.service = np.ones(n)
        self.errors = np.zeros(n)
        self.first_golive = np.zeros(n, dtype=np.int64)
        self.peak_volume = np.zeros(n)
        self.months_failing = np.zeros(n, dtype=np.int64)
        self.responding = np.zeros(n, dtype=bool)
        self.rebase_month = np.zeros(n, dtype=np.int64)
        self.rebase_productivity = np.ones(n)
        self.rebase_target = np.ones(n)
        self.unit_price = np.zeros(n)
        self.demand = np.zeros(n)
        self.expected_work = np.zeros(n)
        self.expected_transfer = np.zeros(n)
        self.ahead_fte = np.zeros(n)
        self.hired = np.zeros(n)
        self.recruited = np.zeros(n)
        self._pool = np.zeros(n)
        self.left = np.zeros(n)
        self.released = np.zeros(n)
        self.processed = np.zeros(n)
        self.emergency_fte = np.zeros(n)
        self.relocated = 0.0
        self.rebaselined = 0
        self._volume = np.zeros(n)
        self._it_share = np.divide(self.full_work, self.full_work.sum())  # of the common IT

    def shocks(self) -> None:
        """The month's one-off events: a relocation, and a change to the task's rules or systems.

        In ``relocation_month`` most staff leave and most experience is lost; those who follow
        keep their knowledge (the leavers, in all, go to ``relocated``). In
        ``task_change_month`` productivity takes a dip of ``task_change_dip`` that decays like
        a go-live dip (staff relearn the changed task).
        """
        p = self.model.p
        if self.model.steps == p.task_change_month:
            self.disruption = np.minimum(self.disruption + p.task_change_dip, MAX_DISRUPTION)
        if self.model.steps != p.relocation_month:
            self.relocated = 0.0
            return
        leavers = self.staff * p.relocation_staff_loss
        self.staff = self.staff - leavers
        self.experienced = self.experienced * (1.0 - p.relocation_staff_loss)
        self.experience = self.experience * (1.0 - p.relocation_experience_loss)
        self.relocated = float(leavers.sum())

    def respond(self, complaints: np.ndarray | None) -> np.ndarray:
        """The response to failure, decided on last month's service.

        A centre fails in a month when its service is below ``service_target`` or a share
        ``complaint_share_failing`` of its live institutions escalated a complaint. After ``response_delay_months`` months of
        failure the response starts (as ``failure_response`` says): emergency hiring above the
        budget, a re-baselined plan from the productivity reached (once per failure episode,
        at a one-off cost), a paused roll-out. It stops when a month is no longer failing.

        Args:
            complaints: Mask of managers who escalated a complaint last month (None when no
                manager is played from outside, so none can complain).

        Returns:
            Mask over centres whose roll-out is paused this month.
        """
        p, inst, n = self.model.p, self.inst, self.size
        started = self.first_golive > 0
        failing = started & (self.service < p.service_target)
        if complaints is not None:
            live = inst.live
            n_live = self.per(inst.centre, live.astype(float), n)
            n_complaints = self.per(inst.centre, (complaints & live).astype(float), n)
            failing |= started & (n_complaints > p.complaint_share_failing
                                  * np.maximum(n_live, 1.0))
        self.months_failing = np.where(failing, self.months_failing + 1, 0)
        was = self.responding
        self.responding = (self.months_failing >= p.response_delay_months) & (
            p.failure_response != "none")
        self.rebaselined = 0
        if p.failure_response in ("rebaseline", "all"):
            new = self.responding & ~was
            if new.any():
                self.rebase_month[new] = self.model.steps
                # the plan is re-based on what the centre has learned, not on a go-live dip,
                # and aims where its own learning curve leads within the planned learning time
                underlying = (self.productivity[new]
                              / np.maximum(1.0 - self.disruption[new], 1.0 - MAX_DISRUPTION))
                self.rebase_productivity[new] = np.maximum(underlying, MIN_REPLAN_PRODUCTIVITY)
                ahead = self.experience + self.full_work * p.planned_learning_months
                reachable = wright_productivity(
                    p.initial_productivity, ahead, self.reference(), p.progress_ratio,
                    max(p.frontier_productivity, p.initial_productivity))
                self.rebase_target[new] = np.maximum(reachable[new],
                                                     self.rebase_productivity[new])
                self.rebaselined = int(new.sum())
        if p.failure_response in ("pause_rollout", "all"):
            return self.responding
        return np.zeros(n, dtype=bool)

    def reference(self) -> np.ndarray:
        """Each centre's Wright's-law first unit: ``learning_reference_months`` of its full
        volume."""
        return self.full_work * self.model.p.learning_reference_months

    def take_over(self, idx: np.ndarray, transferred: np.ndarray) -> None:
        """Institutions ``idx`` went live: take their transferred (experienced) staff and their
        work.

        The new work's share of the centre's full volume deepens its go-live dip
        (``golive_dip`` × share, at most ``MAX_DISRUPTION``).
        """
        if idx.size == 0:
            return
        n, p = self.size, self.model.p
        where = self.inst.centre[idx]
        moved = self.per(where, transferred, n)
        self.staff = self.staff + moved
        self.experienced = self.experienced + moved
        new_work = self.per(where, self.inst.moved_work[idx], n)
        share = np.divide(new_work, self.full_work, out=np.zeros(n), where=self.full_work > 0)
        self.disruption = np.minimum(self.disruption + p.golive_dip * share, MAX_DISRUPTION)
        self.first_golive = np.where((self.first_golive == 0) & (new_work > 0),
                                     self.model.steps, self.first_golive)

    def hand_back(self, idx: np.ndarray) -> None:
        """Institutions ``idx`` took the task back: their share of each centre's backlog goes
        with them (they process their own waiting cases again)."""
        if idx.size == 0:
            return
        inst, n = self.inst, self.size
        leaving = self.per(inst.centre[idx], inst.moved_work[idx], n)
        staying = self.per(inst.centre, np.where(inst.live, inst.moved_work, 0.0), n)
        total = leaving + staying
        share = np.divide(leaving, total, out=np.zeros(n), where=total > 0)
        self.backlog = self.backlog * (1.0 - share)

    def receive(self, committed: np.ndarray) -> None:
        """Work arriving this month: the live institutions' work (less what they took back),
        less digitalisation, plus rework their inputs cause (``caused_rework``) and the
        correction of last month's errors; and the work expected to go live soon, with the
        staff expected to move with it (the centre hires ahead for the rest)."""
        inst, p, n = self.inst, self.model.p, self.size
        live = inst.live
        live_work = self.per(inst.centre, np.where(live, inst.moved_work, 0.0), n)
        rework = self.per(inst.centre, inst.caused_rework - inst.takeback_fte, n)
        corrections = self.errors * self.processed
        self.demand = np.maximum((1 - self.model.digital) * (live_work + rework) + corrections,
                                 0.0)
        self.peak_volume = np.maximum(self.peak_volume, live_work)
        self._volume = live_work
        soon = inst.due_within(p.hiring_lag_months, committed)
        if soon.any():
            self.expected_work = self.per(inst.centre, np.where(soon, inst.moved_work, 0.0), n)
            self.expected_transfer = self.per(
                inst.centre, np.where(soon, inst.moved_fte * p.transfer_share, 0.0), n)
        elif self.expected_work.any() or self.expected_transfer.any():
            self.expected_work = np.zeros(n)
            self.expected_transfer = np.zeros(n)

    def work(self) -> None:
        """Staff, produce and serve for one month in every centre, and take the surplus staff
        it recruits from its institutions.

        Attrition, training of novices, hiring toward the staff target within the budget
        (above it in an emergency), release of staff above both the budget and the need, production
        (learning × staff mix × scale × dip), errors, backlog and service level. Centres are
        few (one to twenty), so each is updated with plain floats: numpy's per-call overhead
        would dominate arrays this small.
        """
        p, inst = self.model.p, self.inst
        available = inst.redeployable()
        self._pool = self.per(inst.centre, available, self.size)
        target = target_productivity(p.scale_gain_share)
        learned = wright_productivity(p.initial_productivity, self.experience, self.reference(),
                                      p.progress_ratio,
                                      max(p.frontier_productivity, p.initial_productivity))
        for c in range(self.size):
            self._work_one(c, float(learned[c]), target)
        if self.recruited.any():
            taken = np.divide(self.recruited, self._pool, out=np.zeros(self.size),
                              where=self._pool > 0)
            inst.recruit(available * taken[inst.centre])

    def _work_one(self, c: int, learned: float, target: float) -> None:
        p, m = self.model.p, self.model
        keep = 1.0 - p.centre_attrition_rate / MONTHS_PER_YEAR
        staff = float(self.staff[c])
        leavers = staff * (1.0 - keep)
        staff = staff - leavers
        experienced = float(self.experienced[c]) * keep
        experienced += trained_this_month(staff - experienced, experienced, p.training_months,
                                          p.self_training_months, p.mentor_ratio)
        peak = float(self.peak_volume[c])
        scale = (float(self._volume[c]) / peak) ** p.scale_elasticity if peak > 0 else 1.0
        disruption = float(self.disruption[c])
        productivity = (learned * scale * (1.0 - disruption)
                        * staff_mix(experienced, staff, p.novice_productivity))
        plan = self._plan(c, target)
        remaining = 1.0 - m.digital
        # Hire ahead for the attrition expected over the hiring lag, so the centre settles on
        # its target instead of one lag's worth of leavers below it.
        ahead = 1.0 + p.centre_attrition_rate / MONTHS_PER_YEAR * p.hiring_lag_months
        # The budget pays for the work that actually arrives (rework and corrections included)
        # at the plan's productivity, and for the next wave's work less the staff who will move
        # with it; while failing, the response may hire above it.
        demand, backlog = float(self.demand[c]), float(self.backlog[c])
        room = (1.0 + p.staffing_buffer) * ahead / plan
        live_budget = demand * room
        ahead_budget = max(float(self.expected_work[c]) * remaining * room
                           - float(self.expected_transfer[c]), 0.0)
        budget = live_budget + ahead_budget
        allowed = budget
        if self.responding[c] and p.failure_response in ("emergency_hiring", "all"):
            allowed = budget * (1.0 + p.emergency_staff_share)
        required = (demand + backlog / p.backlog_clear_months) / max(productivity, 1e-9) * ahead
        required += ahead_budget
        capacity = p.hiring_capacity * float(self.full_work[c]) / target
        wanted = hires_toward(staff, min(required, allowed), p.hiring_lag_months)
        # surplus staff of the institutions it serves fill its vacancies first (they know the
        # work); the market supplies novices, within the recruitment capacity
        recruited = min(wanted, float(self._pool[c]))
        hired = min(wanted - recruited, capacity)
        experienced += recruited
        staff = staff + recruited + hired
        # staff above both the budget and the need are released
        ceiling = min(allowed, required)
        released = release_above(staff, ceiling, p.centre_release_months)
        if not self.responding[c] and self.emergency_fte[c] > 0:
            # emergency staff are temps and overtime: they go once the failure is over
            released += min(float(self.emergency_fte[c]), max(staff - released - budget, 0.0)
                            ) * (1.0 - math.exp(-1.0 / p.emergency_release_months))
        staff = staff - released
        experienced = min(experienced, staff)
        processed, backlog, service = serve(staff * productivity, demand, backlog,
                                            p.normal_wait_weeks / WEEKS_PER_MONTH)
        frontier = max(p.frontier_productivity, p.initial_productivity)
        progress = ((learned - p.initial_productivity) / (frontier - p.initial_productivity)
                    if frontier > p.initial_productivity else 1.0)
        novices = 1.0 - experienced / staff if staff > 1e-12 else 0.0
        first = int(self.first_golive[c])
        defects = (p.defect_error_rate * math.exp(-(m.steps - first) / p.defect_fix_months)
                   if first > 0 else 0.0)
        self.errors[c] = error_rate(p.error_rate_novice, p.error_rate_strain, novices,
                                    min(progress, 1.0), service, defects)
        self.staff[c] = staff
        self.experienced[c] = experienced
        self.productivity[c] = productivity
        self.hired[c] = hired
        self.recruited[c] = recruited
        self.ahead_fte[c] = min(max(staff - live_budget, 0.0), ahead_budget)
        self.released[c] = released
        self.processed[c] = processed
        self.backlog[c] = backlog
        self.service[c] = service
        self.emergency_fte[c] = (max(staff - budget, 0.0) if allowed > budget
                                 else min(float(self.emergency_fte[c]),
                                          max(staff - budget, 0.0)))
        self.experience[c] += processed
        self.disruption[c] = disruption * math.exp(-1.0 / p.dip_recovery_months)
        self.left[c] = leavers + released

    def _plan(self, c: int, target: float) -> float:
        """The productivity the staff budget assumes this month.

        The business case's path (``planned_productivity``), brought forward by
        ``staff_cut_lead_months`` under political pressure; after a re-baselining, a new
        path from the productivity then reached to what the centre's own learning curve
        supports (never above the original target), over what was left of the planned
        learning time (at least a year).
        """
        p, now = self.model.p, self.model.steps
        lead = p.staff_cut_lead_months
        first = int(self.first_golive[c])
        months_live = now - first + lead if first > 0 else 0
        plan = planned_productivity(months_live, target, p.planned_learning_months)
        start = int(self.rebase_month[c])
        if start > 0:
            base = float(self.rebase_productivity[c])
            aim = min(float(self.rebase_target[c]), target)
            left = max(p.planned_learning_months - (start - first), MIN_REPLAN_MONTHS)
            since = (now - start + lead) / left
            plan = min(plan, base + (aim - base) * min(max(since, 0.0), 1.0))
        return max(plan, 1e-9)

    def charge(self) -> None:
        """Set each centre's price per unit of work: what its running cost for the live work
        comes to per unit (staff with the emergency premium, its share of the common IT)."""
        p = self.model.p
        if p.charging == "none":
            return
        remaining = 1.0 - self.model.digital
        for c in range(self.size):  # few centres: plain floats (see work())
            demand, volume = float(self.demand[c]), float(self._volume[c])
            if demand <= 0 or volume <= 0:
                self.unit_price[c] = 0.0
                continue
            live_share = demand / (demand + float(self.expected_work[c]) * remaining)
            cost = (float(self.staff[c]) + p.emergency_cost_premium * float(self.emergency_fte[c])
                    ) * p.fte_cost_mdkk
            it = p.it_running_cost_mdkk * float(self._it_share[c])
            self.unit_price[c] = (cost + it) * live_share / volume


class SharedServiceCentre(ArrayAgent):
    """One centre: a writable view onto element ``idx`` of ``model.ctr``."""

    family_attr = "ctr"

    staff = Column("Centre staff (FTE).")
    experienced = Column("Centre staff who know the task (FTE); the rest are novices.")
    errors = Column("Share of this month's cases with errors.")
    responding = Column("Whether the failure response is on.", read=bool)
    backlog = Column("Work waiting (baseline FTE-months).")
    productivity = Column("Work per FTE-month relative to local staff before the reform.")
    experience = Column("Cumulative processed work (FTE-months; Wright's law volume).")
    disruption = Column("Share of productivity lost to recent go-lives.")
    service = Column("Service this month: the normal processing time over the time a case "
                     "takes now (1 = no extra wait).")
