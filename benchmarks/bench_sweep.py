"""Benchmark of the sweep engine: prints figures (not a timed test).

Every arm runs exactly the same runs — the ``default`` scenario's parameters (120 months)
with the same ``--runs`` replication seeds — and the script asserts that their parameters
and all their KPIs agree, bit for bit, before it prints any speed:

* ``plain``  — ``sim.runner.simulate`` in a loop in this process (the baseline), recording what
  the engine records for a sweep that keeps no series: the KPIs' columns
  (``sim_sweep.worker.recorded("none")``);
* ``serial`` — the engine in this process (``--executor serial``);
* ``pool``   — the engine with a process pool of ``--workers`` workers;
* ``batch_run`` — ``mesa.batch_run`` with ``--workers`` processes, KPIs collected once at
  the horizon by a ``DataCollector``: the model as it is built by default (every column
  recorded), stepped by ``batch_run``'s own loop of ``model.step()``;
* ``batch_run_lean`` (``--lean``) — the same, but the model records only the KPIs' columns
  (passed as a parameter): how much of the engine's lead is that choice.

The arms take turns within each of ``--repeat`` rounds (the order rotates), so a busy machine
slows them alike; each figure is the median over rounds with its spread (min–max). Parallel
efficiency is ``t_plain / (workers × t_pool)`` within a round. CPU time per run shows how much
work each arm does whatever the load: this process plus its children (for the engine's pool,
the CPU time its workers report per batch in the sweep log; for ``batch_run``, its spawned
processes, model imports included).

Options add: ``--breakdown`` (where a run's time goes, model side and engine side),
``--dask`` (a Dask local cluster arm, run ``--repeat`` times after all rounds of the others:
a Dask client leaves threads behind, after which the engine's process pools would start by
forkserver), ``--memory`` (coordinator memory at 1,000 and 10,000 runs), ``--goal`` (10,000
runs of ``default`` plus a monthly summary on ``--workers``).

Usage::

    .venv/bin/python benchmarks/bench_sweep.py [--runs 2000] [--repeat 3] [--workers 2]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import pickle
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from mesa import DataCollector
from mesa.batchrunner import batch_run
from tqdm import tqdm

from sim.kpis import KPIs, compute_kpis
from sim.model import SharedServiceModel
from sim.params import Params, make_params
from sim.runner import simulate
from sim.scenarios import load_scenario
from sim.seeds import replication_seeds
from sim_sweep import parse_sweep, run_sweep, store
from sim_sweep.runids import PointHasher, canonical_json
from sim_sweep.worker import Batch, recorded, runs_schema

MASTER = 7
#: What the engine records for a sweep that keeps no series (the KPIs' columns).
KPI_ONLY = recorded("none")
SUMMARY = '["realised_gain", "service_level", "shadow_fte", "trust_mean"]'


def sweep_text(runs: int, out: Path, series: str = '"none"', name: str = "bench") -> str:
    """One design point (the ``default`` scenario) × ``runs`` replications."""
    return (f'name = "{name}"\nscenario = "default"\ndesign = "grid"\n'
            f"replications = {runs}\nmaster_seed = {MASTER}\noutput = \"{out}\"\n"
            f"[keep]\nseries = {series}\n")


def default_params() -> Params:
    return load_scenario("default").params(None, None)


def kpi_matrix(rows: dict[int, dict[str, Any]]) -> np.ndarray:
    """KPIs by seed (sorted), None as NaN: one float matrix to compare arms exactly."""
    keys = KPIs.keys()
    return np.array([[math.nan if rows[s][k] is None else float(rows[s][k]) for k in keys]
                     for s in sorted(rows)], dtype=float)


# --- the arms: each returns {seed: kpis} and is timed by the caller ------------------------
#: Wall seconds of the last arm's runs alone (set-up before and reading results after are not
#: timed: each arm is timed from its first run to its last result stored or returned).
RUN_TIME: list[float] = []


def arm_plain(runs: int, tmp: Path, workers: int) -> dict[int, dict[str, Any]]:
    params = default_params()
    seeds = replication_seeds(MASTER, runs)
    t0 = time.perf_counter()
    rows = {s: simulate(params, s, record=KPI_ONLY)[1].to_dict() for s in seeds}
    RUN_TIME.append(time.perf_counter() - t0)
    return rows


def _engine(kind: str, runs: int, tmp: Path, workers: int,
            series: str = '"none"') -> dict[int, dict[str, Any]]:
    out = Path(tempfile.mkdtemp(dir=tmp, prefix=f"{kind}-"))
    shutil.rmtree(out)
    sweep = parse_sweep(sweep_text(runs, out, series))
    t0 = time.perf_counter()
    res = run_sweep(sweep, kind=kind, workers=workers, progress=False)
    RUN_TIME.append(time.perf_counter() - t0)
    assert res.done == runs and res.failed == 0, res
    table = store.read_runs(out).to_pandas()
    check_params(table)
    WORKER_CPU.append(sum(e.get("cpu", 0.0) for e in store.read_log(out)
                          if e.get("event") == "batch") if kind != "serial" else 0.0)
    rows = {int(r["seed"]): {k: (None if r[k] != r[k] else r[k]) for k in KPIs.keys()}
            for r in table.to_dict("records")}
    shutil.rmtree(out)
    return rows


#: CPU seconds the engine's workers reported for the last engine arm (not this process's).
WORKER_CPU: list[float] = []


def arm_serial(runs: int, tmp: Path, workers: int) -> dict[int, dict[str, Any]]:
    return _engine("serial", runs, tmp, 1)


def arm_pool(runs: int, tmp: Path, workers: int) -> dict[int, dict[str, Any]]:
    return _engine("process", runs, tmp, workers)


def arm_dask(runs: int, tmp: Path, workers: int) -> dict[int, dict[str, Any]]:
    return _engine("dask", runs, tmp, workers)


def kpis_reporter(model: SharedServiceModel) -> dict:
    return compute_kpis(model.recorder.arrays()).to_dict()


class BatchRunModel(SharedServiceModel):
    """The model as ``mesa.batch_run`` needs it: a DataCollector filled at the horizon."""

    def __init__(self, params: Params | None = None, rng: int | None = None,
                 record: list[str] | None = None) -> None:
        super().__init__(params, rng=rng, record=record)
        self.datacollector = DataCollector(model_reporters={"kpis": kpis_reporter})

    def step(self) -> None:
        super().step()
        if not self.running:
            self.datacollector.collect(self)


def arm_batch_run(runs: int, tmp: Path, workers: int,
                  record: list[str] | None = None) -> dict[int, dict[str, Any]]:
    # batch_run's tqdm bar (even disabled) starts a monitor thread that outlives it; a later
    # arm's process pool would then start by forkserver (the engine forks only a process with
    # no other thread) and pay the model's import in each worker. No monitor thread, no leak.
    tqdm.monitor_interval = 0
    params = default_params()
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = batch_run(BatchRunModel, parameters={"params": [params], "record": [record]},
                         rng=replication_seeds(MASTER, runs), number_processes=workers,
                         max_steps=params.months + 1, data_collection_period=-1,
                         display_progress=False)
    RUN_TIME.append(time.perf_counter() - t0)
    assert len(rows) == runs, len(rows)
    assert all(r["params"] == params for r in rows)
    return {int(r["rng"]): r["kpis"] for r in rows}


def arm_batch_run_lean(runs: int, tmp: Path, workers: int) -> dict[int, dict[str, Any]]:
    return arm_batch_run(runs, tmp, workers, record=KPI_ONLY)


def check_params(table: Any) -> None:
    """The engine ran exactly the parameters the other arms run."""
    want = default_params().model_dump(mode="json")
    got = table[[f"p_{k}" for k in want]].drop_duplicates()
    assert len(got) == 1, "the engine ran more than one parameter set"
    row = got.iloc[0].to_dict()
    assert all(row[f"p_{k}"] == v for k, v in want.items()), "parameters differ"


ARMS: dict[str, Callable[[int, Path, int], dict[int, dict[str, Any]]]] = {
    "plain": arm_plain, "serial": arm_serial, "pool": arm_pool, "batch_run": arm_batch_run,
}


def cpu_now() -> float:
    """CPU seconds of this process and its finished (waited-for) children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def rounds(arms: list[str], runs: int, repeat: int, workers: int, tmp: Path,
           reference: np.ndarray | None = None
           ) -> tuple[dict[str, list[float]], dict[str, list[float]], np.ndarray | None]:
    """Run every arm ``repeat`` times, rotating their order; check KPIs agree across arms
    (and with ``reference``, the KPIs of earlier rounds). Returns times, CPU, KPIs."""
    times: dict[str, list[float]] = {a: [] for a in arms}
    cpu: dict[str, list[float]] = {a: [] for a in arms}
    for r in range(repeat):
        order = arms[r % len(arms):] + arms[:r % len(arms)]
        for a in order:
            me0 = resource.getrusage(resource.RUSAGE_SELF)
            c0, t0 = cpu_now(), time.perf_counter()
            WORKER_CPU.clear()
            RUN_TIME.clear()
            rows = ARMS[a](runs, tmp, workers)
            if a != "dask":  # Dask keeps threads; its arm runs after all the others
                assert threading.active_count() == 1, f"{a} left a thread behind"
            times[a].append(RUN_TIME[0] if RUN_TIME else time.perf_counter() - t0)
            if WORKER_CPU and WORKER_CPU[0]:  # engine pool: coordinator + workers' own count
                me1 = resource.getrusage(resource.RUSAGE_SELF)
                own = (me1.ru_utime + me1.ru_stime) - (me0.ru_utime + me0.ru_stime)
                cpu[a].append(own + WORKER_CPU[0])
            else:
                cpu[a].append(cpu_now() - c0)
            assert sorted(rows) == sorted(replication_seeds(MASTER, runs)), f"{a}: seeds"
            m = kpi_matrix(rows)
            if reference is None:
                reference = m
            assert np.array_equal(m, reference, equal_nan=True), f"{a}: KPIs differ"
            print(f"  round {r + 1}: {a:<9} {runs / times[a][-1]:7.1f} runs/s "
                  f"(load {os.getloadavg()[0]:.1f})", flush=True)
    return times, cpu, reference


