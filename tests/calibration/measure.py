"""Shared helpers for the calibration tests and the calibration report.

Every figure a test checks is computed here once, so ``docs/calibration.md`` (written from
``python -m tests.calibration.report``) shows exactly what the tests assert.

Seeds: ``numpy.random.SeedSequence(CALIBRATION_ENTROPY).spawn(N_SEEDS)``, each child turned into
one 32-bit integer seed for :func:`sim.runner.simulate`. The list is fixed, so a tolerance that
passes today passes tomorrow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import numpy as np

from sim.runner import simulate
from sim.scenarios import load_scenario

#: Entropy of the calibration seed sequence (any fixed number; written down for reproducibility).
CALIBRATION_ENTROPY = 20_240_611
#: Seeds per calibration case (the issue asks for a median over at least 20).
N_SEEDS = 24

Run = dict[str, np.ndarray]


def calibration_seeds(n: int = N_SEEDS) -> list[int]:
    """The ``n`` replication seeds, spawned from :data:`CALIBRATION_ENTROPY`."""
    children = np.random.SeedSequence(CALIBRATION_ENTROPY).spawn(n)
    return [int(c.generate_state(1)[0]) for c in children]


@cache
def _runs(scenario: str, overrides: tuple[tuple[str, Any], ...], n: int) -> tuple[Run, ...]:
    params = load_scenario(scenario).params(dict(overrides))
    return tuple(simulate(params, seed)[0] for seed in calibration_seeds(n))


def runs(scenario: str, overrides: Mapping[str, Any] | None = None,
         n: int = N_SEEDS) -> tuple[Run, ...]:
    """Run a shipped scenario (plus overrides) over the calibration seeds; cached per process."""
    return _runs(scenario, tuple(sorted((overrides or {}).items())), n)


def summary(values: list[float]) -> dict[str, float]:
    """Median and the 10–90 % range of a figure over seeds."""
    arr = np.asarray(values, dtype=float)
    return {"median": float(np.median(arr)), "p10": float(np.percentile(arr, 10)),
            "p90": float(np.percentile(arr, 90))}


def over_seeds(rs: tuple[Run, ...], figure: Callable[[Run], float]) -> dict[str, float]:
    """Apply ``figure`` to every run and summarise."""
    return summary([figure(r) for r in rs])


def year_mean(r: Run, column: str, year: int) -> float:
    """Mean of a monthly column over one calendar year (months whose ``year`` starts with it)."""
    mask = np.floor(r["year"] + 1e-9) == year
    if not mask.any():
        raise ValueError(f"the run does not cover {year}")
    return float(np.nanmean(r[column][mask]))


def last_months_mean(r: Run, column: str, months: int = 12) -> float:
    """Mean of a column over the last ``months`` of the run (the long-run level)."""
    return float(np.nanmean(r[column][-months:]))


def first_golive_month(r: Run) -> int:
    """First month (1-based) with an institution live."""
    live = np.flatnonzero(r["share_served"] > 0)
    return int(live[0]) + 1


def first_month_at_least(r: Run, column: str, level: float, after: int = 0) -> int | None:
    """First month (1-based, > ``after``) in which ``column`` reaches ``level``."""
    hit = np.flatnonzero((r[column] >= level) & (r["month"] > after))
    return int(hit[0]) + 1 if hit.size else None
