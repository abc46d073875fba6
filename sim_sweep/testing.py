"""Cheap stand-in run functions for tests and benchmarks of the sweep engine's mechanics.

They have the signature of ``sim.runner.simulate(params, seed) -> (arrays, kpis)`` and are
module-level, so every executor can send them by reference. They do not model anything.
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from sim.kpis import KPIs


class FakeKPIs(dict):
    """A dict with ``to_dict()``, like ``sim.kpis.KPIs``."""

    def to_dict(self) -> dict[str, Any]:
        return dict(self)


def fake_simulate(params: Any, seed: int) -> tuple[dict[str, np.ndarray], FakeKPIs]:
    """A deterministic function of (params, seed) shaped like the model's output."""
    p = params.model_dump() if hasattr(params, "model_dump") else dict(params)
    rng = np.random.default_rng(seed)
    months = int(p.get("months", 24))
    x = float(p.get("dialogue_effort", 0.5))
    y = float(p.get("task_split_clarity", 0.5))
    t = np.arange(1, months + 1)
    gain = (x + 2 * y + x * y) * (1 - np.exp(-t / 12.0)) + rng.normal(0, 0.05, months)
    arrays = {
        "month": t,
        "realised_gain": gain,
        "service_level": np.clip(0.9 + 0.05 * y + rng.normal(0, 0.01, months), 0, 1),
        "shadow_fte": np.abs(rng.normal(5 * (1 - y), 1, months)),
        "trust_mean": np.clip(0.4 + 0.4 * x + rng.normal(0, 0.02, months), 0, 1),
    }
    k = {key: float(rng.normal()) for key in KPIs.keys()}
    k["realised_gain_end_mdkk"] = float(gain[-1])
    k["trust_end"] = float(arrays["trust_mean"][-1])
    k["break_even_month"] = None if x < 0.1 else float(12 + int(24 * (1 - x)))
    return arrays, FakeKPIs(k)


def failing_simulate(params: Any, seed: int) -> tuple[dict[str, np.ndarray], FakeKPIs]:
    """Like :func:`fake_simulate`, but raises when ``dialogue_effort == 0.5`` and
    ``task_split_clarity >= 0.9``, unless the environment variable ``SIM_SWEEP_HEAL`` is set
    (so that a retry can succeed)."""
    p = params.model_dump() if hasattr(params, "model_dump") else dict(params)
    if (p.get("dialogue_effort") == 0.5 and p.get("task_split_clarity", 0) >= 0.9
            and not os.environ.get("SIM_SWEEP_HEAL")):
        raise RuntimeError(f"stand-in failure for seed {seed}")
    return fake_simulate(params, seed)


def slow_simulate(params: Any, seed: int) -> tuple[dict[str, np.ndarray], FakeKPIs]:
    """Like :func:`fake_simulate`, taking about 20 ms (for interruption tests)."""
    time.sleep(0.02)
    return fake_simulate(params, seed)
