"""Local managers: trust in the centre, need for control, shadow functions, peer influence.

Trust is a reputation that can be won and lost: each manager holds a mean trust ``T`` and the
weight ``N`` of the evidence behind it (the beta reputation system of Jøsang & Ismail 2002).
Good and bad experiences add evidence; all evidence, the first impression included, is
forgotten at the same rate, so years of good service build trust close to 1 and years of bad
service destroy it. Experience is judged against an expected service that moves between what
was promised and what was experienced (a reference point). Managers pass their opinion on to
their peers (DeGroot 1974 averaging), so distrust travels along the network, weakening with
each hop. Joining and leaving weigh trust against the price and the loss of control. Each rule is a pure function on
arrays, so it can be tested on its own; :class:`ManagerFamily`
owns every manager's state and applies the rules to the whole population in the model's fixed
phase order. Managers can also be *played* from outside (a workshop's participants): the family
then takes their join and shadow decisions from :meth:`ManagerFamily.decide` instead of the
rules. Equations and sources are in ``docs/model.md`` (sections "Trust" and "Shadow functions").
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from sim.agents.family import (
    AgentFamily,
    ArrayAgent,
    Column,
    ModelContext,
    anyof,
    bounded,
    count,
    each,
    per_member,
    per_member_values,
    rowsum,
)
from sim.network import PeerNetwork

#: A played manager's shadow decision: keep the current staff, build to the largest shadow
#: function, or dismantle it.
ShadowChoice = Literal["keep", "build", "dismantle"]
_SHADOW_CODES: dict[str, int] = {"keep": 0, "build": 1, "dismantle": 2}
#: Weight of the uninformed prior of every reputation, centred on 0.5: one good and one bad
#: observation, the uniform prior of the beta reputation system (Jøsang & Ismail 2002). It is
#: what a reputation returns to when all evidence is forgotten.
UNINFORMED_WEIGHT = 2.0
#: Where a manager's reference point heads: this share of the way from what was promised to
#: what was experienced (stated assumption: halfway, so lasting poor service keeps costing
#: trust instead of becoming the new normal).
EXPECTATION_PULL = 0.5


def satisfaction(service: np.ndarray, expected: np.ndarray | float,
                 tolerance: float) -> np.ndarray:
    """Experienced service against the expectation, scaled to [-1, 1].

    Above the expectation: ``(service - expected) / (1 - expected)`` (+1 is a perfect month).
    Below it: ``(service - expected) / tolerance`` (-1 is a shortfall of ``tolerance`` or
    worse). Both clipped to [-1, 1].
    """
    room = np.where(service >= expected, np.maximum(1.0 - expected, 1e-3), tolerance)
    return bounded((service - expected) / room, -1.0, 1.0)


def first_reputation(trust: np.ndarray, months: float) -> tuple[np.ndarray, np.ndarray]:
    """A reputation holding the first view ``trust`` as ``months`` of evidence.

    Returns:
        (trust, evidence weight): the weight is ``months`` plus the uninformed prior's.
    """
    return trust.copy(), np.full(trust.shape, months + UNINFORMED_WEIGHT)


def forget(trust: np.ndarray, weight: np.ndarray, keep: float) -> tuple[np.ndarray, np.ndarray]:
    """One month of forgetting: all evidence, the first view included, decays by ``keep``.

    With good evidence ``r = T N − U/2`` and all evidence ``N − U`` beyond the uninformed prior
    (weight ``U``, centred on 0.5), both decay by ``keep`` (Jøsang & Ismail 2002):
    ``N' = U + keep (N − U)``, ``T' = (U/2 + keep (T N − U/2)) / N'``. Without new evidence
    trust returns to 0.5, the uninformed view.

    Returns:
        (trust, evidence weight) after forgetting.
    """
    half = UNINFORMED_WEIGHT / 2
    new_weight = UNINFORMED_WEIGHT + keep * (weight - UNINFORMED_WEIGHT)
    return (half + keep * (trust * weight - half)) / new_weight, new_weight


def add_evidence(trust: np.ndarray, weight: np.ndarray, good: np.ndarray,
                 bad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bayesian update of a reputation by ``good`` and ``bad`` evidence (months' worth, ≥ 0).

    ``T' = (T N + good) / (N + good + bad)``, ``N' = N + good + bad``: a bad month weighs as
    much as a good one of the same size; loss aversion enters through the size of ``bad``.
    """
    new_weight = weight + good + bad
    return (trust * weight + good) / new_weight, new_weight


