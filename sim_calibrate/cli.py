"""``sim calibrate FILE``: the command line of the calibration.

``sim_cli/main.py`` calls :func:`add_calibrate_parser`. Bad input (a bad file, folder, option)
ends with one line naming what is wrong and what is allowed, and exit status 2; Ctrl-C with one
line and exit status 130, after which the same command continues from the last finished
generation.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from sim_calibrate.uncertainty import MAX_DRAWS
from sim_cli.options import whole_number
from sim_sweep.executors import default_workers

EXECUTORS = ("process", "dask", "serial")


def add_calibrate_parser(subparsers: Any) -> None:
    """Add the ``calibrate`` sub-command."""
    p = subparsers.add_parser(
        "calibrate", help="estimate behavioural parameters from targets (ABC-SMC, pyabc)",
        description="Approximate Bayesian computation with sequential Monte Carlo (pyabc) "
                    "over the priors of a calibration file, fitted to its targets; writes "
                    "the history (SQLite, resumable), the posterior (Parquet, with "
                    "provenance), posterior predictive checks and a report. Run the same "
                    "command again after a kill or Ctrl-C to continue. See "
                    "docs/calibration.md.")
    p.add_argument("file", help="calibration file (TOML), e.g. calibration/default.toml")
    p.add_argument("--out", default=None, metavar="FOLDER",
                   help="output folder (default: calibration/runs/NAME beside the file)")
    p.add_argument("--executor", default="process", choices=EXECUTORS,
                   help="process pool (default), dask (a local cluster, or --scheduler) or "
                        "serial (in this process)")
    p.add_argument("--workers", type=whole_number(1, 100_000), default=None, metavar="N",
                   help=f"worker processes (default: every core this process may use, here "
                        f"{default_workers()})")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="address of a running Dask scheduler (tcp://host:8786)")
    p.add_argument("--fresh", action="store_true",
                   help="start again: remove the output folder's history, posterior and report "
                        "first (without it an existing history of the same file continues)")
    p.add_argument("--check", action="store_true",
                   help="check the file and run every target once at the priors' middle; "
                        "run nothing else")
    p.add_argument("--no-progress", action="store_true", help="no progress lines")
    p.set_defaults(func=calibrate_main)


def calibrate_main(args: argparse.Namespace) -> int:
    """Run ``sim calibrate``."""
    from sim_calibrate.errors import CalibrationError
    from sim_calibrate.runner import HISTORY, POSTERIOR, PREDICTIVE, RUN_FILE, calibrate
    from sim_calibrate.simulate import Simulator
    from sim_calibrate.spec import load_calibration

    cal = load_calibration(args.file)
    if args.scheduler and args.executor != "dask":
        raise CalibrationError("--scheduler applies to --executor dask only")
    if args.check:
        middle = {p.name: 0.5 * (p.low + p.high) for p in cal.priors}
        values = Simulator(cal, fit_only=False)(middle)
        width = max(len(t.name) for t in cal.targets)
        print(f"{args.file}: {len(cal.priors)} priors, {len(cal.fit_targets)} fitted and "
              f"{len(cal.check_targets)} held-out targets over {len(cal.variants())} scenario "
              "variants; at the priors' middle:")
        for t in cal.targets:
            print(f"  {t.name:<{width}}  {values[t.name]:.4g}  (observed "
                  f"{t.describe_observed()}, {t.spec.use})")
        return 0
    folder = Path(args.out) if args.out else Path(args.file).parent / "runs" / cal.name
    if folder.exists() and not folder.is_dir():
        raise CalibrationError(f"--out {folder} is a file; allowed: a folder (new or one "
                               "holding a calibration of this file)")
    if args.fresh and folder.is_dir():
        for name in (HISTORY, RUN_FILE, POSTERIOR, PREDICTIVE):
            (folder / name).unlink(missing_ok=True)
        shutil.rmtree(folder / "report", ignore_errors=True)
    stream = None if args.no_progress else sys.stderr
    try:
        summary = calibrate(cal, folder, args.executor, args.workers, args.scheduler, stream)
    except KeyboardInterrupt:
        print(f"sim: interrupted; every finished generation is kept in {folder / HISTORY}: "
              "run the same command to continue", file=sys.stderr)
        raise
    gens = summary["generations"]
    print(f"{cal.name}: {len(gens)} generations, final threshold {gens[-1].epsilon:.3g}, "
          f"effective sample size {gens[-1].ess:.0f}")
    print(f"wrote {summary['posterior']}")
    print(f"wrote {summary['report']}")
    return 0


# --- --uncertainty for sim run and sim compare ----------------------------------------------

#: Predictive draws when ``--draws`` is not given.
DEFAULT_DRAWS = 40


def add_uncertainty_options(p: argparse.ArgumentParser, compare: bool = False) -> None:
    """``--uncertainty``, ``--posterior`` (and ``--draws`` for ``sim run``)."""
    choices = ("seeds", "posterior") if compare else ("none", "seeds", "posterior")
    p.add_argument("--uncertainty", choices=choices, default=choices[0],
                   help=("what the interval includes: seeds (seed noise at the scenario's "
                         "parameters) or posterior (parameters drawn from a calibration's "
                         "posterior, each with its own seed; both arms share each draw and "
                         "seed)") if compare else
                   ("none (one run, default), seeds (runs over --draws seeds at the "
                    "scenario's parameters) or posterior (--draws runs, each at a draw from "
                    "the calibration's posterior and its own seed): median and 10–90 %%"))
    p.add_argument("--posterior", default=None, metavar="NAME|FILE",
                   help="the posterior to draw from: a shipped one's name or a .parquet file "
                        "from sim calibrate (default: the scenario's 'posterior', else "
                        "'default')")
    if not compare:
        p.add_argument("--draws", type=whole_number(2, MAX_DRAWS), default=DEFAULT_DRAWS,
                       metavar="N", help=f"predictive runs with --uncertainty, 2 to "
                                         f"{MAX_DRAWS:,} (default: {DEFAULT_DRAWS})")


def chosen_posterior(args: argparse.Namespace, scenario: Any) -> Any:
    """The posterior ``--uncertainty posterior`` draws from (None for seeds only)."""
    if args.uncertainty != "posterior":
        return None
    from sim_calibrate.posterior import read_posterior

    return read_posterior(args.posterior or scenario.posterior or "default")


def describe_interval(args: argparse.Namespace, posterior: Any, n: int) -> str:
    """What the interval includes, in one line."""
    if posterior is None:
        return f"median (10–90 %) over {n} runs with their own seeds: seed noise only"
    name = posterior.provenance.get("calibration", "?")
    return (f"median (10–90 %) over {n} runs, each at a draw from the posterior of calibration "
            f"'{name}' and its own seed: parameter uncertainty and seed noise together")


def band_text(key: str, b: Any, writing: Any, diff: bool = False) -> str:
    """``median (low–high)`` in the command line's units."""
    from sim.kpis import FIGURE, write

    def one(v: float | None) -> str:
        if v is None:
            return "never"
        if diff and FIGURE[key].fmt == "share":
            return f"{v * 100:+.1f} pp"
        if diff and FIGURE[key].fmt == "month":
            return f"{v:+,.1f} months"
        return write(key, v, writing)

    text = f"{one(b.median)} ({one(b.low)} – {one(b.high)})"
    if b.never > 0 and not diff:
        text += f", never in {b.never * 100:.0f} %"
    return text
