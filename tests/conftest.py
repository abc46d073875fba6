"""Shared helpers for the core's tests."""

from __future__ import annotations

import numpy as np
import pytest

from sim import make_params
from sim.runner import simulate

SEEDS = list(range(1, 21))  # 20 seeds for invariants and behaviour medians


def run_seeds(overrides: dict, seeds: list[int] | None = None) -> list[tuple[dict, object]]:
    """Run the default parameters with ``overrides`` over several seeds."""
    params = make_params(overrides)
    return [simulate(params, s) for s in (seeds or SEEDS)]


def median_kpi(runs, name: str) -> float:
    """Median of one KPI over runs (None counts as +inf: never reached)."""
    values = [getattr(k, name) for _, k in runs]
    return float(np.median([np.inf if v is None else v for v in values]))


@pytest.fixture(scope="session")
def default_runs():
    """The default parameters over 20 seeds (shared by several tests)."""
    return run_seeds({})
