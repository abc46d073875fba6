"""The engine: identical results on every executor, failures recorded and retried,
interrupted sweeps resumed to exactly the uninterrupted dataset, extensions computed once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pyarrow.compute as pc
import pytest

from sim.runner import simulate
from sim_sweep import store
from sim_sweep.engine import run_sweep
from sim_sweep.errors import SweepError
from sim_sweep.spec import load_sweep
from sim_sweep.testing import failing_simulate, fake_simulate
from tests.sweep.conftest import grid


def _events(out: Path, kind: str) -> list[dict]:
    return [e for e in store.read_log(out) if e.get("event") == kind]


def test_serial_and_process_pool_bit_identical(sweep_file, tmp_path, tables):
    sw = load_sweep(sweep_file(grid()))
    a = run_sweep(sw, kind="serial", output=tmp_path / "a", progress=False)
    b = run_sweep(sw, kind="process", workers=2, batch_size=2, output=tmp_path / "b",
                  progress=False)
    assert a.done == b.done == 18 and a.failed == b.failed == 0
    ra, sa = tables(tmp_path / "a")
    rb, sb = tables(tmp_path / "b")
    assert ra.equals(rb) and sa.equals(sb)
    assert ra.num_rows == 18 and sa.num_rows == 18 * 24
    # Every row carries its seed and parameters; replications differ.
    assert len(set(ra.column("seed").to_pylist())) == 3
    assert {"p_dialogue_effort", "p_months", "seed", "run_id"} <= set(ra.column_names)
    kpi = ra.column("cumulative_net_benefit_end_mdkk").to_pylist()
    assert len(set(kpi)) > 6  # not identical "replications"


def test_failures_recorded_then_retried(sweep_file, tmp_path, monkeypatch, tables):
    sw = load_sweep(sweep_file(grid(reps=4, series='"all"')))
    res = run_sweep(sw, kind="serial", progress=False, run_fn=failing_simulate)
    out = tmp_path / "out"
    failed = _events(out, "failed")
    assert res.failed == len(failed) > 0 and res.done + res.failed == 24
    ev = failed[0]
    assert len(failed) == 4 and "stand-in failure" in ev["traceback"]
    assert ev["params"]["months"] == 24 and "dialogue_effort" in ev["params"]
    # A plain resume does not rerun them; --retry-failed reruns only them.
    again = run_sweep(sw, kind="serial", progress=False, resume=True, run_fn=failing_simulate)
    assert again.done == 0 and again.failed == 0 and again.skipped == 24
    monkeypatch.setenv("SIM_SWEEP_HEAL", "1")
    retry = run_sweep(sw, kind="serial", progress=False, retry_failed=True,
                      run_fn=failing_simulate)
    assert retry.done == res.failed and retry.failed == 0
    assert store.failed_runs(out) == {}
    # The result equals a sweep that never failed.
    clean = run_sweep(sw, kind="serial", progress=False, output=tmp_path / "clean",
                      run_fn=fake_simulate)
    assert clean.done == 24
    r1, s1 = tables(out)
    r2, s2 = tables(tmp_path / "clean")
    assert r1.equals(r2) and s1.equals(s2)


def test_interrupted_sweep_resumes_to_identical_dataset(sweep_file, tmp_path, tables):
    sw = load_sweep(sweep_file(grid(reps=4)))
    full = run_sweep(sw, kind="serial", output=tmp_path / "full", progress=False)
    part = run_sweep(sw, kind="process", workers=2, batch_size=3, max_batches=3,
                     output=tmp_path / "cut", progress=False)
    assert 0 < part.done < full.done
    rest = run_sweep(sw, kind="process", workers=2, batch_size=5, resume=True,
                     output=tmp_path / "cut", progress=False)
    assert rest.skipped == part.done and part.done + rest.done == full.done
    r1, s1 = tables(tmp_path / "full")
    r2, s2 = tables(tmp_path / "cut")
    assert r1.equals(r2) and s1.equals(s2)


@pytest.mark.slow
def test_killed_sweep_resumes_to_identical_dataset(sweep_file, tmp_path, tables):
    """SIGKILL the whole sweep (coordinator and pool) mid-way, then --resume."""
    path = sweep_file(grid(reps=40))
    code = ("import sys; from sim_sweep import load_sweep, run_sweep; "
            "from sim_sweep.testing import slow_simulate; "
            "run_sweep(load_sweep(sys.argv[1]), kind='process', workers=2, batch_size=4, "
            "progress=False, run_fn=slow_simulate)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], start_new_session=True)
    out = tmp_path / "out"
    deadline = time.time() + 60
    while time.time() < deadline and len(_events(out, "batch")) < 5:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(store.done_ids(out))
    assert 0 < done_before < 240
    from sim_sweep.testing import slow_simulate

    sw = load_sweep(path)
    rest = run_sweep(sw, kind="process", workers=2, resume=True, progress=False,
                     run_fn=slow_simulate)
    assert rest.done + rest.skipped == 240
    ref = run_sweep(sw, kind="serial", output=tmp_path / "ref", progress=False,
                    run_fn=fake_simulate)
    assert ref.done == 240
    r1, s1 = tables(out)
    r2, s2 = tables(tmp_path / "ref")
    assert r1.equals(r2) and s1.equals(s2)
    assert not list((out / "runs").glob(".*.tmp"))


def test_extending_a_sweep_computes_only_new_runs(sweep_file, tmp_path, tables):
    small = load_sweep(sweep_file(grid(reps=2), name="s"))
    first = run_sweep(small, kind="serial", progress=False, run_fn=fake_simulate)
    assert first.done == 12
    body = grid(reps=3).replace("levels = [0.3, 0.9]", "levels = [0.3, 0.6, 0.9]")
    big = load_sweep(sweep_file(body, name="s"))
    # A changed sweep file is not a resume: it needs --extend.
    with pytest.raises(SweepError, match="changed version.*--extend"):
        run_sweep(big, kind="serial", progress=False, resume=True, run_fn=fake_simulate)
    more = run_sweep(big, kind="serial", progress=False, extend=True, run_fn=fake_simulate)
    assert more.skipped == 12 and more.done == 3 * 3 * 3 - 12
    ref = run_sweep(big, kind="serial", progress=False, output=tmp_path / "ref",
                    run_fn=fake_simulate)
    assert ref.done == 27
    r1, _ = tables(tmp_path / "out")
    r2, _ = tables(tmp_path / "ref")
    assert r1.equals(r2)
    # Both sweep files are kept; the log's last start names the bigger one.
    assert len(list((tmp_path / "out" / "specs").glob("*.toml"))) == 2
    assert store.latest_start(tmp_path / "out")["spec_hash"] == big.spec_hash


def test_log_is_append_only_jsonl(sweep_file, tmp_path):
    sw = load_sweep(sweep_file(grid(reps=1)))
    run_sweep(sw, kind="serial", progress=False, run_fn=fake_simulate)
    log = (tmp_path / "out" / "log.jsonl").read_text()
    run_sweep(sw, kind="serial", progress=False, resume=True, run_fn=fake_simulate)
    log2 = (tmp_path / "out" / "log.jsonl").read_text()
    assert log2.startswith(log)
    kinds = [json.loads(line)["event"] for line in log2.splitlines()]
    assert kinds[:2] == ["created", "start"] and kinds[-1] == "end" and "batch" in kinds


@pytest.mark.slow
def test_dask_two_worker_local_cluster_identical_to_serial(sweep_file, tmp_path, tables):
    pytest.importorskip("dask.distributed")
    sw = load_sweep(sweep_file(grid(reps=2)))
    a = run_sweep(sw, kind="serial", output=tmp_path / "serial", progress=False)
    b = run_sweep(sw, kind="dask", workers=2, batch_size=3, output=tmp_path / "dask",
                  progress=False)
    assert a.done == b.done == 12
    ra, sa = tables(tmp_path / "serial")
    rb, sb = tables(tmp_path / "dask")
    assert ra.equals(rb) and sa.equals(sb)


def test_results_open_in_pandas_and_pyarrow_dataset(sweep_file, tmp_path):
    import pandas as pd
    import pyarrow.dataset as ds

    run_sweep(load_sweep(sweep_file(grid(reps=1))), kind="serial", progress=False,
              run_fn=fake_simulate)
    runs = pd.read_parquet(tmp_path / "out" / "runs")
    assert len(runs) == 6 and runs["run_id"].is_unique
    series = ds.dataset(tmp_path / "out" / "series").to_table(
        filter=pc.field("month") == 12).to_pandas()
    assert len(series) == 6


@pytest.mark.parametrize("series", ['"none"', '["error_rate", "trust_mean"]'])
def test_rows_are_the_models_with_every_column_recorded(sweep_file, tmp_path, series):
    """The engine asks the model to record only what it keeps; nothing it stores changes."""
    import math

    from sim import make_params
    from sim.runner import simulate

    run_sweep(load_sweep(sweep_file(grid(reps=2, series=series))), kind="serial",
              progress=False)
    out = tmp_path / "out"
    kept = store.read_series(out).to_pandas() if series != '"none"' else None
    rows = store.read_runs(out).to_pylist()
    assert len(rows) == 12
    for row in rows:
        params = make_params({k[2:]: v for k, v in row.items() if k.startswith("p_")})
        arrays, kpis = simulate(params, row["seed"])  # every column recorded
        for k, v in kpis.to_dict().items():
            got = row[k]
            assert (got is None and (v is None or math.isnan(v))) or got == v, k
        if kept is not None:
            mine = kept[kept["run_id"] == row["run_id"]].sort_values("month")
            for c in ("error_rate", "trust_mean"):
                assert mine[c].tolist() == arrays[c].tolist(), c


def test_a_batch_runs_as_one_ensemble_and_equals_its_runs_one_by_one(sweep_file, tmp_path,
                                                                      tables, monkeypatch):
    """The worker steps a batch's runs as the members of one ensemble pass (sim.ensemble); the
    stored runs and series equal those of the same runs simulated one by one, and when a pass
    raises, every run is run alone (so a failure is pinned on its own run)."""
    import sim_sweep.worker as worker

    keep = ["realised_gain", "service_level"]
    sw = load_sweep(sweep_file(grid()))
    passes: list[int] = []
    members = worker.run_members

    def counted(params, seeds, **kwargs):
        passes.append(len(seeds))
        return members(params, seeds, **kwargs)

    monkeypatch.setattr(worker, "run_members", counted)
    run_sweep(sw, kind="serial", batch_size=18, output=tmp_path / "members", progress=False)
    assert passes == [18]
    run_sweep(sw, kind="serial", batch_size=18, output=tmp_path / "alone", progress=False,
              run_fn=partial(simulate, record=keep))

    def broken(params, seeds, **kwargs):
        raise RuntimeError("the pass failed")

    monkeypatch.setattr(worker, "run_members", broken)
    fell_back = run_sweep(sw, kind="serial", batch_size=18, output=tmp_path / "fallback",
                          progress=False)
    assert fell_back.done == 18 and fell_back.failed == 0
    ra, sa = tables(tmp_path / "members")
    for other in ("alone", "fallback"):
        rb, sb = tables(tmp_path / other)
        assert ra.equals(rb) and sa.equals(sb), other
