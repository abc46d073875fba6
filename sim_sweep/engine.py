"""The coordinator of a sweep: plan the runs, send batches, commit their parts, log.

The coordinator holds a sorted ``uint64`` array of stored run ids (8 bytes per run), 8 bytes
per design point to recognise duplicate points, one chunk of the design, and at most a few
batches in flight — never results — so its memory does not grow with the number of
parameters or the size of the results. Runs are generated lazily, chunk by chunk; each gets an
id from the model version, its full parameters and its seed (:mod:`sim_sweep.runids`), so a
rerun, a resumed or an extended sweep computes only the ids not yet stored.

Workers stage their parts; the coordinator commits each finished batch's parts
(:func:`sim_sweep.store.commit`), so ``runs/`` only ever holds each run once. Parts a killed
sweep left staged are recovered before anything else (:func:`sim_sweep.store.recover_staged`).
"""

from __future__ import annotations

import hashlib
import math
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from sim_sweep import damage, store
from sim_sweep.errors import SweepError
from sim_sweep.estimate import guard
from sim_sweep.executors import open_executor
from sim_sweep.folder import Identity, check_target, open_folder, undo_start
from sim_sweep.plan import Plan, make_plan
from sim_sweep.runids import contains, model_version
from sim_sweep.sweep import Sweep
from sim_sweep.worker import Batch, RunFn, run_batch

#: Largest automatic batch (runs).
MAX_BATCH = 500
#: With automatic batching the remaining work is cut into about this many batches per worker
#: (guided scheduling: big batches first, small ones at the end, so workers finish together).
BATCHES_PER_WORKER = 4
#: Designs up to this many points are counted before a resumed sweep starts (progress total).
COUNT_LIMIT = 1_000_000


@dataclass
class SweepResult:
    """What a sweep did."""

    out: Path
    total: int  # runs in the design (points × replications)
    skipped: int  # already stored (or failed before, without --retry-failed)
    done: int  # finished now
    failed: int  # failed now
    elapsed: float
    duplicates: int = 0  # runs of points whose parameters repeat an earlier point's

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0


@dataclass(frozen=True)
class RunOptions:
    """How to run a sweep (everything :func:`run_sweep` takes besides the sweep itself)."""

    kind: str = "process"  # executor kind, or the class name of an executor passed in
    workers: int = 1
    resume: bool = False
    extend: bool = False
    retry_failed: bool = False
    batch_size: int | None = None
    progress: bool | None = None
    run_fn: RunFn | None = None
    max_batches: int | None = None
    on_batch: Callable[[dict[str, Any]], None] | None = None
    repair: bool = False


@dataclass
class Tally:
    """What the batch generator met on its way through the design."""

    stored: int = 0  # runs already stored
    failed_before: int = 0  # runs that failed before (not retried)
    duplicates: int = 0  # runs of duplicate points
    sent: int = 0  # runs sent to workers
    sec_per_run: float = 0.0  # measured from finished batches (guided batch sizes)
    remaining: int = 0  # runs left to send (estimate)


def identity(sweep: Sweep) -> Identity:
    """The sweep file's identity: name, hash of its bytes, hash of its design."""
    return Identity(name=sweep.spec.name,
                    file_sha256=hashlib.sha256(sweep.text.encode("utf-8")).hexdigest(),
                    spec_hash=sweep.spec_hash, spec_file=sweep.where,
                    hashes=tuple(sweep.input_hashes().items()), model_version=model_version())


