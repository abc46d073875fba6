"""The Mesa model of a shared-service roll-out.

One step is one month. Each month runs these phases in this fixed order:

1. **Digitalisation** — the share of the task's work removed this month (``digital``).
2. **Relocation** — in ``relocation_month`` only: the centres lose most staff and experience.
3. **Roll-out** — institutions whose wave has come (and, under voluntary adoption, whose
   manager's trust has reached the threshold) go live: their moved work goes to the centre,
   part of their surplus staff transfers, and the centre's productivity takes a go-live dip.
4. **Demand** — work arriving at each centre: the live institutions' moved work, less
   digitalisation, plus rework caused by last month's shadow functions.
5. **Centres** — attrition, hiring toward the staff target (within the business case's budget),
   release of staff above the budget (if ``centre_release_months`` > 0), production
   (learning × dip), backlog and service level.
6. **Service experienced** — each live institution sees its centre's service plus noise.
7. **Managers** — trust updates (experience, dialogue, peers); each decides its shadow staff.
8. **Institutions** — shadow staff are staffed, surplus staff released, phases advanced.
9. **Economics and record** — costs, realised gain, cumulative net benefit; one row recorded.

Agents (``sim.agents``) are Mesa agents that view state held in numpy arrays
(``inst``, ``mgr``, ``ctr``); the phases update whole populations at once. All randomness comes
from ``model.rng`` and ``model.random`` (networkx gets ``seed=model.random``).
"""

from __future__ import annotations

import numpy as np
from mesa import Model

from sim import economics
from sim.agents.centre import SharedServiceCentre, relocate, step_centres
from sim.agents.institution import (
    Institution,
    experience_service,
    go_live,
    release_staff,
    staff_shadow,
)
from sim.agents.manager import LocalManager, update_managers, wants_to_join
from sim.digitalisation import digital_reduction
from sim.network import build_network, has_peers, peer_mean_matrix
from sim.params import Params
from sim.population import build_population
from sim.recorder import Recorder
from sim.rollout import golive_month, wave_of
from sim.state import (
    SERVED,
    TRANSITION,
    WAITING,
    CentreArrays,
    InstitutionArrays,
    ManagerArrays,
)


def quantiles(values: np.ndarray, *qs: float) -> tuple[float, ...]:
    """Quantiles with numpy's default (linear) rule, from one sort (faster than percentile)."""
    ordered = np.sort(values)
    out = []
    for q in qs:
        pos = q * (ordered.size - 1)
        lo = int(pos)
        hi = min(lo + 1, ordered.size - 1)
        out.append(float(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)))
    return tuple(out)


