"""A pyabc sampler whose result does not depend on timing, process count or executor.

pyabc's own parallel samplers accept whichever simulations finish first, so two runs of the
same calibration differ, and a resumed run differs from an uninterrupted one. This sampler is
pyabc's :class:`~pyabc.sampler.MappingSampler` with one change: task ``i`` of generation ``t``
seeds numpy's global generator (which pyabc draws proposals from) from
``SeedSequence([seed, t, i])`` and simulates until it has one accepted particle. The accepted
population is therefore a function of the calibration's seed alone, whether the tasks run in
this process (``serial``), a process pool (``process``) or on Dask workers (``dask``) — any
:class:`concurrent.futures.Executor` from :func:`sim_sweep.executors.open_executor`.

It also reports progress: accepted particles of the generation, simulations so far, the time
the generation has taken and an estimate of the time left.
"""

from __future__ import annotations

import functools
import random
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, as_completed
from typing import Any, TextIO

import cloudpickle
import numpy as np
from pyabc.sampler import MappingSampler


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

    def __init__(self, executor: Executor, seed: int, progress: Progress | None = None) -> None:
        super().__init__(map_=self._map)
        self.executor = executor
        self.seed = seed
        self.progress = progress
        self.evaluations_total = 0

    def __getstate__(self) -> tuple[Any, ...]:  # what the workers get: no executor
        return (self.nr_evaluations_, self.sample_factory, self.seed)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.nr_evaluations_, self.sample_factory, self.seed = state
        self.pickle, self.unpickle = cloudpickle.dumps, cloudpickle.loads

    def seeded_task(self, simulate_one: bytes, key: tuple[int, int]) -> tuple[Any, int]:
        """Simulate until one particle is accepted, from the task's own seed."""
        t, i = key
        s = _task_seed(self.seed, t, i)
        # pyabc draws its proposals from numpy's and Python's global generators: this is the
        # one place they are seeded, per task, so results do not depend on where it runs.
        np.random.seed(s)  # noqa: NPY002
        random.seed(s)
        return self.map_function_seeded(simulate_one)

    def map_function_seeded(self, simulate_one: bytes) -> tuple[Any, int]:
        fn = self.unpickle(simulate_one)
        nr = 0
        sample = self._create_empty_sample()
        while True:
            new = fn()
            nr += 1
            sample.append(new)
            if new.accepted:
                return sample, nr

    def sample_until_n_accepted(self, n: int, simulate_one: Callable[[], Any], t: int, *,
                                max_eval: float = np.inf, all_accepted: bool = False,
                                ana_vars: Any = None) -> Any:
        payload = self.pickle(simulate_one)
        task = functools.partial(self.seeded_task, payload)
        results = self._map(task, [(t, i) for i in range(n)])
        samples, evals = zip(*results, strict=True)
        self.nr_evaluations_ = sum(evals)
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
        evaluations = 0
        try:
            for done, fut in enumerate(as_completed(futures), start=1):
                out[futures[fut]] = result = fut.result()
                evaluations += result[1]
                if self.progress is not None:
                    self.progress.update(done, len(items), evaluations, done == len(items))
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise
        return out
