"""Institutions: the bodies (state agencies, municipalities) that hand a task over.

Before go-live an institution does all of its task with ``baseline_fte`` staff. At go-live the
moved share of the work goes to its centre; its surplus staff are split three ways (a stated
assumption following the Danish payroll centre's experience, 000 box 1.4 and the KL report's
cost section, 004 3.4.2): a share transfers to the centre, a share is made redundant and leaves
over the notice period, and the rest is redeployed and leaves only by natural attrition — which
is slow, so gains arrive later than a business case that assumes quick releases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa import Agent

from sim.state import PHASE_NAMES, SERVED, TRANSITION

if TYPE_CHECKING:
    from sim.model import SharedServiceModel


class Institution(Agent):
    """One institution; its state lives in ``model.inst`` at index ``idx``."""

    def __init__(self, model: SharedServiceModel, idx: int, name: str) -> None:
        """Create the view onto institution ``idx``.

        Args:
            model: The model holding the state arrays.
            idx: Index into ``model.inst``.
            name: Human-readable name (e.g. the municipality).
        """
        super().__init__(model)
        self.idx = idx
        self.name = name

    @property
    def phase(self) -> str:
        """'waiting', 'in transition' or 'served'."""
        return PHASE_NAMES[int(self.model.inst.phase[self.idx])]

    @property
    def baseline_fte(self) -> float:
        """Staff on the task before the reform."""
        return float(self.model.inst.baseline_fte[self.idx])

    @property
    def local_fte(self) -> float:
        """Non-shadow local staff (kept plus surplus awaiting release)."""
        return float(self.model.inst.local_fte[self.idx])

    @property
    def shadow_fte(self) -> float:
        """Local staff doing work the centre is meant to do."""
        return float(self.model.inst.shadow_fte[self.idx])


def split_surplus(surplus: np.ndarray, transfer_share: float,
                  redundancy_share: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split surplus staff into (to the centre, made redundant, left to attrition).

    The three parts always add up to ``surplus`` (FTE are conserved).
    """
    to_centre = surplus * transfer_share
    rest = surplus - to_centre
    redundant = rest * redundancy_share
    return to_centre, redundant, rest - redundant


def go_live(model: SharedServiceModel, idx: np.ndarray) -> np.ndarray:
    """Move institutions ``idx`` to the centre this month.

    Returns:
        FTE transferred from each of these institutions to its centre.
    """
    inst, p = model.inst, model.p
    inst.phase[idx] = TRANSITION
    inst.golive_month[idx] = model.month
    surplus = np.maximum(inst.kept_fte[idx] - inst.local_work[idx] * (1 - model.digital), 0.0)
    to_centre, redundant, attrition = split_surplus(surplus, p.transfer_share,
                                                    p.redundancy_share)
    inst.kept_fte[idx] -= surplus
    inst.redundant_fte[idx] += redundant
    inst.attrition_fte[idx] += attrition
    return to_centre


def experience_service(model: SharedServiceModel, centre_service: np.ndarray) -> None:
    """Set the service each live institution experiences this month.

    Its centre's service plus idiosyncratic noise (errors, one bad case), clipped to [0, 1].
    The noise is drawn for every institution every month, so the random stream does not depend
    on who is live (two policies with one seed see the same dice).
    """
    inst = model.inst
    noise = model.rng.normal(0.0, model.p.service_noise, inst.phase.size)
    seen = np.clip(centre_service[inst.centre] + noise, 0.0, 1.0)
    inst.service[:] = np.where(inst.live, seen, np.nan)


def staff_shadow(model: SharedServiceModel, new_shadow: np.ndarray) -> np.ndarray:
    """Staff the shadow functions managers decided on; return FTE hired for them.

    Growth is taken first from staff awaiting attrition, then from staff under notice, and
    only then hired. Shrinkage returns staff to the surplus, split like any release.
    """
    inst, p = model.inst, model.p
    delta = new_shadow - inst.shadow_fte
    grow = np.maximum(delta, 0.0)
    from_attrition = np.minimum(grow, inst.attrition_fte)
    inst.attrition_fte -= from_attrition
    grow -= from_attrition
    from_redundant = np.minimum(grow, inst.redundant_fte)
    inst.redundant_fte -= from_redundant
    hired = grow - from_redundant
    shrink = np.maximum(-delta, 0.0)
    redundant = shrink * p.redundancy_share
    inst.redundant_fte += redundant
    inst.attrition_fte += shrink - redundant
    inst.shadow_fte[:] = new_shadow
    return hired


def release_staff(model: SharedServiceModel) -> tuple[np.ndarray, np.ndarray]:
    """Release surplus staff of live institutions; advance phases.

    Work removed by digitalisation creates new surplus among the kept staff. Staff under notice
    leave at rate 1/notice (an exponential outflow: notice periods differ with seniority);
    redeployed staff leave at the natural attrition rate.

    Returns:
        (all leavers, leavers made redundant) per institution, in FTE this month.
    """
    inst, p = model.inst, model.p
    target = inst.local_work * (1 - model.digital)
    excess = np.where(inst.live, np.maximum(inst.kept_fte - target, 0.0), 0.0)
    inst.kept_fte -= excess
    _, redundant, attrition = split_surplus(excess, 0.0, p.redundancy_share)
    inst.redundant_fte += redundant
    inst.attrition_fte += attrition
    notice_rate = 1.0 if p.transition_months == 0 else 1.0 - np.exp(-1.0 / p.transition_months)
    left_redundant = inst.redundant_fte * notice_rate
    left_attrition = inst.attrition_fte * (p.local_attrition_rate / 12.0)
    inst.redundant_fte -= left_redundant
    inst.attrition_fte -= left_attrition
    done = (inst.phase == TRANSITION) & (model.month - inst.golive_month >= p.transition_months)
    inst.phase[done] = SERVED
    return left_redundant + left_attrition, left_redundant