def adapt_expectation(expected: np.ndarray, service: np.ndarray, promised: float,
                      months: float) -> np.ndarray:
    """The reference point moves toward the midpoint of what was promised and what was seen.

    ``E' = E + ((promised + s)/2 − E)(1 − exp(−1/months))``: a manager served well comes to
    expect more than the promise; one served badly lowers its expectation, but only half way,
    so lasting poor service keeps costing trust.
    """
    aim = promised + EXPECTATION_PULL * (service - promised)
    return expected + (aim - expected) * (1.0 - each(math.exp, -1.0 / months))


def dialogue_evidence(effort: float, rate: float, credibility: np.ndarray) -> np.ndarray:
    """Good evidence from the centre's dialogue: ``rate × effort × credibility``.

    Credibility is what experience supports: 1 after a month at or above expectation, falling to
    0 after a fully bad month (a centre that explains but fails is not believed).
    """
    return rate * effort * credibility


def shadow_pressure(trust: np.ndarray, clarity: float, control_need: np.ndarray,
                    base: float) -> np.ndarray:
    """Pressure to keep shadow functions, in [0, 1].

    ``(1 - trust * clarity) * (base + control_need)``, clipped: zero only when the manager
    trusts the centre fully and the task split is fully clear; a high need for control
    amplifies it (000, box 1.2: shadow functions express the need to keep control).
    """
    return bounded((1.0 - trust * clarity) * (base + control_need), 0.0, 1.0)


def effective_clarity(clarity: float, effort: float, gain: float) -> float:
    """Clarity of the task split after dialogue: ``c + (1 − c) × effort × gain``.

    Dialogue about who does what resolves part of the split's ambiguity (000: the task split is
    decisive and support is built through dialogue).
    """
    return clarity + (1.0 - clarity) * effort * gain


def adjust_toward(current: np.ndarray, target: np.ndarray, build_months: np.ndarray | float,
                  dismantle_months: np.ndarray | float) -> np.ndarray:
    """First-order move toward ``target``: fast when building, slow when dismantling."""
    tau = np.where(target > current, build_months, dismantle_months)
    return current + (target - current) * (1.0 - np.exp(-1.0 / tau))


def shadow_times(p_build: float, p_dismantle: float, alarm: float, bad: np.ndarray,
                 enforcement: float, cut_speed: float) -> tuple[np.ndarray, float]:
    """Time constants of shadow staff: built faster after a bad month, cut faster when enforced.

    ``τ_build = build / (1 + alarm × bad)`` with ``bad`` ∈ [0, 1] the month's shortfall;
    ``τ_dismantle = dismantle × (1 − cut_speed × enforcement)``.
    """
    return p_build / (1.0 + alarm * bad), p_dismantle * (1.0 - cut_speed * enforcement)


def decision_score(trust: np.ndarray, price_ratio: np.ndarray, control_need: np.ndarray,
                   price_weight: float, control_weight: float) -> np.ndarray:
    """A manager's score for joining or staying with the centre.

    ``trust + price_weight × (1 − price_ratio) − control_weight × control_need``: trust in the
    centre, what the institution saves (or loses) against its own former cost (P5: the losers
    of the price key resist), and the control it gives up (000, box 1.2). ``price_ratio`` is 0
    under central funding (the price plays no part then).
    """
    price = np.where(price_ratio > 0, 1.0 - price_ratio, 0.0)
    return trust + price_weight * price - control_weight * control_need


def opinion_step(trust: np.ndarray, peer_mean: np.ndarray, has_peers: np.ndarray | bool,
                 influence: float) -> np.ndarray:
    """DeGroot (1974) averaging: each manager closes ``influence`` of the gap to its peers'
    mean opinion (managers without peers keep theirs; ``has_peers`` True: every manager has
    peers). Repeated monthly, an opinion spreads along paths and weakens with each hop."""
    moved = trust + influence * (peer_mean - trust)
    return moved if has_peers is True else np.where(has_peers, moved, trust)


