"""Carry a posterior into answers: predictive runs (parameters × seeds) and paired comparisons.

* :func:`predictive_runs` — ``n`` runs of a scenario, run ``k`` at the ``k``-th draw from the
  posterior (resampled by weight) and the ``k``-th replication seed: the spread of a KPI over
  them is the predictive interval, parameter uncertainty and seed noise together. With
  ``posterior=None`` every run uses the scenario's own parameters: seed noise only.
* :func:`paired_predictive` — the same for two policies: draw ``k`` and seed ``k`` are shared
  by both arms (common random numbers and common parameters), so B − A is the policy's effect
  under each plausible behaviour.

Values given explicitly (``--set``, a scenario's own file values for parameters the posterior
does not hold) win over drawn ones: a drawn value replaces only a parameter the caller left
alone. Priors the calibration scoped to other scenarios are not applied (their value is the
scenario's), nor are drawn values of what the scenario's institutions file fixes (its staff,
count, groups and waves: the file's).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.ensemble import iter_members
from sim.kpis import KPIs
from sim.params import Params
from sim.population import fixed_by
from sim.scenarios import Scenario
from sim.seeds import replication_seeds
from sim_calibrate.posterior import Posterior

#: Predictive interval: the 10 % and 90 % quantiles over draws.
LOW, HIGH = 0.1, 0.9


#: Most posterior draws one answer takes (``sim run --draws``, a sweep's design ``posterior``).
MAX_DRAWS = 100_000


def apply_draw(scenario: Scenario, posterior: Posterior, draw: Mapping[str, float],
               overrides: Mapping[str, Any] | None = None, months: int | None = None,
               base: Params | None = None) -> Params:
    """The scenario (plus overrides) at one posterior draw.

    A drawn value replaces the scenario's own; a value in ``overrides`` wins over the drawn
    one; priors the calibration scoped to other scenarios are not applied; what the
    scenario's institutions file fixes is the file's, never drawn.

    Args:
        base: ``scenario.params(overrides, months)``, when the caller has it already.

    Raises:
        sim.errors.ParameterError: a value the parameter definition does not allow.
    """
    overrides = dict(overrides or {})
    if base is None:
        base = scenario.params(overrides, months)
    kept = set(overrides) | (set(fixed_by(scenario.institutions))
                             if scenario.institutions is not None else set())
    drawn = {k: v for k, v in posterior.apply(scenario.name, base, draw).items()
             if k not in kept}
    return scenario.params({**drawn, **overrides}, months)


def draw_params(scenario: Scenario, posterior: Posterior | None, n: int, seed: int,
                overrides: Mapping[str, Any] | None = None,
                months: int | None = None) -> list[Params]:
    """``n`` parameter sets: the scenario (plus overrides) at each posterior draw."""
    base = scenario.params(overrides, months)
    if posterior is None:
        return [base] * n
    return [apply_draw(scenario, posterior, d, overrides, months, base)
            for d in posterior.draws(n, seed)]


@dataclass(frozen=True)
class Band:
    """A KPI over predictive runs: median and the 10–90 % interval (None: never reached by
    most runs; ``never`` is the share of runs that never reach it)."""

    median: float | None
    low: float | None
    high: float | None
    never: float


def band(values: list[float | int | None]) -> Band:
    """Median and 10–90 % of values where None (never reached) counts as +infinity."""
    arr = np.array([math.inf if v is None else float(v) for v in values])
    q = np.quantile(arr, [0.5, LOW, HIGH], method="inverted_cdf")
    fin = [None if math.isinf(x) else float(x) for x in q]
    return Band(fin[0], fin[1], fin[2], float(np.mean(np.isinf(arr))))


def predictive_runs(scenario: Scenario, posterior: Posterior | None, n: int, seed: int,
                    overrides: Mapping[str, Any] | None = None,
                    months: int | None = None) -> list[KPIs]:
    """The KPIs of ``n`` predictive runs (see the module's docstring)."""
    params = draw_params(scenario, posterior, n, seed, overrides, months)
    return _kpis(params, replication_seeds(seed, n))


def _kpis(params: list[Params], seeds: list[int]) -> list[KPIs]:
    """The KPIs of runs ``params[k]``, ``seeds[k]``, stepped as the members of ensembles (each
    its single run, bit for bit; only the KPIs' columns recorded)."""
    return [m.kpis for m in iter_members(params, seeds, record=())]


def bands(runs: list[KPIs]) -> dict[str, Band]:
    """Each KPI's band over runs."""
    return {key: band([getattr(k, key) for k in runs]) for key in KPIs.keys()}


def paired_predictive(a: Scenario, b: Scenario, posterior: Posterior | None, n: int, seed: int,
                      sets_a: Mapping[str, Any], sets_b: Mapping[str, Any],
                      months: int | None) -> tuple[dict[str, Band], dict[str, Band],
                                                   dict[str, Band]]:
    """Bands of A, of B and of the paired difference B − A (runs where both reach the KPI)."""
    pa = draw_params(a, posterior, n, seed, sets_a, months)
    pb = draw_params(b, posterior, n, seed, sets_b, months)
    seeds = replication_seeds(seed, n)
    ka, kb = _kpis(pa, seeds), _kpis(pb, seeds)
    diff: dict[str, Band] = {}
    for key in KPIs.keys():
        pairs = [getattr(y, key) - getattr(x, key) for x, y in zip(ka, kb, strict=True)
                 if getattr(x, key) is not None and getattr(y, key) is not None]
        diff[key] = (band(pairs) if len(pairs) * 2 > n
                     else Band(None, None, None, 1.0 - len(pairs) / n))
    return bands(ka), bands(kb), diff
