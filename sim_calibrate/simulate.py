"""The model as ABC sees it: a draw of parameters in, the targets' statistics out.

:class:`Simulator` runs every scenario variant the targets need once per draw (one seed per
draw, the same for each variant: common random numbers), as the members of one ensemble
(``sim.ensemble``: variants of the same shape step in one pass, each equal to its single run),
and evaluates each target's statistic.
The seed of a draw comes from the calibration's seed and the drawn values themselves
(:func:`draw_seed`), so the same draw always gives the same statistics, whichever process or
machine runs it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping

import numpy as np

from sim.ensemble import run_members
from sim.seeds import seed_of
from sim_calibrate.spec import Calibration
from sim_calibrate.statistics import evaluate


def draw_seed(master: int, draw: Mapping[str, float]) -> int:
    """The model seed of one draw: a child of ``SeedSequence`` keyed by the draw's values."""
    digest = hashlib.blake2b(digest_size=16)
    for name in sorted(draw):
        digest.update(name.encode())
        digest.update(np.float64(draw[name]).tobytes())
    words = np.frombuffer(digest.digest(), dtype=np.uint32)
    return seed_of(np.random.SeedSequence([master % 2**63, *map(int, words)]))


class Simulator:
    """Picklable callable: ``{prior: value}`` → ``{target: statistic}`` (NaN for a miss).

    Args:
        cal: The calibration.
        fit_only: Evaluate only the fitted targets (ABC) or every target (predictive checks).
    """

    def __init__(self, cal: Calibration, fit_only: bool = True) -> None:
        self.cal = cal
        self.fit_only = fit_only

    def __call__(self, draw: Mapping[str, float], seed: int | None = None) -> dict[str, float]:
        values = {k: float(v) for k, v in dict(draw).items()}
        seed = draw_seed(self.cal.spec.seed, values) if seed is None else seed
        targets = self.cal.fit_targets if self.fit_only else self.cal.targets
        out: dict[str, float] = {}
        # the variants are the members of one ensemble (variants of the same shape are stepped
        # in one pass), each member bit for bit its single run
        variants = list(self.cal.variants(self.fit_only))
        members = run_members([self.cal.params(v, values) for v in variants],
                              [seed] * len(variants))
        runs = {v: (m.arrays, m.kpis) for v, m in zip(variants, members, strict=True)}
        for t in targets:
            arrays, kpis = runs[t.variant]
            value = evaluate(t.spec.statistic, t.args, arrays, kpis)
            if value is None and t.spec.never is not None:
                value = t.spec.never
            out[t.name] = math.nan if value is None else value
        return out
