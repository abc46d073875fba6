"""The model as ABC sees it: a draw of parameters in, the targets' statistics out.

:class:`Simulator` runs every scenario variant the targets need once per draw (one seed per
draw, the same for each variant: common random numbers) and evaluates each target's statistic.
:meth:`Simulator.many` takes many draws at once: all their variants are the members of
ensembles (``sim.ensemble``; members of the same shape step in one pass, each bit for bit its
single run), so a batch of draws costs a fraction of the draws one by one.
The seed of a draw comes from the calibration's seed and the drawn values themselves
(:func:`draw_seed`), so the same draw always gives the same statistics, whichever process or
machine runs it, alone or in a batch.

While a :func:`batch` is active in this thread, calling the simulator looks the draw up in the
batch's results first (see :mod:`sim_calibrate.sampler`, which simulates proposals in batches
and replays pyabc's sequential loop on the results).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.ensemble import CHUNK, iter_members, shape_key
from sim.seeds import seed_of
from sim_calibrate.spec import Calibration
from sim_calibrate.statistics import READS, evaluate

Key = tuple[tuple[str, float], ...]


def draw_seed(master: int, draw: Mapping[str, float]) -> int:
    """The model seed of one draw: a child of ``SeedSequence`` keyed by the draw's values."""
    digest = hashlib.blake2b(digest_size=16)
    for name in sorted(draw):
        digest.update(name.encode())
        digest.update(np.float64(draw[name]).tobytes())
    words = np.frombuffer(digest.digest(), dtype=np.uint32)
    return seed_of(np.random.SeedSequence([master % 2**63, *map(int, words)]))


def draw_key(draw: Mapping[str, float]) -> Key:
    """A draw as a hashable key (its values exactly)."""
    return tuple(sorted((k, float(v)) for k, v in dict(draw).items()))


@dataclass
class Batch:
    """What the simulator does while a batch is active.

    Attributes:
        recording: Record each draw asked for (and answer NaN) instead of simulating.
        drawn: The draws recorded, in order.
        results: Statistics of draws simulated together, by :func:`draw_key`.
        misses: Draws asked for that were neither recorded nor in ``results`` (simulated
            one by one).
    """

    recording: bool = False
    drawn: list[dict[str, float]] = field(default_factory=list)
    results: dict[Key, dict[str, float]] = field(default_factory=dict)
    misses: int = 0
    simulator: Simulator | None = None


_BATCH: contextvars.ContextVar[Batch | None] = contextvars.ContextVar("batch", default=None)


@contextlib.contextmanager
def batch(state: Batch) -> Iterator[Batch]:
    """Make ``state`` the active batch of this thread (or task) for the ``with`` block."""
    token = _BATCH.set(state)
    try:
        yield state
    finally:
        _BATCH.reset(token)


class Simulator:
    """Picklable callable: ``{prior: value}`` → ``{target: statistic}`` (NaN for a miss).

    Args:
        cal: The calibration.
        fit_only: Evaluate only the fitted targets (ABC) or every target (predictive checks).
    """

    def __init__(self, cal: Calibration, fit_only: bool = True) -> None:
        self.cal = cal
        self.fit_only = fit_only

    @property
    def targets(self) -> tuple:
        return self.cal.fit_targets if self.fit_only else self.cal.targets

    @property
    def record(self) -> tuple[str, ...]:
        """The monthly columns the targets' statistics read (the rest is not recorded)."""
        return tuple(dict.fromkeys([*READS, *(t.spec.column for t in self.targets
                                               if t.spec.column is not None)]))

    def __call__(self, draw: Mapping[str, float], seed: int | None = None) -> dict[str, float]:
        state = _BATCH.get()
        if state is not None and seed is None:
            if state.recording:
                state.simulator = self
                state.drawn.append({k: float(v) for k, v in dict(draw).items()})
                return {t.name: math.nan for t in self.targets}
            found = state.results.get(draw_key(draw))
            if found is not None:
                return dict(found)
            state.misses += 1
        return self.many([draw], None if seed is None else [seed])[0]

    def many(self, draws: Sequence[Mapping[str, float]],
             seeds: Sequence[int] | None = None) -> list[dict[str, float]]:
        """The statistics of many draws, their variants stepped as ensembles.

        Args:
            draws: The draws.
            seeds: One model seed per draw (None: each draw's :func:`draw_seed`).

        Returns:
            One ``{target: statistic}`` per draw, in order; each equal to the draw alone.
        """
        values = [{k: float(v) for k, v in dict(d).items()} for d in draws]
        if seeds is None:
            seeds = [draw_seed(self.cal.spec.seed, v) for v in values]
        variants = list(self.cal.variants(self.fit_only))
        jobs = [(k, v) for k in range(len(values)) for v in variants]
        params = [self.cal.params(v, values[k]) for k, v in jobs]
        # members of one shape side by side, so each pass of the ensemble is one shape
        groups: dict[tuple[object, ...], list[int]] = {}
        for j, p in enumerate(params):
            groups.setdefault(shape_key(p), []).append(j)
        order = [j for js in groups.values() for j in js]
        runs: list[dict] = [{} for _ in values]
        members = iter_members([params[j] for j in order], [seeds[jobs[j][0]] for j in order],
                               record=self.record, chunk=CHUNK)
        for j, m in zip(order, members, strict=True):
            k, variant = jobs[j]
            runs[k][variant] = (m.arrays, m.kpis)
        out = []
        for k in range(len(values)):
            row: dict[str, float] = {}
            for t in self.targets:
                arrays, kpis = runs[k][t.variant]
                value = evaluate(t.spec.statistic, t.args, arrays, kpis)
                if value is None and t.spec.never is not None:
                    value = t.spec.never
                row[t.name] = math.nan if value is None else value
            out.append(row)
        return out
