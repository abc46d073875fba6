"""Institutions: the bodies (state agencies, municipalities) that hand a task over.

Before go-live an institution does all of its task with ``baseline_fte`` staff. At go-live the
moved share of the work goes to its centre; its surplus staff are split three ways (a stated
assumption following the Danish payroll centre's experience, 000 box 1.4 and the KL report's
cost section, 004 3.4.2): a share transfers to the centre, a share is made redundant and leaves
over the notice period, and the rest is redeployed and leaves only by natural attrition — which
is slow, so gains arrive later than a business case that assumes quick releases.

:class:`InstitutionFamily` owns every institution's state and phase methods;
:class:`Institution` is one institution's writable Mesa view.
"""

from __future__ import annotations

import numpy as np

from sim.agents.family import AgentFamily, ArrayAgent, Column, ModelContext, bounded
from sim.population import Population

WAITING, TRANSITION, SERVED = 0, 1, 2
PHASE_NAMES = ("waiting", "in transition", "served")


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
        moved_work: Work that moves to the centre (FTE-months per month at local productivity).
        local_work: Work that legitimately stays local (FTE-months per month).
        group, centre: Group (region) and centre index.
        eligible_month: Month of its wave (1-based).
        phase: WAITING, TRANSITION or SERVED.
        golive_month: Month it went live (0 = not yet).
        kept_fte: Staff on the work that legitimately stays local.
        redundant_fte: Surplus staff under notice.
        attrition_fte: Surplus staff redeployed until they leave naturally.
        shadow_fte: Staff doing work the centre is meant to do.
        service: Service level experienced this month (NaN if not live).
        live: Mask of institutions whose work has moved to a centre (phase not WAITING).
        transferred: FTE transferred to the centres this month, in all (flow).
        shadow_hired: FTE hired for shadow functions this month (flow).
        left: Staff who left this month (flow).
        made_redundant: Staff who left after notice this month (flow; they cost severance).
    """

    def __init__(self, model: ModelContext, pop: Population, eligible_month: np.ndarray) -> None:
        """Create the institutions of ``pop``, whose waves fall in ``eligible_month``."""
        n = pop.baseline_fte.size
        super().__init__(model, n)
        p = model.p
        self.names = pop.names
        self.baseline_fte = pop.baseline_fte
        self.moved_work = pop.baseline_fte * (1 - p.local_share)
        self.local_work = pop.baseline_fte * p.local_share
        self.group = pop.group
        self.centre = pop.centre
        self.eligible_month = eligible_month
        self.phase = np.full(n, WAITING, dtype=np.int64)
        self.golive_month = np.zeros(n, dtype=np.int64)
        self.kept_fte = pop.baseline_fte.copy()
        self.redundant_fte = np.zeros(n)
        self.attrition_fte = np.zeros(n)
        self.shadow_fte = np.zeros(n)
        self.service = np.full(n, np.nan)
        self.live = np.zeros(n, dtype=bool)
        self.transferred = 0.0
        self.shadow_hired = np.zeros(n)
        self.left = np.zeros(n)
        self.made_redundant = np.zeros(n)

    @property
    def local_fte(self) -> np.ndarray:
        """Non-shadow local staff: kept plus surplus awaiting release."""
        return self.kept_fte + self.redundant_fte + self.attrition_fte

    def refresh_live(self) -> None:
        """Recompute ``live`` (the mask of institutions whose work has moved) from ``phase``."""
        self.live = self.phase != WAITING

    def due(self, joining: np.ndarray | None) -> np.ndarray:
        """Indices of waiting institutions whose wave has come (and whose manager joins).

        Args:
            joining: Under voluntary adoption, the mask of managers who want to join; None
                under mandatory adoption.
        """
        ready = (self.phase == WAITING) & (self.eligible_month <= self.model.steps)
        if joining is not None:
            ready &= joining
        return np.flatnonzero(ready)

    def work_due_within(self, months: float) -> np.ndarray:
        """Moved work of waiting institutions whose wave comes within ``months`` (per inst.)."""
        soon = (self.phase == WAITING) & (self.eligible_month <= self.model.steps + months)
        return np.where(soon, self.moved_work, 0.0)

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

    def experience(self, centre_service: np.ndarray) -> None:
        """Set the service each live institution experiences this month.

        Its centre's service plus idiosyncratic noise (errors, one bad case), clipped to [0, 1].
        The noise is drawn for every institution every month, so the random stream does not
        depend on who is live (two policies with one seed see the same dice).
        """
        noise = self.model.rng.normal(0.0, self.model.p.service_noise, self.size)
        seen = bounded(centre_service[self.centre] + noise, 0.0, 1.0)
        self.service[:] = np.where(self.live, seen, np.nan)

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
        seniority); redeployed staff leave at the natural attrition rate. The month's leavers
        go to ``left`` and those made redundant to ``made_redundant``.
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
        left_attrition = self.attrition_fte * (p.local_attrition_rate / 12.0)
        self.redundant_fte -= left_redundant
        self.attrition_fte -= left_attrition
        done = (self.phase == TRANSITION) & (m.steps - self.golive_month >= p.transition_months)
        self.phase[done] = SERVED
        self.left = left_redundant + left_attrition
        self.made_redundant = left_redundant


class Institution(ArrayAgent):
    """One institution: a writable view onto element ``idx`` of ``model.inst``."""

    family_attr = "inst"

    phase = Column("'waiting', 'in transition' or 'served'.", read=PHASE_NAMES.__getitem__,
                   write=PHASE_NAMES.index, refresh="refresh_live")
    baseline_fte = Column("Staff on the task before the reform (FTE).")
    moved_work = Column("Work that moves to the centre (FTE-months per month).")
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
