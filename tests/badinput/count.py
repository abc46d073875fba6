"""Count how the code handles the bad-input corpus: each case in its own process.

    python -m tests.badinput.count                 # the code in this checkout
    python -m tests.badinput.count --code-root DIR # another version's sim/, sim_cli/, sim_sweep/
    python -m tests.badinput.count --fork          # import once, fork a process per case

Each case runs in a fresh ``python`` with a time limit (``--timeout``, default 60 s) and an
address-space limit (``--memory-gb``, default 3): a case that exceeds either counts as
``hang`` (unbounded work). With ``--fork`` the program's modules are imported once and each
case runs in a forked child with the same limits (its own process, without the seconds of
imports a fresh ``python`` pays: for a loaded machine). Prints one line per case and the
totals per outcome, plus how many cases changed or added a file they should have left alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from tests.badinput.corpus import BY_ID, CASES, Outcome, classify, run_case

ROOT = Path(__file__).resolve().parents[2]


def _one(case_id: str, tmp: str, result: str) -> None:
    outcome = run_case(BY_ID[case_id], Path(tmp))
    Path(result).write_text(json.dumps(asdict(outcome)))


def _limit(memory_gb: float):
    def apply() -> None:
        limit = int(memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def measure(case_id: str, code_root: str | None, timeout: float,
            memory_gb: float) -> Outcome:
    """Run one case in its own process and return its outcome."""
    env = dict(os.environ)
    paths = [code_root] if code_root else []
    env["PYTHONPATH"] = os.pathsep.join([*paths, str(ROOT)])
    if code_root:
        env["SIM_CORPUS_CODE_ROOT"] = code_root
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "case"
        work.mkdir()
        result = Path(tmp) / "result.json"
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "tests.badinput.count", "--one", case_id, str(work),
                 str(result)], env=env, capture_output=True, text=True, timeout=timeout,
                preexec_fn=_limit(memory_gb), cwd=tmp)
        except subprocess.TimeoutExpired:
            return Outcome(code=None, exception=f"timeout after {timeout:g} s")
        if not result.exists():
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            return Outcome(code=None, err=proc.stderr[-2000:], exception=last)
        return Outcome(**json.loads(result.read_text()))


def preload(code_root: str | None) -> None:
    """Import the program (from ``code_root`` when given) before forking the cases."""
    if code_root:
        sys.path.insert(0, code_root)
        os.environ["SIM_CORPUS_CODE_ROOT"] = code_root
        os.environ["PYTHONPATH"] = os.pathsep.join([code_root, str(ROOT)])
    else:
        os.environ["PYTHONPATH"] = str(ROOT)
    import matplotlib.figure  # noqa: F401  (the cases' Ctrl-C helper patches it)
    import pandas  # noqa: F401

    import sim_cli.main  # noqa: F401
    import sim_sweep.cli  # noqa: F401


def measure_forked(case_id: str, timeout: float, memory_gb: float) -> Outcome:
    """Run one case in a forked child (limits as :func:`measure`) and return its outcome."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "case"
        work.mkdir()
        result = Path(tmp) / "result.json"
        errors = Path(tmp) / "stderr.txt"
        pid = os.fork()
        if pid == 0:  # the child: its own process group, output to files, limits, the case
            code = 1
            try:
                os.setpgid(0, 0)
                with open(errors, "w") as err, open(os.devnull, "w") as null:
                    os.dup2(null.fileno(), 1)
                    os.dup2(err.fileno(), 2)
                os.chdir(tmp)
                _limit(memory_gb)()
                _one(case_id, str(work), str(result))
                code = 0
            except BaseException:  # reported through stderr.txt
                import traceback

                traceback.print_exc()
            finally:
                os._exit(code)
        deadline = time.monotonic() + timeout
        while True:
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                with __import__("contextlib").suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return Outcome(code=None, exception=f"timeout after {timeout:g} s")
            time.sleep(0.05)
        if not result.exists():
            text = errors.read_text(errors="replace") if errors.exists() else ""
            last = (text.strip().splitlines() or ["no output"])[-1]
            return Outcome(code=None, err=text[-2000:], exception=last)
        return Outcome(**json.loads(result.read_text()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs=3, metavar=("CASE", "FOLDER", "RESULT"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--code-root", default=None)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--memory-gb", type=float, default=3.0)
    parser.add_argument("--only", nargs="*", default=None, help="case ids")
    parser.add_argument("--fork", action="store_true",
                        help="import the program once and fork a process per case")
    args = parser.parse_args(argv)
    if args.one:
        _one(*args.one)
        return 0
    if args.fork:
        preload(args.code_root)
    totals: Counter[str] = Counter()
    overwrote = 0
    for case in CASES:
        if args.only and case.id not in args.only:
            continue
        outcome = (measure_forked(case.id, args.timeout, args.memory_gb) if args.fork
                   else measure(case.id, args.code_root, args.timeout, args.memory_gb))
        kind = classify(case, outcome)
        totals[kind] += 1
        touched = bool(outcome.changed) and case.code != 0
        overwrote += touched
        detail = outcome.message.strip().splitlines()[-1:] or [""]
        print(f"{kind:<9} {'CHANGED ' if touched else ''}{case.surface:<8} {case.id:<42} "
              f"{outcome.seconds:6.1f}s  {detail[0][:150]}", flush=True)
    print()
    print(f"{sum(totals.values())} cases: " + ", ".join(f"{k} {v}" for k, v in
                                                         sorted(totals.items())))
    print(f"cases that changed or added a file they should have left alone: {overwrote}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
