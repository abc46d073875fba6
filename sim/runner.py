"""Run a scenario to the end and hand back its time series and KPIs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

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


def simulate(params: Params, seed: int) -> tuple[dict[str, np.ndarray], KPIs]:
    """Run the model to its horizon; the fast path (no pandas) for sweeps."""
    model = SharedServiceModel(params, rng=seed)
    model.run()
    arrays = model.recorder.arrays()
    return arrays, compute_kpis(arrays)


def resolve_scenario(scenario: str | Path | Scenario) -> Scenario:
    """Accept a scenario object, a shipped name or a file path."""
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def run(scenario: str | Path | Scenario = "default", seed: int | None = None,
        overrides: Mapping[str, Any] | None = None, months: int | None = None) -> Result:
    """Run a scenario.

    Args:
        scenario: A shipped scenario's name, a path to a TOML scenario file, or a Scenario.
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
    arrays, kpis = simulate(params, seed)
    return Result(params=params, seed=seed, arrays=arrays, kpis=kpis)
