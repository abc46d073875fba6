"""Instructions per run of the default scenario: this checkout against another git revision.

Wall-clock time on a shared machine moves with the load; the number of instructions a run
executes does not (``valgrind --tool=callgrind`` counts them, whatever else the machine does).
For each arm (this checkout, and ``--base`` checked out into a temporary git worktree) the script
counts a process that builds and runs one model (imports and first-call costs) and a process
that then runs ``--runs`` more; the difference over ``--runs`` is the instructions per run. Both
arms run the same scenario, the same seeds and the same number of runs and months; the script
checks that before it prints the ratio.

Usage: python benchmarks/bench_versions.py --base REV [--runs N]   (needs valgrind; minutes)
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
import sys
from sim.model import SharedServiceModel
from sim.scenarios import load_scenario
p = load_scenario("default").params()
SharedServiceModel(p, rng=1).run_model()
months = 0
for seed in range(2, 2 + int(sys.argv[1])):
    m = SharedServiceModel(p, rng=seed)
    m.run_model()
    months += m.steps
print(f"runs={int(sys.argv[1])} months={months}")
"""


def instructions(root: Path, runs: int) -> tuple[int, str]:
    """Instructions of one process under callgrind, and what it printed."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cg.out"
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
             "-c", PROGRAM, str(runs)],
            cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
            capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if not found:
        raise SystemExit(f"callgrind printed no count:\n{proc.stderr[-1000:]}")
    return int(found.group(1)), proc.stdout.strip()


def per_run(root: Path, runs: int) -> tuple[float, str]:
    """Instructions per run of the default scenario in the code at ``root``."""
    base, _ = instructions(root, 0)
    total, said = instructions(root, runs)
    return (total - base) / runs, said


def main() -> None:
    """Count both arms and print their instructions per run and the ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True, help="git revision to compare with")
    ap.add_argument("--runs", type=int, default=5, help="runs counted per arm (default 5)")
    a = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind (Debian: apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(other), a.base],
                       cwd=ROOT, check=True)
        try:
            before, said_before = per_run(other, a.runs)
            after, said_after = per_run(ROOT, a.runs)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT,
                           check=True)
    if said_before != said_after:
        raise SystemExit(f"the arms ran different work: {said_before} against {said_after}")
    print(f"default scenario, {said_after} per arm (callgrind instruction counts)")
    print(f"  {a.base:<12} {before / 1e6:8.1f} M instructions per run")
    print(f"  {'this checkout':<12} {after / 1e6:8.1f} M instructions per run")
    print(f"  ratio        {after / before:8.2f} ×")


if __name__ == "__main__":
    main()
