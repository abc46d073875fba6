"""Instructions per run of the default scenario: this checkout against another git revision.

Wall-clock time on a shared machine moves with the load; the number of instructions a run
executes does not (``valgrind --tool=callgrind`` counts them, whatever else the machine does).
For each arm (this checkout, and ``--base`` checked out into a temporary git worktree) the script
counts a process that builds and runs one model (imports and first-call costs) and a process
that then runs ``--runs`` more; the difference over ``--runs`` is the instructions per run. Both
arms run the same scenario, the same seeds and the same number of runs and months; the script
checks that before it prints the ratio.

``--program band`` counts the app's band of the default instead (20 replications as one
ensemble pass and their quantiles, per band), ``--program members`` a 100-member pass recording
the KPIs' columns (per member).

No process writes bytecode files, so the two processes of an arm import alike: otherwise the
first compiles every module of a fresh worktree and the second reads the result, and the
difference leaves the compilation out of that arm's count (``4113757`` counted 171 M
instructions per run so, 245 M with every process compiling; 2026-12-04). Every program
freezes the garbage collector after its warm-up, so that a full collection (it walks every
object the imports made) falling in one arm's counted runs and not the other's does not weigh
on the comparison. Band and member counts still moved by tens of per cent between sessions for
the same code: treat them as indicative, and compare single runs for a decision.

Usage: python benchmarks/bench_versions.py --base REV [--runs N] [--program single|band|members]
       (needs valgrind; minutes)
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: What each measured process runs: one warm-up model, then ``runs`` more (argv[1]); it prints
#: how many runs and months it simulated after the warm-up.
PROGRAM = """
import gc, sys
from sim.model import SharedServiceModel
from sim.scenarios import load_scenario
p = load_scenario("default").params()
SharedServiceModel(p, rng=1).run_model()
gc.collect()
gc.freeze()
months = 0
for seed in range(2, 2 + int(sys.argv[1])):
    m = SharedServiceModel(p, rng=seed)
    m.run_model()
    months += m.steps
print(f"runs={int(sys.argv[1])} months={months}")
"""
#: The app's band (``sim_app.session.uncertainty``) and a 100-member pass: one warm-up of each,
#: the collector frozen, then ``runs`` more (argv[1]) of the one asked for (argv[2]).
ENSEMBLE_PROGRAM = """
import gc, sys
from sim.ensemble import run_members
from sim.scenarios import load_scenario
from sim.seeds import replication_seeds
from sim_app.session.state import BAND_KEYS
from sim_app.session.uncertainty import band_runs, quantile_band
p = load_scenario("default").params(None, None)
runs, what = int(sys.argv[1]), sys.argv[2]
quantile_band(list(band_runs(p, 1, 20, BAND_KEYS)))
run_members(p, replication_seeds(7, 10), record=())
gc.collect()
gc.freeze()
members = 0
for i in range(runs):
    if what == "band":
        quantile_band(list(band_runs(p, 1, 20, BAND_KEYS)))
        members += 20
    else:
        members += len(run_members(p, replication_seeds(2026 + i, 100), record=()))
print(f"{what}: runs={runs} members={members}")
"""
#: What each program's count is divided by, per run of it.
PER = {"single": ("run", 1), "band": ("band", 1), "members": ("member", 100)}


def instructions(root: Path, runs: int, program: str = "single") -> tuple[int, str]:
    """Instructions of one process under callgrind, and what it printed."""
    code, extra = (PROGRAM, []) if program == "single" else (ENSEMBLE_PROGRAM, [program])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cg.out"
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
             "-c", code, str(runs), *extra],
            cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin",
                           "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if not found:
        raise SystemExit(f"callgrind printed no count:\n{proc.stderr[-1000:]}")
    return int(found.group(1)), proc.stdout.strip()


def per_run(root: Path, runs: int, program: str = "single") -> tuple[float, str]:
    """Instructions per run (per band, per member) of the default scenario in the code at
    ``root``."""
    base, _ = instructions(root, 0, program)
    total, said = instructions(root, runs, program)
    return (total - base) / runs / PER[program][1], said


def main() -> None:
    """Count both arms and print their instructions per run and the ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True, help="git revision to compare with")
    ap.add_argument("--runs", type=int, default=5, help="runs counted per arm (default 5)")
    ap.add_argument("--program", choices=sorted(PER), default="single",
                    help="a single run, the app's band, or a 100-member pass")
    a = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind (Debian: apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(other), a.base],
                       cwd=ROOT, check=True)
        try:
            before, said_before = per_run(other, a.runs, a.program)
            after, said_after = per_run(ROOT, a.runs, a.program)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT,
                           check=True)
    if said_before != said_after:
        raise SystemExit(f"the arms ran different work: {said_before} against {said_after}")
    print(f"default scenario, {said_after} per arm (callgrind instruction counts)")
    unit = PER[a.program][0]
    print(f"  {a.base:<12} {before / 1e6:8.2f} M instructions per {unit}")
    print(f"  {'this checkout':<12} {after / 1e6:8.2f} M instructions per {unit}")
    print(f"  ratio        {after / before:8.2f} ×")


if __name__ == "__main__":
    main()
