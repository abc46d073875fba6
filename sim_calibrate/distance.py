"""The distance between simulated and observed statistics, in units of each target's tolerance.

A target observed as a range is met anywhere inside it (distance 0) and counts its distance to
the nearer end outside; a point counts its distance to the value. Each is divided by the
target's tolerance, and the distance of a draw is the root of the mean square over the fitted
targets, so 1 means "off by one tolerance on average". A draw that misses a target (the run
never reaches the figure and the target names no ``never`` value) is :data:`MISS` tolerances
off. The scales are fixed by the file (not adapted), so a resumed calibration uses the same
distance as an uninterrupted one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from sim_calibrate.spec import Calibration, Target

#: Distance, in tolerances, of a target the run never reaches.
MISS = 10.0


def target_distance(t: Target, value: float) -> float:
    """How many tolerances ``value`` lies outside the target's observed value or range."""
    if value is None or math.isnan(value):
        return MISS
    lo, hi = t.bounds
    off = lo - value if value < lo else value - hi if value > hi else 0.0
    return off / t.spec.tolerance


class TargetDistance:
    """Picklable distance for pyabc: ``(simulated, observed)`` → root mean square tolerances."""

    def __init__(self, cal: Calibration) -> None:
        self.targets = cal.fit_targets

    def __call__(self, x: Mapping[str, float], x_0: Mapping[str, float] | None = None) -> float:
        parts = [target_distance(t, x[t.name]) ** 2 for t in self.targets]
        return math.sqrt(sum(parts) / len(parts))
