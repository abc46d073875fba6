"""``sim app``: serve the app, optionally on a sweep folder so that its stored runs open live
(``sim app --sweep results/X --run RUN_ID``: that run's exact scenario, parameters and seed;
the page checks that the series it shows equal the stored ones)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sim_cli.options import whole_number


def add_app_parser(sub) -> None:
    """The ``sim app`` subcommand."""
    p = sub.add_parser(
        "app", help="serve the app (on a sweep folder: open its runs live)",
        description="Serve the app in the browser. With --sweep, the app opens that sweep's "
                    "stored runs (address /?run=RUN_ID, linked from the sweep report's run "
                    "table) with their exact scenario, parameters and seed, and checks that the "
                    "series it shows equal the stored ones.")
    p.add_argument("--sweep", metavar="FOLDER", help="a sweep's output folder")
    p.add_argument("--run", metavar="RUN_ID", help="the run to open first (its run_id; needs "
                   "--sweep)")
    p.add_argument("--port", type=whole_number(1, 65535), default=8765,
                   help="port (default: %(default)s)")
    p.add_argument("--host", default="localhost",
                   help="address to listen on (default: %(default)s; 0.0.0.0 for a room)")
    p.add_argument("--check-only", action="store_true",
                   help="check the sweep and the run and print the address, without serving")
    p.set_defaults(func=cmd_app)


def cmd_app(args: argparse.Namespace) -> int:
    """Check the sweep folder and the run (one line on a problem), then serve the app."""
    from sim_sweep.errors import SweepError
    from sim_sweep.openrun import SWEEP_ENV, differences, load_run

    if args.run and not args.sweep:
        raise SweepError("--run needs --sweep FOLDER: the sweep folder that holds the run")
    env = dict(os.environ)
    url = f"http://{args.host}:{args.port}/"
    if args.sweep:
        folder = Path(args.sweep).resolve()
        if args.run:
            from sim.runner import simulate

            stored = load_run(folder, args.run)
            arrays, _ = simulate(stored.params, stored.seed)
            differ = differences(stored, arrays)
            if differ:
                raise SweepError(f"run {args.run} of {folder}: this model does not give the "
                                 f"stored run ({', '.join(differ)} differ); allowed: a sweep "
                                 "run with this version of the model")
            print(f"sim app: run {args.run} (seed {stored.seed}): {len(stored.months)} "
                  f"stored months × {len(stored.series)} columns and {len(stored.kpis)} key "
                  "figures equal a run of this model")
            url += f"?run={args.run}"
        else:
            load_run_folder_check(folder)
        env[SWEEP_ENV] = str(folder)
    print(f"sim app: {url}")
    sys.stdout.flush()
    if args.check_only:
        return 0
    from sim_app.serving import ROOT, fetch_assets

    env["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(fetch_assets())
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "false"
    solara = str(Path(sys.executable).parent / "solara")
    os.chdir(ROOT)
    os.execve(solara, [solara, "run", "app.py", "--port", str(args.port), "--host", args.host,
                       "--production"], env)
    return 0  # not reached


def load_run_folder_check(folder: Path) -> None:
    """One line unless ``folder`` is a sweep's output folder."""
    from sim_sweep import store
    from sim_sweep.errors import SweepError

    if not folder.is_dir() or not store.is_sweep_folder(folder):
        raise SweepError(f"{folder} is not a sweep folder; allowed: a sweep's output folder "
                         "(the one holding log.jsonl, runs/ and series/)")
