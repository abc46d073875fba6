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
from functools import lru_cache
from typing import Any

import numpy as np

from sim.agents.family import (
    MAPPED_CACHE_SIZE,
    AgentFamily,
    ArrayAgent,
    Column,
    ModelContext,
    anyof,
    bounded,
    count,
    each,
    per_member,
    rowsum,
)
from sim.population import Population
from sim.units import MONTHS_PER_YEAR

WAITING, TRANSITION, SERVED, LEFT = 0, 1, 2, 3
#: Most months of service noise drawn at once (a cost setting: the draws are the same).
NOISE_BLOCK_MONTHS = 12
PHASE_NAMES = ("waiting", "in transition", "served", "left")
#: ``eligible_month`` of an institution the programme owner dropped from the roll-out.
NEVER = np.iinfo(np.int64).max // 2


def case_work(moved_fte: np.ndarray, unit_cost: np.ndarray) -> np.ndarray:  # one member
    """The centre's work for each institution's cases, in baseline FTE-months per month.

    An institution with a low own cost per case has more cases per FTE; the centre does every
    case at one standard cost, so its work is ``moved_fte / unit_cost``, scaled so that the
    total equals the institutions' own staff on the moved work (the business case's volume).
    """
    work = moved_fte / unit_cost
    total = work.sum()
    return work * (moved_fte.sum() / total) if total > 0 else work


