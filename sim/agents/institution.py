"""Institutions: the bodies (state agencies, municipalities) that hand a task over.

Before go-live an institution does all of its task with ``baseline_fte`` staff. At go-live the
moved share of the work goes to its centre and the staff mainly engaged in it move with it (a
share ``transfer_share``: where a task moves between Danish public bodies the staff go with it;
Udbetaling Danmark took over about 1,000 municipal staff, 000 box 1.1). The surplus that stays
is split (004, 3.4.2): a share is dismissed and leaves over the notice period, the rest is
redeployed into vacancies elsewhere (``redeployment_months``) or leaves by natural attrition.
While a live institution's service falls short it takes part of the work back
(``takeback_share``), and work its manager was ordered to stop may go on informally
(``informal_fte``).

:class:`InstitutionFamily` owns every institution's state and phase methods;
:class:`Institution` is one institution's writable Mesa view.
"""

from __future__ import annotations

import math

import numpy as np

from sim.agents.family import AgentFamily, ArrayAgent, Column, ModelContext, bounded
from sim.population import Population
from sim.units import MONTHS_PER_YEAR

WAITING, TRANSITION, SERVED, LEFT = 0, 1, 2, 3
PHASE_NAMES = ("waiting", "in transition", "served", "left")
#: ``eligible_month`` of an institution the programme owner dropped from the roll-out.
NEVER = np.iinfo(np.int64).max // 2


def case_work(moved_fte: np.ndarray, unit_cost: np.ndarray) -> np.ndarray:
    """The centre's work for each institution's cases, in baseline FTE-months per month.

    An institution with a low own cost per case has more cases per FTE; the centre does every
    case at one standard cost, so its work is ``moved_fte / unit_cost``, scaled so that the
    total equals the institutions' own staff on the moved work (the business case's volume).
    """
    work = moved_fte / unit_cost
    total = work.sum()
    return work * (moved_fte.sum() / total) if total > 0 else work