def run_sweep(sweep: Sweep, *, executor: Executor | None = None, kind: str = "process",
              workers: int | None = None, scheduler: str | None = None,
              resume: bool = False, extend: bool = False, retry_failed: bool = False,
              batch_size: int | None = None, output: str | Path | None = None,
              progress: bool | None = None, run_fn: RunFn | None = None,
              max_batches: int | None = None,
              on_batch: Callable[[dict[str, Any]], None] | None = None,
              yes: bool = False, repair: bool = False) -> SweepResult:
    """Run (or resume, or extend) a sweep into its output folder.

    Args:
        sweep: A validated sweep (:func:`sim_sweep.spec.load_sweep`).
        executor: Any ``concurrent.futures.Executor``; when None one is opened from ``kind``,
            ``workers`` and ``scheduler`` (:func:`sim_sweep.executors.open_executor`).
        resume: Continue the same sweep file in its existing output folder.
        extend: Add a changed version of the same sweep (same ``name``) to its folder.
        retry_failed: Rerun runs recorded as failed (implies ``resume``).
        batch_size: Runs per batch (default from the sweep file, else automatic).
        output: Output folder overriding the sweep file's.
        progress: Show a progress bar (default: when stderr is a terminal).
        run_fn: The run function, by reference (default ``sim.runner.simulate``); it must be
            importable by the workers (a module-level function).
        max_batches: Stop after this many batches (for tests of interrupted sweeps).
        on_batch: Called in the coordinator with each batch's report.
        yes: Run even when the sweep has more runs than ``[execution] confirm_above``.
        repair: Move damaged files of the folder to ``damaged/`` and compute their runs
            again (implies ``resume``; :mod:`sim_sweep.damage`). Without it a folder with a
            damaged file is refused, naming it.

    Returns:
        Counts and timing of what was done.

    Raises:
        SweepTooLarge: more runs than ``[execution] confirm_above`` and not ``yes``.
        SweepError: the folder cannot take this sweep (see :func:`sim_sweep.folder.open_folder`);
            SweepFileError for a design point the model does not allow.
    """
    if batch_size is not None and batch_size < 1:
        raise SweepError(f"batch size must be a whole number ≥ 1 (got {batch_size}).")
    if workers is not None and workers < 1:
        raise SweepError(f"workers must be a whole number ≥ 1 (got {workers}).")
    guard(sweep, yes)
    out = sweep.output_dir(output)
    plan = make_plan(sweep)  # raises before anything is written
    opts = RunOptions(kind=kind, workers=workers or 1,
                      resume=resume or retry_failed or (repair and not extend),
                      extend=extend, retry_failed=retry_failed, batch_size=batch_size,
                      progress=progress, run_fn=run_fn, max_batches=max_batches,
                      on_batch=on_batch, repair=repair)
    ident = identity(sweep)
    check_target(out, ident, opts.resume, opts.extend, repair)  # before any worker starts
    if executor is None:
        # The folder is made only once the workers are up: an executor that cannot start
        # (no mpi4py, an unreachable scheduler) leaves nothing behind.
        with open_executor(kind, workers, scheduler) as (ex, n):
            return _in_folder(plan, out, ex, replace(opts, workers=n), ident)
    return _in_folder(plan, out, executor, replace(opts, kind=type(executor).__name__), ident)


def _in_folder(plan: Plan, out: Path, ex: Executor, opts: RunOptions,
               ident: Identity) -> SweepResult:
    """Open the output folder, run, release it; a start that stored no run leaves nothing."""
    opened = open_folder(out, ident, opts.resume, opts.extend, opts.repair)
    try:
        return _run(plan, out, ex, opts, ident)
    except BaseException:
        undo_start(opened)
        raise
    finally:
        opened.close()


def _run(plan: Plan, out: Path, ex: Executor, opts: RunOptions, ident: Identity) -> SweepResult:
    sweep = plan.sweep
    if opts.repair:
        moved = damage.repair(out)
        if moved:
            store.append_log(out, [{"event": "repaired", "time": store.now(),
                                    "moved_to": damage.DAMAGED, "files": moved}])
    store.clean_temporaries(out)
    store.write_once(out / store.SPECS / f"{sweep.spec_hash}.toml", sweep.text.encode())
    done = store.done_ids(out)
    recovered, _dropped = store.recover_staged(out, done)
    if recovered:
        done = store.done_ids(out)
    failed_before = store.failed_runs(out)
    skip: set[str] = set() if opts.retry_failed else set(failed_before)
    todo = plan.total
    if (done.size or skip) and len(plan.design) <= COUNT_LIMIT:
        todo = sum(1 for p in plan.points() if not p.duplicate for rid, _s, _r in p.runs
                   if not (contains(done, rid) or rid in skip))
    return _coordinate(plan, out, ex, opts, ident, done, skip, failed_before, todo,
                       recovered)


