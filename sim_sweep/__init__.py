"""Sweeps: designs, replications, executors and the result store (the engine behind
``experiments/``). The model package never imports this one; this one uses only the model's
public API (``sim.params``, ``sim.scenarios``, ``sim.runner.simulate``).

Typical use::

    from sim_sweep import load_sweep, run_sweep
    result = run_sweep(load_sweep("experiments/dialogue_x_clarity.toml"), workers=2)

Command line: ``sim sweep FILE`` and ``sim analyze FOLDER`` (:mod:`sim_sweep.cli`).
"""

from __future__ import annotations

from sim_sweep.cli import add_sweep_parsers, analyze_main, sweep_main
from sim_sweep.engine import SweepResult, run_sweep
from sim_sweep.errors import SweepError, SweepFileError
from sim_sweep.estimate import check
from sim_sweep.plan import make_plan
from sim_sweep.spec import Sweep, load_sweep, parse_sweep

__all__ = [
    "Sweep", "SweepError", "SweepFileError", "SweepResult", "add_sweep_parsers", "analyze_main",
    "check", "load_sweep", "make_plan", "parse_sweep", "run_sweep", "sweep_main",
]
