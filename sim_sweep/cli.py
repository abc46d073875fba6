"""Command-line pieces of the sweep engine: ``sim sweep`` and ``sim analyze``.

``sim_cli/main.py`` calls :func:`add_sweep_parsers` with its argparse sub-parsers; each sub-command
stores its handler in ``func`` (``args.func(args)`` returns the exit code).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sim.errors import SimInputError
from sim.outputs import check_folder
from sim_sweep.analyze import analyze
from sim_sweep.engine import check, run_sweep
from sim_sweep.errors import SweepError
from sim_sweep.executors import EXECUTORS
from sim_sweep.spec import load_sweep


def add_sweep_parsers(subparsers: Any) -> None:
    """Add the ``sweep`` and ``analyze`` sub-commands to an argparse sub-parser set."""
    p = subparsers.add_parser(
        "sweep", help="run a sweep file (experiments/*.toml)",
        description="Run every design point × replication of a sweep file into its output "
                    "folder (Parquet parts + an append-only log). See experiments/README.md.")
    p.add_argument("file", help="sweep file (TOML)")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes (default: the sweep file's, else every core)")
    p.add_argument("--executor", choices=EXECUTORS, default="process",
                   help="process pool (default), dask, mpi or serial (in-process)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="address of a running Dask scheduler (tcp://host:8786)")
    p.add_argument("--resume", action="store_true",
                   help="continue or extend the sweep in its existing output folder; only "
                        "runs not yet stored are computed")
    p.add_argument("--retry-failed", action="store_true",
                   help="rerun the runs recorded as failed (implies --resume)")
    p.add_argument("--batch-size", type=int, default=None, help="runs per batch (default: auto)")
    p.add_argument("--output", default=None, help="output folder (overrides the file's)")
    p.add_argument("--check", action="store_true",
                   help="validate the file and print the design's size; run nothing")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=sweep_main)

    a = subparsers.add_parser(
        "analyze", help="summarise a sweep's results",
        description="Per-point KPI statistics, Sobol or Morris indices where the design "
                    "allows, PNG charts and a self-contained HTML report, written to "
                    "FOLDER/analysis/.")
    a.add_argument("folder", help="a sweep's output folder")
    a.add_argument("--kpi", action="append", default=None,
                   help="KPI to chart (repeatable; default: the file's [analysis] kpis)")
    a.add_argument("--out", default=None, help="where to write (default FOLDER/analysis)")
    a.add_argument("--force", action="store_true",
                   help="replace the files of an earlier analysis in the output folder; "
                        "without it a folder that holds files is refused before any work")
    a.set_defaults(func=analyze_main)


def _fail(msg: str, code: int = 2) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return code


def sweep_main(args: argparse.Namespace) -> int:
    """Handle ``sim sweep``; return the exit code."""
    try:
        sweep = load_sweep(args.file)
        if args.check:
            info = check(sweep)
            print(f"{args.file}: OK — design '{sweep.spec.design}', {info['points']} points × "
                  f"{info['replications']} replications = {info['runs']} runs → "
                  f"{sweep.output_dir(args.output)}")
            return 0
        workers = args.workers or sweep.spec.execution.workers
        res = run_sweep(sweep, kind=args.executor, workers=workers, scheduler=args.scheduler,
                        resume=args.resume, retry_failed=args.retry_failed,
                        batch_size=args.batch_size, output=args.output,
                        progress=False if args.no_progress else None)
    except (SweepError, SimInputError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        print("\ninterrupted: finished batches are kept; rerun with --resume to finish.",
              file=sys.stderr)
        return 130
    print(f"{res.done} runs done, {res.failed} failed, {res.skipped} already stored "
          f"(of {res.total}) in {res.elapsed:.1f} s ({res.rate:.1f} runs/s) → {res.out}")
    if res.failed:
        print(f"{res.failed} runs failed (tracebacks in {res.out}/log.jsonl); rerun them with "
              "--retry-failed.", file=sys.stderr)
    return 1 if res.failed else 0


def analyze_main(args: argparse.Namespace) -> int:
    """Handle ``sim analyze``; return the exit code."""
    try:
        out = args.out if args.out is not None else str(Path(args.folder) / "analysis")
        check_folder(out, "--out" if args.out is not None else "analysis folder", args.force)
        report = analyze(args.folder, kpis=args.kpi, out=args.out)
    except (SweepError, SimInputError) as exc:
        return _fail(str(exc))
    print(f"analysis of {report.runs} runs ({report.points} points) → {report.out}")
    print(f"report: {report.out / 'report.html'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point (``python -m sim_sweep.cli sweep FILE``)."""
    parser = argparse.ArgumentParser(prog="sim")
    sub = parser.add_subparsers(dest="command", required=True)
    add_sweep_parsers(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
