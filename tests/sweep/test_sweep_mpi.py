"""The MPI executor for real: ``mpiexec`` starts a coordinator and two workers
(``python -m mpi4py.futures -m sim sweep FILE --executor mpi``, as documented in
``experiments/README.md``), and the stored dataset is bit-identical to a serial run of the
same file.

Skips when mpi4py or ``mpiexec`` is missing, except with ``SIM_REQUIRE_MPI=1`` (set by
``.ci/run``), where it fails instead.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sim_sweep import store
from sim_sweep.engine import run_sweep
from sim_sweep.spec import load_sweep

ROOT = Path(__file__).resolve().parents[2]

SWEEP = """
design = "grid"
replications = 2
master_seed = 4242
[vary.dialogue_effort]
levels = [0.0, 1.0]
[vary.task_split_clarity]
levels = [0.4, 0.9]
[keep]
series = ["realised_gain", "service_level"]
"""

TINY = """
[fixed]
months = 12
n_institutions = 10
"""


def _mpiexec() -> str:
    """The ``mpiexec`` to use, or skip (fail under ``SIM_REQUIRE_MPI=1``)."""
    missing = []
    # Only look for it: importing mpi4py.MPI would initialise MPI in this (pytest) process.
    if importlib.util.find_spec("mpi4py") is None:
        missing.append("mpi4py")
    exe = shutil.which("mpiexec")
    if exe is None:
        missing.append("mpiexec")
    if missing:
        message = (f"needs {' and '.join(missing)}: apt-get install openmpi-bin; "
                   "pip install 'sharedsim[mpi]'")
        if os.environ.get("SIM_REQUIRE_MPI") == "1":  # set by .ci/run: CI must not skip it
            pytest.fail(message)
        pytest.skip(message)
    return exe


def _launch(exe: str, n: int) -> tuple[list[str], dict[str, str]]:
    """``mpiexec -n N`` with the flags Open MPI needs as root and on a small machine
    (2 cores here, 3 ranks); MPICH needs none."""
    version = subprocess.run([exe, "--version"], capture_output=True, text=True,
                             timeout=30).stdout
    cmd, env = [exe, "-n", str(n)], dict(os.environ)
    if "Open MPI" in version or "OpenRTE" in version:
        cmd.append("--oversubscribe")
        env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                   OMPI_MCA_btl_vader_single_copy_mechanism="none")
    return cmd, env


def _run(cmd: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # mpiexec and every rank it started
        out, err = proc.communicate()
        pytest.fail(f"mpiexec did not finish in {timeout} s\n{out}\n{err}")
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def test_mpi_sweep_bit_identical_to_serial(sweep_file, tmp_path, tables):
    exe = _mpiexec()
    path = sweep_file(SWEEP, name="mpi", fixed=TINY)
    mpi_out, serial_out = tmp_path / "mpi", tmp_path / "serial"

    cmd, env = _launch(exe, 3)  # rank 0 coordinates, ranks 1 and 2 are the pool
    cmd += [sys.executable, "-m", "mpi4py.futures", "-m", "sim", "sweep", str(path),
            "--executor", "mpi", "--batch-size", "1", "--output", str(mpi_out),
            "--no-progress"]
    res = _run(cmd, env)
    assert res.returncode == 0, f"{res.stdout}\n{res.stderr}"
    assert "8 runs done, 0 failed" in res.stdout, res.stdout

    serial = run_sweep(load_sweep(path), kind="serial", output=serial_out, progress=False)
    assert serial.done == 8 and serial.failed == 0

    rm, sm = tables(mpi_out)
    rs, ss = tables(serial_out)
    assert rm.num_rows == 8 and sm.num_rows == 8 * 12
    assert rm.equals(rs) and sm.equals(ss)

    start = next(e for e in store.read_log(mpi_out) if e.get("event") == "start")
    assert start["executor"] == "mpi" and start["workers"] == 2
    # The batches were computed by both worker ranks: every part file is named after the
    # process that wrote it, and the coordinator keeps four batches in flight for two workers.
    writers = {p.name.split("-")[1] for p in (mpi_out / "runs").glob("part-*.parquet")}
    assert len(writers) == 2, writers
