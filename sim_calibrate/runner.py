"""ABC-SMC on the model (pyabc), resumable, on any of the sweep engine's executors.

:func:`calibrate` keeps everything in one output folder:

* ``history.db`` — pyabc's SQLite history: every finished generation. A kill or Ctrl-C loses
  at most the generation under way; the same command continues from the last finished one.
  Because every task is seeded (:mod:`sim_calibrate.sampler`) and the distance is fixed by the
  file (:mod:`sim_calibrate.distance`), the continued calibration ends with the same posterior
  as one that was never interrupted.
* ``run.json`` — the calibration file's hash and seed; a history made from another file is
  refused.
* ``posterior.parquet`` — the last generation's weighted particles with provenance
  (:mod:`sim_calibrate.posterior`);
* ``predictive.parquet`` — every target's statistic at draws from the posterior (the posterior
  predictive checks) and at draws from the prior;
* the report (:mod:`sim_calibrate.report`).
"""

from __future__ import annotations

import json
import logging
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd

from sim import provenance as prov
from sim.seeds import replication_seeds
from sim_calibrate.distance import TargetDistance
from sim_calibrate.errors import CalibrationError
from sim_calibrate.posterior import write_posterior
from sim_calibrate.sampler import Progress, SeededMappingSampler
from sim_calibrate.simulate import Simulator
from sim_calibrate.spec import Calibration
from sim_sweep.executors import open_executor
from sim_sweep.runids import model_version

HISTORY = "history.db"
RUN_FILE = "run.json"
POSTERIOR = "posterior.parquet"
PREDICTIVE = "predictive.parquet"


@dataclass
class Generation:
    """One finished generation: threshold, simulations, acceptance, effective sample size."""

    t: int
    epsilon: float
    simulations: int
    acceptance: float
    ess: float


