"""Executors for sweeps: anything that is a ``concurrent.futures.Executor`` works.

:func:`open_executor` builds the usual ones:

* ``serial``  — runs batches in the calling process (debugging, tests, tiny sweeps);
* ``process`` — the standard :class:`~concurrent.futures.ProcessPoolExecutor` with a
  multiprocessing context of its own (:func:`start_method`; the global start method is never
  changed);
* ``dask``    — ``dask.distributed``: a local cluster of ``workers`` processes, or an existing
  scheduler's address (``tcp://host:8786``), e.g. one started on a SLURM/PBS allocation with
  ``dask scheduler`` / ``dask worker`` or ``dask-jobqueue`` (see ``experiments/README.md``);
* ``mpi``     — ``mpi4py.futures.MPIPoolExecutor``: start one coordinator and N workers with
  ``mpiexec -n <N+1> python -m mpi4py.futures -m sim sweep FILE --executor mpi`` (rank 0
  coordinates, the other ranks are the pool; ``--workers`` is then ignored). See
  ``experiments/README.md`` for Open MPI's flags as root or in a container.

Dask and mpi4py are imported only when asked for.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from sim_sweep.errors import SweepError

EXECUTORS = ("process", "dask", "mpi", "serial")


class SerialExecutor(Executor):
    """An executor that runs each task at submission, in the calling process."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            fut.set_exception(exc)
        return fut


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def start_method() -> str:
    """``fork`` on Linux when the coordinator runs no other Python thread (workers start in
    milliseconds and inherit the imported model), else ``forkserver`` (or ``spawn``).

    Importing the model takes 1–2 s (Mesa, pandas, SciPy), which every ``forkserver`` or
    ``spawn`` worker pays again. The choice only affects start-up time, never results. Set
    ``SIM_SWEEP_START_METHOD`` to force one.
    """
    methods = multiprocessing.get_all_start_methods()
    forced = os.environ.get("SIM_SWEEP_START_METHOD")
    if forced:
        if forced not in methods:
            raise SweepError(f"SIM_SWEEP_START_METHOD={forced!r}; allowed: {', '.join(methods)}.")
        return forced
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _ready() -> int:
    return os.getpid()


#: Linux ``prctl`` option: the signal a process gets when its parent dies.
_PR_SET_PDEATHSIG = 1


def die_with_parent(poll: float = 0.5) -> None:
    """Make this (worker) process end when the process that started it ends.

    On Linux the kernel sends SIGKILL at the parent's death (``prctl(PR_SET_PDEATHSIG)``);
    everywhere a daemon thread also checks every ``poll`` seconds whether the process was
    re-parented, and exits if so. A killed coordinator therefore never leaves workers behind
    that would go on writing into its folder.
    """
    parent = os.getppid()
    if sys.platform == "linux":
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - exotic libc
            pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(poll)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


@contextmanager
def open_executor(kind: str = "process", workers: int | None = None,
                  scheduler: str | None = None) -> Iterator[tuple[Executor, int]]:
    """Yield ``(executor, number of workers)`` and shut it down afterwards.

    Raises:
        SweepError: unknown kind, or a missing optional package (dask, mpi4py).
    """
    if kind not in EXECUTORS:
        raise SweepError(f"unknown executor '{kind}'; allowed: {', '.join(EXECUTORS)}.")
    if scheduler and kind != "dask":
        raise SweepError("--scheduler applies to --executor dask only.")
    n = workers or default_workers()
    if kind == "serial":
        yield SerialExecutor(), 1
        return
    if kind == "process":
        ctx = multiprocessing.get_context(start_method())
        ex = ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=die_with_parent)
        try:
            # Start every worker now, before the coordinator opens files or threads.
            for f in [ex.submit(_ready) for _ in range(n)]:
                f.result()
            yield ex, n
        finally:
            ex.shutdown(wait=True, cancel_futures=True)
        return
    if kind == "dask":
        with _dask(n, scheduler) as pair:
            yield pair
        return
    with _mpi(workers) as pair:
        yield pair


@contextmanager
def _dask(n: int, scheduler: str | None) -> Iterator[tuple[Executor, int]]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise SweepError(
            "executor 'dask' needs dask.distributed: pip install 'sharedsim[cluster]' "
            "(or dask[distributed])."
        ) from None
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler)
        except (OSError, ValueError, TypeError) as exc:  # unreachable, refused, bad address
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SweepError(
                f"--scheduler {scheduler}: cannot connect to a Dask scheduler ({detail[:200]}); "
                "allowed: the address of a running scheduler, e.g. tcp://host:8786 (start one "
                "with 'dask scheduler'). Nothing was written.") from None
    else:
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        if scheduler:
            n = max(1, sum(w.get("nthreads", 1)
                           for w in client.scheduler_info()["workers"].values()))
        # pure=False: every batch is its own task (no key de-duplication); no retries so that
        # a lost worker's batch surfaces and --resume recomputes it.
        yield client.get_executor(pure=False), n
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextmanager
def _mpi(workers: int | None) -> Iterator[tuple[Executor, int]]:
    try:
        from mpi4py.futures import MPIPoolExecutor  # type: ignore[import-not-found]
    except ImportError:
        raise SweepError(
            "executor 'mpi' needs mpi4py and an MPI library (pip install 'sharedsim[mpi]'; "
            "apt-get install openmpi-bin, or module load openmpi on a cluster). Start the "
            "sweep with: mpiexec -n <N+1> python -m "
            "mpi4py.futures -m sim sweep FILE --executor mpi"
        ) from None
    # Under ``python -m mpi4py.futures`` the pool is the other ranks of MPI_COMM_WORLD and
    # ``max_workers`` is ignored; otherwise mpi4py spawns ``workers`` processes (MPI_Comm_spawn).
    # Either way the executor knows how many it has: ``num_workers`` waits until they are up.
    ex = MPIPoolExecutor(max_workers=workers)
    try:
        n = max(1, int(getattr(ex, "num_workers", 0) or workers or 1))
        yield ex, n
    finally:
        ex.shutdown(wait=True, cancel_futures=True)
