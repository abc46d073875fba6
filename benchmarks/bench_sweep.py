"""Benchmark of the sweep engine: prints figures (not a timed test).

Measures, on the same runs of the ``default`` scenario (120 months), in one session so that
ratios compare like with like:

1. the model alone in a plain loop (baseline), the engine serially, and the engine with the
   process pool → runs per second, engine overhead, parallel efficiency;
2. ``mesa.batch_run`` on the same runs (KPIs only, both sides) → ratio;
3. a Dask local cluster against the process pool → overhead (and the cluster's start-up time);
4. the coordinator's peak memory at 1,000 and 10,000 runs (100 or 1,000 points × 10
   replications; cheap stand-in run function in a process pool; coordinator measured in its
   own fresh process);
5. with ``--goal``: 10,000 runs of ``default`` with KPIs plus a monthly summary on all cores.

Every timing is the median of ``--repeat`` runs. Usage::

    .venv/bin/python benchmarks/bench_sweep.py [--runs 200] [--repeat 3] [--workers 2] [--goal]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mesa import DataCollector

from sim.kpis import compute_kpis
from sim.model import SharedServiceModel
from sim.params import make_params
from sim.runner import simulate
from sim_sweep import parse_sweep, run_sweep
from sim_sweep.seeds import replication_seeds

SUMMARY = '["realised_gain", "service_level", "shadow_fte", "trust_mean"]'


def sweep_text(runs: int, out: Path, series: str = '"none"', run_name: str = "bench") -> str:
    # A grid of one point and `runs` replications: every run is a default run with its own seed.
    return (f'name = "{run_name}"\nscenario = "default"\ndesign = "grid"\n'
            f"replications = {runs}\nmaster_seed = 7\noutput = \"{out}\"\n"
            f"[keep]\nseries = {series}\n")


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_plain(runs: int, repeat: int) -> float:
    params = make_params({})
    seeds = replication_seeds(7, runs)

    def go() -> None:
        for s in seeds:
            simulate(params, s)

    return median_time(go, repeat)


def bench_engine(runs: int, repeat: int, kind: str, workers: int, tmp: Path,
                 series: str = '"none"') -> float:
    def go() -> None:
        out = Path(tempfile.mkdtemp(dir=tmp, prefix=f"{kind}-"))
        sw = parse_sweep(sweep_text(runs, out, series))
        res = run_sweep(sw, kind=kind, workers=workers, progress=False)
        assert res.done == runs and res.failed == 0, res

    return median_time(go, repeat)


# --- mesa.batch_run on the same runs -------------------------------------------------------
def kpis_reporter(model: SharedServiceModel) -> dict:
    return compute_kpis(model.recorder.arrays()).to_dict()


class BatchRunModel(SharedServiceModel):
    """The model as ``mesa.batch_run`` needs it: a DataCollector filled at the horizon."""

    def __init__(self, params=None, rng=None) -> None:
        super().__init__(params, rng=rng)
        self.datacollector = DataCollector(model_reporters={"kpis": kpis_reporter})

    def step(self) -> None:
        super().step()
        if self.finished:
            self.running = False
            self.datacollector.collect(self)


def bench_batch_run(runs: int, repeat: int, workers: int) -> float:
    import warnings

    from mesa.batchrunner import batch_run

    params = make_params({})
    seeds = replication_seeds(7, runs)

    def go() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows = batch_run(BatchRunModel, parameters={"params": [params]}, rng=seeds,
                             number_processes=workers, max_steps=params.months + 1,
                             data_collection_period=-1, display_progress=False)
        assert len(rows) == runs, len(rows)

    return median_time(go, repeat)


def dask_startup(workers: int) -> float:
    from sim_sweep.executors import open_executor

    t0 = time.perf_counter()
    with open_executor("dask", workers):
        started = time.perf_counter() - t0
    return started


# --- coordinator memory ------------------------------------------------------------------
MEM_CHILD = r"""
import json, resource, sys, time, tracemalloc
from pathlib import Path
from sim_sweep import parse_sweep, run_sweep
runs, out, workers = int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
text = (f'name = "mem"\ndesign = "grid"\nreplications = 10\nmaster_seed = 3\n'
        f'output = "{out}"\n[fixed]\nmonths = 24\n[vary.dialogue_effort]\n'
        f'range = [0, 1]\nsteps = {runs // 10}\n[keep]\nseries = ["realised_gain"]\n')
