"""Size of a sweep before it runs: run count at once, time and disk from a short pilot.

:func:`check` counts the runs without generating the design, validates its first points,
then runs a few of them (spread over the design) through the same worker code path into a
temporary folder, and scales what they took (seconds, Parquet bytes) to the whole sweep.
:func:`guard` refuses sweeps above ``[execution] confirm_above`` runs unless confirmed.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sim_sweep import store
from sim_sweep.design import expected_points
from sim_sweep.errors import SweepError
from sim_sweep.plan import make_plan
from sim_sweep.sweep import Sweep
from sim_sweep.worker import Batch, RunFn, run_batch

#: Points validated by ``--check`` (a run validates every point as it generates it).
VALIDATE_CHECK = 10_000
#: Typical runs per Parquet part, to spread a part's fixed overhead in the disk estimate.
RUNS_PER_PART = 100


#: The most runs a sweep may have at all, confirmed or not (at a millisecond a run, about
#: thirty years of one core): designs beyond it are mistakes, and their point indices would
#: not fit the integers the design generators use.
MAX_RUNS = 10**12


class SweepTooLarge(SweepError):
    """A sweep above the run limit, not confirmed (or above :data:`MAX_RUNS`)."""


@dataclass(frozen=True)
class Estimate:
    """A sweep's size and what the pilot suggests it costs."""

    points: int
    replications: int
    runs: int
    validated: int  # design points validated
    pilot_runs: int
    seconds_per_run: float  # one run, in this process
    bytes_per_run: float  # Parquet bytes per run (runs + series), part overhead spread
    workers: int

    @property
    def seconds(self) -> float:
        """Wall time on ``workers`` workers at ideal parallel efficiency."""
        return self.runs * self.seconds_per_run / max(1, self.workers)

    @property
    def bytes(self) -> float:
        return self.runs * self.bytes_per_run


def runs_of(sweep: Sweep) -> tuple[int, int]:
    """(design points, runs) without generating anything."""
    points = expected_points(sweep)
    return points, points * sweep.spec.replications


def shown_count(n: int) -> str:
    """A count with thousands separators, or ``about 1e+20`` when it has over 15 digits."""
    return f"{n:,}" if n < 10**15 else f"about {float(n):.0e}"


def guard(sweep: Sweep, yes: bool) -> None:
    """Refuse a sweep above ``[execution] confirm_above`` runs unless ``yes``.

    Raises:
        SweepTooLarge: naming the run count, the limit and how to go on.
    """
    points, runs = runs_of(sweep)
    limit = sweep.spec.execution.confirm_above
    if runs > MAX_RUNS:
        raise SweepTooLarge(
            f"{sweep.where}: {shown_count(runs)} runs ({shown_count(points)} points × "
            f"{sweep.spec.replications} replications) is more than any sweep may hold "
            f"({MAX_RUNS:,} runs, --yes or not); allowed: fewer levels, steps or samples.")
    if runs > limit and not yes:
        raise SweepTooLarge(
            f"{sweep.where}: {runs:,} runs ({points:,} points × {sweep.spec.replications} "
            f"replications) is more than [execution] confirm_above = {limit:,}. Check the "
            "design (sim sweep FILE --check estimates time and disk), then run it with --yes.")


def check(sweep: Sweep, pilot: int = 3, workers: int = 1,
          run_fn: RunFn | None = None) -> Estimate:
    """Validate a sweep's first points and estimate its cost from ``pilot`` runs."""
    points, runs = runs_of(sweep)
    plan = make_plan(sweep, validate=VALIDATE_CHECK)
    validated = min(points, VALIDATE_CHECK)
    if not points or not pilot:
        return Estimate(points, sweep.spec.replications, runs, validated, 0, 0.0, 0.0, workers)
    ids = sorted({0, points // 2, points - 1})[:pilot]
    keep = sweep.spec.keep
    series = keep.series if isinstance(keep.series, str) else list(keep.series)
    batch_points: dict = {}
    labels: dict = {}
    batch_runs = []
    for pid in ids:
        frame = plan.design.chunk(pid, pid + 1)
        row = {c: frame[c].tolist()[0] for c in frame.columns}
        params = plan.params_of(pid, row)
        key = f"pilot{pid:016x}"[-16:]
        batch_points[key] = params
        labels[key] = plan.labels(row)
        batch_runs.append((f"{pid:016x}", key, plan.seeds.seeds(pid)[0], 0))
    with tempfile.TemporaryDirectory(prefix="sim-sweep-pilot-") as d:
        tmp = Path(d)
        (tmp / store.STAGING).mkdir()
        # One untimed run first: the first run in a process pays one-off costs (caches).
        warm = tmp / "warm"
        (warm / store.STAGING).mkdir(parents=True)
        run_batch(Batch(str(warm), plan.version, batch_points, batch_runs[:1], "none", 1,
                        run_fn, labels=labels))
        t0 = time.perf_counter()
        report = run_batch(Batch(str(tmp), plan.version, batch_points, batch_runs, series,
                                 keep.every, run_fn, labels=labels))
        sec = (time.perf_counter() - t0) / len(batch_runs)
        per_run = sum(_marginal_bytes(f, len(batch_runs))
                      for f in (tmp / store.STAGING).glob("part-*.parquet"))
    if report["failed"]:
        first = report["failed"][0]
        raise SweepError(f"{sweep.where}: a pilot run failed ({first['error']}); "
                         "see the parameters with sim sweep FILE --check after fixing it.")
    return Estimate(points, sweep.spec.replications, runs, validated, len(batch_runs), sec,
                    per_run, workers)


def _marginal_bytes(path: Path, n: int) -> float:
    """Bytes per run of a part with ``n`` runs, its fixed overhead spread over a typical
    part of :data:`RUNS_PER_PART` runs."""
    table = pq.read_table(path)
    full = _size(table)
    if n < 2:
        return float(full)
    one = _size(table.slice(0, table.num_rows // n))
    marginal = (full - one) / (n - 1)
    return marginal + max(0.0, one - marginal) / RUNS_PER_PART


def _size(table: pa.Table) -> int:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().size


def describe(e: Estimate) -> str:
    """One line: runs, estimated time and disk."""
    head = (f"{e.points:,} points × {e.replications} replications = {e.runs:,} runs")
    if not e.pilot_runs:
        return head
    return (f"{head}; about {_duration(e.seconds)} on {e.workers} worker"
            f"{'s' if e.workers != 1 else ''} ({e.seconds_per_run * 1000:.0f} ms per run in a "
            f"{e.pilot_runs}-run pilot) and {_bytes(e.bytes)} on disk")


def _duration(s: float) -> str:
    if s < 120:
        return f"{s:.0f} s"
    if s < 7200:
        return f"{s / 60:.0f} min"
    if s < 172800:
        return f"{s / 3600:.1f} h"
    return f"{s / 86400:,.0f} days"


def _bytes(b: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if b < 1000:
            return f"{b:.0f} {unit}" if unit == "B" else f"{b:.1f} {unit}"
        b /= 1000
    return f"{b:,.0f} EB"
