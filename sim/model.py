"""The Mesa model of a shared-service roll-out.

One step is one month; Mesa's ``steps`` is the month just simulated (1-based) and the model
stops itself (``running = False``) at the horizon ``p.months``, so ``run_model()`` ends there.
Each month runs these phases in this fixed order (:meth:`SharedServiceModel.step`):

1. **Digitalisation** — the share of the task's work removed this month (``digital``).
2. **Shocks** — a relocation (most staff and experience lost) or a change to the task's rules
   or systems (a productivity dip), in the months the parameters name.
3. **Response to failure and review** — a centre failing for ``response_delay_months``
   (service below its target, or complaints) hires above its budget, re-baselines its plan and
   pauses its roll-out, as ``failure_response`` allows; the programme owner pauses, re-scopes
   or ends the programme when complaints, losses or exits pass its limits.
4. **Roll-out and exits** — under voluntary adoption managers decide to join (trust, price and
   loss of control) and are planned for; institutions whose wave has come, or whose notice has
   run, go live: their work goes to the centre, the staff mainly engaged in it move with it,
   and the centre's productivity takes a go-live dip. Institutions whose managers' score
   falls too low may take the task back.
5. **Demand** — work arriving at each centre: the live institutions' work (less what they
   took back), less digitalisation, plus rework their inputs cause (shadow functions'
   non-standard inputs, processes not adapted where trust is low) and corrections of last
   month's errors.
6. **Centres** — attrition, training of novices by mentors, hiring toward the staff target
   within the budget and the hiring capacity, release of staff above need, production
   (learning × staff mix × scale × dip), errors (learning, strain, system defects), backlog,
   waiting time and service level.
7. **Service and price** — each live institution sees its centre's service (timeliness and
   errors, plus noise) and is charged its price.
8. **Managers** — trust updates (experience against expectation, dialogue, visible failures,
   prices, enforcement, then the peers' opinion); each decides its shadow staff (and, under
   enforcement, the informal work that replaces it).
9. **Institutions** — shadow staff are staffed, work taken back and informal work set, surplus
   staff released (notice, redeployment, attrition), phases advanced, institutions that left
   staff the task again.
10. **Books and record** — costs (poor service included), realised gain, cumulative net
    benefit; one row recorded.

Each agent family (``sim.agents``) owns its arrays and its phase methods: ``inst``
(:class:`~sim.agents.institution.InstitutionFamily`), ``mgr``
(:class:`~sim.agents.manager.ManagerFamily`) and ``ctr``
(:class:`~sim.agents.centre.CentreFamily`). The per-agent Mesa objects (``institutions``,
``managers``, ``centres``, all in ``model.agents``) are writable views onto those arrays. All
randomness comes from ``model.rng`` and ``model.random`` (networkx gets ``seed=model.random``).
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
import numpy as np
from mesa import Model

from sim.agents.centre import CentreFamily, SharedServiceCentre
from sim.agents.family import anyof, count, rowsum
from sim.agents.institution import SERVED, Institution, InstitutionFamily
from sim.agents.manager import LocalManager, ManagerFamily
from sim.agents.programme import END, RESCOPE, ProgrammeOwner
from sim.arguments import check_seed, model_arguments
from sim.digitalisation import digital_reduction
from sim.economics import target_productivity
from sim.errors import ParameterError, shown
from sim.institutions import InstitutionTable
from sim.ledger import Ledger
from sim.members import maximum
from sim.network import PeerNetwork
from sim.params import Params, fixed_at_build, make_params, specs
from sim.population import build_population, own_columns
from sim.recorder import Recorder
from sim.rollout import golive_month, wave_of

#: Whole-number parameters whose value may differ between the members of one pass.
_PER_MEMBER_INTS = frozenset(s.name for s in specs() if s.per_member and s.kind == "int")


class MemberParams:
    """The parameters of an ensemble's members, read like one :class:`~sim.params.Params`.

    A parameter all members share is its value, as in ``Params``; one they do not share (only
    numbers and whole numbers declared per member may differ: :func:`sim.ensemble.shape_key`)
    is a column of members × 1, which broadcasts against the families' arrays.
    """

    def __init__(self, params: Sequence[Params]) -> None:
        """Join the members' parameters."""
        first = params[0]
        for name in type(first).model_fields:
            values = [getattr(q, name) for q in params]
            if all(v == values[0] and type(v) is type(values[0]) for v in values):
                self.__dict__[name] = values[0]
            elif all(isinstance(v, float) for v in values):
                self.__dict__[name] = np.array(values, dtype=np.float64)[:, np.newaxis]
            elif name in _PER_MEMBER_INTS and all(type(v) is int for v in values):
                self.__dict__[name] = np.array(values, dtype=np.int64)[:, np.newaxis]
            else:
                raise ParameterError(f"parameter '{name}' differs between the members of one "
                                     "pass; allowed: members that differ in numbers (and "
                                     "whole numbers declared per member) only "
                                     "(sim.ensemble groups the others)")
        self.members = tuple(params)


