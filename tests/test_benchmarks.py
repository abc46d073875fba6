"""The benchmark scripts still run and still check what they promise (tiny sizes, no timing
is asserted: figures come from running the scripts, see docs/sweeps.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(script: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.mark.slow
def test_sweep_benchmark_checks_every_arm_ran_the_same_runs_before_any_ratio():
    out = _run("bench_sweep.py", "--runs", "6", "--repeat", "1", "--lean")
    agreed = out.index("every KPI agreed bit for bit")
    for line in ("engine pool / mesa.batch_run speed:",
                 "engine pool / mesa.batch_run recording only the KPIs' columns:",
                 "parallel efficiency at 2 workers"):
        assert out.index(line) > agreed, line


@pytest.mark.slow
def test_model_benchmark_pairs_model_and_floor_runs():
    out = _run("bench_model.py", "--repeats", "3", "--members", "1,10")
    assert "ratio model/floor" in out and "1000 institutions" in out
    assert "KPIs equal bit for bit: asserted" in out and "throughput ×" in out


@pytest.mark.slow
def test_mesa_loop_benchmark_checks_every_arm_ran_the_same_months_before_any_ratio():
    out = _run("bench_mesa_loop.py", "--repeats", "3", "--months", "24")
    agreed = out.index("every arm: the same months, time and KPIs (asserted)")
    for arm in ("bare", "run_model", "run_for"):
        assert out.index(f"  {arm} ") > agreed, arm
    assert "µs a month" in out


@pytest.mark.slow
def test_calibration_benchmark_checks_both_arms_agree_before_the_ratio():
    out = _run("bench_calibrate.py", "--draws", "3", "--repeats", "1")
    assert "one at a time:" in out and "batch:" in out
    assert out.index("statistics equal") > out.index("batch:")