@lru_cache(maxsize=MAPPED_CACHE_SIZE)
def notice_rate(transition_months: int) -> float:
    """Share of the staff under notice who leave in a month: ``1 − exp(−1 / notice months)``
    (all at once without a notice period)."""
    return 1.0 if transition_months == 0 else 1.0 - np.exp(-1.0 / transition_months)


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
        all_live: Whether every institution of every member is live (kept with ``live``).
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
        """Create one member's institutions of ``pop``, whose waves fall in ``eligible_month``
        (drawing from the model's generator as a single run does)."""
        n = pop.baseline_fte.size
        super().__init__(model, n)
        p = model.p
        self.names = pop.names
        base = pop.baseline_fte
        spread = p.unit_cost_spread
        unit_cost = (model.rng.lognormal(-spread * spread / 2, spread, n) if spread > 0
                     else np.ones(n))
        moved_fte = base * (1 - p.local_share)
        row = np.newaxis
        self.baseline_fte = base[row]
        self.moved_fte = moved_fte[row]
        self.local_work = (base * p.local_share)[row]
        self.unit_cost = unit_cost[row]
        self.moved_work = case_work(moved_fte, unit_cost)[row]
        self.group = pop.group[row]
        self.centre = pop.centre[row]
        self.eligible_month = np.asarray(eligible_month)[row].copy()
        self.phase = np.full(self.shape, WAITING, dtype=np.int64)
        self.golive_month = self.zeros(np.int64)
        self.kept_fte = self.baseline_fte.copy()
        self.redundant_fte = self.zeros()
        self.attrition_fte = self.zeros()
        self.shadow_fte = self.zeros()
        self._recruited_waiting = self.zeros()
        self.informal_fte = self.zeros()
        self.takeback_fte = self.zeros()
        self.service = np.full(self.shape, np.nan)
        self.live = self.zeros(bool)
        self.all_live = False
        self._in_transition = False  # whether any institution may be in transition
        self.workaround_fte = self.zeros()
        self.price = self.zeros()
        self.price_ratio = self.zeros()
        self.rehired = self.zeros()
        self.caused_rework = self.zeros()
        self.n_left = np.zeros((1, 1), dtype=np.int64)
        self.transferred = np.zeros((1, 1))
        self.shadow_hired = self.zeros()
        self.left = self.zeros()
        self.made_redundant = self.zeros()
        self._flat_centre: np.ndarray | None = None
        self._flat_by_centre: np.ndarray | None = None
        self._noise = np.empty((0, *self.shape))  # standard normal draws of months to come
        self._noise_next = 0

    def _stack_more(self, families: list[AgentFamily]) -> None:
        self.all_live = bool(self.live.all())
        self._in_transition = anyof(self.phase == TRANSITION)
        self._flat_centre = self._flat_by_centre = None
        self._noise = np.empty((0, *self.shape))
        self._noise_next = 0

    def by_centre(self, values: np.ndarray, n: int) -> np.ndarray:
        """Each centre's sum of its institutions' ``values`` (members × institutions): members
        × ``n`` centres (:meth:`~sim.agents.family.AgentFamily.per`, its indices kept)."""
        if self.members > 1 and self._flat_by_centre is None:
            offset = np.arange(self.members)[:, np.newaxis] * n
            self._flat_by_centre = (self.centre + offset).ravel()
        return self.per(self.centre, values, n, self._flat_by_centre)

    def at_centre(self, values: np.ndarray) -> Any:
        """Each institution's value of its centre (``values``: members × centres); with one
        centre, ``values`` itself (members × 1, which broadcasts alike), and for one member's
        one centre its value as a Python number (the same products, without the cost of
        broadcasting a 1 × 1 array)."""
        if values.shape[1] == 1:
            return values.item() if values.shape[0] == 1 else values
        if self.members == 1:
            return values[:, self.centre[0]]
        if self._flat_centre is None:
            offset = np.arange(self.members)[:, np.newaxis] * values.shape[1]
            self._flat_centre = (self.centre + offset).ravel()
        return values.ravel()[self._flat_centre].reshape(self.shape)

    @property
    def local_fte(self) -> np.ndarray:
        """Non-shadow local staff: kept plus surplus awaiting release."""
        return self.kept_fte + self.redundant_fte + self.attrition_fte

    def refresh_live(self) -> None:
        """Recompute ``live`` (the mask of institutions served by a centre) and ``n_left`` from
        ``phase`` (after a phase was set through an agent's view)."""
        self.live = (self.phase == TRANSITION) | (self.phase == SERVED)
        self.all_live = bool(self.live.all())
        self._in_transition = anyof(self.phase == TRANSITION)
        self.n_left = count(self.phase == LEFT)

    def where_live(self, x: np.ndarray, other: float = 0.0) -> np.ndarray:
        """``x`` (members × institutions, a new array the caller owns) for live institutions,
        ``other`` for the rest: ``np.where(live, x, other)``, or ``x`` itself when every
        institution is live (the same values, without the call)."""
        return x if self.all_live else np.where(self.live, x, other)

    def live_mask(self) -> np.ndarray | bool:
        """``live``, or True when every institution is live (``np.where`` and ``&`` take
        either alike)."""
        return True if self.all_live else self.live

    @property
    def all_served(self) -> bool:
        """Whether every institution of every member is past its notice period."""
        return self.all_live and not self._in_transition

    def eligible(self) -> np.ndarray:
        """Mask of waiting institutions whose wave has come."""
        if self.all_live:  # none is waiting
            return self.zeros(bool)
        return (self.phase == WAITING) & (self.eligible_month <= self.model.steps)

    def due(self, committed: np.ndarray, eligible: np.ndarray) -> np.ndarray:
        """Mask of institutions that go live this month.

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
        return ready

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
        if not anyof(centres):
            return
        held = (self.phase == WAITING) & self.at_centre(centres)
        self.eligible_month[held] += 1

    def drop_waiting(self, which: np.ndarray) -> None:
        """The programme owner drops every institution still waiting (in the members
        ``which``: members × 1)."""
        waiting = (self.phase == WAITING) & which
        self.eligible_month[waiting] = NEVER

    def take_back_all(self, which: np.ndarray) -> np.ndarray:
        """The programme ends (in the members ``which``): every live institution takes the task
        back (mask)."""
        return self._take_back(self.live & which)

    def price_ratio_expected(self, unit_price: np.ndarray, target: float) -> np.ndarray:
        """What each institution pays, or expects to pay, over its own former cost.

        Live: what it pays now. Waiting: its centre's current price if it charges one yet,
        else the business case's (the work at the planned productivity ``target``). 0 when
        the centre is centrally funded.
        """
        p = self.model.p
        if p.charging == "none":
            return self.zeros()
        former = np.maximum(self.moved_fte * p.fte_cost_mdkk, 1e-12)
        price = self.at_centre(unit_price) * self.moved_work
        planned = self.moved_work * p.fte_cost_mdkk / target
        expected = np.where(price > 0, price, planned) / former
        return np.where(self.live, self.price_ratio, expected)

    def exits_possible(self) -> bool | np.ndarray:
        """Whether live institutions may leave by the rule (voluntary adoption, or a mandate
        with exits allowed, and an exit threshold above 0): a bool, or one per member (members
        × 1) when their thresholds differ."""
        p = self.model.p
        if not (p.adoption == "voluntary" or p.exit_when_mandatory):
            return False
        return p.exit_trust_threshold > 0

    def leave(self, score: np.ndarray, played: np.ndarray) -> np.ndarray:
        """Live institutions whose manager's decision score (trust, price, loss of control)
        fell below the exit threshold take the task back (under voluntary adoption, or under a
        mandate if exits are allowed); managers played from outside decide for themselves and
        never leave by the rule.

        Their shadow staff become ordinary staff on the task again; the rest of the work is
        staffed by hiring (see :meth:`release_staff`). Returns the mask of those that left.
        """
        p = self.model.p
        possible = self.exits_possible()
        if not anyof(possible):
            return self.zeros(bool)
        return self._take_back(self.live & (score < p.exit_trust_threshold) & ~played
                               & possible)

    def _take_back(self, idx: np.ndarray) -> np.ndarray:
        """Institutions ``idx`` (a mask) take the task back; their shadow and informal work
        become ordinary staff again."""
        if anyof(idx):
            self.n_left = self.n_left + count(idx)
            self.phase[idx] = LEFT
            self.live[idx] = False
            self.all_live = False
            self.kept_fte[idx] += self.shadow_fte[idx]
            self.shadow_fte[idx] = 0.0
            self.informal_fte[idx] = 0.0
            self.takeback_fte[idx] = 0.0
            self.service[idx] = np.nan
        return idx

    def go_live(self, idx: np.ndarray) -> np.ndarray:
        """Move institutions ``idx`` (a mask) to their centre this month.

        Returns:
            FTE transferred from each institution to its centre (0 for those not going live;
            each member's total is stored in ``transferred``).
        """
        p, m = self.model.p, self.model
        if self.all_live or not anyof(idx):  # none waiting, or none due
            self.transferred = np.zeros((self.members, 1))
            return self.zeros()
        self.phase[idx] = TRANSITION
        self._in_transition = True
        self.live[idx] = True
        self.all_live = bool(self.live.all())
        self.golive_month[idx] = m.steps
        surplus = np.where(idx, np.maximum(self.kept_fte - self.local_work * (1 - m.digital),
                                           0.0), 0.0)
        to_centre, redundant, attrition = split_surplus(surplus, p.transfer_share,
                                                        p.redundancy_share)
        self.kept_fte -= surplus
        self.redundant_fte += redundant
        self.attrition_fte += attrition
        self.transferred = rowsum(to_centre)
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
        # rng.normal(0, sd, n) is 0 + sd × rng.standard_normal(n), bit for bit
        noise = 0.0 + p.service_noise * self._standard_normal()
        errors = self.at_centre(centre_errors)
        seen = bounded(self.at_centre(centre_service) * (1.0 - errors) + noise, 0.0, 1.0)
        self.service[:] = self.where_live(seen, np.nan)
        self.workaround_fte = self.where_live(errors * self.moved_fte * p.workaround_share)

    def _standard_normal(self) -> np.ndarray:
        """This month's standard normal draws (members × institutions), each member's from its
        own generator: the draws its single run makes month by month, taken up to
        ``NOISE_BLOCK_MONTHS`` months at a time (within the horizon), which leaves every
        generator where month-by-month draws leave it at the horizon."""
        m = self.model
        if self._noise_next == len(self._noise):
            months = max(1, min(NOISE_BLOCK_MONTHS, m.p.months - m.steps + 1))
            self._noise = np.empty((months, *self.shape))
            for k, rng in enumerate(m.rngs):
                self._noise[:, k] = rng.standard_normal((months, self.size))
            self._noise_next = 0
        self._noise_next += 1
        return self._noise[self._noise_next - 1]

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
        if anyof(p.distrust_rework > 0):
            doubt = 1.0 - trust
            rework = per_member(p.distrust_rework > 0,
                                rework + p.distrust_rework * (doubt * doubt) * self.moved_work,
                                rework)
        self.caused_rework = self.where_live(rework)

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
        self.price = self.where_live(self.at_centre(unit_price) * key)
        former = self.moved_fte * p.fte_cost_mdkk
        self.price_ratio = np.divide(self.price, former, out=self.zeros(),
                                     where=former > 0)

    def redeployable(self) -> np.ndarray:
        """Surplus staff of live institutions who could move into a centre's vacancies this
        month: those redeployed this month (``redeployment_months``), from the staff under
        notice and those awaiting redeployment alike."""
        p = self.model.p
        months = p.redeployment_months
        if not (anyof(months > 0) and (self.all_live or anyof(self.live))):
            return self.zeros()
        rate = 1.0 - each(math.exp, -1.0 / np.where(months > 0, months, 1.0)
                          if isinstance(months, np.ndarray) else -1.0 / months)
        return per_member(months > 0,
                          self.where_live((self.redundant_fte + self.attrition_fte) * rate),
                          0.0)

    def recruit(self, fte: np.ndarray) -> None:
        """Centres took ``fte`` of each institution's surplus staff into their vacancies (from
        the staff under notice and those awaiting redeployment in proportion); they count as
        this month's transfers, not as leavers or dismissed. Those awaiting redeployment are part
        of the month's redeployment (:meth:`release_staff` redeploys only the rest)."""
        pool = self.redundant_fte + self.attrition_fte
        share = np.divide(fte, pool, out=self.zeros(), where=pool > 0)
        self.redundant_fte -= self.redundant_fte * share
        self._recruited_waiting = self.attrition_fte * share
        self.attrition_fte -= self._recruited_waiting

    def work_around(self, shortfall: np.ndarray, informal: np.ndarray) -> None:
        """Local work the centre was meant to do, off the books: cases taken back while service
        falls short (``takeback_share × shortfall`` of the moved work, ``shortfall`` ∈ [0, 1]
        the month's shortfall below expectation) and shadow work cut by order that goes on
        informally (``informal``, decided by the managers)."""
        p = self.model.p
        if anyof(p.takeback_share > 0) and anyof(shortfall):
            self.takeback_fte = self.where_live(p.takeback_share * shortfall * self.moved_work)
        elif anyof(self.takeback_fte):
            self.takeback_fte = self.zeros()
        if anyof(informal):
            self.informal_fte = np.where(self.live, informal, 0.0)
        elif anyof(self.informal_fte):
            self.informal_fte = self.zeros()

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
        excess = self.where_live(np.maximum(self.kept_fte - target, 0.0))
        self.kept_fte -= excess
        _, redundant, attrition = split_surplus(excess, 0.0, p.redundancy_share)
        self.redundant_fte += redundant
        self.attrition_fte += attrition
        left_redundant = self.redundant_fte * notice_rate(p.transition_months)
        stay = 1.0 - p.local_attrition_rate / MONTHS_PER_YEAR
        months = p.redeployment_months
        if anyof(months > 0):
            stay = per_member(months > 0, stay * each(
                math.exp, -1.0 / np.where(months > 0, months, 1.0)
                if isinstance(months, np.ndarray) else -1.0 / months), stay)
        # the month's redeployment and attrition from those awaiting it, less those a centre
        # already took into its vacancies this month
        taken = self._recruited_waiting
        left_attrition = np.maximum((self.attrition_fte + taken) * (1.0 - stay) - taken, 0.0)
        if anyof(taken):
            self._recruited_waiting = self.zeros()
        self.redundant_fte -= left_redundant
        self.attrition_fte -= left_attrition
        if self._in_transition:
            transition = self.phase == TRANSITION
            done = transition & (m.steps - self.golive_month >= p.transition_months)
            self.phase[done] = SERVED
            self._in_transition = anyof(transition & ~done)
        self.left = left_redundant + left_attrition
        self.made_redundant = left_redundant
        if anyof(self.n_left):  # took the task back: staff it again by hiring
            gone = self.phase == LEFT
            own = self.local_work * (1 - m.digital) + self.moved_fte
            gap = np.where(gone, np.maximum(own - self.kept_fte, 0.0), 0.0)
            self.rehired = gap * (1.0 - each(np.exp, -1.0 / p.hiring_lag_months))
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
        inst, i = self.family, (0, self.idx)
        return float(inst.kept_fte[i] + inst.redundant_fte[i] + inst.attrition_fte[i])