def spread(values: list[float], fmt: str = "{:.1f}") -> str:
    med = statistics.median(values)
    if len(values) == 1:
        return fmt.format(med)
    return f"{fmt.format(med)} [{fmt.format(min(values))}–{fmt.format(max(values))}]"


# --- where the time goes -------------------------------------------------------------------
def breakdown(n: int = 60) -> None:
    """Shares of a run's time (model side, from a profile) and the engine's own costs."""
    params = default_params()
    seeds = replication_seeds(MASTER, n)
    simulate(params, seeds[0], record=KPI_ONLY)
    t0 = time.perf_counter()
    for s in seeds:
        simulate(params, s, record=KPI_ONLY)
    per_run = (time.perf_counter() - t0) / n
    prof = cProfile.Profile()
    prof.enable()
    for s in seeds:
        simulate(params, s, record=KPI_ONLY)
    prof.disable()
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]

    def cum(file_part: str, func: str) -> float:
        return sum(v[3] for (f, _l, fn), v in stats.items()
                   if fn == func and f.replace(os.sep, "/").endswith(file_part))

    total = cum("sim/runner.py", "simulate")
    parts = {
        "model set-up (SharedServiceModel.__init__)": cum("sim/model.py", "__init__"),
        "  of which the peer network": cum("sim/network.py", "build"),
        "months (SharedServiceModel.step)": cum("sim/model.py", "step"),
        "  of which recording (the KPIs' columns)": cum("sim/recorder.py", "record"),
        "run_model's loop around step (Mesa's _do_step)": cum("sim/model.py", "run_model")
        - cum("sim/model.py", "step"),
        "KPIs (compute_kpis)": cum("sim/kpis.py", "compute_kpis"),
    }
    print(f"\nwhere a run's time goes (default, {n} runs recording the KPIs' columns, "
          f"{per_run * 1000:.1f} ms per run unprofiled; shares from a profile):")
    for label, t in parts.items():
        print(f"  {label:<45} {100 * t / total:5.1f} %")

    # Engine-side costs per run, measured directly.
    pdict = params.model_dump(mode="json")
    reps = 2000
    t0 = time.perf_counter()
    for _ in range(reps):
        make_params(pdict)
    t_params = (time.perf_counter() - t0) / reps
    t0 = time.perf_counter()
    for i in range(reps):
        PointHasher("v", canonical_json(pdict)).run_id(i)
    t_hash = (time.perf_counter() - t0) / reps
    kd = simulate(params, seeds[0])[1].to_dict()
    size = 100
    runs = [(f"{i:016x}", "k" * 16, i, i) for i in range(size)]
    batch = Batch("/x", "v", {"k" * 16: pdict}, runs)
    t0 = time.perf_counter()
    for _ in range(50):
        pickle.dumps(batch)
    t_pickle = (time.perf_counter() - t0) / 50 / size
    schema = runs_schema(list(pdict), list(kd), ["scenario"])
    cols: dict[str, list[Any]] = {f.name: [] for f in schema}
    for rid, _k, s, r in runs:
        row = {"run_id": rid, "point_key": "k" * 16, "seed": s, "replication": r,
               "model_version": "v", "scenario": "default",
               **{f"p_{k}": v for k, v in pdict.items()}, **kd}
        for c in cols:
            cols[c].append(row[c])
    table = pa.table({f.name: pa.array(cols[f.name], type=f.type) for f in schema},
                     schema=schema)
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        for i in range(20):
            store.write_part(Path(d), table, f"p{i}.parquet")
        t_write = (time.perf_counter() - t0) / 20 / size
    engine = {"validated parameters (once per point)": t_params,
              "run id hash": t_hash, "batch pickling (per run, 100-run batch)": t_pickle,
              "runs part write, zstd (per run, 100-run part)": t_write}
    print("engine-side costs per run:")
    for label, t in engine.items():
        print(f"  {label:<45} {t * 1e6:7.1f} µs  ({100 * t / per_run:.2f} % of a run)")