sw = parse_sweep(text)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
t0 = time.perf_counter()
from sim_sweep.testing import fake_simulate
res = run_sweep(sw, kind="process", workers=workers, progress=False, run_fn=fake_simulate,
                batch_size=50)
_, peak_py = tracemalloc.get_traced_memory()
print(json.dumps({"runs": res.done, "seconds": time.perf_counter() - t0,
                  "rss_before_kb": base,
                  "rss_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "python_peak_kb": peak_py // 1024}))
"""


def coordinator_memory(runs: int, workers: int, tmp: Path) -> dict:
    out = tmp / f"mem-{runs}"
    proc = subprocess.run([sys.executable, "-c", MEM_CHILD, str(runs), str(out), str(workers)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--goal", action="store_true", help="also run 10,000 default runs")
    ap.add_argument("--skip-batch-run", action="store_true")
    a = ap.parse_args()
    n, w = a.runs, a.workers
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}; "
          f"{n} runs of 'default' (120 months) per measurement, median of {a.repeat}")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        bench_plain(5, 1)  # warm-up (imports, caches)
        t_plain = bench_plain(n, a.repeat)
        t_serial = bench_engine(n, a.repeat, "serial", 1, tmp)
        t_pool = bench_engine(n, a.repeat, "process", w, tmp)
        t_pool_s = bench_engine(n, a.repeat, "process", w, tmp, SUMMARY)
        print(f"plain loop (model only)      {n / t_plain:8.1f} runs/s")
        print(f"engine, serial               {n / t_serial:8.1f} runs/s   "
              f"(overhead vs plain loop {100 * (t_serial / t_plain - 1):+.1f} %)")
        print(f"engine, process pool ({w})     {n / t_pool:8.1f} runs/s   "
              f"parallel efficiency {100 * t_plain / (w * t_pool):.0f} % vs plain loop, "
              f"{100 * t_serial / (w * t_pool):.0f} % vs engine serial")
        print(f"  + monthly summary (4 cols) {n / t_pool_s:8.1f} runs/s")
        t_dask = bench_engine(n, a.repeat, "dask", w, tmp)
        t_start = statistics.median(dask_startup(w) for _ in range(a.repeat))
        print(f"engine, dask local ({w})       {n / t_dask:8.1f} runs/s   "
              f"time ratio dask/process pool {t_dask / t_pool:.2f} "
              f"(cluster start-up alone {t_start:.2f} s)")
        if not a.skip_batch_run:
            t_br = bench_batch_run(n, a.repeat, w)
            print(f"mesa.batch_run ({w} processes) {n / t_br:8.1f} runs/s   "
                  f"engine process pool is {t_br / t_pool:.2f}x as fast")
        for runs in (1_000, 10_000):
            m = coordinator_memory(runs, w, tmp)
            print(f"coordinator at {runs:>6,} runs: peak RSS {m['rss_peak_kb'] / 1024:6.1f} MB "
                  f"(after imports {m['rss_before_kb'] / 1024:6.1f} MB), Python heap peak "
                  f"{m['python_peak_kb'] / 1024:5.1f} MB, {m['runs'] / m['seconds']:.0f} runs/s "
                  "(stand-in model)")
        if a.goal:
            t0 = time.perf_counter()
            sw = parse_sweep(sweep_text(10_000, tmp / "goal", SUMMARY, "goal"))
            res = run_sweep(sw, kind="process", workers=w, progress=False)
            dt = time.perf_counter() - t0
            print(f"goal: 10,000 runs of default + monthly summary in {dt:.0f} s "
                  f"({res.done / dt:.1f} runs/s, {res.failed} failed) — target < 600 s")


if __name__ == "__main__":
    main()