class SharedServiceModel(Model):
    """A shared-service reform: institutions, their managers and the centre(s).

    Attributes:
        p: The run's parameters (shared by all agents; agents read them from here).
        month: Months simulated so far.
        digital: Share of the task's work removed by digitalisation this month.
        inst, mgr, ctr: State arrays of institutions, managers and centres.
        graph: The managers' peer network (node i = manager of institution i).
        recorder: The monthly time series.
    """

    def __init__(self, params: Params | None = None, rng: int | None = None) -> None:
        """Build the institutions, managers, centres and the peer network.

        Args:
            params: Validated parameters (defaults if None).
            rng: Seed for the model's generators (``model.rng`` and ``model.random``).
        """
        super().__init__(rng=rng)
        self.p = p = params if params is not None else Params()
        self.month = 0
        self.digital = 0.0
        pop = build_population(p, self.rng)
        n, n_centres = pop.baseline_fte.size, p.n_centres
        self.names = pop.names
        self.group_names = pop.group_names
        wave = wave_of(p, pop.baseline_fte, pop.group, self.rng)
        zeros = np.zeros(n)
        self.inst = InstitutionArrays(
            baseline_fte=pop.baseline_fte,
            moved_work=pop.baseline_fte * (1 - p.local_share),
            local_work=pop.baseline_fte * p.local_share,
            group=pop.group, centre=pop.centre,
            eligible_month=golive_month(p, wave),
            phase=np.full(n, WAITING, dtype=np.int64),
            golive_month=np.zeros(n, dtype=np.int64),
            kept_fte=pop.baseline_fte.copy(), redundant_fte=zeros.copy(),
            attrition_fte=zeros.copy(), shadow_fte=zeros.copy(),
            service=np.full(n, np.nan),
        )
        self.mgr = ManagerArrays(
            trust=np.clip(self.rng.normal(p.initial_trust, p.initial_trust_spread, n), 0, 1),
            control_need=np.clip(
                self.rng.normal(p.control_need_mean, p.control_need_spread, n), 0, 1),
        )
        self.ctr = CentreArrays(
            full_work=np.bincount(pop.centre, self.inst.moved_work, minlength=n_centres),
            staff=np.zeros(n_centres), experience=np.zeros(n_centres),
            disruption=np.zeros(n_centres), backlog=np.zeros(n_centres),
            productivity=np.full(n_centres, p.initial_productivity),
            service=np.ones(n_centres), first_golive=np.zeros(n_centres, dtype=np.int64),
        )
        self.graph = build_network(p, pop.group, self.random)
        self.peer_matrix = peer_mean_matrix(self.graph, n)
        self.has_peers = has_peers(self.graph, n)
        self.institutions = [Institution(self, i, pop.names[i]) for i in range(n)]
        self.managers = [LocalManager(self, i) for i in range(n)]
        self.centres = [SharedServiceCentre(self, c) for c in range(n_centres)]
        self.baseline_cost = (float(pop.baseline_fte.sum()) * p.fte_cost_mdkk
                              + p.local_it_cost_mdkk)
        self.potential_gain = economics.potential_gain(
            p, float(self.inst.moved_work.sum()), float(self.inst.local_work.sum()))
        self.cumulative_net_benefit = 0.0
        self.recorder = Recorder(p.months)

    @property
    def finished(self) -> bool:
        """Whether the horizon (``p.months``) has been simulated."""
        return self.month >= self.p.months

    def step(self) -> None:
        """Advance one month through the phases listed in the module docstring."""
        if self.finished:
            return
        p, inst, ctr = self.p, self.inst, self.ctr
        self.month += 1
        n_centres = ctr.staff.size
        # 1. digitalisation
        self.digital = digital_reduction(self.month, p)
        # 2. relocation
        leavers = 0.0
        if self.month == p.relocation_month:
            leavers += float(relocate(self).sum())
        # 3. roll-out
        transfers = self._roll_out(n_centres)
        # 4. demand
        live = inst.live
        live_work = np.bincount(inst.centre, np.where(live, inst.moved_work, 0.0), n_centres)
        shadow_work = np.bincount(inst.centre, np.where(live, inst.shadow_fte, 0.0), n_centres)
        demand = (1 - self.digital) * (live_work + p.rework_per_shadow * shadow_work)
        coming = self._coming_work(n_centres)
        # 5. centres
        hires, centre_leavers, processed, released = step_centres(self, demand, coming)
        # 6. service experienced
        experience_service(self, ctr.service)
        # 7. managers
        wanted_shadow = update_managers(self)
        # 8. institutions
        shadow_hires = staff_shadow(self, wanted_shadow)
        local_leavers, redundancies = release_staff(self)
        # 9. economics and record
        leavers += float(centre_leavers.sum() + local_leavers.sum())
        self._record(
            hires=float(hires.sum()), shadow_hires=float(shadow_hires.sum()),
            leavers=leavers, transfers=transfers, demand=float(demand.sum()),
            processed=float(processed.sum()),
            redundancies=float(redundancies.sum() + released.sum()),
        )

    def run(self) -> None:
        """Simulate the remaining months of the horizon."""
        while not self.finished:
            self.step()

    def _roll_out(self, n_centres: int) -> float:
        """Phase 3: let eligible institutions go live; return FTE transferred to centres."""
        inst, ctr, p = self.inst, self.ctr, self.p
        ready = (inst.phase == WAITING) & (inst.eligible_month <= self.month)
        if p.adoption == "voluntary":
            ready &= wants_to_join(self.mgr.trust, p.adoption_trust_threshold)
        newly = np.flatnonzero(ready)
        if newly.size == 0:
            return 0.0
        moved = go_live(self, newly)
        where = inst.centre[newly]
        ctr.staff = ctr.staff + np.bincount(where, moved, n_centres)
        new_work = np.bincount(where, inst.moved_work[newly], n_centres)
        share = np.divide(new_work, ctr.full_work, out=np.zeros(n_centres),
                          where=ctr.full_work > 0)
        ctr.disruption = np.minimum(ctr.disruption + p.golive_dip * share, 0.95)
        ctr.first_golive = np.where((ctr.first_golive == 0) & (new_work > 0), self.month,
                                    ctr.first_golive)
        return float(moved.sum())

    def _coming_work(self, n_centres: int) -> np.ndarray:
        """Work scheduled to go live within the hiring lag (the centre pre-hires for it).

        Only under mandatory adoption: voluntary joiners are not known in advance.
        """
        inst, p = self.inst, self.p
        if p.adoption == "voluntary":
            return np.zeros(n_centres)
        soon = (inst.phase == WAITING) & (inst.eligible_month <= self.month
                                          + p.hiring_lag_months)
        return np.bincount(inst.centre, np.where(soon, inst.moved_work, 0.0), n_centres)

    def _record(self, *, hires: float, shadow_hires: float, leavers: float, transfers: float,
                demand: float, processed: float, redundancies: float) -> None:
        """Phase 9: economics for the month, then one recorded row."""
        p, inst, ctr, mgr = self.p, self.inst, self.ctr, self.mgr
        local = float(inst.local_fte.sum())
        shadow = float(inst.shadow_fte.sum())
        centre = float(ctr.staff.sum())
        live = inst.live
        it_live = bool(live.any())
        own_it_share = float(inst.baseline_fte[inst.phase != SERVED].sum()
                             / max(inst.baseline_fte.sum(), 1e-12))
        running = economics.running_cost(p, local, shadow, centre, it_live, own_it_share)
        gain = self.baseline_cost - running
        one_off = economics.one_off_cost(p, self.month, transfers + hires, redundancies)
        self.cumulative_net_benefit += gain / 12.0 - one_off
        started = ctr.first_golive > 0
        weight = ctr.full_work[started]
        productivity = (float((ctr.productivity[started] * weight).sum() / weight.sum())
                        if started.any() else np.nan)
        p10, p90 = quantiles(mgr.trust, 0.1, 0.9)
        phase = inst.phase
        n_transition = int((phase == TRANSITION).sum())
        n_served = int((phase == SERVED).sum())
        self.recorder.record({
            "month": self.month,
            "year": p.start_year + (self.month - 1) / 12.0,
            "n_waiting": phase.size - n_transition - n_served,
            "n_transition": n_transition,
            "n_served": n_served,
            "share_served": (n_transition + n_served) / phase.size,
            "local_fte": local, "shadow_fte": shadow, "centre_fte": centre,
            "total_fte": local + shadow + centre,
            "hires_fte": hires + shadow_hires, "leavers_fte": leavers,
            "transfers_fte": transfers,
            "demand": demand, "processed": processed, "backlog": float(ctr.backlog.sum()),
            "productivity": productivity,
            "work_per_fte": processed / centre if centre > 1e-9 else np.nan,
            "service_level": float(inst.service[live].mean()) if it_live else np.nan,
            "trust_mean": float(mgr.trust.mean()), "trust_p10": p10, "trust_p90": p90,
            "digital_reduction": self.digital,
            "baseline_cost": self.baseline_cost, "running_cost": running,
            "realised_gain": gain, "potential_gain": self.potential_gain,
            "one_off_cost": one_off, "cumulative_net_benefit": self.cumulative_net_benefit,
        })
