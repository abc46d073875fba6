"""Command-line pieces of the sweep engine: ``sim sweep`` and ``sim analyze``.

``sim_cli/main.py`` calls :func:`add_sweep_parsers` with its argparse sub-parsers; each sub-command
stores its handler in ``func`` (``args.func(args)`` returns the exit code). Every bad input
(a bad file, folder, number or option combination) ends with one line naming what is wrong
and what is allowed, and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sim.arguments import parse_whole
from sim.errors import SimInputError
from sim_cli.outputs import check_folder
from sim_sweep import store
from sim_sweep.analyze import analyze, replication_lines
from sim_sweep.discover import DiscoveryError
from sim_sweep.engine import run_sweep
from sim_sweep.errors import SweepError
from sim_sweep.estimate import check, describe, guard, runs_of
from sim_sweep.executors import EXECUTORS, default_workers
from sim_sweep.spec import load_sweep


def add_sweep_parsers(subparsers: Any) -> None:
    """Add the ``sweep`` and ``analyze`` sub-commands to an argparse sub-parser set."""
    p = subparsers.add_parser(
        "sweep", help="run a sweep file (experiments/*.toml)",
        description="Run every design point × replication of a sweep file into its output "
                    "folder (Parquet parts + an append-only log). See experiments/README.md.")
    p.add_argument("file", help="sweep file (TOML)")
    p.add_argument("--workers", metavar="N", default=None,
                   help="worker processes, a whole number ≥ 1 (default: the sweep file's, "
                        "else every core)")
    p.add_argument("--executor", default="process", metavar="|".join(EXECUTORS),
                   help="process pool (default), dask, mpi or serial (in-process)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="address of a running Dask scheduler (tcp://host:8786)")
    p.add_argument("--resume", action="store_true",
                   help="continue the same sweep file in its existing output folder; only "
                        "runs not yet stored are computed")
    p.add_argument("--extend", action="store_true",
                   help="add the runs of a changed version of the same sweep (same name: "
                        "more points or replications) to its existing output folder")
    p.add_argument("--retry-failed", action="store_true",
                   help="rerun the runs recorded as failed (implies --resume)")
    p.add_argument("--repair", action="store_true",
                   help="move damaged files of the output folder (truncated or unreadable "
                        "parts, design chunks, sweep-file copies) to its damaged/ folder and "
                        "compute their runs again (implies --resume unless --extend)")
    p.add_argument("--batch-size", metavar="N", default=None,
                   help="runs per batch, a whole number ≥ 1 (default: automatic)")
    p.add_argument("--output", default=None, help="output folder (overrides the file's)")
    p.add_argument("--check", action="store_true",
                   help="validate the file, print the run count at once, then the time and "
                        "disk a short pilot suggests; run nothing else")
    p.add_argument("--yes", action="store_true",
                   help="run even if the sweep has more runs than [execution] confirm_above")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=sweep_main)

    a = subparsers.add_parser(
        "analyze", help="summarise a sweep's results",
        description="Per-point KPI statistics, Sobol or Morris indices where the design "
                    "allows, feature scores, robustness across [cases], charts (PNG and SVG) "
                    "and a self-contained HTML report, written to FOLDER/analysis/. With "
                    "--discover, scenario discovery (PRIM or CART) of the runs where a "
                    "condition on a KPI holds.")
    a.add_argument("folder", help="a sweep's output folder")
    a.add_argument("--kpi", action="append", default=None,
                   help="KPI to chart (repeatable; default: the file's [analysis] kpis)")
    a.add_argument("--out", default=None, help="where to write (default FOLDER/analysis)")
    a.add_argument("--discover", metavar="'KPI < VALUE'", default=None,
                   help="scenario discovery of the runs where the condition holds, e.g. "
                        "\"cumulative_net_benefit_end_mdkk < 0\" (operators < <= > >=)")
    a.add_argument("--method", default="prim", metavar="prim|cart",
                   help="rule induction for --discover: prim (default) or cart")
    a.add_argument("--force", action="store_true",
                   help="replace the files of an earlier analysis in the output folder; "
                        "without it a folder that holds files is refused before any work")
    a.set_defaults(func=analyze_main)


#: The largest --workers or --batch-size taken (a bound, so ``10^30`` is a clear refusal).
MAX_WHOLE = 1_000_000


def _fail(msg: str, code: int = 2) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return code


def _whole(option: str, text: str | None) -> int | None:
    """``text`` as a whole number ≥ 1 (ASCII digits, as ``--set`` reads one), or None.

    Raises:
        ParameterError: anything else (``1_0``, ``٢``, ``10^30``), naming the option.
    """
    return None if text is None else parse_whole(text, option, 1, MAX_WHOLE)


def _folder_name(option: str, text: str | None) -> str | None:
    """A folder option's text, refusing an empty one (it would silently mean the default)."""
    if text is not None and not text.strip():
        raise SweepError(f"{option} {text!r}: the folder name is empty; allowed: a folder name "
                         "(or leave the option out for the default)")
    return text


