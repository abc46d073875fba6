"""A pyabc sampler whose result does not depend on timing, process count or executor.

pyabc's own parallel samplers accept whichever simulations finish first, so two runs of the
same calibration differ, and a resumed run differs from an uninterrupted one. This sampler is
pyabc's :class:`~pyabc.sampler.MappingSampler` with two changes:

* **Seeded.** Particle ``i`` of generation ``t`` seeds numpy's and Python's global generators
  (which pyabc draws proposals from) from ``SeedSequence([seed, t + 1, i])`` and simulates
  until it has one accepted particle. The accepted population is therefore a function of the
  calibration's seed alone, whether the tasks run in this process (``serial``), a process pool
  (``process``) or on Dask workers (``dask``) — any :class:`concurrent.futures.Executor` from
  :func:`sim_sweep.executors.open_executor`.
* **Batched, exactly.** A task holds a block of particles. In each round it first *records*
  the next proposals of every unfinished particle (pyabc's own loop, from that particle's
  generator state, with the simulator answering nothing), simulates all recorded proposals at
  once as ensembles (:meth:`sim_calibrate.simulate.Simulator.many`), then *replays* pyabc's
  loop from the same generator states on those results until each particle is accepted or the
  round's proposals are used up. A proposal depends only on the generator, never on an earlier
  result, so the replay proposes exactly the recorded draws, and every particle, its
  simulation count and the population are those of simulating one proposal at a time; only
  proposals recorded after a particle's acceptance are simulated in vain.

It also reports progress: accepted particles of the generation, simulations so far, the time
the generation has taken and an estimate of the time left.
"""

from __future__ import annotations

import functools
import math
import random
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, as_completed
from typing import Any, TextIO

import cloudpickle
import numpy as np
from pyabc.sampler import MappingSampler

from sim_calibrate.simulate import Batch, batch, draw_key

#: Proposals simulated together in a round of a task, at least (more ensemble members per
#: pass share the per-month cost; a cost setting, not a rule: results do not depend on it).
ROUND_DRAWS = 128
#: Most proposals recorded per particle in one round.
MAX_PER_PARTICLE = 64
#: Particle blocks per worker in a generation (fewer: larger ensembles; more: better balance).
BLOCKS_PER_WORKER = 2


def _task_seed(seed: int, t: int, i: int) -> int:
    return int(np.random.SeedSequence([seed % 2**63, t + 1, i]).generate_state(1)[0])


class Progress:
    """Prints one line per finished task batch: the generation's progress and time left."""

    def __init__(self, generations: int, stream: TextIO | None = sys.stderr,
                 every: float = 5.0) -> None:
        self.generations = generations
        self.stream = stream
        self.every = every
        self.generation_seconds: list[float] = []
        self.t = -1

    def start(self, t: int) -> None:
        self.t = t
        self._start = self._last = time.monotonic()

    def update(self, done: int, total: int, evaluations: int, final: bool = False) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if not final and now - self._last < self.every:
            return
        self._last = now
        spent = now - self._start
        left_here = spent / max(done, 1) * (total - done)
        later = max(0, self.generations - 1 - self.t)
        per_gen = max([*self.generation_seconds, spent + left_here])
        what = ("prior sample" if self.t < 0
                else f"generation {self.t + 1} of at most {self.generations}")
        line = (f"{what}: {done}/{total} accepted, {evaluations} simulations, "
                f"{_clock(spent)} so far")
        if not final:
            line += f", about {_clock(left_here)} left in it"
        if later:
            line += (f"; at least about {_clock(later * per_gen + (0 if final else left_here))}"
                     " left in all (later generations accept fewer)")
        print(line, file=self.stream, flush=True)
        if final:
            self.generation_seconds.append(spent)


def _restore(state: tuple[Any, Any]) -> None:
    np.random.set_state(state[0])  # noqa: NPY002
    random.setstate(state[1])


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


