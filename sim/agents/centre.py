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
from collections.abc import Callable
from operator import methodcaller
from typing import Any

import numpy as np

from sim.agents.family import (
    AgentFamily,
    ArrayAgent,
    Column,
    ModelContext,
    allof,
    anyof,
    as_shape,
    count,
    divide_where,
    each,
    maximum,
    minimum,
    per_member,
    rowsum,
    where,
)
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
    return wright_curve(initial, experience, np.maximum(reference, 1e-12),
                        wright_exponent(progress_ratio, np.shape(experience)), cap)


def wright_exponent(progress_ratio: float, shape: tuple[int, ...]) -> np.ndarray:
    """Wright's law's exponent ``-log2(progress_ratio)`` as an array of ``shape`` (the same
    loop of ``np.power`` for one member as for many: :func:`~sim.agents.family.as_shape`)."""
    return as_shape(-each(math.log2, progress_ratio), shape)


def wright_curve(initial: float, experience: np.ndarray, reference: np.ndarray,
                 exponent: np.ndarray, cap: float) -> np.ndarray:
    """:func:`wright_productivity` from its parts: ``reference`` already at least 1e-12 and
    the curve's ``exponent`` (:func:`wright_exponent`), as a centre keeps them."""
    return np.minimum(cap, initial * np.power(1.0 + experience / reference, exponent))


def hires_toward(staff: np.ndarray, target: np.ndarray, lag_months: float) -> np.ndarray:
    """Hiring closes the gap to the target as a first-order delay; never negative."""
    return maximum(target - staff, 0.0) * (1.0 - each(math.exp, -1.0 / lag_months))


def release_above(staff: np.ndarray, budget: np.ndarray, release_months: float) -> np.ndarray:
    """Staff a centre releases this month: the excess over its budget, as a first-order delay.

    ``max(staff - budget, 0) * (1 - exp(-1 / release_months))``; nothing when
    ``release_months`` is 0 (the centre then shrinks by natural attrition only).
    """
    if not anyof(release_months > 0):
        return np.zeros(staff.shape) if isinstance(staff, np.ndarray) else 0.0
    months = (np.where(release_months > 0, release_months, 1.0)
              if isinstance(release_months, np.ndarray) else release_months)
    return per_member(release_months > 0, maximum(staff - budget, 0.0)
                      * (1.0 - each(math.exp, -1.0 / months)), 0.0)


