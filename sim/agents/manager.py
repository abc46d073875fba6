"""Local managers: trust in the centre, need for control, shadow functions, peer influence.

Each rule is a pure function on arrays, so it can be tested on its own; :func:`update_managers`
applies them to the whole population in the model's fixed phase order. Equations and sources
are in ``docs/model.md`` (sections "Trust" and "Shadow functions").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa import Agent

if TYPE_CHECKING:
    from sim.model import SharedServiceModel


class LocalManager(Agent):
    """The manager of one institution; its state lives in ``model.mgr`` at index ``idx``."""

    def __init__(self, model: SharedServiceModel, idx: int) -> None:
        """Create the view onto manager ``idx`` (the manager of institution ``idx``)."""
        super().__init__(model)
        self.idx = idx

    @property
    def trust(self) -> float:
        """Trust in the centre, in [0, 1]."""
        return float(self.model.mgr.trust[self.idx])

    @property
    def control_need(self) -> float:
        """Need to keep control locally, in [0, 1]."""
        return float(self.model.mgr.control_need[self.idx])

    @property
    def peers(self) -> list[int]:
        """Indices of the peers on the network."""
        return list(self.model.graph.neighbors(self.idx))


def satisfaction(service: np.ndarray, expected: float, tolerance: float) -> np.ndarray:
    """Experienced service against the expectation, scaled to [-1, 1].

    Above the expectation: ``(service - expected) / (1 - expected)`` (+1 is a perfect month).
    Below it: ``(service - expected) / tolerance`` (-1 is a shortfall of ``tolerance`` or
    worse). Both clipped to [-1, 1].
    """
    room = np.where(service >= expected, 1.0 - expected, tolerance)
    return np.clip((service - expected) / room, -1.0, 1.0)


def experience_effect(trust: np.ndarray, sat: np.ndarray, rate: float,
                      loss_aversion: float) -> np.ndarray:
    """Asymmetric trust change from one month's experience.

    Gains move trust toward 1, losses toward 0, and a loss weighs ``loss_aversion`` times a
    gain of the same size (prospect theory; trust is "easy to lose, hard to win").
    """
    gain = rate * np.maximum(sat, 0.0) * (1.0 - trust)
    loss = rate * loss_aversion * np.minimum(sat, 0.0) * trust
    return gain + loss


def dialogue_effect(trust: np.ndarray, effort: float, rate: float) -> np.ndarray:
    """Monthly trust gain from the centre's dialogue: ``rate * effort * (1 - trust)``."""
    return rate * effort * (1.0 - trust)


def peer_effect(trust: np.ndarray, peer_mean: np.ndarray, has_peers: np.ndarray,
                influence: float) -> np.ndarray:
    """Pull toward the peers' mean trust (DeGroot averaging); none for isolated managers."""
    return np.where(has_peers, influence * (peer_mean - trust), 0.0)


def shadow_pressure(trust: np.ndarray, clarity: float, control_need: np.ndarray) -> np.ndarray:
    """Pressure to keep shadow functions, in [0, 1].

    ``(1 - trust * clarity) * (0.5 + control_need)``, clipped: zero only when the manager
    trusts the centre fully and the task split is fully clear; a high need for control
    amplifies it (000, box 1.2: shadow functions express the need to keep control).
    """
    return np.clip((1.0 - trust * clarity) * (0.5 + control_need), 0.0, 1.0)


def adjust_toward(current: np.ndarray, target: np.ndarray, build_months: float,
                  dismantle_months: float) -> np.ndarray:
    """First-order move toward ``target``: fast when building, slow when dismantling."""
    tau = np.where(target > current, build_months, dismantle_months)
    return current + (target - current) * (1.0 - np.exp(-1.0 / tau))


def update_managers(model: SharedServiceModel) -> np.ndarray:
    """Update every manager's trust, then return the shadow FTE each wants now.

    Phase order inside: experience (live institutions only), dialogue, peers — all computed
    from last month's trust, then applied at once and clipped to [0, 1].
    """
    p, mgr, inst = model.p, model.mgr, model.inst
    trust = mgr.trust
    live = inst.live
    sat = satisfaction(np.where(live, inst.service, p.expected_service), p.expected_service,
                       p.service_tolerance)
    change = np.where(live, experience_effect(trust, sat, p.trust_learning_rate,
                                              p.loss_aversion), 0.0)
    change += dialogue_effect(trust, p.dialogue_effort, p.dialogue_trust_rate)
    change += peer_effect(trust, model.peer_matrix @ trust, model.has_peers, p.peer_influence)
    mgr.trust = np.clip(trust + change, 0.0, 1.0)
    pressure = shadow_pressure(mgr.trust, p.task_split_clarity, mgr.control_need)
    target = np.where(live, p.shadow_max_share * inst.moved_work * pressure, 0.0)
    return adjust_toward(inst.shadow_fte, target, p.shadow_build_months,
                         p.shadow_dismantle_months)


def wants_to_join(trust: np.ndarray, threshold: float) -> np.ndarray:
    """Voluntary adoption: a manager joins once its trust reaches the threshold."""
    return trust >= threshold
