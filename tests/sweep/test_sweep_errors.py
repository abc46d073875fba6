"""Bad sweep files stop before any run starts, naming the file, the key and what is allowed;
nothing already written is overwritten."""

from __future__ import annotations

import sys

import pytest

from sim_sweep.engine import run_sweep
from sim_sweep.errors import SweepError, SweepFileError
from sim_sweep.spec import load_sweep
from sim_sweep.testing import fake_simulate

OK = """
design = "grid"
replications = 2
master_seed = 1
[vary.dialogue_effort]
levels = [0.0, 1.0]
"""


@pytest.mark.parametrize("body, key, words", [
    ('design = "grid"\nmaster_seed = 1\n[vary.dialogue_effort\nlevels=[1]',
     "", ["not valid TOML"]),
    ('design = "grid"\nmaster_seed = 1\nreplicatons = 3\n', "", ["unknown key 'replicatons'",
                                                                  "replications"]),
    ('design = "lattice"\nmaster_seed = 1\n', "design", ["grid", "sobol"]),
    ('design = "grid"\n', "master_seed", ["master_seed", "required"]),
    ('design = "grid"\nmaster_seed = 1\n[vary.dialog_effort]\nlevels = [0.1]\n',
     "vary.dialog_effort", ["unknown parameter", "dialogue_effort"]),
    ('design = "grid"\nmaster_seed = 1\n[vary.dialogue_effort]\nrange = [0, 2]\nsteps = 3\n',
     "vary.dialogue_effort", ["outside", "from 0 to 1"]),
    ('design = "grid"\nmaster_seed = 1\n[vary.dialogue_effort]\nlevels = [0.5, 1.5]\n',
     "vary.dialogue_effort", ["1.5", "from 0 to 1"]),
    ('design = "grid"\nmaster_seed = 1\n[vary.rollout]\nlevels = ["big_bang", "trickle"]\n',
     "vary.rollout", ["trickle", "'big_bang', 'waves'"]),
    ('design = "sobol"\nmaster_seed = 1\n[sampler]\nn = 8\n[vary.rollout]\n'
     'levels = ["big_bang", "waves"]\n[vary.dialogue_effort]\nrange = [0, 1]\n',
     "vary.rollout", ["cannot sample", "choice", "int or float"]),
    ('design = "sobol"\nmaster_seed = 1\n[sampler]\nn = 100\n[vary.dialogue_effort]\n'
     'range = [0, 1]\n[vary.initial_trust]\nrange = [0, 1]\n',
     "sampler.n", ["power of two", "64", "128"]),
    ('design = "lhs"\nmaster_seed = 1\n[vary.dialogue_effort]\nrange = [0, 1]\n',
     "sampler.n", ["needs 'n'"]),
    ('design = "grid"\nmaster_seed = 1\n[vary.dialogue_effort]\nrange = [0, 1]\n',
     "vary.dialogue_effort", ["steps"]),
    ('design = "points"\nmaster_seed = 1\n[sampler]\nfile = "missing.csv"\n',
     "sampler.file", ["missing.csv", "does not exist"]),
    ('design = "grid"\nmaster_seed = 1\n[keep]\nseries = ["realised_gian"]\n',
     "keep.series", ["realised_gain"]),
    ('design = "grid"\nmaster_seed = 1\nscenario = "nonesuch"\n', "scenario", ["nonesuch"]),
    ('design = "grid"\nmaster_seed = 1\n[vary.months]\nlevels = [12]\n',
     "vary.months", ["also in [fixed]"]),
])
def test_bad_files_name_file_key_and_allowed(sweep_file, tmp_path, body, key, words):
    path = sweep_file(body)
    with pytest.raises(SweepFileError) as info:
        run_sweep(load_sweep(path), kind="serial", progress=False, run_fn=fake_simulate)
    msg = str(info.value)
    assert msg.startswith(str(path)), msg
    assert info.value.key == key, msg
    for w in words:
        assert w in msg, (w, msg)
    assert not (tmp_path / "out").exists()  # stopped before anything was written


def test_bad_points_file_row(sweep_file, tmp_path):
    (tmp_path / "p.csv").write_text("dialogue_effort\n0.5\n7\n")
    path = sweep_file('design = "points"\nmaster_seed = 1\n[sampler]\nfile = "p.csv"\n')
    with pytest.raises(SweepFileError, match=r"line 3.*dialogue_effort.*from 0 to 1"):
        load_sweep(path)


def test_existing_sweep_folder_is_never_overwritten(sweep_file, tmp_path):
    path = sweep_file(OK)
    run_sweep(load_sweep(path), kind="serial", progress=False, run_fn=fake_simulate)
    out = tmp_path / "out"
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(SweepError, match="already holds a sweep.*--resume"):
        run_sweep(load_sweep(path), kind="serial", progress=False, run_fn=fake_simulate)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert before == after


def test_foreign_non_empty_folder_is_refused(sweep_file, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    with pytest.raises(SweepError, match="not empty"):
        run_sweep(load_sweep(sweep_file(OK)), kind="serial", progress=False,
                  run_fn=fake_simulate)
    assert (tmp_path / "out" / "notes.txt").read_text() == "mine"


def test_cli_reports_error_and_exit_code(sweep_file, capsys):
    from sim_sweep.cli import main

    path = sweep_file('design = "grid"\nmaster_seed = 1\n[vary.dialogue_effort]\n'
                      'levels = [3]\n')
    assert main(["sweep", str(path), "--executor", "serial"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "[vary.dialogue_effort]" in err


def test_mpi_executor_missing_gives_clear_error(sweep_file, monkeypatch):
    # As if mpi4py were not installed (it is in CI): a None entry makes the import fail.
    monkeypatch.setitem(sys.modules, "mpi4py", None)
    monkeypatch.setitem(sys.modules, "mpi4py.futures", None)
    path = sweep_file(OK)
    with pytest.raises(SweepError, match="mpi4py"):
        run_sweep(load_sweep(path), kind="mpi", progress=False)
    assert not (path.parent / "out").exists()  # the corrected command needs no --resume
