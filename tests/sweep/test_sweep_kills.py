"""Kills at any moment leave a folder that --resume finishes into exactly the uninterrupted
dataset, with no run stored twice; workers die with their coordinator; a folder takes only
its own sweep file and one coordinator at a time."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from sim_sweep import store
from sim_sweep.engine import run_sweep
from sim_sweep.errors import SweepError
from sim_sweep.spec import load_sweep
from sim_sweep.testing import fake_simulate, slow_simulate
from tests.sweep.conftest import grid

GRID = grid(reps=10, series='["realised_gain"]')
RUNS = 60

# The child runs a sweep (process pool, 2 workers) and SIGKILLs itself at one moment.
CHILD = r"""
import os, signal, sys
from sim_sweep import engine, folder, store
from sim_sweep.spec import load_sweep
from sim_sweep.testing import slow_simulate

moment = sys.argv[2]
def die():
    os.kill(os.getpid(), signal.SIGKILL)

if moment == "before_log":          # the folder exists, its log does not yet
    folder._create_log = lambda out, event: die()
elif moment == "after_log":         # the log exists, nothing else yet
    made = folder._create_log
    def after(out, event):
        made(out, event)
        die()
    folder._create_log = after
elif moment == "before_first_run":  # the start is logged, no batch sent yet
    log = store.append_log
    def at_start(out, events):
        log(out, events)
        if events and events[0].get("event") == "start":
            die()
    store.append_log = at_start
elif moment == "staged":            # a batch is staged by its worker, not yet committed
    commit, seen = store.commit, []
    def third(out, stem):
        seen.append(stem)
        if len(seen) == 3:
            die()
        return commit(out, stem)
    store.commit = third
engine.run_sweep(load_sweep(sys.argv[1]), kind="process", workers=2, batch_size=4,
                 progress=False, run_fn=slow_simulate)