class ManagerFamily(AgentFamily):
    """Every local manager's state (index i = manager of institution i) and its phases.

    Attributes:
        trust: Trust in the centre, in [0, 1] (the mean of its reputation).
        evidence: Weight of the evidence behind ``trust``, in months of experience.
        first_view: Initial trust (the first impression; forgotten like other evidence).
        expected: The service level each manager expects now (its reference point).
        satisfaction: This month's experience against expectation, in [-1, 1] (0 if not live).
        control_need: Need to keep control locally, in [0, 1].
        wanted_shadow: Shadow FTE each manager wants this month (decided in :meth:`decide_shadow`).
        committed: Voluntary adoption: the month a manager decided to join (0 = not yet).
        played: Mask of managers played from outside (their decisions come from :meth:`decide`).
        join_choice: Played managers' join decision (voluntary adoption).
        shadow_choice: Played managers' shadow decision (0 keep, 1 build, 2 dismantle).
        complaints: Managers who escalated a complaint this month.
        shortfall: This month's shortfall below expectation, in [0, 1] (0 if not live).
        wanted_informal: Informal work each manager keeps up after shadow cuts by order
            (FTE-equivalent).
        network: The peer network.
    """

    def __init__(self, model: ModelContext, size: int, network: PeerNetwork) -> None:
        """Draw one member's managers' initial trust and need for control from the model's rng
        (as a single run draws them)."""
        super().__init__(model, size)
        p, rng = model.p, model.rng
        first = bounded(rng.normal(p.initial_trust, p.initial_trust_spread, size), 0, 1)
        self.control_need = bounded(rng.normal(p.control_need_mean, p.control_need_spread,
                                               size), 0, 1)[np.newaxis]
        self.first_view = first[np.newaxis]
        trust, evidence = first_reputation(first, p.trust_prior_months)
        self.trust, self.evidence = trust[np.newaxis], evidence[np.newaxis]
        self.expected = np.full(self.shape, p.expected_service)
        self.satisfaction = self.zeros()
        self.shortfall = self.zeros()
        self.wanted_informal = self.zeros()
        self.network = network
        self.wanted_shadow = self.zeros()
        self.committed = self.zeros(np.int64)
        self.played = self.zeros(bool)
        self.join_choice = self.zeros(bool)
        self.shadow_choice = self.zeros(np.int8)
        self.complaints = self.zeros(bool)
        self._any_played = False  # fast path: most runs have no played manager

    def _stack_more(self, families: list[AgentFamily]) -> None:
        self.network = PeerNetwork.stack([f.network for f in families])  # type: ignore[attr-defined]

    # --- decisions from outside -------------------------------------------------------------
    def play(self, idx: int) -> None:
        """Let manager ``idx`` be played from outside; until told otherwise it waits and keeps
        its shadow staff."""
        self._one_member()
        self.played[0, idx] = True
        self._any_played = True

    def _one_member(self) -> None:
        if self.members != 1:
            raise TypeError("managers are played from outside in a one-member model "
                            "(SharedServiceModel), not in an ensemble")

    def release(self, idx: int) -> None:
        """Stop playing manager ``idx`` from outside: from the next step it follows the rules
        again (its choices from outside are forgotten)."""
        self._one_member()
        self.played[0, idx] = False
        self.join_choice[0, idx] = False
        self.shadow_choice[0, idx] = 0
        self.complaints[0, idx] = False
        self._any_played = anyof(self.played)

    def decide(self, idx: int, join: bool | None = None, shadow: ShadowChoice | None = None,
               escalate: bool = False) -> None:
        """Record a played manager's decisions; they apply from the next step.

        Args:
            idx: The manager (it must be played, see :meth:`play`).
            join: Voluntary adoption: join when the wave is due (True) or wait (False).
            shadow: Keep, build or dismantle shadow staff.
            escalate: File a complaint about the centre this month.
        """
        self._one_member()
        if not self.played[0, idx]:
            raise ValueError(f"manager {idx} is not played from outside: call play({idx}) first")
        if join is not None:
            self.join_choice[0, idx] = bool(join)
        if shadow is not None:
            if shadow not in _SHADOW_CODES:
                raise ValueError(f"shadow decision {shadow!r} is not allowed; allowed: "
                                 + ", ".join(_SHADOW_CODES))
            self.shadow_choice[0, idx] = _SHADOW_CODES[shadow]
        if escalate:
            self.complaints[0, idx] = True

    # --- phases -----------------------------------------------------------------------------
    def score(self, price_ratio: np.ndarray) -> np.ndarray:
        """Every manager's :func:`decision_score` for joining or staying, given what its
        institution pays or expects to pay over its own former cost."""
        p = self.model.p
        return decision_score(self.trust, price_ratio, self.control_need, p.price_weight,
                              p.control_weight)

    def commit(self, eligible: np.ndarray, price_ratio: np.ndarray) -> None:
        """Voluntary adoption: managers of eligible waiting institutions decide to join.

        A manager joins once its decision score (trust, the expected price against its own
        former cost, the control it gives up) reaches the threshold (a played manager when it
        chose to); the decision is announced ``join_notice_months`` before go-live, so the
        centre can hire for it. Nothing happens under mandatory adoption.
        """
        p = self.model.p
        if p.adoption != "voluntary":
            return
        wants = self.score(price_ratio) >= p.adoption_trust_threshold
        if self._any_played:
            wants = np.where(self.played, self.join_choice, wants)
        new = eligible & wants & (self.committed == 0)
        self.committed[new] = self.model.steps

    def update_trust(self, live: np.ndarray | bool, service: np.ndarray,
                     price_ratio: np.ndarray) -> None:
        """Update every manager's reputation of the centre for this month.

        Order: forget old evidence; judge the month's service against the expectation;
        add evidence from experience, dialogue (as far as experience supports it), failures
        visible elsewhere, prices above the former own cost and enforced shadow cuts; move
        toward the peers' opinion; then move the expectation.

        ``live`` is the mask of live institutions, or True when all are live
        (``InstitutionFamily.live_mask``); likewise for :meth:`decide_shadow`.
        """
        p = self.model.p
        keep = each(math.exp, -1.0 / p.trust_memory_months)
        trust, weight = forget(self.trust, self.evidence, keep)
        # fast paths when every member has all or none live; per member, masks give each
        # member exactly what its own run's branch gives
        everyone = live is True or bool(live.all())
        if everyone:  # each member's count is its size (the same division)
            n_live, some = self.size, True
        else:
            n_live = count(live)
            some = n_live > 0
        if everyone or anyof(live):
            seen = service if everyone else np.where(live, service, self.expected)
            sat = satisfaction(seen, self.expected, p.service_tolerance)
            if not everyone:
                sat = np.where(live, sat, 0.0)
            shortfall = np.maximum(-sat, 0.0)
            good_exp = p.trust_learning_rate * np.maximum(sat, 0.0)
            bad_exp = (p.trust_learning_rate * p.loss_aversion) * shortfall
            failed = (per_member_values(rowsum(shortfall)) / n_live if everyone
                      else np.divide(rowsum(shortfall), n_live, out=np.zeros(n_live.shape),
                                     where=some))
            credibility = (1.0 - shortfall if everyone
                           else np.where(live, 1.0 - shortfall, 1.0 - failed))
            if some is not True and not some.all():
                # members with none live: their run's zeros, exactly
                zeros = self.zeros()
                sat, shortfall = np.where(some, sat, zeros), np.where(some, shortfall, zeros)
                credibility = np.where(some, credibility, 1.0)
                failed = np.where(some, failed, 0.0)
            any_live: bool | np.ndarray = True if some is True or some.all() else some
        else:
            sat = shortfall = self.zeros()
            failed = 0.0
            credibility = 1.0
            any_live = False
        self.satisfaction = sat
        self.shortfall = shortfall
        good = dialogue_evidence(p.dialogue_effort, p.dialogue_trust_rate, credibility)
        bad = p.failure_visibility * failed
        if anyof(any_live):
            good = per_member(any_live, good_exp + good, good)
            bad = per_member(any_live, bad_exp + bad, bad)
        charged = any_live & (p.charge_sensitivity > 0)
        if anyof(charged):
            bad = per_member(charged, bad + p.charge_sensitivity * np.maximum(price_ratio - 1.0,
                                                                              0.0), bad)
        enforced = any_live & (p.shadow_enforcement > 0)
        if anyof(enforced):
            pressure = shadow_pressure(trust, self.clarity(), self.control_need,
                                       p.shadow_base_pressure)
            bad = per_member(enforced, bad + np.where(live, p.enforcement_trust_cost
                                                      * p.shadow_enforcement * pressure, 0.0),
                             bad)
        trust, self.evidence = add_evidence(trust, weight, good, bad)
        if anyof(p.peer_influence > 0):
            net = self.network
            trust = per_member(p.peer_influence > 0,
                               opinion_step(trust, net.peer_mean(trust), net.has_peers,
                                            p.peer_influence), trust)
        self.trust = trust
        if anyof(any_live):
            moved = adapt_expectation(self.expected, seen, p.expected_service,
                                      p.expectation_months)
            self.expected = moved if everyone else np.where(live, moved, self.expected)

    def decide_shadow(self, live: np.ndarray | bool, moved_fte: np.ndarray,
                      shadow_fte: np.ndarray) -> None:
        """Set ``wanted_shadow``: each manager's shadow staff for this month.

        The rule's target is the largest shadow function (``shadow_max_share`` of the
        institution's own staff on the moved work) scaled by the pressure to keep control and cut by enforcement; played managers'
        targets come from their decision. Shadow staff move toward the target, faster after a
        bad month, slower when dismantling (faster under enforcement). Of the shadow work cut
        by order, ``underground_share`` goes on informally (``wanted_informal``): the order
        removes the staff from the books, not the manager's need for control.
        """
        p = self.model.p
        pressure = shadow_pressure(self.trust, self.clarity(), self.control_need,
                                   p.shadow_base_pressure)
        largest = p.shadow_max_share * moved_fte
        wanted = largest * pressure
        target = wanted * (1.0 - p.shadow_enforcement)
        if self._any_played:
            chosen = np.select([self.shadow_choice == 1, self.shadow_choice == 2],
                               [largest, 0.0], shadow_fte)
            target = np.where(self.played, chosen, target)
        if live is not True:
            target = np.where(live, target, 0.0)
        build, dismantle = shadow_times(p.shadow_build_months, p.shadow_dismantle_months,
                                        p.shadow_alarm, self.shortfall,
                                        p.shadow_enforcement, p.enforcement_cut_speed)
        self.wanted_shadow = adjust_toward(shadow_fte, target, build, dismantle)
        if anyof((p.shadow_enforcement > 0) & (p.underground_share > 0)):
            informal = np.where(live, wanted * p.shadow_enforcement * p.underground_share, 0.0)
            if self._any_played:
                informal = np.where(self.played, 0.0, informal)
            self.wanted_informal = adjust_toward(self.wanted_informal, informal, build, build)
        elif anyof(self.wanted_informal):
            self.wanted_informal = self.zeros()

    def clarity(self) -> float:
        """The task split's clarity as the managers see it, dialogue included."""
        p = self.model.p
        return effective_clarity(p.task_split_clarity, p.dialogue_effort,
                                 p.dialogue_clarity_gain)

    def complaints_filed(self) -> np.ndarray | None:
        """This month's complaints, or None when no manager is played (none can complain)."""
        return self.complaints if self._any_played else None

    def end_month(self) -> None:
        """Complaints are about one month: clear them after the month is recorded."""
        if self._any_played:
            self.complaints[:] = False


class LocalManager(ArrayAgent):
    """The manager of one institution: a writable view onto element ``idx`` of ``model.mgr``."""

    family_attr = "mgr"

    trust = Column("Trust in the centre, in [0, 1].")
    expected = Column("The service level the manager expects now (its reference point).")
    control_need = Column("Need to keep control locally, in [0, 1].")
    played = Column("Whether the manager is played from outside (a workshop participant).",
                    readonly=True)

    @property
    def peers(self) -> list[int]:
        """Indices of the peers on the network."""
        return self.family.network.peers(self.idx)
