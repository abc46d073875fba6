"""Run a scenario to the end and hand back its time series and KPIs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.arguments import check_seed, check_snapshot
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


def _family_array(model: SharedServiceModel, key: str) -> np.ndarray:
    family, _, name = key.partition(".")
    return getattr(getattr(model, family), name)


def execute(params: Params, seed: int, snapshot: Sequence[str] = (),
            record: Iterable[str] | None = None,
            institutions: InstitutionTable | None = None) -> Trajectory:
    """Build a model and run it to its horizon: the one way every caller runs the model.

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
    model = SharedServiceModel(params, rng=seed, record=record,
                               institutions=institutions)  # checks all four
    try:
        initial = {k: _family_array(model, k).copy() for k in snapshot}
    except AttributeError as exc:
        raise ParameterError(f"snapshot: {exc}; allowed: an array of model.inst, model.mgr "
                             "or model.ctr, e.g. 'mgr.trust'") from None
    frames = {k: np.empty((params.months, v.size), dtype=v.dtype) for k, v in initial.items()}
    if frames:
        while model.running:
            model.step()
            for k, out in frames.items():
                out[model.steps - 1] = _family_array(model, k)
    else:
        model.run_model()
    arrays = model.recorder.arrays()
    return Trajectory(model, arrays, compute_kpis(arrays), initial, frames)


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
