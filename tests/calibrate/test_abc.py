"""ABC-SMC on the model: the same posterior whatever runs it, and after a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim_calibrate import sampler
from sim_calibrate.runner import HISTORY, POSTERIOR, calibrate
from sim_calibrate.spec import load_calibration
from tests.calibrate.small import small_file

pytest.importorskip("pyabc")


#: Point targets: the threshold falls generation by generation (never to 0 at once).
POINTS = {"share": "observed = 0.6", "service": "observed = 0.72", "share_tol": 0.05,
          "service_tol": 0.02}


def _posterior(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / POSTERIOR)


@pytest.mark.slow
def test_serial_and_process_pool_give_the_same_posterior(tmp_path):
    cal = load_calibration(small_file(tmp_path, pop=12, gens=2))
    a = calibrate(cal, tmp_path / "serial", "serial", stream=None, report=False)
    b = calibrate(cal, tmp_path / "pool", "process", workers=2, stream=None, report=False)
    assert a["finished"] and b["finished"]
    pd.testing.assert_frame_equal(_posterior(tmp_path / "serial"), _posterior(tmp_path / "pool"))
    assert len(_posterior(tmp_path / "serial")) == 12


@pytest.mark.slow
def test_stopped_and_continued_equals_uninterrupted(tmp_path):
    cal = load_calibration(small_file(tmp_path, gens=3, pop=12, seed=11, **POINTS))
    whole = calibrate(cal, tmp_path / "whole", "serial", stream=None, report=False)
    first = calibrate(cal, tmp_path / "parts", "serial", stream=None, report=False,
                      stop_after=1)
    assert not first["finished"] and len(first["generations"]) == 1
    rest = calibrate(cal, tmp_path / "parts", "serial", stream=None, report=False)
    assert [g.epsilon for g in rest["generations"]] == [g.epsilon for g in whole["generations"]]
    pd.testing.assert_frame_equal(_posterior(tmp_path / "whole"), _posterior(tmp_path / "parts"))


@pytest.mark.slow
@pytest.mark.parametrize("leftover", ["empty history", "half-written file"])
def test_killed_before_the_first_generation_was_stored_starts_afresh(tmp_path, leftover):
    """A kill between creating the history and storing its first generation leaves a history
    with no population (pyabc's ``max_t`` is None) or a torn file; the same command then
    starts afresh and gives the uninterrupted posterior (it used to fail with a TypeError)."""
    cal = load_calibration(small_file(tmp_path, gens=2, pop=10, seed=5, **POINTS))
    whole = calibrate(cal, tmp_path / "whole", "serial", stream=None, report=False)
    out = tmp_path / "killed"
    if leftover == "empty history":
        calibrate(cal, out, "serial", stream=None, report=False, stop_after=0)
    else:
        out.mkdir()
        (out / HISTORY).write_bytes(b"SQLite format 3\x00" + bytes(100))
    assert (out / HISTORY).exists()
    rest = calibrate(cal, out, "serial", stream=None, report=False)
    assert [g.epsilon for g in rest["generations"]] == [g.epsilon for g in whole["generations"]]
    pd.testing.assert_frame_equal(_posterior(tmp_path / "whole"), _posterior(out))


@pytest.mark.slow
def test_killed_at_any_moment_and_continued_equals_uninterrupted(tmp_path):
    """SIGKILL the command at three moments (during the prior sample, in a later generation,
    while the report is written); each time the same command finishes with the same posterior
    as a run that was never killed."""
    path = small_file(tmp_path, gens=3, pop=12, seed=3, **POINTS)
    cmd = [sys.executable, "-m", "sim_cli", "calibrate", str(path), "--executor", "serial",
           "--no-progress"]
    whole = tmp_path / "whole"
    subprocess.run([*cmd, "--out", str(whole)], check=True, capture_output=True)
    for k, delay in enumerate((1.5, 3.5, 6.0)):
        out = tmp_path / f"killed{k}"
        proc = subprocess.Popen([*cmd, "--out", str(out)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        done = subprocess.run([*cmd, "--out", str(out)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        pd.testing.assert_frame_equal(_posterior(whole), _posterior(out))
    assert (whole / "report" / "report.html").exists()


@pytest.mark.slow
def test_a_dask_local_cluster_gives_the_same_posterior(tmp_path):
    pytest.importorskip("dask.distributed")
    cal = load_calibration(small_file(tmp_path, gens=2, pop=10))
    calibrate(cal, tmp_path / "serial", "serial", stream=None, report=False)
    calibrate(cal, tmp_path / "dask", "dask", workers=2, stream=None, report=False)
    pd.testing.assert_frame_equal(_posterior(tmp_path / "serial"), _posterior(tmp_path / "dask"))


def test_a_history_of_another_file_is_refused(tmp_path):
    from sim_calibrate.errors import CalibrationError

    cal = load_calibration(small_file(tmp_path, gens=1, pop=10))
    calibrate(cal, tmp_path / "out", "serial", stream=None, report=False)
    other = load_calibration(small_file(tmp_path, gens=1, pop=10, seed=6))
    with pytest.raises(CalibrationError, match="another calibration file"):
        calibrate(other, tmp_path / "out", "serial", stream=None, report=False)


@pytest.mark.slow
def test_proposals_simulated_in_batches_give_the_population_of_one_at_a_time(tmp_path,
                                                                                monkeypatch):
    """The batched sampler (record proposals, simulate them as ensembles, replay pyabc's loop)
    gives bit for bit the posterior of simulating one proposal at a time, and every replayed
    proposal is one it recorded."""
    cal = load_calibration(small_file(tmp_path, gens=3, pop=12, seed=11, **POINTS))
    batched = calibrate(cal, tmp_path / "batched", "serial", stream=None, report=False)
    assert batched["replay_misses"] == 0
    simulations = sum(g.simulations for g in batched["generations"])
    assert batched["simulated"] > simulations  # rounds record more than they need
    monkeypatch.setattr(sampler, "ROUND_DRAWS", 1)
    monkeypatch.setattr(sampler, "MAX_PER_PARTICLE", 1)
    monkeypatch.setattr(sampler, "BLOCKS_PER_WORKER", 12)
    single = calibrate(cal, tmp_path / "single", "serial", stream=None, report=False)
    assert single["replay_misses"] == 0
    pd.testing.assert_frame_equal(_posterior(tmp_path / "batched"),
                                  _posterior(tmp_path / "single"))
    assert [g.simulations for g in single["generations"]] == [
        g.simulations for g in batched["generations"]]