def sweep_main(args: argparse.Namespace) -> int:
    """Handle ``sim sweep``; return the exit code."""
    sweep = None
    try:
        workers = _whole("--workers", args.workers)
        batch_size = _whole("--batch-size", args.batch_size)
        output = _folder_name("--output", args.output)
        if args.executor not in EXECUTORS:
            raise SweepError(f"--executor {args.executor!r}: allowed: {', '.join(EXECUTORS)}.")
        if args.resume and args.extend:
            raise SweepError("--resume and --extend: give one (--extend also resumes).")
        sweep = load_sweep(args.file)
        workers = workers or sweep.spec.execution.workers
        if args.check:
            return _check(args, sweep, workers)
        guard(sweep, args.yes)
        res = run_sweep(sweep, kind=args.executor, workers=workers, scheduler=args.scheduler,
                        resume=args.resume, extend=args.extend,
                        retry_failed=args.retry_failed, batch_size=batch_size,
                        output=output, progress=False if args.no_progress else None,
                        yes=args.yes, repair=args.repair)
    except (SweepError, SimInputError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        out = sweep.output_dir(args.output) if sweep is not None else None
        if out is not None and store.is_sweep_folder(out):
            print("\ninterrupted: finished batches are kept; rerun with --resume to finish.",
                  file=sys.stderr)
        else:
            print("\ninterrupted before any run was stored; nothing was kept.", file=sys.stderr)
        return 130
    dup = f", {res.duplicates} repeat earlier points" if res.duplicates else ""
    print(f"{res.done} runs done, {res.failed} failed, {res.skipped} already stored{dup} "
          f"(of {res.total}) in {res.elapsed:.1f} s ({res.rate:.1f} runs/s) → {res.out}")
    if res.failed:
        print(f"{res.failed} runs failed (tracebacks in {res.out}/log.jsonl); rerun them with "
              "--retry-failed.", file=sys.stderr)
    return 1 if res.failed else 0


def _check(args: argparse.Namespace, sweep: Any, workers: int | None) -> int:
    n = workers or default_workers()
    guard(sweep, yes=True)  # only the absolute ceiling: --check is for sizing the rest
    points, runs = runs_of(sweep)
    print(f"{args.file}: design '{sweep.spec.design}', {points:,} points × "
          f"{sweep.spec.replications} replications = {runs:,} runs → "
          f"{sweep.output_dir(args.output)}", flush=True)
    if sweep.draws is not None:
        d = sweep.draws
        print(f"draws: {len(d):,} from the posterior of {d.label}, file {d.path} (SHA-256 "
              f"{d.sha256[:16]}…), {len(set(d.particles.tolist())):,} distinct particles; "
              f"they set {', '.join(d.names)}", flush=True)
    est = check(sweep, pilot=3, workers=n)
    print(f"estimate: {describe(est)}")
    if est.validated < est.points:
        print(f"validated the first {est.validated:,} points; the rest are validated as "
              "they are generated.")
    if est.runs > sweep.spec.execution.confirm_above:
        print(f"more runs than [execution] confirm_above = "
              f"{sweep.spec.execution.confirm_above:,}: running it needs --yes.")
    return 0


def _outside_data(folder: str, out: str) -> None:
    """Refuse an analysis folder that is the sweep's folder or inside one of its data folders.

    The analysis files in ``runs/`` would make ``pd.read_parquet(FOLDER / "runs")`` fail, and
    in the sweep folder itself they would sit among its own files.

    Raises:
        SweepError: naming the option, the folder and what is allowed.
    """
    if not out.strip():
        return  # check_folder names an empty name
    root, target = Path(folder).resolve(), Path(out).resolve()
    inside = [root / sub for sub in store.DATA_FOLDERS if target.is_relative_to(root / sub)]
    if target == root or inside:
        where = "the sweep's folder" if target == root else f"the sweep's {inside[0].name}/ folder"
        raise SweepError(f"--out '{out}' is {where if target == root else 'inside ' + where}, "
                         "which holds the sweep's data; allowed: a folder outside it, or a new "
                         f"one inside it such as '{Path(folder) / 'analysis'}'")


def analyze_main(args: argparse.Namespace) -> int:
    """Handle ``sim analyze``; return the exit code."""
    try:
        if args.method not in ("prim", "cart"):
            raise SweepError(f"--method {args.method!r}: allowed: prim, cart.")
        out = args.out if args.out is not None else str(Path(args.folder) / "analysis")
        _outside_data(args.folder, out)
        check_folder(out, "--out" if args.out is not None else "analysis folder", args.force)
        report = analyze(args.folder, kpis=args.kpi, out=args.out, discover=args.discover,
                         method=args.method)
    except (SweepError, SimInputError, DiscoveryError) as exc:
        return _fail(str(exc))
    print(f"analysis of {report.runs} runs ({report.points} points) → {report.out}")
    for line in report.discovery_lines:
        print(line)
    for line in replication_lines(report):
        print(line)
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