# --- coordinator memory --------------------------------------------------------------------
MEM_CHILD = r"""
import json, resource, sys, time, tracemalloc
from pathlib import Path
from sim_sweep import parse_sweep, run_sweep
from sim_sweep.testing import fake_simulate
runs, out, workers = int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
text = (f'name = "mem"\ndesign = "grid"\nreplications = 10\nmaster_seed = 3\n'
        f'output = "{out}"\n[fixed]\nmonths = 24\n[vary.dialogue_effort]\n'
        f'range = [0, 1]\nsteps = {runs // 10}\n[keep]\nseries = ["realised_gain"]\n')
sw = parse_sweep(text)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
t0 = time.perf_counter()
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
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--breakdown", action="store_true", help="where a run's time goes")
    ap.add_argument("--dask", action="store_true", help="also a Dask local-cluster arm")
    ap.add_argument("--lean", action="store_true",
                    help="also batch_run with the model recording only the KPIs' columns")
    ap.add_argument("--memory", action="store_true", help="coordinator memory, 1k/10k runs")
    ap.add_argument("--goal", action="store_true", help="also 10,000 runs + monthly summary")
    a = ap.parse_args()
    n, w = a.runs, a.workers
    arms = list(ARMS) + (["batch_run_lean"] if a.lean else [])
    ARMS.update(dask=arm_dask, batch_run_lean=arm_batch_run_lean)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
          f"{n} runs of 'default' (120 months) per arm, {a.repeat} rounds, arms rotating")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        arm_plain(5, tmp, w)  # warm-up (imports, caches)
        times, cpu, kpis = rounds(arms, n, a.repeat, w, tmp)
        if a.dask:  # after the others: a Dask client leaves threads behind, and a process pool
            # started after that would start by forkserver (the engine forks no threaded process)
            t_dask, c_dask, _ = rounds(["dask"], n, a.repeat, w, tmp, reference=kpis)
            times.update(t_dask)
            cpu.update(c_dask)
            arms.append("dask")
        print(f"\nall arms ran the same {n} parameter sets and seeds; every KPI agreed bit "
              "for bit\n")
        rate = {k: [n / t for t in v] for k, v in times.items()}
        print(f"{'arm':<24} {'runs/s, median [min–max]':<28} CPU ms per run")
        labels = {"plain": "plain loop (model only)", "serial": "engine, serial",
                  "pool": f"engine, pool ({w})", "batch_run": f"mesa.batch_run ({w})",
                  "dask": f"engine, dask local ({w})",
                  "batch_run_lean": f"batch_run, KPI cols ({w})"}
        for k in arms:
            print(f"{labels[k]:<24} {spread(rate[k]):<28} "
                  f"{spread([1000 * c / n for c in cpu[k]])}")
        eff = [tp / (w * tq) for tp, tq in zip(times["plain"], times["pool"], strict=True)]
        eff_s = [ts / (w * tq) for ts, tq in zip(times["serial"], times["pool"], strict=True)]
        ratio = [tb / tq for tb, tq in zip(times["batch_run"], times["pool"], strict=True)]
        over = [ts / tp - 1 for ts, tp in zip(times["serial"], times["plain"], strict=True)]
        print(f"\nparallel efficiency at {w} workers, vs plain loop: "
              f"{spread([100 * e for e in eff], '{:.0f}')} %; vs engine serial: "
              f"{spread([100 * e for e in eff_s], '{:.0f}')} %")
        print(f"engine pool / mesa.batch_run speed: {spread(ratio, '{:.2f}')}x")
        if a.lean:
            lean = [tb / tq for tb, tq in zip(times["batch_run_lean"], times["pool"],
                                               strict=True)]
            print(f"engine pool / mesa.batch_run recording only the KPIs' columns: "
                  f"{spread(lean, '{:.2f}')}x")
        print(f"engine serial overhead vs plain loop: {spread([100 * o for o in over])} %")
        if a.breakdown:
            breakdown()
        if a.memory:
            for runs in (1_000, 10_000):
                m = coordinator_memory(runs, w, tmp)
                print(f"coordinator at {runs:>6,} runs: peak RSS "
                      f"{m['rss_peak_kb'] / 1024:6.1f} MB (after imports "
                      f"{m['rss_before_kb'] / 1024:6.1f} MB), Python heap peak "
                      f"{m['python_peak_kb'] / 1024:5.1f} MB (stand-in model)")
        if a.goal:
            t0 = time.perf_counter()
            res = run_sweep(parse_sweep(sweep_text(10_000, tmp / "goal", SUMMARY, "goal")),
                            kind="process", workers=w, progress=False)
            dt = time.perf_counter() - t0
            print(f"goal: 10,000 runs of default + monthly summary in {dt:.0f} s "
                  f"({res.done / dt:.1f} runs/s, {res.failed} failed)")


if __name__ == "__main__":
    main()
