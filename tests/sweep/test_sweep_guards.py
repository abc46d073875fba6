"""Size guards, bad command-line input, duplicate design points, and parts that describe
themselves."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from sim.kpis import unit_of
from sim.params import spec_map
from sim_sweep.cli import main
from sim_sweep.engine import run_sweep
from sim_sweep.estimate import SweepTooLarge, check
from sim_sweep.plan import make_plan
from sim_sweep.spec import load_sweep
from sim_sweep.testing import fake_simulate

HUGE_GRID = "design = \"grid\"\nmaster_seed = 1\n" + "".join(
    f"[vary.{name}]\nrange = [0.1, 0.4]\nsteps = 10\n"
    for name in ("dialogue_effort", "task_split_clarity", "initial_trust", "transfer_share",
                 "redundancy_share", "network_rewiring", "network_within_group",
                 "adoption_trust_threshold", "initial_trust_spread"))

BIG_SOBOL = "design = \"sobol\"\nmaster_seed = 1\n[sampler]\nn = 8388608\n" + "".join(
    f"[vary.{name}]\nrange = [0.1, 0.4]\n"
    for name in ("dialogue_effort", "task_split_clarity", "initial_trust", "transfer_share",
                 "redundancy_share", "network_rewiring", "network_within_group",
                 "adoption_trust_threshold", "initial_trust_spread", "local_share"))


def test_check_of_a_billion_points_answers_with_count_time_and_disk(sweep_file, capsys):
    path = sweep_file(HUGE_GRID)
    assert main(["sweep", str(path), "--check", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "1,000,000,000 runs" in out and "on disk" in out and "days" in out
    assert "validated the first 10,000 points" in out and "needs --yes" in out


def test_sweep_above_the_limit_needs_yes(sweep_file, tmp_path, capsys):
    path = sweep_file(HUGE_GRID)
    assert main(["sweep", str(path), "--executor", "serial"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "1,000,000,000 runs" in err and "--yes" in err
    assert not (tmp_path / "out").exists()
    small = sweep_file('design = "grid"\nmaster_seed = 1\nreplications = 30\n'
                       '[execution]\nconfirm_above = 20\n', name="small")
    with pytest.raises(SweepTooLarge, match="confirm_above = 20"):
        run_sweep(load_sweep(small), kind="serial", progress=False, run_fn=fake_simulate)
    assert run_sweep(load_sweep(small), kind="serial", progress=False, run_fn=fake_simulate,
                     yes=True).done == 30


def test_huge_sobol_is_generated_in_chunks(sweep_file):
    sw = load_sweep(sweep_file(BIG_SOBOL))
    est = check(sw, pilot=3, workers=2)  # no ArrayMemoryError: nothing of that size is built
    assert est.points == 8388608 * 12 and est.pilot_runs == 3
    plan = make_plan(sw, validate=100)
    last = plan.design.chunk(est.points - 5, est.points)
    assert len(last) == 5 and last["dialogue_effort"].between(0.1, 0.4).all()


@pytest.mark.parametrize("args, words", [
    (["--workers", "-2"], ["--workers '-2'", "whole number from 1 to 1,000,000"]),
    (["--workers", "0"], ["--workers '0'", "whole number from 1"]),
    (["--workers", "two"], ["--workers 'two'", "whole number"]),
    (["--workers", "1_0"], ["--workers '1_0'", "whole number"]),
    (["--batch-size", "0"], ["--batch-size '0'", "whole number from 1"]),
    (["--executor", "threads"], ["--executor 'threads'", "process, dask, mpi, serial"]),
    (["--resume", "--extend"], ["give one"]),
])
def test_bad_sweep_options_give_one_line_and_status_2(sweep_file, tmp_path, capsys, args,
                                                       words):
    path = sweep_file('design = "grid"\nmaster_seed = 1\n')
    assert main(["sweep", str(path), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert "Traceback" not in err
    for w in words:
        assert w in err, (w, err)
    assert not (tmp_path / "out").exists()


def test_bad_analyze_input_gives_one_line(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "nowhere")]) == 2
    assert main(["analyze", str(tmp_path), "--method", "forest"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("error: ") for line in lines)


def test_morris_duplicate_points_are_run_once(sweep_file, tmp_path):
    body = """
    design = "morris"
    replications = 2
    master_seed = 5
    [vary.n_waves]
    range = [1, 3]
    [vary.dialogue_effort]
    range = [0, 1]
    [sampler]
    trajectories = 10
    levels = 4
    """
    sw = load_sweep(sweep_file(body))
    keys = [key for _pid, key, _p in make_plan(sw).point_dicts()]
    assert len(set(keys)) < len(keys)  # rounding n_waves makes some points coincide
    res = run_sweep(sw, kind="serial", progress=False, run_fn=fake_simulate)
    runs = pd.read_parquet(tmp_path / "out" / "runs")
    assert res.done == len(runs) == runs["run_id"].nunique() == 2 * len(set(keys))
    assert res.duplicates == res.total - res.done


def test_parts_describe_themselves(sweep_file, tmp_path):
    body = """
    design = "grid"
    replications = 2
    master_seed = 3
    [cases.strategy]
    big_bang = { rollout = "big_bang" }
    waves = { rollout = "waves" }
    [vary.dialogue_effort]
    levels = [0.2, 0.8]
    [keep]
    series = ["realised_gain"]
    """
    path = sweep_file(body)
    run_sweep(load_sweep(path), kind="serial", progress=False, run_fn=fake_simulate)
    part = next((tmp_path / "out" / "runs").glob("part-*.parquet"))
    schema = pq.read_schema(part)
    meta = json.loads(schema.metadata[b"sim_sweep"])
    assert meta["sweep"] == "s" and meta["varied"] == ["dialogue_effort"]
    assert meta["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta["case_factors"] == ["strategy"] and meta["model_version"]
    unit = schema.field("p_dialogue_effort").metadata[b"unit"].decode()
    assert unit == spec_map()["dialogue_effort"].unit
    kpi = "cumulative_net_benefit_end_mdkk"
    assert schema.field(kpi).metadata[b"unit"].decode() == unit_of(kpi)
    runs = pd.read_parquet(tmp_path / "out" / "runs")
    assert set(runs["scenario"]) == {"default"}
    assert set(runs["case_strategy"]) == {"big_bang", "waves"}
    assert (runs["case_strategy"] == runs["p_rollout"]).all()
    series = pq.read_schema(next((tmp_path / "out" / "series").glob("part-*.parquet")))
    assert series.field("realised_gain").metadata[b"unit"].decode() == "mio. kr./year"


def test_chunks_hold_fewer_points_when_each_point_has_many_replications(sweep_file,
                                                                         monkeypatch):
    """The coordinator's memory is one chunk's runs, whatever the replication count."""
    from sim_sweep import plan as plan_module

    assert plan_module.chunk_points(1) == plan_module.chunk_points(10) == 4096
    assert plan_module.chunk_points(1000) == 40
    assert plan_module.chunk_points(10**9) == 1
    body = ("design = \"grid\"\nreplications = 6\nmaster_seed = 1\n"
            "[vary.dialogue_effort]\nrange = [0, 1]\nsteps = 9\n")
    whole = [(p.pid, p.key, p.runs) for _t, ps in
             make_plan(load_sweep(sweep_file(body))).chunks(size=4096) for p in ps]
    monkeypatch.setattr(plan_module, "RUNS_PER_CHUNK", 24)  # 4 points of 6 replications
    chunks = [ps for _t, ps in make_plan(load_sweep(sweep_file(body))).chunks()]
    assert [len(c) for c in chunks] == [4, 4, 1]
    assert [(p.pid, p.key, p.runs) for c in chunks for p in c] == whole