"""


def _child(path: Path, moment: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(path), moment],
                            start_new_session=True)


def _reference(path: Path, tmp_path: Path) -> pd.DataFrame:
    ref = run_sweep(load_sweep(path), kind="serial", output=tmp_path / "ref", progress=False,
                    run_fn=fake_simulate)
    assert ref.done == RUNS
    return pd.read_parquet(tmp_path / "ref" / "runs").sort_values("run_id")


def _resume_and_compare(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    rest = run_sweep(load_sweep(path), kind="process", workers=2, resume=True,
                     progress=False, run_fn=slow_simulate)
    assert rest.done + rest.skipped == RUNS
    runs = pd.read_parquet(out / "runs")  # a plain reader: no duplicates to drop
    assert runs["run_id"].is_unique and len(runs) == RUNS
    series = pd.read_parquet(out / "series")
    assert not series.duplicated(["run_id", "month"]).any() and len(series) == RUNS * 24
    ref = _reference(path, tmp_path)
    pd.testing.assert_frame_equal(runs.sort_values("run_id").reset_index(drop=True),
                                  ref.reset_index(drop=True))
    assert not list((out / "staging").iterdir())
    assert not list(out.rglob(".*.tmp"))


@pytest.mark.parametrize("moment", ["before_log", "after_log", "before_first_run", "staged"])
def test_killed_at_a_moment_resumes_to_the_full_dataset(sweep_file, tmp_path, moment):
    path = sweep_file(GRID)
    proc = _child(path, moment)
    assert proc.wait(timeout=120) == -signal.SIGKILL
    out = tmp_path / "out"
    if moment == "before_log":
        assert out.is_dir() and not (out / "log.jsonl").exists()
    else:
        assert [e["event"] for e in store.read_log(out)][0] == "created"
    if moment == "staged":
        assert list((out / "staging").glob("part-*.runs.parquet"))
    _resume_and_compare(path, tmp_path)
    if moment == "staged":
        starts = [e for e in store.read_log(out) if e.get("event") == "start"]
        assert starts[-1]["recovered"] > 0  # the staged batch was committed, not recomputed


def test_killed_coordinator_takes_its_workers_along(sweep_file, tmp_path):
    path = sweep_file(GRID.replace("replications = 10", "replications = 40"))
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), "none"],
                            start_new_session=True)
    out = tmp_path / "out"
    deadline = time.time() + 60
    while time.time() < deadline and sum(
            e.get("event") == "batch" for e in store.read_log(out)) < 3:
        time.sleep(0.05)
    workers = psutil.Process(proc.pid).children(recursive=True)
    assert workers
    os.kill(proc.pid, signal.SIGKILL)  # the coordinator alone, not its process group
    proc.wait()
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"workers outlived their coordinator: {alive}"
    rest = run_sweep(load_sweep(path), kind="process", workers=2, resume=True,
                     progress=False, run_fn=slow_simulate)
    assert rest.done + rest.skipped == 240
    assert pd.read_parquet(out / "runs")["run_id"].is_unique


def test_folder_left_without_log_by_an_older_kill_is_accepted(sweep_file, tmp_path):
    out = tmp_path / "out"
    for sub in ("runs", "series", "specs", "designs"):
        (out / sub).mkdir(parents=True)
    res = run_sweep(load_sweep(sweep_file(GRID)), kind="serial", resume=True,
                    progress=False, run_fn=fake_simulate)
    assert res.done == RUNS


def test_orphan_part_staged_after_a_resume_is_never_read_twice(sweep_file, tmp_path):
    """A worker of a killed coordinator (say on a Dask cluster) that stages its batch late:
    the next coordinator drops what is already stored."""
    path = sweep_file(GRID)
    run_sweep(load_sweep(path), kind="serial", progress=False, run_fn=fake_simulate,
              batch_size=7)
    out = tmp_path / "out"
    part = sorted((out / "runs").glob("part-*.parquet"))[0]
    stem = part.name[len("part-"):-len(".parquet")]
    shutil.copy(part, out / "staging" / store.staged_name("late-" + stem, "runs"))
    shutil.copy(out / "series" / part.name,
                out / "staging" / store.staged_name("late-" + stem, "series"))
    again = run_sweep(load_sweep(path), kind="serial", resume=True, progress=False,
                      run_fn=fake_simulate)
    assert again.done == 0
    assert pd.read_parquet(out / "runs")["run_id"].is_unique
    assert not pd.read_parquet(out / "series").duplicated(["run_id", "month"]).any()
    assert not list((out / "staging").iterdir())


def test_resume_refuses_another_sweep_file(sweep_file, tmp_path):
    run_sweep(load_sweep(sweep_file(GRID, name="a")), kind="serial", progress=False,
              run_fn=fake_simulate)
    other = sweep_file(GRID.replace("2026", "7"), name="b").read_text().replace(
        f'output = "{tmp_path / "b"}"', f'output = "{tmp_path / "out"}"')
    (tmp_path / "b.toml").write_text(other)
    out = tmp_path / "out"
    before = sorted(p.name for p in (out / "runs").iterdir())
    for flags in ({"resume": True}, {"extend": True}):
        with pytest.raises(SweepError, match="different sweep"):
            run_sweep(load_sweep(tmp_path / "b.toml"), kind="serial", progress=False,
                      run_fn=fake_simulate, **flags)
    assert sorted(p.name for p in (out / "runs").iterdir()) == before


def test_one_coordinator_per_folder(sweep_file, tmp_path):
    path = sweep_file(GRID)
    run_sweep(load_sweep(path), kind="serial", progress=False, run_fn=fake_simulate,
              max_batches=1, batch_size=5)
    # Another process holds the folder, as a running sweep would.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from sim_sweep import folder; h = folder._lock(Path(sys.argv[1])); print('held', "
         "flush=True); time.sleep(60)", str(tmp_path / "out")], stdout=subprocess.PIPE,
        text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(SweepError, match="in use by another running sweep"):
            run_sweep(load_sweep(path), kind="serial", resume=True, progress=False,
                      run_fn=fake_simulate)
    finally:
        holder.kill()
        holder.wait()
    assert run_sweep(load_sweep(path), kind="serial", resume=True, progress=False,
                     run_fn=fake_simulate).done == RUNS - 5