class SharedServiceModel(Model):
    """A shared-service reform: institutions, their managers and the centre(s).

    The Mesa model is one run: one *member*. :meth:`ensemble` builds a model of many members
    stepped together (each agent family holds its arrays as members × agents), each member
    giving exactly what its own one-member model gives.

    Attributes:
        p: The run's parameters (shared by all agents; agents read them from here). In an
            ensemble, a :class:`MemberParams`.
        members: How many runs the model steps at once (1 for a Mesa model).
        digital: Share of the task's work removed by digitalisation this month.
        inst, mgr, ctr: The agent families (institutions, managers, centres).
        owner: The programme owner (pauses, re-scopes or ends the programme).
        baseline_fte: Staff on the task before the reform (FTE), all institutions (members
            × 1).
        institutions, managers, centres: Per-agent Mesa views, index i = agent i (a
            one-member model only).
        ledger: Costs, gains and the cumulative net benefit.
        recorder: The monthly time series.
    """

    def __init__(self, params: Params | None = None, rng: int | None = None,
                 record: Iterable[str] | None = None,
                 institutions: InstitutionTable | None = None) -> None:
        """Build the institutions, managers, centres and the peer network.

        Args:
            params: Validated parameters (defaults if None).
            rng: Seed for the model's generators (``model.rng`` and ``model.random``).
            record: Monthly columns to record (None: all of ``sim.recorder.COLUMNS``); ``month``
                and the KPIs' columns are always recorded. Results do not depend on it.
            institutions: A team's own institutions (``sim.institutions``); ``params`` must
                hold what the file fixes (``sim.population.params_for``). Their optional
                columns replace the draws they name (the draws are still made, so the rest of
                the run's random numbers stay the same).

        Raises:
            sim.errors.ParameterError: (a ValueError) ``params`` not a valid Params, ``rng``
                not None, a whole number ≥ 0 or a numpy generator, or a column name that is
                not recorded by the model (``sim.arguments``), or ``params`` that do not
                hold what the institutions file fixes.
        """
        params, rng, record = model_arguments(params, rng, record)  # ParameterError if bad
        super().__init__(rng=rng)
        if institutions is not None and not isinstance(institutions, InstitutionTable):
            raise ParameterError(f"institutions = {shown(institutions)} is not allowed; "
                                 "allowed: None or a table from sim.institutions."
                                 "read_institutions")
        self.p = params if params is not None else Params()
        self.members = 1
        self.rngs = [self.rng]
        self.institution_table = institutions
        self.inst, self.mgr, self.ctr = _build_member(self, self.p, institutions)
        self.institutions = [Institution(self, i) for i in range(self.inst.size)]
        self.managers = [LocalManager(self, i) for i in range(self.mgr.size)]
        self.centres = [SharedServiceCentre(self, c) for c in range(self.ctr.size)]
        self._finish(record)

    @classmethod
    def ensemble(cls, params: Sequence[Params], seeds: Sequence[int],
                 record: Iterable[str] | None = None,
                 institutions: InstitutionTable | None = None) -> SharedServiceModel:
        """A model of many members stepped at once: member k is the run of ``params[k]`` with
        seed ``seeds[k]``, bit for bit.

        Each member is built alone, from its own generators (``numpy.random.default_rng(seed)``
        and ``random.Random(seed)``, as Mesa makes them from a seed), so its population, waves,
        network and first views are those of its single run; the families are then joined
        along the member axis. Each month every member draws from its own generator, in turn.
        There are no per-agent Mesa views (``institutions``, ``managers``, ``centres`` are
        empty) and no decisions from outside; :meth:`with_params` and :meth:`fork` are for
        one-member models.

        Args:
            params: Each member's validated parameters; they must share every parameter that
                is not a number (``sim.ensemble.shape_key``; ``sim.ensemble`` groups members).
            seeds: Each member's seed (whole numbers ≥ 0).
            record: Monthly columns to record, as for the constructor.
            institutions: A team's own institutions, shared by every member (as for the
                constructor).

        Raises:
            sim.errors.ParameterError: for bad arguments, or members that differ in a
                parameter that is not a number.
        """
        if len(params) != len(seeds) or not seeds:
            raise ParameterError(f"ensemble: {len(params)} parameter sets for {len(seeds)} "
                                 "seeds; allowed: one per seed, at least one")
        shared = MemberParams(params)
        record = model_arguments(None, None, record)[2]
        model = cls.__new__(cls)
        Model.__init__(model, rng=check_seed(seeds[0], "seeds[0]"))
        built = []
        for k, (q, seed) in enumerate(zip(params, seeds, strict=True)):
            seed = check_seed(seed, f"seeds[{k}]")
            one = _MemberBuild(q, seed) if k else _MemberBuild(q, seed, model.rng, model.random)
            built.append((one, _build_member(one, q, institutions)))
        model.p = shared if len(params) > 1 else params[0]
        model.members = len(params)
        model.rngs = [one.rng for one, _ in built]
        model.inst = InstitutionFamily.stack(model, [f[0] for _, f in built])
        model.mgr = ManagerFamily.stack(model, [f[1] for _, f in built])
        model.ctr = CentreFamily.stack(model, [f[2] for _, f in built])
        model.ctr.inst = model.inst
        model.group_names = built[0][0].group_names
        model.institutions, model.managers, model.centres = [], [], []
        model._finish(record)
        return model

    def _finish(self, record: tuple[str, ...] | None) -> None:
        p = self.p
        self.digital = 0.0
        self.recorder = Recorder(p.months, record, self.members)
        self.owner = ProgrammeOwner(self)
        self.ledger = Ledger(p, self.inst.baseline_fte, self.inst.moved_work,
                             self.inst.local_work)
        self.baseline_fte = np.maximum(rowsum(self.inst.baseline_fte), 1e-12)
        self._sums: tuple[np.ndarray, np.ndarray] | None = None  # _close_books' buffers

    @property
    def target_productivity(self) -> float:
        """The business case's work per FTE once learning is complete (current parameters)."""
        return target_productivity(self.p.scale_gain_share)

    @property
    def graph(self) -> nx.Graph:
        """The managers' peer network (node i = manager of institution i; the first member's)."""
        return self.mgr.network.graph

    @property
    def names(self) -> tuple[str, ...]:
        """Institution names, index i = institution i."""
        return self.inst.names

    def step(self) -> None:
        """Advance one month through the phases listed in the module docstring."""
        p, inst, mgr, ctr = self.p, self.inst, self.mgr, self.ctr
        if self.steps > p.months:
            raise RuntimeError(f"the horizon of {p.months} months is already simulated")
        self.digital = digital_reduction(self.steps, p)             # 1. digitalisation
        ctr.shocks()                                                 # 2. relocation, change
        paused = ctr.respond(mgr.complaints_filed())                 # 3. response and review
        self._review()
        inst.postpone(paused | self.owner.paused)
        eligible = inst.eligible()                                   # 4. roll-out and exits
        if p.adoption == "voluntary":
            mgr.commit(eligible, inst.price_ratio_expected(ctr.unit_price,
                                                           self.target_productivity))
        joiners = inst.due(mgr.committed, eligible)
        ctr.take_over(joiners, inst.go_live(joiners))
        if anyof(inst.exits_possible()):
            ctr.hand_back(inst.leave(mgr.score(inst.price_ratio), mgr.played))
        inst.send_inputs(mgr.trust)                                  # 5. demand
        ctr.receive(mgr.committed)
        ctr.work()                                                   # 6. centres
        inst.experience(ctr.service, ctr.errors)                     # 7. service and price
        ctr.charge()
        inst.pay(ctr.unit_price)
        mgr.update_trust(inst.live_mask(), inst.service, inst.price_ratio)  # 8. managers
        mgr.decide_shadow(inst.live_mask(), inst.moved_fte, inst.shadow_fte)
        inst.staff_shadow(mgr.wanted_shadow)                         # 9. institutions
        inst.work_around(mgr.shortfall, mgr.wanted_informal)
        inst.release_staff()
        self._close_books()                                          # 10. books and record
        self.recorder.record(self)
        mgr.end_month()
        if self.steps >= p.months:
            self.running = False

    def run(self) -> None:
        """Simulate the remaining months of the horizon (the same as :meth:`run_model`).

        ``run_model`` is Mesa's own loop (``step()`` until ``running`` is False, each month
        through Mesa's event list, so events scheduled by a user fire in their order); this
        model does not override it (``benchmarks/bench_mesa_loop.py``: the event list costs
        about 7 µs a month, a few per cent of a run).
        """
        self.run_model()

    def fork(self) -> SharedServiceModel:
        """An independent copy of the model in its current state, random generators included.

        Stepping the copy and the original the same way gives identical series; change a
        parameter or a decision in the copy to see a policy's effect from this month on.
        """
        return copy.deepcopy(self)

    def with_params(self, **changes: object) -> None:
        """Change policy parameters from the next month on (validated; e.g. on a fork).

        Raises:
            ParameterError: for a bad value, or for a parameter that shapes the model when it is
                built (population, network, waves, horizon), which cannot change mid-run; or
                on an ensemble of several members.
        """
        if self.members != 1:
            raise ParameterError("with_params changes a one-member model; an ensemble's "
                                 "members keep the parameters they were built with")
        fixed = sorted(set(changes) & fixed_at_build())
        if fixed:
            raise ParameterError(
                f"{', '.join(fixed)} shape(s) the model when it is built and cannot change "
                "mid-run; allowed: any other parameter (see `sim params`)")
        self.p = make_params({**self.p.model_dump(), **changes})

    def _review(self) -> None:
        """The programme owner's monthly review on last month's figures, and its effect:
        re-scoping drops the institutions still waiting; ending sends every live institution
        back to doing the task itself."""
        inst, books = self.inst, self.ledger
        if not self.p.programme_review:
            return
        one = self.members == 1
        short = self.mgr.shortfall >= 1.0
        if inst.all_live:  # each member's count is its size (the same division)
            bad = count(short)
            badly = bad.item() / inst.size if one else bad.astype(float) / inst.size
        else:
            n_live, bad = count(inst.live), count(inst.live & short)
            if one:  # Python's division of two whole numbers rounds as numpy's does
                n, b = n_live.item(), bad.item()
                badly = b / n if n > 0 else 0.0
            else:
                badly = np.divide(bad.astype(float), n_live, out=np.zeros(bad.shape),
                                  where=n_live > 0)
        loss = -books.cumulative_net_benefit / maximum(books.baseline_cost, 1e-12)
        action = self.owner.review(
            complaint_share=badly,
            exit_share=inst.n_left.item() / inst.size if one else inst.n_left / inst.size,
            net_loss_years=loss if one else np.reshape(loss, (self.members, 1)))
        if action is None:
            return
        dropped = (action == RESCOPE) | (action == END)
        if anyof(dropped):
            inst.drop_waiting(dropped)
        if anyof(action == END):
            self.ctr.hand_back(inst.take_back_all(action == END))

    def _close_books(self) -> None:
        """Book the month: the families' totals (each member's sums over its agents, all in
        one reduction per family: every row is summed alone, as its own sum would be; for one
        member, as Python numbers, the same numbers, as ``per_member_values`` gives them)."""
        inst, ctr = self.inst, self.ctr
        of_inst = (inst.local_fte, inst.shadow_fte,
                   inst.zeros() if inst.all_served
                   else np.where(inst.phase != SERVED, inst.baseline_fte, 0.0), inst.rehired,
                   inst.made_redundant, inst.workaround_fte, inst.informal_fte,
                   inst.takeback_fte, inst.redundant_fte, inst.attrition_fte)
        of_ctr = (ctr.staff, ctr.hired, ctr.recruited, ctr.released, ctr.backlog,
                  ctr.processed, ctr.ahead_fte, ctr.emergency_fte)
        sums = self._sums
        if sums is None or sums[0].shape[1:] != inst.shape:
            sums = self._sums = (np.empty((len(of_inst), *inst.shape)),
                                 np.empty((len(of_ctr), *ctr.shape)))
        one = self.members == 1
        if one and ctr.size == 1:  # one member's one centre: its values are its totals
            sums = sums[:1]
        for buffer, arrays in zip(sums, (of_inst, of_ctr), strict=False):
            for k, x in enumerate(arrays):
                buffer[k] = x
        totals: list[Any] = [np.add.reduce(buffer, axis=-1, keepdims=True) for buffer in sums]
        members: tuple[Any, ...]
        if one:
            totals = [t.ravel().tolist() for t in totals]
            if ctr.size == 1:
                totals.append([x.item() for x in of_ctr])
            members = (anyof(inst.live), inst.transferred.item(), ctr.rebaselined.item(),
                       self.baseline_fte.item())
        else:
            members = (inst.live.any(axis=1, keepdims=True), inst.transferred,
                       ctr.rebaselined, self.baseline_fte)
        (local, shadow, own_it, rehired, made_redundant, workaround, informal, takeback,
         redundant, attrition) = totals[0]
        (staff, hired, recruited, released, backlog, processed, ahead,
         emergency) = totals[1]
        it_live, transferred, rebaselined, baseline_fte = members
        self.ledger.close_month(
            self.p, self.steps,
            local_fte=local, shadow_fte=shadow, centre_fte=staff, it_live=it_live,
            own_it_share=own_it / baseline_fte,
            onboarded_fte=transferred + hired + recruited + rehired,
            redundant_fte=made_redundant + released,
            backlog=backlog, processed=processed, workaround_fte=workaround,
            informal_fte=informal, takeback_fte=takeback, surplus_fte=redundant + attrition,
            ahead_fte=ahead, emergency_fte=emergency, rebaselines=rebaselined,
            digital=self.digital,
        )

