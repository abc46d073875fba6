"""Command line: ``sim run``, ``sim scenarios``, ``sim params`` (and ``sim sweep`` / ``sim analyze``).

Built on the standard library's argparse; every bad input ends with a one-line error naming
what is wrong and what is allowed, and exit status 2. Every output file is checked before the
run starts and is never replaced without ``--force`` (``sim_cli.outputs``). Ctrl-C stops with
one line and exit status 130; ``sim run`` writes each file whole or not at all.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence

from sim.errors import SimInputError
from sim.kpis import FIGURE, FIGURES, KPIs, Writing, write
from sim.oserrors import describe, quiet_stdout
from sim.params import GROUPS, specs
from sim_calibrate.cli import add_calibrate_parser, add_uncertainty_options
from sim_cli.app_cmd import add_app_parser
from sim_cli.entry import INTERRUPTED
from sim_cli.options import (
    MAX_COMPARE_SEEDS,
    Parser,
    horizon,
    parameter_value,
    parse_sets,
    seed_value,
    whole_number,
)
from sim_cli.outputs import check_distinct, check_file, write_file
from sim_sweep.cli import add_sweep_parsers

OUT_SUFFIXES = (".parquet", ".csv")

INSTITUTIONS_HELP = ("a team's own institutions, a .csv or .xlsx file with the columns name, fte "
                     "and optionally group, wave, cost_per_fte, initial_trust, control_need "
                     "(template: sim/data/institutions_template.csv); the count, staff, groups "
                     "and waves it fixes are taken from it")


#: The command line writes shares and amounts with at least one decimal.
WRITING = Writing(min_digits=1)


def kpi_table(kpis: KPIs) -> str:
    """The KPIs as a readable two-column table with units (``sim.kpis.FIGURES``)."""
    values = kpis.to_dict()
    rows = [(f.label, write(f.name, values[f.name], WRITING)) for f in FIGURES]
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


def _scenario(name: str, institutions: str | None):
    """The scenario ``name``, with the institutions of ``--institutions FILE`` if given."""
    from sim.runner import resolve_scenario

    scenario = resolve_scenario(name)
    return scenario if institutions is None else scenario.with_institutions(institutions)


def _no_institutions_with_uncertainty(args: argparse.Namespace, *scenarios) -> None:
    if args.uncertainty == "posterior" or (args.uncertainty == "seeds" and args.command == "run"):
        if any(s.institutions is not None for s in scenarios):
            raise SimInputError(f"--uncertainty {args.uncertainty} does not take an "
                                "institutions file yet; allowed: --institutions (or a scenario "
                                "naming institutions) with one run (sim run) or paired seeds "
                                "(sim compare --uncertainty seeds)")


def cmd_run(args: argparse.Namespace) -> int:
    """Run one scenario and print / write its results."""
    from sim.runner import simulate

    if args.uncertainty != "none":
        return _run_predictive(args)

    out = (check_file(args.out, OUT_SUFFIXES, "--out", args.force)
           if args.out is not None else None)
    plot = (check_file(args.plot, (".png",), "--plot", args.force)
            if args.plot is not None else None)
    check_distinct(out, plot)
    scenario = _scenario(args.scenario, args.institutions)
    sets = parse_sets(args.set)
    scenario.params(sets)  # the --set values themselves, before --months replaces one
    params = scenario.params(sets, horizon(sets, args.months))
    seed = scenario.pick_seed(args.seed)
    arrays, kpis = simulate(params, seed, institutions=scenario.institutions)
    if out is not None:
        from sim.recorder import to_frame

        frame = to_frame(arrays)
        if out.real.suffix.lower() == ".csv":
            write_file(out, lambda tmp: frame.to_csv(tmp, index=False))
        else:
            write_file(out, lambda tmp: frame.to_parquet(tmp, index=False))
    if plot is not None:
        from sim_cli.plotting import save_run_plot

        write_file(plot, lambda tmp: save_run_plot(tmp, arrays, kpis, scenario.title))
    if args.json:
        print(json.dumps(kpis.to_dict()))
    else:
        table = scenario.institutions
        own = (f", {len(table):,} institutions from {table.source}" if table is not None
               else "")
        print(f"{scenario.title} — seed {seed}, {params.months} months{own}\n")
        print(kpi_table(kpis))
        for target in (out, plot):
            if target is not None:
                print(f"\nwrote {target.path}")
    return 0


def _run_predictive(args: argparse.Namespace) -> int:
    """``sim run --uncertainty seeds|posterior``: median and 10–90 % of every KPI."""
    from sim_calibrate.cli import band_text, chosen_posterior, describe_interval
    from sim_calibrate.uncertainty import bands, predictive_runs

    if args.out is not None or args.plot is not None:
        raise SimInputError("--out and --plot write one run; allowed: --uncertainty none "
                            "with them, or --uncertainty without them")
    scenario = _scenario(args.scenario, args.institutions)
    _no_institutions_with_uncertainty(args, scenario)
    sets = parse_sets(args.set)
    scenario.params(sets)
    months = horizon(sets, args.months)
    posterior = chosen_posterior(args, scenario)
    seed = scenario.pick_seed(args.seed)
    result = bands(predictive_runs(scenario, posterior, args.draws, seed, sets, months))
    if args.json:
        print(json.dumps({k: b.__dict__ for k, b in result.items()}))
        return 0
    print(f"{scenario.title} — master seed {seed}")
    print(describe_interval(args, posterior, args.draws) + "\n")
    rows = [(f.label, band_text(f.name, result[f.name], WRITING)) for f in FIGURES]
    width = max(len(r[0]) for r in rows)
    print("\n".join(f"{label:<{width}}  {value}" for label, value in rows))
    return 0


def _compare_predictive(args: argparse.Namespace, sc_a, sc_b, sets, vs_sets, months) -> int:
    """``sim compare --uncertainty posterior``: paired draws of parameters and seeds."""
    from sim_calibrate.cli import band_text, chosen_posterior, describe_interval
    from sim_calibrate.uncertainty import paired_predictive

    posterior = chosen_posterior(args, sc_a)
    a, b, diff = paired_predictive(sc_a, sc_b, posterior, args.seeds, args.seed, sets,
                                   {**sets, **vs_sets}, months)
    if args.json:
        print(json.dumps({"draws": args.seeds, **{name: {k: v.__dict__ for k, v in part.items()}
                                                  for name, part in (("a", a), ("b", b),
                                                                     ("b_minus_a", diff))}}))
        return 0
    print(f"A: {sc_a.title} {' '.join(args.set or [])}".rstrip())
    print(f"B: {sc_b.title} {' '.join((args.set or []) + (args.vs_set or []))}".rstrip())
    print(describe_interval(args, posterior, args.seeds) + "; B − A paired (the same draw "
          "and seed in both arms)\n")
    rows = [(f.label, band_text(f.name, a[f.name], WRITING), band_text(f.name, b[f.name], WRITING),
             band_text(f.name, diff[f.name], WRITING, diff=True)) for f in FIGURES]
    header = ("", "A", "B", "B − A (paired)")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    for r in [header, *rows]:
        print("  ".join(f"{c:<{w}}" for c, w in zip(r, widths, strict=True)))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare policy A with policy B over paired seeds."""
    from sim.seeds import replication_seeds
    from sim_cli.compare import compare

    sc_a = _scenario(args.scenario, args.institutions)
    sc_b = _scenario(args.vs_scenario if args.vs_scenario is not None else args.scenario,
                     args.vs_institutions or args.institutions)
    _no_institutions_with_uncertainty(args, sc_a, sc_b)
    sets, vs_sets = parse_sets(args.set), parse_sets(args.vs_set, "--vs-set")
    sc_a.params(sets)  # the --set / --vs-set values themselves, before --months replaces one
    sc_b.params({**sets, **vs_sets})
    months = horizon(vs_sets, horizon(sets, args.months), "--vs-set")
    a = sc_a.params(sets, months)
    b = sc_b.params({**sets, **vs_sets}, months)
    if a == b and sc_a.institutions == sc_b.institutions:
        raise SimInputError("A and B are the same policy: give --vs-set NAME=VALUE or "
                            "--vs-scenario NAME")
    if a.months != b.months:
        raise SimInputError(f"A runs {a.months} months and B {b.months} months: paired "
                            "differences need the same horizon; allowed: one horizon for both "
                            "(give it with --months N)")
    if args.uncertainty == "posterior":
        return _compare_predictive(args, sc_a, sc_b, sets, vs_sets, months)
    result = compare(a, b, replication_seeds(args.seed, args.seeds),
                     institutions=(sc_a.institutions, sc_b.institutions))
    if args.json:
        print(json.dumps({"seeds": result.seeds, "a": result.median_a, "b": result.median_b,
                          "b_minus_a": result.median_diff}))
        return 0
    def own(sc) -> str:
        table = sc.institutions
        return "" if table is None else f" ({len(table):,} institutions from {table.source})"

    print(f"A: {sc_a.title}{own(sc_a)} {' '.join(args.set or [])}".rstrip())
    print(f"B: {sc_b.title}{own(sc_b)} {' '.join((args.set or []) + (args.vs_set or []))}"
          .rstrip())
    print(f"medians over {len(result.seeds)} paired seeds (both arms use the same seeds)\n")
    def diff(key: str) -> str:
        value = result.median_diff[key]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return write(key, value, WRITING)
        if FIGURE[key].fmt == "share":
            return f"{value * 100:+.1f} percentage points"
        if FIGURE[key].fmt == "month":
            return f"{value:+,.1f} months"
        return ("+" if value > 0 else "") + write(key, value, WRITING)

    rows = [(f.label, write(f.name, result.median_a[f.name], WRITING),
             write(f.name, result.median_b[f.name], WRITING), diff(f.name)) for f in FIGURES]
    header = ("", "A", "B", "B − A (paired)")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    for r in [header, *rows]:
        print("  ".join(f"{c:<{w}}" for c, w in zip(r, widths, strict=True)))
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    """List the shipped scenarios with their titles."""
    from sim.scenarios import list_scenarios

    items = list_scenarios()
    width = max(len(s.name) for s in items)
    for s in items:
        print(f"{s.name:<{width}}  {s.title}")
        if args.verbose:
            for line in s.description.splitlines():
                print(f"{'':<{width}}    {line}")
            print(f"{'':<{width}}    sources: {'; '.join(s.sources)}")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    """List every parameter with its default, range, unit and meaning."""
    by_group = {key: [s for s in specs() if s.group == key] for key, _ in GROUPS}
    for key, title in GROUPS:
        print(f"\n{title}")
        for s in by_group[key]:
            print(f"  {s.name} = {s.default!r}  ({s.describe_allowed()})\n      {s.description}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``sim`` command."""
    parser = Parser(
        prog="sim", description="Simulate how a shared-service reform unfolds, month by month.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", help="run one scenario and print its key figures",
                         description="Run one scenario and print its key figures (KPIs).")
    run.add_argument("--scenario", default="default",
                     help="a shipped scenario's name (see `sim scenarios`), or a scenario "
                          "file: a path with a folder or a .toml suffix (a bare name is "
                          "always a shipped scenario, even when a file of that name is here; "
                          "write ./NAME for the file) (default: %(default)s)")
    run.add_argument("--seed", type=seed_value, default=None,
                     help="random seed, a whole number ≥ 0 (default: the scenario file's "
                          "seed, else 1)")
    run.add_argument("--months", type=parameter_value("months"), default=None,
                     help="horizon in months (1 to 600; or --set months=N, not both)")
    run.add_argument("--set", action="append", metavar="NAME=VALUE",
                     help="override a parameter (repeatable; see `sim params`)")
    run.add_argument("--institutions", metavar="FILE", help=INSTITUTIONS_HELP)
    run.add_argument("--json", action="store_true", help="print the KPIs as one JSON object")
    run.add_argument("--out", metavar="FILE", help="write the monthly series (.parquet or .csv)")
    run.add_argument("--plot", metavar="FILE.png", help="draw the run's key chart")
    run.add_argument("--force", action="store_true",
                     help="replace an existing --out or --plot file (it keeps its mode; a "
                          "symbolic link is written through); without it an existing file is "
                          "refused before the run starts")
    add_uncertainty_options(run)
    run.set_defaults(func=cmd_run)
    cmp = sub.add_parser(
        "compare", help="compare two policies on the same seeds (median KPIs and differences)",
        description="Compare policy A (the scenario plus --set) with policy B (A plus --vs-set, "
                    "or --vs-scenario) over paired seeds: both arms use the same seeds, so the "
                    "difference is the policy, not the dice.")
    cmp.add_argument("--scenario", default="default", help="scenario of A (and of B unless "
                     "--vs-scenario is given): a shipped name, or a path with a folder or a "
                     ".toml suffix (default: %(default)s)")
    cmp.add_argument("--set", action="append", metavar="NAME=VALUE", help="override in both arms")
    cmp.add_argument("--vs-scenario", metavar="NAME", help="scenario of B (a shipped name, or a "
                     "path with a folder or a .toml suffix)")
    cmp.add_argument("--vs-set", action="append", metavar="NAME=VALUE", help="override in B only")
    cmp.add_argument("--seeds", type=whole_number(1, MAX_COMPARE_SEEDS), default=20,
                     help=f"paired replications, 1 to {MAX_COMPARE_SEEDS:,} (default: 20)")
    cmp.add_argument("--seed", type=seed_value, default=1, help="master seed of the "
                     "replication seeds, a whole number ≥ 0 (numpy SeedSequence; default: 1)")
    cmp.add_argument("--months", type=parameter_value("months"), default=None,
                     help="horizon in months of both arms (A and B must share one horizon)")
    cmp.add_argument("--institutions", metavar="FILE", help=INSTITUTIONS_HELP + " (both arms)")
    cmp.add_argument("--vs-institutions", metavar="FILE", help="B's own institutions instead "
                     "(e.g. the same list without its wave column, to compare waves with a big "
                     "bang: a file's waves fix the roll-out)")
    cmp.add_argument("--json", action="store_true", help="print medians as one JSON object")
    add_uncertainty_options(cmp, compare=True)
    cmp.set_defaults(func=cmd_compare)
    sc = sub.add_parser("scenarios", help="list the shipped scenarios")
    sc.add_argument("-v", "--verbose", action="store_true", help="also descriptions, sources")
    sc.set_defaults(func=cmd_scenarios)
    pa = sub.add_parser("params", help="list every parameter: default, range, unit, meaning")
    pa.set_defaults(func=cmd_params)
    add_sweep_parsers(sub)
    add_calibrate_parser(sub)
    add_app_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sim`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = int(args.func(args) or 0)
        _flush_stdout()  # a full or closed output is reported here, not at exit
        return code
    except SimInputError as exc:
        print(f"sim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader took what it wanted and closed the pipe (``sim params | head``): done.
        quiet_stdout()
        return 0
    except OSError as exc:
        return _os_error(exc)


class _OutputError(OSError):
    """The standard output could not be written (full device, I/O error)."""


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _OutputError(exc.errno, exc.strerror) from None


def _os_error(exc: OSError) -> int:
    """Report an operating-system error in one line (``sim.oserrors``); exit status 2."""
    what = ""
    if isinstance(exc, _OutputError) or (exc.filename is None and _raised_by_print(exc)):
        what = "the standard output"
        quiet_stdout()
    print(f"sim: error: {describe(exc, what)}", file=sys.stderr)
    return 2


#: The modules whose code prints the commands' output (nothing else writes to stdout).
_PRINTERS = ("sim_cli/main.py", "sim_sweep/cli.py")


def _raised_by_print(exc: BaseException) -> bool:
    """Whether the error came straight from a ``print`` of the command line's own code."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return last is not None and last.replace("\\", "/").endswith(_PRINTERS)


if __name__ == "__main__":
    sys.exit(main())
