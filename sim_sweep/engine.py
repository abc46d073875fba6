"""The coordinator of a sweep: plan the runs, send batches, log their outcome.

The coordinator holds the design, a sorted ``uint64`` array of finished run ids (8 bytes per
run) and at most a few batches in flight — never results — so its memory stays flat however
many runs a sweep has. Runs are generated lazily, point by point; each gets an id from the
model version, its full parameters and its seed (:mod:`sim_sweep.runids`), so a rerun, a
resumed or an extended sweep computes only the ids not yet stored.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from sim.errors import SimInputError
from sim.params import make_params
from sim_sweep import store
from sim_sweep.design import Design, make_design
from sim_sweep.errors import SweepError, SweepFileError
from sim_sweep.executors import open_executor
from sim_sweep.runids import PointHasher, canonical_json, contains, model_version
from sim_sweep.seeds import SeedPlan
from sim_sweep.sweep import Sweep
from sim_sweep.worker import Batch, RunFn, run_batch


@dataclass
class SweepResult:
    """What a sweep did."""

    out: Path
    total: int  # runs in the design (points × replications)
    skipped: int  # already stored (or failed before, without --retry-failed)
    done: int  # finished now
    failed: int  # failed now
    elapsed: float

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0


@dataclass
class Plan:
    """The runs of a sweep: its design and, lazily, every (point, replication)."""

    sweep: Sweep
    design: Design
    version: str
    seeds: SeedPlan

    def point_dicts(self) -> Iterator[tuple[int, str, dict[str, Any]]]:
        """(point_id, point_key, full parameter dict) for every design point."""
        for pid, row in self.design.rows():
            params = make_params(self.sweep.point_mapping(row)).model_dump(mode="json")
            hasher = PointHasher(self.version, canonical_json(params))
            yield pid, hasher.point_key, params

    def runs(self) -> Iterator[tuple[int, str, dict[str, Any], list[tuple[str, int, int]]]]:
        """(point_id, point_key, params, [(run_id, seed, replication)]) per point."""
        for pid, row in self.design.rows():
            params = make_params(self.sweep.point_mapping(row)).model_dump(mode="json")
            hasher = PointHasher(self.version, canonical_json(params))
            runs = [(hasher.run_id(s), s, r) for r, s in enumerate(self.seeds.seeds(pid))]
            yield pid, hasher.point_key, params, runs

    @property
    def total(self) -> int:
        return len(self.design) * self.sweep.spec.replications


def make_plan(sweep: Sweep) -> Plan:
    """Generate the design and seed plan; validate every point before any run starts."""
    design = make_design(sweep)
    for pid, row in design.rows():
        try:
            make_params(sweep.point_mapping(row))
        except SimInputError as exc:
            raise SweepFileError(sweep.path, "vary", f"design point {pid} ({row}) is not "
                                 f"allowed: {exc}") from None
    seeds = SeedPlan(sweep.spec.master_seed, sweep.spec.replications, sweep.spec.seeds)
    reps = seeds.seeds(0) if len(design) else []
    if len(set(reps)) != len(reps):
        raise SweepFileError(sweep.path, "master_seed", "two replications drew the same seed; "
                             "choose another master_seed.")
    return Plan(sweep=sweep, design=design, version=model_version(), seeds=seeds)


def design_table(plan: Plan) -> pa.Table:
    """point_id, point_key and the varied parameters (``p_<name>``) of every point."""
    keys = [key for _, key, _ in plan.point_dicts()]
    cols: dict[str, Any] = {
        "point_id": pa.array(np.arange(len(keys), dtype=np.int64)),
        "point_key": pa.array(keys, pa.string()),
    }
    cases = set(plan.sweep.case_names)
    for n in plan.design.names:
        prefix = "case_" if n in cases else "p_"
        cols[prefix + n] = pa.array(plan.design.points[n].tolist())
    return pa.table(cols)


def auto_batch_size(todo: int, workers: int) -> int:
    """About 16 batches per worker, 1 to 500 runs each."""
    return max(1, min(500, math.ceil(todo / max(1, workers * 16))))


def _batches(plan: Plan, skip: np.ndarray, skip_extra: set[str], size: int, out: Path,
             run_fn: RunFn | None) -> Iterator[Batch]:
    keep = plan.sweep.spec.keep
    series: str | list[str] = keep.series if isinstance(keep.series, str) else list(keep.series)
    points: dict[str, dict[str, Any]] = {}
    runs: list[tuple[str, str, int, int]] = []
    for _pid, key, params, prs in plan.runs():
        for rid, seed, rep in prs:
            if contains(skip, rid) or rid in skip_extra:
                continue
            points[key] = params
            runs.append((rid, key, seed, rep))
            if len(runs) >= size:
                yield Batch(str(out), plan.version, points, runs, series, keep.every, run_fn)
                points, runs = {}, []
    if runs:
        yield Batch(str(out), plan.version, points, runs, series, keep.every, run_fn)


def count_todo(plan: Plan, skip: np.ndarray, skip_extra: set[str]) -> int:
    n = 0
    for _pid, _key, _params, prs in plan.runs():
        for rid, _seed, _rep in prs:
            if not (contains(skip, rid) or rid in skip_extra):
                n += 1
    return n


@dataclass(frozen=True)
class RunOptions:
    """How to run a sweep (everything :func:`run_sweep` takes besides the sweep itself)."""

    kind: str = "process"  # executor kind, or the class name of an executor passed in
    workers: int = 1
    resume: bool = False
    retry_failed: bool = False
    batch_size: int | None = None
    progress: bool | None = None
    run_fn: RunFn | None = None
    max_batches: int | None = None
    on_batch: Callable[[dict[str, Any]], None] | None = None


@dataclass(frozen=True)
class Todo:
    """What a (resumed) sweep still has to do, read from its output folder."""

    done: np.ndarray  # sorted uint64 ids already stored
    skip: set[str]  # failed ids not to rerun (empty with --retry-failed)
    failed_before: dict[str, Any]
    count: int  # runs to do now
    skipped: int  # runs of the design not done now


def run_sweep(sweep: Sweep, *, executor: Executor | None = None, kind: str = "process",
              workers: int | None = None, scheduler: str | None = None,
              resume: bool = False, retry_failed: bool = False, batch_size: int | None = None,
              output: str | Path | None = None, progress: bool | None = None,
              run_fn: RunFn | None = None, max_batches: int | None = None,
              on_batch: Callable[[dict[str, Any]], None] | None = None) -> SweepResult:
    """Run (or resume, or extend) a sweep into its output folder.

    Args:
        sweep: A validated sweep (:func:`sim_sweep.spec.load_sweep`).
        executor: Any ``concurrent.futures.Executor``; when None one is opened from ``kind``,
            ``workers`` and ``scheduler`` (:func:`sim_sweep.executors.open_executor`).
        resume: Continue in an existing output folder (required when it holds a sweep).
        retry_failed: Rerun runs recorded as failed (implies ``resume``).
        batch_size: Runs per batch (default from the sweep file, else automatic).
        output: Output folder overriding the sweep file's.
        progress: Show a progress bar (default: when stderr is a terminal).
        run_fn: The run function, by reference (default ``sim.runner.simulate``); it must be
            importable by the workers (a module-level function).
        max_batches: Stop after this many batches (for tests of interrupted sweeps).
        on_batch: Called in the coordinator with each batch's report.

    Returns:
        Counts and timing of what was done.
    """
    out = sweep.output_dir(output)
    plan = make_plan(sweep)  # raises before anything is written
    opts = RunOptions(kind=kind, workers=workers or 1, resume=resume or retry_failed,
                      retry_failed=retry_failed, batch_size=batch_size, progress=progress,
                      run_fn=run_fn, max_batches=max_batches, on_batch=on_batch)
    if executor is None:
        # Open the executor before the store starts any I/O threads (workers may fork).
        with open_executor(kind, workers, scheduler) as (ex, n):
            return _run(plan, out, ex, replace(opts, workers=n))
    return _run(plan, out, executor, replace(opts, kind=type(executor).__name__))


def _run(plan: Plan, out: Path, ex: Executor, opts: RunOptions) -> SweepResult:
    sweep = plan.sweep
    store.prepare_folder(out, opts.resume)
    store.clean_temporaries(out)
    store.write_once(out / store.SPECS / f"{sweep.spec_hash}.toml", sweep.text.encode())
    design_path = out / store.DESIGNS / f"{sweep.spec_hash}.parquet"
    if not design_path.exists():
        tmp = design_path.with_name(f".{design_path.name}.tmp")
        pq.write_table(design_table(plan), tmp)
        tmp.replace(design_path)

    done = store.done_ids(out)
    failed_before = store.failed_runs(out)
    skip: set[str] = set() if opts.retry_failed else set(failed_before)
    count = count_todo(plan, done, skip)
    todo = Todo(done=done, skip=skip, failed_before=failed_before, count=count,
                skipped=plan.total - count)
    return _coordinate(plan, out, ex, opts, todo)


def _coordinate(plan: Plan, out: Path, ex: Executor, opts: RunOptions,
                todo: Todo) -> SweepResult:
    sweep = plan.sweep
    size = (opts.batch_size or sweep.spec.execution.batch_size
            or auto_batch_size(todo.count, opts.workers))
    t0 = time.perf_counter()
    store.append_log(out, [{
        "event": "start", "time": store.now(), "name": sweep.spec.name,
        "spec_hash": sweep.spec_hash, "spec_file": sweep.where, "model_version": plan.version,
        "design": sweep.spec.design, "points": len(plan.design),
        "replications": sweep.spec.replications, "runs": plan.total, "to_run": todo.count,
        "skipped": todo.skipped, "executor": opts.kind, "workers": opts.workers,
        "batch_size": size, "retry_failed": opts.retry_failed,
    }])
    bar = _progress(todo.count, opts.progress)
    n_ok = n_failed = n_batches = 0
    window = max(2, 2 * opts.workers)
    pending: set[Future] = set()
    batches = _batches(plan, todo.done, todo.skip, size, out, opts.run_fn)
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
                n_batches += 1
                n_ok += report["ok"]
                n_failed += len(report["failed"])
                events: list[dict[str, Any]] = list(report["failed"])
                retried = [r for r in report["ok_ids"] if r in todo.failed_before]
                if retried:
                    events.append({"event": "retried_ok", "time": store.now(),
                                   "run_ids": retried})
                events.append({"event": "batch", "time": store.now(), "ok": report["ok"],
                               "failed": len(report["failed"]), "parts": report["parts"],
                               "elapsed": round(report["elapsed"], 4)})
                store.append_log(out, events)
                if bar is not None:
                    bar.update(report["ok"] + len(report["failed"]))
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
                                "elapsed": round(elapsed, 3)}])
    return SweepResult(out=out, total=plan.total, skipped=todo.skipped, done=n_ok,
                       failed=n_failed, elapsed=elapsed)


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


def check(sweep: Sweep) -> dict[str, Any]:
    """Validate a sweep fully (design and every point) without running; return its size."""
    plan = make_plan(sweep)
    return {"points": len(plan.design), "replications": sweep.spec.replications,
            "runs": plan.total, "spec_hash": sweep.spec_hash}


__all__ = ["SweepError", "SweepResult", "check", "make_plan", "run_sweep"]