class SeededMappingSampler(MappingSampler):
    """:class:`~pyabc.sampler.MappingSampler` with per-task seeds and progress.

    Args:
        executor: Where the tasks run.
        seed: The calibration's seed.
        progress: Progress reporter (None: quiet).
    """

    def __init__(self, executor: Executor, seed: int, progress: Progress | None = None,
                 workers: int = 1) -> None:
        super().__init__(map_=self._map)
        self.executor = executor
        self.seed = seed
        self.progress = progress
        self.workers = max(1, workers)
        #: The last generation's acceptance rate (sets proposals per particle in a round).
        self.acceptance = 0.5
        #: Proposals simulated in all, the vain ones after an acceptance included.
        self.simulated = 0
        #: Proposals a replay did not find among the recorded ones (0 unless pyabc changes).
        self.misses = 0

    def __getstate__(self) -> tuple[Any, ...]:  # what the workers get: no executor
        return (self.nr_evaluations_, self.sample_factory, self.seed)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.nr_evaluations_, self.sample_factory, self.seed = state
        self.pickle, self.unpickle = cloudpickle.dumps, cloudpickle.loads

    def seeded_task(self, simulate_one: bytes,
                    key: tuple[int, tuple[int, ...], int, bool]
                    ) -> tuple[list[tuple[Any, int]], int, int]:
        """Simulate until each particle of a block is accepted, each from its own seed.

        Args:
            simulate_one: pyabc's pickled one-particle function.
            key: The generation, the block's particle indices, proposals per particle in a
                round, and whether a round may record more so that it holds at least
                :data:`ROUND_DRAWS` (cost settings: the result does not depend on them).

        Returns:
            Per particle of the block: its sample (every particle it simulated, the accepted
            one last) and how many it simulated; then the proposals simulated in all and the
            replay's misses.
        """
        t, block, per_particle, grow = key
        fn = self.unpickle(simulate_one)
        states = {}
        for i in block:
            s = _task_seed(self.seed, t, i)
            # pyabc draws its proposals from numpy's and Python's global generators: this is
            # the one place they are seeded, per particle, so results do not depend on where
            # or with which others it runs.
            np.random.seed(s)  # noqa: NPY002
            random.seed(s)
            states[i] = (np.random.get_state(), random.getstate())  # noqa: NPY002
        samples = {i: self._create_empty_sample() for i in block}
        counts = dict.fromkeys(block, 0)
        pending = list(block)
        simulated = misses = 0
        while pending:
            per = per_particle
            if grow:
                per = min(max(per, math.ceil(ROUND_DRAWS / len(pending))), MAX_PER_PARTICLE)
            recorded = Batch(recording=True)
            with batch(recorded):
                for i in pending:
                    _restore(states[i])
                    for _ in range(per):
                        fn()
            results = (recorded.simulator.many(recorded.drawn)
                       if recorded.simulator is not None and recorded.drawn else [])
            played = Batch(results={draw_key(d): r
                                    for d, r in zip(recorded.drawn, results, strict=True)})
            with batch(played):
                still = []
                for i in pending:
                    _restore(states[i])
                    for _ in range(per):
                        new = fn()
                        counts[i] += 1
                        samples[i].append(new)
                        if new.accepted:
                            break
                    else:
                        still.append(i)
                    states[i] = (np.random.get_state(), random.getstate())  # noqa: NPY002
            simulated += len(recorded.drawn) + played.misses
            misses += played.misses
            pending = still
        return [(samples[i], counts[i]) for i in block], simulated, misses

    def sample_until_n_accepted(self, n: int, simulate_one: Callable[[], Any], t: int, *,
                                max_eval: float = np.inf, all_accepted: bool = False,
                                ana_vars: Any = None) -> Any:
        payload = self.pickle(simulate_one)
        task = functools.partial(self.seeded_task, payload)
        per = 1 if all_accepted else min(MAX_PER_PARTICLE, math.ceil(1.0 / self.acceptance))
        size = max(1, math.ceil(n / (self.workers * BLOCKS_PER_WORKER)))
        blocks = [tuple(range(a, min(a + size, n))) for a in range(0, n, size)]
        results = self._map(task, [(t, b, per, not all_accepted) for b in blocks])
        parts = [r for block, _, _ in results for r in block]
        self.simulated += sum(r[1] for r in results)
        self.misses += sum(r[2] for r in results)
        samples, evals = zip(*parts, strict=True)
        self.nr_evaluations_ = sum(evals)
        if not all_accepted:
            self.acceptance = max(n / max(self.nr_evaluations_, 1), 1.0 / MAX_PER_PARTICLE)
        sample = self._create_empty_sample()
        for s in samples:
            sample += s
        return sample

    def _map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
        items = list(items)
        t = items[0][0] if items else 0
        if self.progress is not None:
            self.progress.start(t)
        futures = {self.executor.submit(fn, item): k for k, item in enumerate(items)}
        out: list[Any] = [None] * len(items)
        total = sum(len(item[1]) for item in items)
        evaluations = done = 0
        try:
            for fut in as_completed(futures):
                out[futures[fut]] = result = fut.result()
                evaluations += sum(r[1] for r in result[0])
                done += len(result[0])
                if self.progress is not None:
                    self.progress.update(done, total, evaluations, done == total)
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise
        return out
