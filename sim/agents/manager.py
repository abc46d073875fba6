"""Local managers: trust in the centre, need for control, shadow functions, peer influence.

Each rule is a pure function on arrays, so it can be tested on its own; :class:`ManagerFamily`
owns every manager's state and applies the rules to the whole population in the model's fixed
phase order. Managers can also be *played* from outside (a workshop's participants): the family
then takes their join and shadow decisions from :meth:`ManagerFamily.decide` instead of the
rules. Equations and sources are in ``docs/model.md`` (sections "Trust" and "Shadow functions").
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from sim.agents.family import AgentFamily, ArrayAgent, Column, ModelContext, bounded
from sim.network import PeerNetwork

#: A played manager's shadow decision: keep the current staff, build to the largest shadow
#: function, or dismantle it.
ShadowChoice = Literal["keep", "build", "dismantle"]
_SHADOW_CODES: dict[str, int] = {"keep": 0, "build": 1, "dismantle": 2}


def satisfaction(service: np.ndarray, expected: float, tolerance: float) -> np.ndarray:
    """Experienced service against the expectation, scaled to [-1, 1].

    Above the expectation: ``(service - expected) / (1 - expected)`` (+1 is a perfect month).
    Below it: ``(service - expected) / tolerance`` (-1 is a shortfall of ``tolerance`` or
    worse). Both clipped to [-1, 1].
    """
    room = np.where(service >= expected, 1.0 - expected, tolerance)
    return bounded((service - expected) / room, -1.0, 1.0)


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
    return bounded((1.0 - trust * clarity) * (0.5 + control_need), 0.0, 1.0)


def adjust_toward(current: np.ndarray, target: np.ndarray, build_months: float,
                  dismantle_months: float) -> np.ndarray:
    """First-order move toward ``target``: fast when building, slow when dismantling."""
    tau = np.where(target > current, build_months, dismantle_months)
    return current + (target - current) * (1.0 - np.exp(-1.0 / tau))


def wants_to_join(trust: np.ndarray, threshold: float) -> np.ndarray:
    """Voluntary adoption: a manager joins once its trust reaches the threshold."""
    return trust >= threshold


class ManagerFamily(AgentFamily):
    """Every local manager's state (index i = manager of institution i) and its phases.

    Attributes:
        trust: Trust in the centre, in [0, 1].
        control_need: Need to keep control locally, in [0, 1].
        wanted_shadow: Shadow FTE each manager wants this month (decided in :meth:`decide_shadow`).
        played: Mask of managers played from outside (their decisions come from :meth:`decide`).
        join_choice: Played managers' join decision (voluntary adoption).
        shadow_choice: Played managers' shadow decision (0 keep, 1 build, 2 dismantle).
        complaints: Managers who escalated a complaint this month.
        network: The peer network.
    """

    def __init__(self, model: ModelContext, size: int, network: PeerNetwork) -> None:
        """Draw every manager's initial trust and need for control from the model's rng."""
        super().__init__(model, size)
        p, rng = model.p, model.rng
        self.trust = bounded(rng.normal(p.initial_trust, p.initial_trust_spread, size), 0, 1)
        self.control_need = bounded(rng.normal(p.control_need_mean, p.control_need_spread,
                                               size), 0, 1)
        self.network = network
        self.wanted_shadow = np.zeros(size)
        self.played = np.zeros(size, dtype=bool)
        self.join_choice = np.zeros(size, dtype=bool)
        self.shadow_choice = np.zeros(size, dtype=np.int8)
        self.complaints = np.zeros(size, dtype=bool)
        self._any_played = False  # fast path: most runs have no played manager

    # --- decisions from outside -------------------------------------------------------------
    def play(self, idx: int) -> None:
        """Let manager ``idx`` be played from outside; until told otherwise it waits and keeps
        its shadow staff."""
        self.played[idx] = True
        self._any_played = True

    def decide(self, idx: int, join: bool | None = None, shadow: ShadowChoice | None = None,
               escalate: bool = False) -> None:
        """Record a played manager's decisions; they apply from the next step.

        Args:
            idx: The manager (it must be played, see :meth:`play`).
            join: Voluntary adoption: join when the wave is due (True) or wait (False).
            shadow: Keep, build or dismantle shadow staff.
            escalate: File a complaint about the centre this month.
        """
        if not self.played[idx]:
            raise ValueError(f"manager {idx} is not played from outside: call play({idx}) first")
        if join is not None:
            self.join_choice[idx] = bool(join)
        if shadow is not None:
            if shadow not in _SHADOW_CODES:
                raise ValueError(f"shadow decision {shadow!r} is not allowed; allowed: "
                                 + ", ".join(_SHADOW_CODES))
            self.shadow_choice[idx] = _SHADOW_CODES[shadow]
        if escalate:
            self.complaints[idx] = True

    # --- phases -----------------------------------------------------------------------------
    def joining(self) -> np.ndarray | None:
        """Who wants to join now: under voluntary adoption the mask of managers whose trust
        reached the threshold (or, if played, who chose to join); None when adoption is
        mandatory."""
        p = self.model.p
        if p.adoption != "voluntary":
            return None
        wants = wants_to_join(self.trust, p.adoption_trust_threshold)
        return np.where(self.played, self.join_choice, wants) if self._any_played else wants

    def update_trust(self, live: np.ndarray, service: np.ndarray) -> None:
        """Update every manager's trust from experience, dialogue and peers.

        All three are computed from last month's trust, then applied at once and clipped to
        [0, 1]. Only managers of live institutions have an experience.
        """
        p, trust = self.model.p, self.trust
        sat = satisfaction(np.where(live, service, p.expected_service), p.expected_service,
                           p.service_tolerance)
        change = np.where(live, experience_effect(trust, sat, p.trust_learning_rate,
                                                  p.loss_aversion), 0.0)
        change += dialogue_effect(trust, p.dialogue_effort, p.dialogue_trust_rate)
        change += peer_effect(trust, self.network.peer_mean(trust), self.network.has_peers,
                              p.peer_influence)
        self.trust = bounded(trust + change, 0.0, 1.0)

    def decide_shadow(self, live: np.ndarray, moved_work: np.ndarray,
                      shadow_fte: np.ndarray) -> None:
        """Set ``wanted_shadow``: each manager's shadow staff for this month.

        The rule's target is the largest shadow function (``shadow_max_share`` of the moved
        work) scaled by the pressure to keep control; played managers' targets come from their
        decision. Shadow staff move toward the target, faster when building than dismantling.
        """
        p = self.model.p
        pressure = shadow_pressure(self.trust, p.task_split_clarity, self.control_need)
        largest = p.shadow_max_share * moved_work
        target = largest * pressure
        if self._any_played:
            chosen = np.select([self.shadow_choice == 1, self.shadow_choice == 2],
                               [largest, 0.0], shadow_fte)
            target = np.where(self.played, chosen, target)
        target = np.where(live, target, 0.0)
        self.wanted_shadow = adjust_toward(shadow_fte, target, p.shadow_build_months,
                                           p.shadow_dismantle_months)

    def end_month(self) -> None:
        """Complaints are about one month: clear them after the month is recorded."""
        if self._any_played:
            self.complaints[:] = False


class LocalManager(ArrayAgent):
    """The manager of one institution: a writable view onto element ``idx`` of ``model.mgr``."""

    family_attr = "mgr"

    trust = Column("Trust in the centre, in [0, 1].")
    control_need = Column("Need to keep control locally, in [0, 1].")
    played = Column("Whether the manager is played from outside (a workshop participant).",
                    readonly=True)

    @property
    def peers(self) -> list[int]:
        """Indices of the peers on the network."""
        return self.family.network.peers(self.idx)