def _pyabc() -> Any:
    try:
        import pyabc
    except ImportError:
        raise CalibrationError("sim calibrate needs pyabc: pip install 'sharedsim[calibrate]' "
                               "(make setup installs it)") from None
    logging.getLogger("ABC").setLevel(logging.WARNING)
    for name in ("ABC.Sampler", "ABC.History", "ABC.Distance", "ABC.Epsilon",
                 "ABC.Transition", "ABC.Population", "ABC.Acceptor", "ABC.Predictor"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return pyabc


def _abc(cal: Calibration, sampler: SeededMappingSampler) -> Any:
    pyabc = _pyabc()
    prior = pyabc.Distribution(**{p.name: pyabc.RV("uniform", p.low, p.high - p.low)
                                  for p in cal.priors})
    return pyabc.ABCSMC(
        Simulator(cal), prior, TargetDistance(cal),
        population_size=cal.spec.abc.population_size, sampler=sampler,
        transitions=transition(cal),
        eps=pyabc.QuantileEpsilon(alpha=cal.spec.abc.epsilon_quantile))


def transition(cal: Calibration) -> Any:
    """The proposal kernel the file names (``[abc] kernel`` and ``kernel_scaling``)."""
    pyabc = _pyabc()
    a = cal.spec.abc
    if a.kernel == "joint":
        return pyabc.MultivariateNormalTransition(scaling=a.kernel_scaling)
    from sim_calibrate.kernel import ReflectedKernel

    return ReflectedKernel({p.name: (p.low, p.high) for p in cal.priors},
                           scaling=a.kernel_scaling)


def observed(cal: Calibration) -> dict[str, float]:
    """The observed statistics pyabc stores: each fitted target's value or range midpoint."""
    return {t.name: 0.5 * (t.bounds[0] + t.bounds[1]) for t in cal.fit_targets}


def _check_run_file(cal: Calibration, folder: Path) -> None:
    path = folder / RUN_FILE
    if not path.exists():
        return
    try:
        info = json.loads(path.read_text())
    except (OSError, ValueError):
        raise CalibrationError(f"{path} cannot be read; allowed: the folder of a calibration "
                               "of this file, or a new --out folder") from None
    if info.get("file_hash") != cal.file_hash or info.get("model") != model_version():
        what = ("another calibration file (or an edited one)"
                if info.get("file_hash") != cal.file_hash else "another version of the model")
        raise CalibrationError(
            f"{folder} holds a calibration of {what}; allowed: the same file and model to "
            "continue it, or a new --out folder (or --fresh to start this one again)")


def generations(history: Any) -> list[Generation]:
    """The finished generations of a history."""
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    out = []
    for _, row in pops.iterrows():
        t = int(row["t"])
        _, w = history.get_distribution(m=0, t=t)
        n = len(w)
        out.append(Generation(t, float(row["epsilon"]), int(row["samples"]),
                              n / max(int(row["samples"]), 1), float(1.0 / np.sum(w ** 2))))
    return out


def _finished(cal: Calibration, gens: list[Generation]) -> bool:
    a = cal.spec.abc
    if len(gens) >= a.generations:
        return True
    if not gens:
        return False
    last = gens[-1]
    return last.epsilon <= a.min_epsilon or last.acceptance < a.min_acceptance_rate


def calibrate(cal: Calibration, folder: Path, executor: str = "process",
              workers: int | None = None, scheduler: str | None = None,
              stream: TextIO | None = sys.stderr, stop_after: int | None = None,
              report: bool = True) -> dict[str, Any]:
    """Run (or continue) a calibration into ``folder``; return its summary.

    Args:
        cal: The checked calibration.
        folder: Output folder (created; a history of the same file there is continued).
        executor: ``process``, ``dask`` or ``serial`` (``sim_sweep.executors``).
        workers: Worker processes (default: the CPUs this process may use).
        scheduler: A Dask scheduler's address (``executor="dask"`` only).
        stream: Where progress goes (None: quiet).
        stop_after: Stop after this many generations in all (tests of resuming).
        report: Write the report when the calibration is finished.
    """
    folder.mkdir(parents=True, exist_ok=True)
    _check_run_file(cal, folder)
    run_file = folder / RUN_FILE
    if not run_file.exists():
        tmp = folder / f".{RUN_FILE}.tmp"
        tmp.write_text(json.dumps({"name": cal.name, "file_hash": cal.file_hash,
                                   "seed": cal.spec.seed, "model": model_version()}, indent=1))
        os.replace(tmp, run_file)
    db = f"sqlite:///{(folder / HISTORY).resolve()}"
    pyabc = _pyabc()
    a = cal.spec.abc
    with open_executor(executor, workers, scheduler) as (ex, n_workers):
        progress = Progress(a.generations, stream)
        sampler = SeededMappingSampler(ex, cal.spec.seed, progress, n_workers)
        abc = _abc(cal, sampler)
        if (folder / HISTORY).exists() and not _has_generation(pyabc, db):
            _discard_history(folder)
        if (folder / HISTORY).exists():
            abc.load(db, 1)
        else:
            abc.new(db, observed(cal))
        gens = generations(abc.history)
        if gens and stream is not None:
            print(f"continuing from generation {len(gens)} of at most {a.generations} "
                  f"({folder / HISTORY})", file=stream, flush=True)
        target = a.generations if stop_after is None else min(stop_after, a.generations)
        if not _finished(cal, gens) and len(gens) < target:
            progress.generation_seconds = []
            abc.run(minimum_epsilon=a.min_epsilon, max_nr_populations=target - len(gens),
                    min_acceptance_rate=a.min_acceptance_rate)
        gens = generations(abc.history)
        done = _finished(cal, gens)
        summary: dict[str, Any] = {"generations": gens, "finished": done, "folder": folder,
                                   "simulated": sampler.simulated,
                                   "replay_misses": sampler.misses}
        if not done:
            return summary
        frame, w = abc.history.get_distribution(m=0, t=gens[-1].t)
        frame = frame[[p.name for p in cal.priors]]
        provenance = provenance_of(cal, gens, abc.history.total_nr_simulations)
        write_posterior(folder / POSTERIOR, frame, w, provenance)
        prov.write(folder, provenance)
        predictive = predictive_checks(cal, frame, np.asarray(w), ex, n_workers)
        _write_frame(folder / PREDICTIVE, predictive)
    summary["posterior"] = folder / POSTERIOR
    if report:
        from sim_calibrate.report import write_report

        summary["report"] = write_report(folder, cal)
    return summary


def _has_generation(pyabc: Any, db: str) -> bool:
    """Whether a history holds at least one finished generation.

    A run killed before its first generation was stored leaves a history with no
    population (``max_t`` is None) or a half-written database; neither can be
    continued, and starting afresh gives the same result (the sampler is seeded).
    """
    try:
        history = pyabc.History(db)
        return history.id is not None and history.max_t is not None and history.max_t >= 0
    except Exception:
        return False


def _discard_history(folder: Path) -> None:
    """Remove a history that holds no finished generation (and SQLite's side files)."""
    for name in (HISTORY, f"{HISTORY}-journal", f"{HISTORY}-wal", f"{HISTORY}-shm"):
        (folder / name).unlink(missing_ok=True)


def provenance_of(cal: Calibration, gens: list[Generation], simulations: int) -> dict[str, Any]:
    """What a posterior records about how it was made."""
    record = prov.collect(model_version=model_version(),
                          hashes={"calibration file": cal.file_hash})
    return record | {
        "calibration": cal.name,
        "file": str(cal.path) if cal.path is not None else None,
        "file_sha256": cal.file_hash,
        "seed": cal.spec.seed,
        "seed_rule": "task i of generation t: SeedSequence([seed, t + 1, i]); model seed of a "
                     "draw: SeedSequence([seed, blake2b(draw)])",
        "model": model_version(),
        "population_size": cal.spec.abc.population_size,
        "generations": [g.__dict__ for g in gens],
        "simulations": int(simulations),
        "priors": {p.name: {"low": p.low, "high": p.high, "why": p.why, "whole": p.whole,
                            "scenarios": list(p.scenarios)} for p in cal.priors},
    }


def _predict_block(sim: Simulator, draws: list[dict[str, float]],
                   seeds: list[int]) -> list[dict[str, float]]:
    return sim.many(draws, seeds)


def predictive_checks(cal: Calibration, particles: pd.DataFrame, weights: np.ndarray,
                      ex: Any, workers: int = 1) -> pd.DataFrame:
    """Every target's statistic at draws from the posterior and from the prior.

    Posterior draws are resampled by weight; prior draws are uniform over each range. Each draw
    gets its own replication seed (``sim.seeds.replication_seeds`` of the calibration's
    seed + 1), so the spread includes parameter uncertainty and seed noise together.
    """
    n = cal.spec.abc.predictive_draws
    rng = np.random.default_rng(np.random.SeedSequence([cal.spec.seed, 7]))
    idx = rng.choice(len(weights), size=n, p=weights / weights.sum())
    rows = particles.to_numpy()
    post = [dict(zip(particles.columns, map(float, rows[i]), strict=True)) for i in idx]
    prior = [{p.name: float(rng.uniform(p.low, p.high)) for p in cal.priors}
             for _ in range(n)]
    seeds = replication_seeds(cal.spec.seed + 1, 2 * n)
    sim = Simulator(cal, fit_only=False)
    draws = post + prior
    size = max(1, math.ceil(len(draws) / max(1, workers)))  # one ensemble block per worker
    futures = [ex.submit(_predict_block, sim, draws[a:a + size], seeds[a:a + size])
               for a in range(0, len(draws), size)]
    stats = [row for f in futures for row in f.result()]
    out = []
    for k, (d, st) in enumerate(zip(draws, stats, strict=True)):
        row = {"source": "posterior" if k < n else "prior", "draw": k % n, "seed": seeds[k]}
        row |= {f"param.{name}": v for name, v in d.items()}
        row |= st
        out.append(row)
    return pd.DataFrame(out)


def _write_frame(path: Path, frame: pd.DataFrame) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of weighted values (step function of the weighted CDF)."""
    order = np.argsort(values)
    v, w = np.asarray(values)[order], np.asarray(weights)[order]
    cdf = np.cumsum(w) / np.sum(w)
    i = int(np.searchsorted(cdf, q, side="left"))
    return float(v[min(i, v.size - 1)]) if v.size else math.nan