def split_surplus(surplus: np.ndarray, transfer_share: float,
                  redundancy_share: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split surplus staff into (to the centre, made redundant, left to attrition).

    The three parts always add up to ``surplus`` (FTE are conserved).
    """
    to_centre = surplus * transfer_share
    rest = surplus - to_centre
    redundant = rest * redundancy_share
    return to_centre, redundant, rest - redundant


class InstitutionFamily(AgentFamily):
    """Every institution's state (index i = institution i) and its monthly phases.

    Attributes:
        baseline_fte: Staff on the task before the reform (FTE).
        moved_fte: Its own staff on the work that moves (FTE): its former cost of that work.
        unit_cost: Its own former cost per case relative to the average (lognormal).
        moved_work: The centre's work for its cases (baseline FTE-months per month).
        local_work: Work that legitimately stays local (FTE-months per month).
        group, centre: Group (region) and centre index.
        eligible_month: Month of its wave (1-based).
        phase: WAITING, TRANSITION, SERVED or LEFT (took the task back).
        golive_month: Month it went live (0 = not yet).
        kept_fte: Staff on the work that legitimately stays local.
        redundant_fte: Surplus staff under notice.
        attrition_fte: Surplus staff awaiting redeployment into a vacancy or natural attrition.
        shadow_fte: Staff doing work the centre is meant to do.
        informal_fte: Shadow work cut by order that goes on informally (FTE-equivalent; not
            on the books as shadow staff).
        takeback_fte: Local time spent doing the centre's work again while service falls short
            (FTE-equivalent); the centre's demand from the institution falls by as much.
        service: Service level experienced this month (NaN if not live).
        live: Mask of institutions served by a centre (in transition or served).
        transferred: FTE transferred to the centres this month, in all (flow).
        shadow_hired: FTE hired for shadow functions this month (flow).
        left: Staff who left this month (flow).
        made_redundant: Staff who left after notice this month (flow; they cost severance).
        rehired: Staff hired this month by institutions that took the task back (flow).
        workaround_fte: Local staff time spent correcting the centre's errors (FTE-equivalent).
        price: What each live institution pays the centre (mio. kr./year; 0 if not charged).
        price_ratio: ``price`` over its own former cost of the moved work.
        n_left: Institutions that have taken the task back so far.
        caused_rework: Extra centre work its inputs cause this month (FTE-months): shadow
            functions' non-standard inputs, and processes not adapted where trust is low.
    """

    def __init__(self, model: ModelContext, pop: Population, eligible_month: np.ndarray) -> None:
        """Create the institutions of ``pop``, whose waves fall in ``eligible_month``."""
        n = pop.baseline_fte.size
        super().__init__(model, n)
        p = model.p
        self.names = pop.names
        self.baseline_fte = pop.baseline_fte
        self.moved_fte = pop.baseline_fte * (1 - p.local_share)
        self.local_work = pop.baseline_fte * p.local_share
        spread = p.unit_cost_spread
        self.unit_cost = (model.rng.lognormal(-spread * spread / 2, spread, n) if spread > 0
                          else np.ones(n))
        self.moved_work = case_work(self.moved_fte, self.unit_cost)
        self.group = pop.group
        self.centre = pop.centre
        self.eligible_month = eligible_month
        self.phase = np.full(n, WAITING, dtype=np.int64)
        self.golive_month = np.zeros(n, dtype=np.int64)
        self.kept_fte = pop.baseline_fte.copy()
        self.redundant_fte = np.zeros(n)
        self.attrition_fte = np.zeros(n)
        self.shadow_fte = np.zeros(n)
        self._recruited_waiting = np.zeros(n)
        self.informal_fte = np.zeros(n)
        self.takeback_fte = np.zeros(n)
        self.service = np.full(n, np.nan)
        self.live = np.zeros(n, dtype=bool)
        self.workaround_fte = np.zeros(n)
        self.price = np.zeros(n)
        self.price_ratio = np.zeros(n)
        self.rehired = np.zeros(n)
        self.caused_rework = np.zeros(n)
        self.n_left = 0
        self.transferred = 0.0
        self.shadow_hired = np.zeros(n)
        self.left = np.zeros(n)
        self.made_redundant = np.zeros(n)

    @property
    def local_fte(self) -> np.ndarray:
        """Non-shadow local staff: kept plus surplus awaiting release."""
        return self.kept_fte + self.redundant_fte + self.attrition_fte

    def refresh_live(self) -> None:
        """Recompute ``live`` (the mask of institutions served by a centre) and ``n_left`` from
        ``phase`` (after a phase was set through an agent's view)."""
        self.live = (self.phase == TRANSITION) | (self.phase == SERVED)
        self.n_left = int(np.count_nonzero(self.phase == LEFT))

    def eligible(self) -> np.ndarray:
        """Mask of waiting institutions whose wave has come."""
        return (self.phase == WAITING) & (self.eligible_month <= self.model.steps)

    def due(self, committed: np.ndarray, eligible: np.ndarray) -> np.ndarray:
        """Indices of institutions that go live this month.

        Mandatory adoption: every waiting institution whose wave has come. Voluntary: those
        whose manager decided to join ``join_notice_months`` ago (``committed`` holds the
        month of that decision, 0 if none). ``eligible`` is this month's :meth:`eligible`.
        """
        p, now = self.model.p, self.model.steps
        if p.adoption == "voluntary":
            ready = ((self.phase == WAITING) & (committed > 0)
                     & (committed + p.join_notice_months <= now))
        else:
            ready = eligible
        return np.flatnonzero(ready)

    def due_within(self, months: float, committed: np.ndarray) -> np.ndarray:
        """Mask of waiting institutions expected to go live within ``months``.

        Mandatory: their wave comes within ``months``. Voluntary: their manager has announced
        the decision to join (the centre hires for announced joiners).
        """
        waiting = self.phase == WAITING
        if self.model.p.adoption == "voluntary":
            return waiting & (committed > 0)
        return waiting & (self.eligible_month <= self.model.steps + months)

    def postpone(self, centres: np.ndarray) -> None:
        """A paused roll-out: waiting institutions of the paused ``centres`` (mask over
        centres) wait one more month."""
        if not centres.any():
            return
        held = (self.phase == WAITING) & centres[self.centre]
        self.eligible_month[held] += 1

    def drop_waiting(self) -> int:
        """The programme owner drops every institution still waiting; returns how many."""
        waiting = self.phase == WAITING
        self.eligible_month[waiting] = NEVER
        return int(np.count_nonzero(waiting))

    def take_back_all(self) -> np.ndarray:
        """The programme ends: every live institution takes the task back (indices)."""
        return self._take_back(np.flatnonzero(self.live))

    def price_ratio_expected(self, unit_price: np.ndarray, target: float) -> np.ndarray:
        """What each institution pays, or expects to pay, over its own former cost.

        Live: what it pays now. Waiting: its centre's current price if it charges one yet,
        else the business case's (the work at the planned productivity ``target``). 0 when
        the centre is centrally funded.
        """
        p = self.model.p
        if p.charging == "none":
            return np.zeros(self.size)
        former = np.maximum(self.moved_fte * p.fte_cost_mdkk, 1e-12)
        price = unit_price[self.centre] * self.moved_work
        planned = self.moved_work * p.fte_cost_mdkk / target
        expected = np.where(price > 0, price, planned) / former
        return np.where(self.live, self.price_ratio, expected)

    def exits_possible(self) -> bool:
        """Whether live institutions may leave by the rule (voluntary adoption, or a mandate
        with exits allowed, and an exit threshold above 0)."""
        p = self.model.p
        return p.exit_trust_threshold > 0 and (p.adoption == "voluntary"
                                               or p.exit_when_mandatory)

    def leave(self, score: np.ndarray, played: np.ndarray) -> np.ndarray:
        """Live institutions whose manager's decision score (trust, price, loss of control)
        fell below the exit threshold take the task back (under voluntary adoption, or under a
        mandate if exits are allowed); managers played from outside decide for themselves and
        never leave by the rule.

        Their shadow staff become ordinary staff on the task again; the rest of the work is
        staffed by hiring (see :meth:`release_staff`). Returns the indices that left.
        """
        p = self.model.p
        if not self.exits_possible():
            return np.zeros(0, dtype=np.int64)
        return self._take_back(np.flatnonzero(self.live & (score < p.exit_trust_threshold)
                                              & ~played))

    def _take_back(self, idx: np.ndarray) -> np.ndarray:
        """Institutions ``idx`` take the task back; their shadow and informal work become
        ordinary staff again."""
        if idx.size:
            self.n_left += idx.size
            self.phase[idx] = LEFT
            self.live[idx] = False
            self.kept_fte[idx] += self.shadow_fte[idx]
            self.shadow_fte[idx] = 0.0
            self.informal_fte[idx] = 0.0
            self.takeback_fte[idx] = 0.0
            self.service[idx] = np.nan
        return idx

    def go_live(self, idx: np.ndarray) -> np.ndarray:
        """Move institutions ``idx`` to their centre this month.

        Returns:
            FTE transferred from each of these institutions to its centre (their total is
            stored in ``transferred``).
        """
        p, m = self.model.p, self.model
        if idx.size == 0:
            self.transferred = 0.0
            return np.zeros(0)
        self.phase[idx] = TRANSITION
        self.live[idx] = True
        self.golive_month[idx] = m.steps
        surplus = np.maximum(self.kept_fte[idx] - self.local_work[idx] * (1 - m.digital), 0.0)
        to_centre, redundant, attrition = split_surplus(surplus, p.transfer_share,
                                                        p.redundancy_share)
        self.kept_fte[idx] -= surplus
        self.redundant_fte[idx] += redundant
        self.attrition_fte[idx] += attrition
        self.transferred = float(to_centre.sum())
        return to_centre

    def experience(self, centre_service: np.ndarray, centre_errors: np.ndarray) -> None:
        """Set the service each live institution experiences this month, and the local time
        its errors cost.

        Service is its centre's timeliness times the share of cases without errors, plus
        idiosyncratic noise (one bad case), clipped to [0, 1]. The noise is drawn for every
        institution every month, so the random stream does not depend on who is live (two
        policies with one seed see the same dice). Each erroneous case costs local staff
        ``workaround_share`` of the case's own former work (double administration).
        """
        p = self.model.p
        noise = self.model.rng.normal(0.0, p.service_noise, self.size)
        errors = centre_errors[self.centre]
        seen = bounded(centre_service[self.centre] * (1.0 - errors) + noise, 0.0, 1.0)
        self.service[:] = np.where(self.live, seen, np.nan)
        self.workaround_fte = np.where(self.live, errors * self.moved_fte * p.workaround_share,
                                       0.0)

    def send_inputs(self, trust: np.ndarray) -> None:
        """Set the extra work each live institution's inputs cause the centre this month.

        ``rework_per_shadow × (shadow + informal) + distrust_rework × (1 − trust)² × work``:
        shadow functions, on the books or not, send non-standard inputs (000, box 1.2), and a
        manager who does not trust the centre keeps its own forms and checks instead of adapting
        to the standard process (squared: processes adapt once trust is established; resistance
        grows with distrust).
        """
        p = self.model.p
        rework = p.rework_per_shadow * (self.shadow_fte + self.informal_fte)
        if p.distrust_rework > 0:
            doubt = 1.0 - trust
            rework = rework + p.distrust_rework * (doubt * doubt) * self.moved_work
        self.caused_rework = np.where(self.live, rework, 0.0)

    def pay(self, unit_price: np.ndarray) -> None:
        """Set what each live institution pays its centre and how that compares with its own
        former cost of the work.

        Average-cost charging prices every case alike (``unit_price × moved_work``);
        activity-based charging adds the rework the institution's inputs cause.
        """
        p = self.model.p
        if p.charging == "none":
            return
        key = (self.moved_work + self.caused_rework if p.charging == "activity_based"
               else self.moved_work)
        self.price = np.where(self.live, unit_price[self.centre] * key, 0.0)
        former = self.moved_fte * p.fte_cost_mdkk
        self.price_ratio = np.divide(self.price, former, out=np.zeros(self.size),
                                     where=former > 0)

    def redeployable(self) -> np.ndarray:
        """Surplus staff of live institutions who could move into a centre's vacancies this
        month: those redeployed this month (``redeployment_months``), from the staff under
        notice and those awaiting redeployment alike."""
        p = self.model.p
        if p.redeployment_months <= 0 or not self.live.any():
            return np.zeros(self.size)
        rate = 1.0 - math.exp(-1.0 / p.redeployment_months)
        return np.where(self.live, (self.redundant_fte + self.attrition_fte) * rate, 0.0)

    def recruit(self, fte: np.ndarray) -> None:
        """Centres took ``fte`` of each institution's surplus staff into their vacancies (from
        the staff under notice and those awaiting redeployment in proportion); they count as
        this month's transfers, not as leavers or dismissed. Those awaiting redeployment are part
        of the month's redeployment (:meth:`release_staff` redeploys only the rest)."""
        pool = self.redundant_fte + self.attrition_fte
        share = np.divide(fte, pool, out=np.zeros(self.size), where=pool > 0)
        self.redundant_fte -= self.redundant_fte * share
        self._recruited_waiting = self.attrition_fte * share
        self.attrition_fte -= self._recruited_waiting

    def work_around(self, shortfall: np.ndarray, informal: np.ndarray) -> None:
        """Local work the centre was meant to do, off the books: cases taken back while service
        falls short (``takeback_share × shortfall`` of the moved work, ``shortfall`` ∈ [0, 1]
        the month's shortfall below expectation) and shadow work cut by order that goes on
        informally (``informal``, decided by the managers)."""
        p = self.model.p
        if p.takeback_share > 0 and shortfall.any():
            self.takeback_fte = np.where(self.live,
                                         p.takeback_share * shortfall * self.moved_work, 0.0)
        elif self.takeback_fte.any():
            self.takeback_fte = np.zeros(self.size)
        if informal.any():
            self.informal_fte = np.where(self.live, informal, 0.0)
        elif self.informal_fte.any():
            self.informal_fte = np.zeros(self.size)

    def staff_shadow(self, new_shadow: np.ndarray) -> None:
        """Staff the shadow functions the managers decided on (hires go to ``shadow_hired``).

        Growth is taken first from staff awaiting attrition, then from staff under notice, and
        only then hired. Shrinkage returns staff to the surplus, split like any release.
        """
        p = self.model.p
        delta = new_shadow - self.shadow_fte
        grow = np.maximum(delta, 0.0)
        from_attrition = np.minimum(grow, self.attrition_fte)
        self.attrition_fte -= from_attrition
        grow -= from_attrition
        from_redundant = np.minimum(grow, self.redundant_fte)
        self.redundant_fte -= from_redundant
        self.shadow_hired = grow - from_redundant
        shrink = np.maximum(-delta, 0.0)
        redundant = shrink * p.redundancy_share
        self.redundant_fte += redundant
        self.attrition_fte += shrink - redundant
        self.shadow_fte[:] = new_shadow

    def release_staff(self) -> None:
        """Release surplus staff of live institutions; advance phases.

        Work removed by digitalisation creates new surplus among the kept staff. Staff under
        notice leave at rate 1/notice (an exponential outflow: notice periods differ with
        seniority); the rest leave by redeployment into vacancies (time constant
        ``redeployment_months``) or natural attrition, whichever comes first. The month's
        leavers go to ``left`` and those made redundant to ``made_redundant``.
        """
        p, m = self.model.p, self.model
        target = self.local_work * (1 - m.digital)
        excess = np.where(self.live, np.maximum(self.kept_fte - target, 0.0), 0.0)
        self.kept_fte -= excess
        _, redundant, attrition = split_surplus(excess, 0.0, p.redundancy_share)
        self.redundant_fte += redundant
        self.attrition_fte += attrition
        notice_rate = (1.0 if p.transition_months == 0
                       else 1.0 - np.exp(-1.0 / p.transition_months))
        left_redundant = self.redundant_fte * notice_rate
        stay = 1.0 - p.local_attrition_rate / MONTHS_PER_YEAR
        if p.redeployment_months > 0:
            stay *= math.exp(-1.0 / p.redeployment_months)
        # the month's redeployment and attrition from those awaiting it, less those a centre
        # already took into its vacancies this month
        taken = self._recruited_waiting
        left_attrition = np.maximum((self.attrition_fte + taken) * (1.0 - stay) - taken, 0.0)
        if taken.any():
            self._recruited_waiting = np.zeros(self.size)
        self.redundant_fte -= left_redundant
        self.attrition_fte -= left_attrition
        done = (self.phase == TRANSITION) & (m.steps - self.golive_month >= p.transition_months)
        self.phase[done] = SERVED
        self.left = left_redundant + left_attrition
        self.made_redundant = left_redundant
        if self.n_left:  # took the task back: staff it again by hiring
            gone = self.phase == LEFT
            own = self.local_work * (1 - m.digital) + self.moved_fte
            gap = np.where(gone, np.maximum(own - self.kept_fte, 0.0), 0.0)
            self.rehired = gap * (1.0 - np.exp(-1.0 / p.hiring_lag_months))
            self.kept_fte += self.rehired


class Institution(ArrayAgent):
    """One institution: a writable view onto element ``idx`` of ``model.inst``."""

    family_attr = "inst"

    phase = Column("'waiting', 'in transition', 'served' or 'left'.", read=PHASE_NAMES.__getitem__,
                   write=PHASE_NAMES.index, refresh="refresh_live")
    baseline_fte = Column("Staff on the task before the reform (FTE).")
    moved_work = Column("The centre's work for its cases (FTE-months per month).")
    moved_fte = Column("Its own former staff on the moved work (FTE).")
    unit_cost = Column("Its own former cost per case relative to the average.")
    price = Column("What it pays the centre (mio. kr./year).")
    workaround_fte = Column("Local staff time spent on the centre's errors (FTE-equivalent).")
    kept_fte = Column("Staff on the work that legitimately stays local (FTE).")
    redundant_fte = Column("Surplus staff under notice (FTE).")
    attrition_fte = Column("Surplus staff redeployed until they leave naturally (FTE).")
    shadow_fte = Column("Local staff doing work the centre is meant to do (FTE).")
    service = Column("Service experienced this month (share of due work; NaN if not live).")
    centre = Column("Index of its centre.")
    group = Column("Index of its group (region).")

    def __init__(self, model: ModelContext, idx: int) -> None:
        """Create the view onto institution ``idx``."""
        super().__init__(model, idx)
        self.name = self.family.names[idx]

    @property
    def local_fte(self) -> float:
        """Non-shadow local staff (kept plus surplus awaiting release), FTE."""
        inst = self.family
        return float(inst.kept_fte[self.idx] + inst.redundant_fte[self.idx]
                     + inst.attrition_fte[self.idx])
