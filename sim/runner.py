"""Run a scenario to the end and hand back its time series and KPIs."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.arguments import check_record, check_seed, check_seeds, check_snapshot
from sim.ensemble import CHUNK, MAX_MEMBERS, iter_members
from sim.errors import ParameterError
from sim.institutions import InstitutionTable
from sim.kpis import KPIs, compute_kpis
from sim.model import SharedServiceModel
from sim.params import Params
from sim.recorder import to_frame
from sim.scenarios import Scenario, load_scenario


@dataclass(frozen=True)
class Result:
    """One finished run."""

    params: Params
    seed: int
    arrays: dict[str, np.ndarray]
    kpis: KPIs

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """One row per month (columns: docs/api.md)."""
        return to_frame(self.arrays)


@dataclass
class Trajectory:
    """A run to its horizon with per-month snapshots of chosen agent arrays.

    Attributes:
        model: The model at its horizon (its network, families and books).
        arrays: The recorded monthly series (columns: ``sim.recorder.COLUMNS``).
        kpis: The run's KPIs.
        initial: Each snapshot array before the first month (``"mgr.trust"`` → array).
        snapshots: Each snapshot array after every month (months × agents).
    """

    model: SharedServiceModel
    arrays: dict[str, np.ndarray]
    kpis: KPIs
    initial: dict[str, np.ndarray]
    snapshots: dict[str, np.ndarray]


class Stepper:
    """Steps one model month by month and keeps what its callers read: the one way to step a
    model (the runner, the app's run, forks and band, the room and its replay use it).

    Besides the model's own recorded series it keeps, for chosen agent arrays (``snapshot``,
    as ``"family.array"``), their values before the first month and after every month.

    Attributes:
        model: The model being stepped (a one-member :class:`SharedServiceModel`).
        keys: The snapshot arrays' names.
        initial: Each snapshot array before the first month stepped here.
    """

    def __init__(self, model: SharedServiceModel, snapshot: Sequence[str] = ()) -> None:
        """Keep ``snapshot`` arrays of ``model`` from its current month on.

        Raises:
            sim.errors.ParameterError: a snapshot name that is not an array of ``model.inst``,
                ``model.mgr`` or ``model.ctr``.
        """
        self.model = model
        self.keys = check_snapshot(snapshot)
        self.initial = {k: self.read(k) for k in self.keys}
        self._rows: dict[str, list[np.ndarray]] = {k: [] for k in self.keys}

    @classmethod
    def start(cls, params: Params, seed: int, snapshot: Sequence[str] = (),
              record: Iterable[str] | None = None,
              institutions: InstitutionTable | None = None) -> Stepper:
        """A new model of ``params`` and ``seed`` (``record`` and ``institutions`` as in
        :func:`execute`)."""
        return cls(SharedServiceModel(params, rng=seed, record=record,
                                      institutions=institutions), snapshot)

    def read(self, key: str) -> np.ndarray:
        """A copy of one agent array now (``"mgr.trust"``: one value per manager)."""
        family, _, name = key.partition(".")
        try:
            value = getattr(getattr(self.model, family), name)
        except AttributeError as exc:
            raise ParameterError(f"snapshot: {exc}; allowed: an array of model.inst, model.mgr "
                                 "or model.ctr, e.g. 'mgr.trust'") from None
        return np.array(value[0])

    @property
    def month(self) -> int:
        """Months simulated so far."""
        return int(self.model.steps)

    def step(self) -> None:
        """Simulate one month and keep its snapshots."""
        self.model.step()
        for k, rows in self._rows.items():
            rows.append(self.read(k))

    def until(self, month: int) -> Stepper:
        """Simulate up to ``month`` (at most the horizon)."""
        while self.model.running and self.model.steps < month:
            self.step()
        return self

    def finish(self) -> Stepper:
        """Simulate the rest of the horizon (Mesa's own loop when nothing is kept per month)."""
        if self.keys:
            while self.model.running:
                self.step()
        else:
            self.model.run_model()
        return self

    def fork(self) -> Stepper:
        """An independent copy (model, generators and the snapshots so far)."""
        twin = copy.copy(self)
        twin.model = self.model.fork()
        twin._rows = {k: list(v) for k, v in self._rows.items()}
        return twin

    @property
    def snapshots(self) -> dict[str, np.ndarray]:
        """Each snapshot array after every month stepped here (months × agents)."""
        return {k: (np.array(v) if v else np.empty((0, self.initial[k].size),
                                                    self.initial[k].dtype))
                for k, v in self._rows.items()}

    def trajectory(self) -> Trajectory:
        """What has been simulated, as a :class:`Trajectory`."""
        arrays = self.model.recorder.arrays()
        return Trajectory(self.model, arrays, compute_kpis(arrays), self.initial,
                          self.snapshots)


def execute(params: Params, seed: int, snapshot: Sequence[str] = (),
            record: Iterable[str] | None = None,
            institutions: InstitutionTable | None = None) -> Trajectory:
    """Build a model and run it to its horizon (with :class:`Stepper`, the one way to step a model).

    Args:
        params: Validated parameters.
        seed: Seed of the model's generators.
        snapshot: Agent arrays to keep after every month, as ``"family.array"``
            (e.g. ``"mgr.trust"``, ``"inst.shadow_fte"``); none for the fast path.
        record: Monthly columns to record (None: all); ``month`` and the KPIs' columns are
            always recorded. Fewer columns make a run faster, never different.
        institutions: A team's own institutions (``sim.institutions``); ``params`` must hold
            what the file fixes (``Scenario.params`` sets it).
    """
    snapshot = check_snapshot(snapshot)
    return Stepper.start(params, seed, snapshot, record, institutions).finish().trajectory()


def simulate(params: Params, seed: int, record: Iterable[str] | None = None,
             institutions: InstitutionTable | None = None
             ) -> tuple[dict[str, np.ndarray], KPIs]:
    """Run the model to its horizon; the fast path (no pandas) for sweeps.

    ``record`` chooses the monthly columns and ``institutions`` gives a team's own
    institutions, as in :func:`execute`.

    Raises:
        sim.errors.ParameterError: ``params`` not a valid Params, ``seed`` not a whole number
            ≥ 0, or ``record`` naming a column that is not recorded (``sim.arguments``).
    """
    check_seed(seed)
    run = execute(params, seed, record=record, institutions=institutions)
    return run.arrays, run.kpis


def resolve_scenario(scenario: str | Path | Scenario) -> Scenario:
    """Accept a scenario object, a shipped name or a file path."""
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


@dataclass(frozen=True)
class Runs:
    """Many finished runs of one scenario (:func:`run_many`).

    Attributes:
        kpis: One row per member, in the order of the seeds: ``member``, ``seed`` and every
            KPI (``sim.kpis.KPIs.keys()``; a figure a run never reaches is missing, NaN).
        series: Only when ``record`` was given: each recorded column as an array of members ×
            months (``month`` and ``sim.recorder.CORE`` always among them); None otherwise.
        params: Each member's parameters.
    """

    kpis: pd.DataFrame
    series: dict[str, np.ndarray] | None
    params: tuple[Params, ...]


def run_many(scenario: str | Path | Scenario = "default", *, seeds: Sequence[int],
             overrides: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
             months: int | None = None, record: Iterable[str] | None = None,
             chunk: int = CHUNK) -> Runs:
    """Run a scenario once per seed, as one pass over arrays with a member axis.

    Each member gives exactly what :func:`run` gives for the same scenario, overrides and seed.

    Args:
        scenario: As for :func:`run`.
        seeds: One seed per member (e.g. ``sim.seeds.replication_seeds(1, 100)``).
        overrides: Parameter values on top of the scenario: one mapping for every member, or a
            list of mappings, one per seed (members may differ in any parameter).
        months: Horizon in months (overrides the scenario's), for every member.
        record: Monthly columns to return as ``series`` (None: KPIs only, the fastest);
            ``sim.recorder.COLUMNS`` for all of them.
        chunk: Most members stepped at once (memory grows with it, not with the seeds).

    Raises:
        sim.errors.ParameterError, sim.errors.ScenarioError: for bad input (a bad seed, a list
            of overrides of another length than the seeds, a bad value in any of them, an
            unknown column), before any member runs.
    """
    sc = resolve_scenario(scenario)
    seeds = check_seeds(seeds, high=MAX_MEMBERS)
    if isinstance(overrides, Sequence) and not isinstance(overrides, str | bytes):
        if len(overrides) != len(seeds):
            raise ParameterError(f"overrides has {len(overrides):,} mappings for "
                                 f"{len(seeds):,} seeds; allowed: one mapping (or None) for "
                                 "every member, or a list of one mapping per seed")
        params: list[Params] = []
        for i, o in enumerate(overrides):
            try:
                params.append(sc.params(o, months))
            except ParameterError as exc:
                raise ParameterError(f"overrides[{i}]: {exc}") from None
    else:
        params = [sc.params(overrides, months)] * len(seeds)
    wanted = check_record(record)
    rows, series = [], None
    if wanted is not None:
        series = {}
    for member in iter_members(params, seeds, () if wanted is None else wanted, chunk,
                               sc.institutions):
        rows.append({"member": member.index, "seed": member.seed, **member.kpis.to_dict()})
        if series is not None:
            for name, values in member.arrays.items():
                series.setdefault(name, np.empty((len(seeds), values.size)))[member.index] = values
    table = pd.DataFrame(rows, columns=["member", "seed", *KPIs.keys()])
    table = table.astype({k: float for k in KPIs.keys()})  # a figure never reached: NaN
    return Runs(kpis=table, series=series, params=tuple(params))


def run(scenario: str | Path | Scenario = "default", seed: int | None = None,
        overrides: Mapping[str, Any] | None = None, months: int | None = None) -> Result:
    """Run a scenario.

    Args:
        scenario: A shipped scenario's name, a path to a TOML scenario file, or a Scenario
            (its institutions file, if it names one, gives the institutions).
        seed: Seed of the model's generators; the same seed gives identical results. None:
            the scenario's own seed if it names one, else 1.
        overrides: Parameter values applied on top of the scenario.
        months: Horizon in months (overrides the scenario's).

    Returns:
        The finished run: ``timeseries``, ``kpis``, ``params``, ``arrays``.

    Raises:
        sim.errors.ParameterError, sim.errors.ScenarioError: for bad input.
    """
    sc = resolve_scenario(scenario)
    params = sc.params(overrides, months)
    seed = sc.pick_seed(seed)
    arrays, kpis = simulate(params, seed, institutions=sc.institutions)
    return Result(params=params, seed=seed, arrays=arrays, kpis=kpis)