def serve(capacity: np.ndarray, demand: np.ndarray, backlog: np.ndarray,
          normal_wait_months: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Process this month's work.

    A case's extra wait is the backlog over the month's throughput (Little's law); service is
    the normal processing time over the time a case takes now,
    ``normal / (normal + backlog / processed)``: 1 with no backlog, 0.5 when cases take twice
    as long as normal, 0 when nothing is processed while work waits.

    Returns:
        (processed, new backlog, service); service is 1 when nothing was due.
    """
    due = demand + backlog
    processed = minimum(capacity, due)
    backlog = due - processed
    waiting = backlog > 1e-12
    working = processed > 1e-12
    wait = divide_where(backlog, processed, working, 1.0)
    service = where(waiting, where(working, normal_wait_months
                                   / (normal_wait_months + wait), 0.0), 1.0)
    return processed, backlog, service


def trained_this_month(novices: np.ndarray, experienced: np.ndarray, training_months: float,
                       self_training_months: float, mentor_ratio: float) -> np.ndarray:
    """Novices who become experienced this month.

    Up to ``mentor_ratio`` novices per experienced employee learn with a mentor (time constant
    ``training_months``); the rest learn on their own, slower (``self_training_months``).
    """
    mentored = minimum(novices, mentor_ratio * experienced)
    return (mentored * (1.0 - each(math.exp, -1.0 / training_months))
            + (novices - mentored) * (1.0 - each(math.exp, -1.0 / self_training_months)))


def error_rate(novice: float, strain: float, novice_share: np.ndarray, progress: np.ndarray,
               service: np.ndarray, defects: np.ndarray | float = 0.0) -> np.ndarray:
    """Share of cases with errors: high while the centre is new, higher under strain, plus the
    new systems' defects.

    ``novice × mean(novice_share, 1 − progress) + strain × (1 − service) + defects``, where
    ``progress`` ∈ [0, 1] is how far learning has come toward the frontier (capped at 1).
    """
    return minimum(novice * (novice_share + 1.0 - progress) / 2 + strain * (1.0 - service)
                   + defects, 1.0)


def staff_mix(experienced: np.ndarray, staff: np.ndarray,
              novice_productivity: float) -> np.ndarray:
    """Productivity of the staff mix relative to experienced staff (1 with no novices)."""
    return divide_where(experienced + novice_productivity * (staff - experienced), staff,
                        staff > 1e-12, 1.0)


#: One member's one centre's value of an array (1 × 1) or a numpy number, as a Python number
#: or bool (``x.item()`` without a Python frame per value).
_number: Callable[[Any], Any] = methodcaller("item")


def _cell(x: Any, dtype: type = float, empty: Callable[..., np.ndarray] = np.empty,
          shape: tuple[int, int] = (1, 1)) -> np.ndarray:
    """A plain number as one member's one centre's array (1 × 1, of ``dtype``)."""
    out = empty(shape, dtype)
    out[0, 0] = x
    return out


def _same(x: Any, dtype: type = float) -> Any:
    return x


class CentreConstants:
    """What a centre's month uses that depends only on the parameters (one value, or members ×
    1) and the centres' full work: computed once, with the same operations as month by month.

    Attributes:
        target: The business case's productivity once learning is complete.
        frontier: The technical frontier (at least the initial productivity).
        reference: Wright's law's first unit (at least 1e-12), members × centres.
        exponent: Wright's law's exponent, members × centres.
        scale_exponent: The scale elasticity, members × centres.
        keep, leave: Share of centre staff staying, and leaving, in a month of attrition.
        ahead: Hiring ahead for the attrition expected over the hiring lag.
        room: Staff budget per unit of work at productivity 1 (buffer and hiring ahead).
        capacity: Most novices hired in a month, members × centres.
        emergency_hiring: Whether the failure response may hire above the budget.
        emergency_factor: The budget's multiple while it does.
        normal_wait: The normal processing time, in months.
        learnt, learning, span: Whether the frontier lies above the initial productivity (per
            member, and for any), and the distance between them (1 where not).
        dip_decay: Share of a go-live dip left after a month.
        it_cost: Each centre's share of the common IT's running cost (mio. kr./year).
    """

    def __init__(self, p: Any, full_work: np.ndarray, it_share: np.ndarray,
                 shape: tuple[int, ...]) -> None:
        """Compute them for parameters ``p`` and centres of ``full_work`` and ``it_share`` of
        the common IT (``shape``)."""
        self.target = target_productivity(p.scale_gain_share)
        self.frontier = np.maximum(p.frontier_productivity, p.initial_productivity)
        self.reference = np.maximum(full_work * p.learning_reference_months, 1e-12)
        self.exponent = wright_exponent(p.progress_ratio, shape)
        self.scale_exponent = as_shape(p.scale_elasticity, shape)
        self.keep = 1.0 - p.centre_attrition_rate / MONTHS_PER_YEAR
        self.leave = 1.0 - self.keep
        self.ahead = 1.0 + p.centre_attrition_rate / MONTHS_PER_YEAR * p.hiring_lag_months
        self.room = (1.0 + p.staffing_buffer) * self.ahead
        self.capacity = p.hiring_capacity * full_work / self.target
        self.emergency_hiring = p.failure_response in ("emergency_hiring", "all")
        self.emergency_factor = 1.0 + p.emergency_staff_share
        self.normal_wait = p.normal_wait_weeks / WEEKS_PER_MONTH
        self.learnt = self.frontier > p.initial_productivity
        self.learning = anyof(self.learnt)
        self.span = np.where(self.learnt, self.frontier - p.initial_productivity, 1.0)
        self.dip_decay = each(math.exp, -1.0 / p.dip_recovery_months)
        self.it_cost = p.it_running_cost_mdkk * it_share


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
        started, all_started: Mask of centres with a go-live behind them, and whether every
            centre of every member has one (kept with ``first_golive``).
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
        """Create one member's centres the institutions of ``inst`` are assigned to."""
        n = model.p.n_centres
        super().__init__(model, n)
        self.inst = inst
        self.full_work = inst.by_centre(inst.moved_work, n)
        self.staff = self.zeros()
        self.experienced = self.zeros()
        self.experience = self.zeros()
        self.disruption = self.zeros()
        self.backlog = self.zeros()
        self.productivity = np.full(self.shape, model.p.initial_productivity)
        self.service = np.ones(self.shape)
        self.errors = self.zeros()
        self.first_golive = self.zeros(np.int64)
        self.started = self.zeros(bool)
        self.all_started = False
        self.peak_volume = self.zeros()
        self.months_failing = self.zeros(np.int64)
        self.responding = self.zeros(bool)
        self.rebase_month = self.zeros(np.int64)
        self.rebase_productivity = np.ones(self.shape)
        self.rebase_target = np.ones(self.shape)
        self.unit_price = self.zeros()
        self.demand = self.zeros()
        self.expected_work = self.zeros()
        self.expected_transfer = self.zeros()
        self.ahead_fte = self.zeros()
        self.hired = self.zeros()
        self.recruited = self.zeros()
        self._pool = self.zeros()
        self.left = self.zeros()
        self.released = self.zeros()
        self.processed = self.zeros()
        self.emergency_fte = self.zeros()
        self.relocated = np.zeros((1, 1))
        self.rebaselined = np.zeros((1, 1), dtype=np.int64)
        self._volume = self.zeros()
        self._it_share = np.divide(self.full_work, self.full_work.sum())  # of the common IT
        self._constants: CentreConstants | None = None
        self._constants_of: object = None  # the parameters they were computed for
        self._expecting = False  # whether expected_work or expected_transfer holds any work
        self._all_peaked = False  # whether every centre's peak_volume is above 0
        self._relocated = self._rebaselined = False  # whether those counts may be non-zero

    def _stack_more(self, families: list[AgentFamily]) -> None:
        self._constants_of = None
        self.all_started = bool(self.started.all())
        self._expecting = anyof(self.expected_work) or anyof(self.expected_transfer)
        self._relocated = anyof(self.relocated)
        self._rebaselined = anyof(self.rebaselined)
        self._all_peaked = allof(self.peak_volume > 0)

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
            if self._relocated:
                self.relocated = np.zeros((self.members, 1))
                self._relocated = False
            return
        leavers = self.staff * p.relocation_staff_loss
        self.staff = self.staff - leavers
        self.experienced = self.experienced * (1.0 - p.relocation_staff_loss)
        self.experience = self.experience * (1.0 - p.relocation_experience_loss)
        self.relocated = rowsum(leavers)
        self._relocated = True

    def respond(self, complaints: np.ndarray | None) -> np.ndarray:
        """The response to failure, decided on last month's service.

        A centre fails in a month when its service is below ``service_target`` or a share
        ``complaint_share_failing`` of its live institutions escalated a complaint. After
        ``response_delay_months`` months of failure the response starts (as
        ``failure_response`` says): emergency hiring above the budget, a re-baselined plan from
        the productivity reached (once per failure episode, at a one-off cost), a paused
        roll-out. It stops when a month is no longer failing.

        Args:
            complaints: Mask of managers who escalated a complaint last month (None when no
                manager is played from outside, so none can complain).

        Returns:
            Mask over centres whose roll-out is paused this month.
        """
        p, inst, n = self.model.p, self.inst, self.size
        get, put = self._access()
        started = get(self.started)
        failing = started & (get(self.service) < p.service_target)
        if complaints is not None:
            live = inst.live
            n_live = inst.by_centre(live.astype(float), n)
            n_complaints = inst.by_centre((complaints & live).astype(float), n)
            failing = get(failing | (self.started & (n_complaints > p.complaint_share_failing
                                                     * np.maximum(n_live, 1.0))))
        months_failing = where(failing, get(self.months_failing) + 1, 0)
        was = get(self.responding)
        responding = (months_failing >= p.response_delay_months) & (p.failure_response != "none")
        self.months_failing = put(months_failing, np.int64)
        self.responding = put(responding, np.bool_)
        if self._rebaselined:
            self.rebaselined = np.zeros((self.members, 1), dtype=np.int64)
            self._rebaselined = False
        if p.failure_response in ("rebaseline", "all"):
            # responding now and not before (``>`` on booleans: ``&`` with ``~`` would
            # invert a plain bool as a whole number)
            if anyof(responding > was):
                new = self.responding & ~put(was, np.bool_)
                self.rebase_month[new] = self.model.steps
                # the plan is re-based on what the centre has learned, not on a go-live dip,
                # and aims where its own learning curve leads within the planned learning time
                underlying = (self.productivity
                              / np.maximum(1.0 - self.disruption, 1.0 - MAX_DISRUPTION))
                self.rebase_productivity[new] = np.maximum(underlying,
                                                           MIN_REPLAN_PRODUCTIVITY)[new]
                ahead = self.experience + self.full_work * p.planned_learning_months
                reachable = wright_productivity(
                    p.initial_productivity, ahead, self.reference(), p.progress_ratio,
                    np.maximum(p.frontier_productivity, p.initial_productivity))
                self.rebase_target[new] = np.maximum(reachable, self.rebase_productivity)[new]
                self.rebaselined = count(new)
                self._rebaselined = True
        if p.failure_response in ("pause_rollout", "all"):
            return self.responding
        return self.zeros(bool)

    def reference(self) -> np.ndarray:
        """Each centre's Wright's-law first unit: ``learning_reference_months`` of its full
        volume."""
        return self.full_work * self.model.p.learning_reference_months

    def take_over(self, idx: np.ndarray, transferred: np.ndarray) -> None:
        """Institutions ``idx`` (a mask) went live: take their transferred (experienced) staff
        (``transferred``, 0 for the others) and their work.

        The new work's share of the centre's full volume deepens its go-live dip
        (``golive_dip`` × share, at most ``MAX_DISRUPTION``).
        """
        if not anyof(idx):
            return
        n, p, inst = self.size, self.model.p, self.inst
        moved = inst.by_centre(transferred, n)
        self.staff = self.staff + moved
        self.experienced = self.experienced + moved
        new_work = inst.by_centre(np.where(idx, inst.moved_work, 0.0), n)
        share = np.divide(new_work, self.full_work, out=self.zeros(), where=self.full_work > 0)
        self.disruption = np.minimum(self.disruption + p.golive_dip * share, MAX_DISRUPTION)
        self.first_golive = np.where((self.first_golive == 0) & (new_work > 0),
                                     self.model.steps, self.first_golive)
        self.started = self.first_golive > 0
        self.all_started = bool(self.started.all())

    def hand_back(self, idx: np.ndarray) -> None:
        """Institutions ``idx`` (a mask) took the task back: their share of each centre's
        backlog goes with them (they process their own waiting cases again)."""
        if not anyof(idx):
            return
        inst, n = self.inst, self.size
        leaving = inst.by_centre(np.where(idx, inst.moved_work, 0.0), n)
        staying = inst.by_centre(np.where(inst.live, inst.moved_work, 0.0), n)
        total = leaving + staying
        share = np.divide(leaving, total, out=self.zeros(), where=total > 0)
        self.backlog = self.backlog * (1.0 - share)

    def receive(self, committed: np.ndarray) -> None:
        """Work arriving this month: the live institutions' work (less what they took back),
        less digitalisation, plus rework their inputs cause (``caused_rework``) and the
        correction of last month's errors; and the work expected to go live soon, with the
        staff expected to move with it (the centre hires ahead for the rest)."""
        inst, p, n = self.inst, self.model.p, self.size
        live = inst.live
        live_work = inst.by_centre(inst.moved_work if inst.all_live
                                   else np.where(live, inst.moved_work, 0.0), n)
        rework = inst.by_centre(inst.caused_rework - inst.takeback_fte, n)
        get, put = self._access()
        corrections = get(self.errors) * get(self.processed)
        work = get(live_work)
        self.demand = put(maximum((1 - self.model.digital) * (work + get(rework)) + corrections,
                                  0.0))
        self.peak_volume = put(maximum(get(self.peak_volume), work))
        self._volume = live_work
        # once every institution is live, none is waiting to go live soon
        soon = None if inst.all_live else inst.due_within(p.hiring_lag_months, committed)
        if soon is not None and anyof(soon):
            self.expected_work = inst.by_centre(np.where(soon, inst.moved_work, 0.0), n)
            self.expected_transfer = inst.by_centre(np.where(soon, inst.moved_fte * p.transfer_share, 0.0), n)
            self._expecting = True
        elif self._expecting:
            self.expected_work = self.zeros()
            self.expected_transfer = self.zeros()
            self._expecting = False

    def work(self) -> None:
        """Staff, produce and serve for one month in every centre, and take the surplus staff
        it recruits from its institutions.

        Attrition, training of novices, hiring toward the staff target within the budget
        (above it in an emergency), release of staff above both the budget and the need,
        production (learning × staff mix × scale × dip), errors, backlog and service level:
        every centre of every member at once. One member's one centre runs the same formulas
        on plain numbers (``sim.members``: numpy's results without its per-call cost), its
        powers and exponentials still on arrays (numpy's loops, as for many members).
        """
        p, m, inst = self.model.p, self.model, self.inst
        c = self.constants()
        available = inst.redeployable()
        self._pool = inst.by_centre(available, self.size)
        get, put = self._access()
        target, frontier = c.target, c.frontier
        # wright_curve's formula, only its power on the array
        learned = minimum(get(frontier), p.initial_productivity * get(np.power(
            put(1.0 + get(self.experience) / get(c.reference)), c.exponent)))
        staff = get(self.staff)
        leavers = staff * c.leave
        staff = staff - leavers
        experienced = get(self.experienced) * c.keep
        experienced = experienced + trained_this_month(
            staff - experienced, experienced, p.training_months, p.self_training_months,
            p.mentor_ratio)
        peak = self.peak_volume
        if self._all_peaked:  # every centre has had live work: no mask to apply
            scale = get(np.power(self._volume / peak, c.scale_exponent))
        else:
            started = peak > 0
            ratio = np.divide(self._volume, peak, out=np.ones(peak.shape), where=started)
            scale = get(np.where(started, np.power(ratio, c.scale_exponent), 1.0))
            self._all_peaked = allof(started)  # the peak never falls: true from now on
        disruption = get(self.disruption)
        productivity = (learned * scale * (1.0 - disruption)
                        * staff_mix(experienced, staff, p.novice_productivity))
        plan = self._plan(target, get)
        remaining = 1.0 - m.digital
        # Hire ahead for the attrition expected over the hiring lag (c.ahead), so the centre
        # settles on its target instead of one lag's worth of leavers below it.
        ahead = c.ahead
        # The budget pays for the work that actually arrives (rework and corrections included)
        # at the plan's productivity, and for the next wave's work less the staff who will move
        # with it; while failing, the response may hire above it.
        demand, backlog = get(self.demand), get(self.backlog)
        room = c.room / plan
        live_budget = demand * room
        ahead_budget = maximum(get(self.expected_work) * remaining * room
                               - get(self.expected_transfer), 0.0)
        budget = live_budget + ahead_budget
        allowed = budget
        responding = get(self.responding)
        if c.emergency_hiring:
            allowed = where(responding, budget * c.emergency_factor, budget)
        required = (demand + backlog / p.backlog_clear_months) / maximum(productivity,
                                                                       1e-9) * ahead
        required = required + ahead_budget
        wanted = hires_toward(staff, minimum(required, allowed), p.hiring_lag_months)
        # surplus staff of the institutions it serves fill its vacancies first (they know the
        # work); the market supplies novices, within the recruitment capacity
        recruited = minimum(wanted, get(self._pool))
        hired = minimum(wanted - recruited, get(c.capacity))
        experienced = experienced + recruited
        staff = staff + recruited + hired
        # staff above both the budget and the need are released
        ceiling = minimum(allowed, required)
        released = release_above(staff, ceiling, p.centre_release_months)
        emergency = get(self.emergency_fte)
        if anyof(emergency):
            ending = where(responding, False, emergency > 0)
            if anyof(ending):
                # emergency staff are temps and overtime: they go once the failure is over
                released = where(ending, released + minimum(
                    emergency, maximum(staff - released - budget, 0.0))
                    * (1.0 - each(math.exp, -1.0 / p.emergency_release_months)), released)
        staff = staff - released
        experienced = minimum(experienced, staff)
        processed, backlog, service = serve(staff * productivity, demand, backlog,
                                            c.normal_wait)
        progress = (per_member(get(c.learnt), (learned - p.initial_productivity)
                               / get(c.span), 1.0)
                    if c.learning else 1.0)
        staffed = staff > 1e-12
        novices = where(staffed, 1.0 - divide_where(experienced, staff, staffed, 0.0), 0.0)
        first = self.first_golive
        if self.all_started:  # only the exponential on the array (see above)
            defects = p.defect_error_rate * get(np.exp(put(-(m.steps - get(first))
                                                           / p.defect_fix_months)))
        elif anyof(self.started):
            defects = get(np.where(self.started, p.defect_error_rate
                                   * np.exp(-(m.steps - first) / p.defect_fix_months), 0.0))
        else:
            defects = 0.0
        self.errors = put(error_rate(p.error_rate_novice, p.error_rate_strain, novices,
                                     minimum(progress, 1.0), service, defects))
        self.staff = put(staff)
        self.experienced = put(experienced)
        self.productivity = put(productivity)
        self.hired = put(hired)
        self.recruited = put(recruited)
        self.ahead_fte = put(minimum(maximum(staff - live_budget, 0.0), ahead_budget))
        self.released = put(released)
        self.processed = put(processed)
        self.backlog = put(backlog)
        self.service = put(service)
        above = maximum(staff - budget, 0.0)
        self.emergency_fte = put(where(allowed > budget, above, minimum(emergency, above)))
        self.experience = put(get(self.experience) + processed)
        self.disruption = put(disruption * c.dip_decay)
        self.left = put(leavers + released)
        if anyof(recruited):
            taken = np.divide(self.recruited, self._pool, out=self.zeros(),
                              where=self._pool > 0)
            inst.recruit(available * inst.at_centre(taken))

    def _access(self) -> tuple[Callable[[Any], Any], Callable[..., Any]]:
        """How a phase reads and writes the centres' arrays: as plain numbers for one member's
        one centre (1 × 1; see :meth:`work`), else as they are."""
        return (_number, _cell) if self.shape == (1, 1) else (_same, _same)

    def constants(self) -> CentreConstants:
        """What :meth:`work` uses that depends only on the parameters and the centres' full
        work, computed once per parameter set (again after ``with_params``)."""
        p = self.model.p
        if self._constants_of is not p:
            self._constants = CentreConstants(p, self.full_work, self._it_share, self.shape)
            self._constants_of = p
        return self._constants

    def _plan(self, target: float, get: Any = None) -> Any:
        """The productivity the staff budget assumes this month.

        The business case's path (``planned_productivity``), brought forward by
        ``staff_cut_lead_months`` under political pressure; after a re-baselining, a new
        path from the productivity then reached to what the centre's own learning curve
        supports (never above the original target), over what was left of the planned
        learning time (at least a year). ``get`` reads the centres' arrays as :meth:`work`
        does (as plain numbers for one member's one centre).
        """
        get = get or _same
        p, now = self.model.p, self.model.steps
        lead = p.staff_cut_lead_months
        first = get(self.first_golive)
        months_live = (now - first + lead if self.all_started
                       else where(get(self.started), now - first + lead, 0))
        plan = planned_productivity(months_live, target, p.planned_learning_months)
        start = get(self.rebase_month)
        replanned = start > 0
        if anyof(replanned):
            base = get(self.rebase_productivity)
            aim = minimum(get(self.rebase_target), target)
            left = maximum(p.planned_learning_months - (start - first), MIN_REPLAN_MONTHS)
            since = (now - start + lead) / left
            plan = where(replanned, minimum(plan, base + (aim - base)
                                            * minimum(maximum(since, 0.0), 1.0)), plan)
        return maximum(plan, 1e-9)

    def charge(self) -> None:
        """Set each centre's price per unit of work: what its running cost for the live work
        comes to per unit (staff with the emergency premium, its share of the common IT)."""
        p = self.model.p
        if p.charging == "none":
            return
        get, put = self._access()
        remaining = 1.0 - self.model.digital
        demand, volume = get(self.demand), get(self._volume)
        priced = (demand > 0) & (volume > 0)
        live_share = divide_where(demand, demand + get(self.expected_work) * remaining, priced,
                                  0.0)
        cost = (get(self.staff) + p.emergency_cost_premium * get(self.emergency_fte)
                ) * p.fte_cost_mdkk
        it = get(self.constants().it_cost)
        self.unit_price = put(where(priced, divide_where((cost + it) * live_share, volume,
                                                         priced, 0.0), 0.0))


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
