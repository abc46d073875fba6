"""The roll-out plan: when each institution may go live.

After ``preparation_months`` the first wave goes live; further waves follow every
``wave_interval_months``. A big bang is one wave. Institutions are ordered into waves by size
(largest first), by group (whole groups, largest group first) or at random (the model's
generator). Under mandatory adoption an institution goes live in its wave's month; under
voluntary adoption that month is only the earliest it may join.
"""

from __future__ import annotations

import numpy as np

from sim.params import Params


def wave_of(p: Params, baseline_fte: np.ndarray, group: np.ndarray,
            rng: np.random.Generator) -> np.ndarray:
    """Return the wave index (0-based) of every institution."""
    n = baseline_fte.size
    n_waves = 1 if p.rollout == "big_bang" else p.n_waves
    wave = np.zeros(n, dtype=np.int64)
    if n_waves == 1 or n == 0:
        return wave
    if p.wave_order == "group":
        labels = np.unique(group)
        totals = np.array([baseline_fte[group == g].sum() for g in labels])
        ordered_groups = labels[np.argsort(-totals, kind="stable")]
        for k, chunk in enumerate(np.array_split(ordered_groups, min(n_waves, labels.size))):
            wave[np.isin(group, chunk)] = k
        return wave
    if p.wave_order == "size":
        order = np.argsort(-baseline_fte, kind="stable")
    else:
        order = rng.permutation(n)
    for k, chunk in enumerate(np.array_split(order, n_waves)):
        wave[chunk] = k
    return wave


def golive_month(p: Params, wave: np.ndarray) -> np.ndarray:
    """Month (1-based) in which each institution's wave goes live."""
    return p.preparation_months + 1 + wave * p.wave_interval_months