class _MemberBuild:
    """What building one member needs from a model: its parameters, clock and generators
    (made from the seed as Mesa makes them)."""

    def __init__(self, p: Params, seed: int, rng: np.random.Generator | None = None,
                 rnd: random.Random | None = None) -> None:
        self.p = p
        self.steps = 0
        self.digital = 0.0
        self.members = 1
        self.rng = rng if rng is not None else np.random.default_rng(seed)
        self.random = rnd if rnd is not None else random.Random(seed)  # noqa: S311 (Mesa's)
        self.rngs = [self.rng]
        self.group_names: tuple[str, ...] = ()


def _build_member(model: Any, p: Params, institutions: InstitutionTable | None = None
                  ) -> tuple[InstitutionFamily, ManagerFamily, CentreFamily]:
    """One member's families, drawn from ``model``'s generators in the order of a single run:
    population, waves, unit costs, network, managers' first views. A team's own institutions
    (``institutions``) give the population, and their optional columns replace the draws they
    name (the draws are still made, so the rest of the run's random numbers stay the same)."""
    pop = build_population(p, model.rng, institutions)
    model.group_names = pop.group_names
    wave = wave_of(p, pop.baseline_fte, pop.group, model.rng)
    if institutions is not None and institutions.wave is not None:
        wave = np.array(institutions.wave, dtype=np.int64) - 1
    inst = InstitutionFamily(model, pop, golive_month(p, wave))
    network = PeerNetwork.build(p, pop.group, model.random)
    mgr = ManagerFamily(model, inst.size, network)
    if institutions is not None:
        own_columns(institutions, inst, mgr, p.trust_prior_months)
    ctr = CentreFamily(model, inst)
    return inst, mgr, ctr