def _coordinate(plan: Plan, out: Path, ex: Executor, opts: RunOptions, ident: Identity,
                done: np.ndarray, skip: set[str], failed_before: dict[str, Any], todo: int,
                recovered: int) -> SweepResult:
    sweep = plan.sweep
    fixed = opts.batch_size or sweep.spec.execution.batch_size or None
    t0 = time.perf_counter()
    store.append_log(out, [{
        **ident.event("start"), "model_version": plan.version,
        "design": sweep.spec.design, "points": len(plan.design),
        "replications": sweep.spec.replications, "runs": plan.total, "to_run": todo,
        "recovered": recovered, "executor": opts.kind, "workers": opts.workers,
        "batch_size": fixed or "auto", "retry_failed": opts.retry_failed,
        "extend": opts.extend,
    }])
    bar = _progress(todo, opts.progress)
    tally = Tally(remaining=todo)
    n_ok = n_failed = n_batches = 0
    window = max(2, 2 * opts.workers)
    pending: set[Future] = set()
    batches = _batches(plan, out, done, skip, tally, opts, fixed)
    if opts.max_batches is not None:
        batches = _limit(batches, opts.max_batches)
    status = "finished"
    try:
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                b = next(batches, None)
                if b is None:
                    exhausted = True
                    break
                pending.add(ex.submit(run_batch, b))
            if not pending:
                break
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                report = fut.result()  # a worker-level error stops the sweep (resumable)
                parts = store.commit(out, report["stem"]) if report["stem"] else []
                n_batches += 1
                n_ok += report["ok"]
                n_failed += len(report["failed"])
                runs = report["ok"] + len(report["failed"])
                if runs:
                    rate = report["elapsed"] / runs
                    tally.sec_per_run = rate if not tally.sec_per_run else \
                        0.7 * tally.sec_per_run + 0.3 * rate
                events: list[dict[str, Any]] = list(report["failed"])
                retried = [r for r in report["ok_ids"] if r in failed_before]
                if retried:
                    events.append({"event": "retried_ok", "time": store.now(),
                                   "run_ids": retried})
                events.append({"event": "batch", "time": store.now(), "ok": report["ok"],
                               "failed": len(report["failed"]), "parts": parts,
                               "elapsed": round(report["elapsed"], 4),
                               "cpu": round(report["cpu"], 4)})
                store.append_log(out, events)
                if bar is not None:
                    bar.update(runs)
                    bar.set_postfix(failed=n_failed, refresh=False)
                if opts.on_batch is not None:
                    opts.on_batch(report)
    except KeyboardInterrupt:
        status = "interrupted"
        for f in pending:
            f.cancel()
        raise
    except BaseException as exc:
        status = f"stopped: {type(exc).__name__}: {exc}"
        for f in pending:
            f.cancel()
        raise
    finally:
        if bar is not None:
            bar.close()
        elapsed = time.perf_counter() - t0
        store.append_log(out, [{"event": "end", "time": store.now(), "status": status,
                                "done": n_ok, "failed": n_failed, "batches": n_batches,
                                "stored_before": tally.stored,
                                "failed_before": tally.failed_before,
                                "duplicates": tally.duplicates,
                                "elapsed": round(elapsed, 3)}])
    return SweepResult(out=out, total=plan.total, skipped=tally.stored + tally.failed_before,
                       done=n_ok, failed=n_failed, elapsed=elapsed,
                       duplicates=tally.duplicates)


def batch_size_now(tally: Tally, workers: int, fixed: int | None) -> int:
    """Runs in the next batch: ``fixed``, else guided (a share of what remains, at least
    about half a second of work, at most :data:`MAX_BATCH`)."""
    if fixed:
        return fixed
    size = math.ceil(max(tally.remaining, 1) / (BATCHES_PER_WORKER * max(1, workers)))
    if tally.sec_per_run > 0:
        size = max(size, math.ceil(0.5 / tally.sec_per_run))
    return max(1, min(MAX_BATCH, size))


def _batches(plan: Plan, out: Path, done: np.ndarray, skip: set[str], tally: Tally,
             opts: RunOptions, fixed: int | None) -> Iterator[Batch]:
    keep = plan.sweep.spec.keep
    series: str | list[str] = keep.series if isinstance(keep.series, str) else list(keep.series)
    info = {"sweep": plan.sweep.spec.name, "spec_hash": plan.sweep.spec_hash,
            "file_sha256": hashlib.sha256(plan.sweep.text.encode("utf-8")).hexdigest(),
            "design": plan.sweep.spec.design, "varied": plan.sweep.varied,
            "case_factors": plan.sweep.case_names, "scenario": plan.sweep.spec.scenario}

    def batch(points: dict, labels: dict, runs: list) -> Batch:
        tally.sent += len(runs)
        tally.remaining = max(0, tally.remaining - len(runs))
        return Batch(str(out), plan.version, points, runs, series, keep.every, opts.run_fn,
                     labels=labels, sweep_info=info)

    points: dict[str, dict[str, Any]] = {}
    labels: dict[str, dict[str, str]] = {}
    runs: list[tuple[str, str, int, int]] = []
    size = batch_size_now(tally, opts.workers, fixed)
    for table, chunk in plan.chunks():
        store.write_design_chunk(out, plan.sweep.spec_hash, table)
        for p in chunk:
            if p.duplicate:
                tally.duplicates += len(p.runs)
                continue
            for rid, seed, rep in p.runs:
                if contains(done, rid):
                    tally.stored += 1
                    continue
                if rid in skip:
                    tally.failed_before += 1
                    continue
                points[p.key] = p.params
                labels[p.key] = p.labels
                runs.append((rid, p.key, seed, rep))
                if len(runs) >= size:
                    yield batch(points, labels, runs)
                    points, labels, runs = {}, {}, []
                    size = batch_size_now(tally, opts.workers, fixed)
    if runs:
        yield batch(points, labels, runs)


def _limit(it: Iterator[Batch], n: int) -> Iterator[Batch]:
    for i, b in enumerate(it):
        if i >= n:
            return
        yield b


def _progress(total: int, progress: bool | None) -> Any:
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    return tqdm(total=total, unit="run", dynamic_ncols=True, smoothing=0.1,
                desc="sweep", file=sys.stderr)


__all__ = ["RunOptions", "SweepError", "SweepResult", "make_plan", "run_sweep"]
