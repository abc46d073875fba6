"""Sweeps: designs, replications, executors and the result store (the engine behind
``experiments/``). The model package never imports this one; this one uses only the model's
public API (``sim.params``, ``sim.scenarios``, ``sim.runner.simulate``).

Typical use::

    from sim.sweep import load_sweep, run_sweep
    result = run_sweep(load_sweep("experiments/dialogue_x_clarity.toml"), workers=2)

Command line: ``sim sweep FILE`` and ``sim analyze FOLDER`` (:mod:`sim.sweep.cli`).
"""

from __future__ import annotations

from sim.sweep.cli import add_sweep_parsers, analyze_main, sweep_main
from sim.sweep.engine import SweepResult, check, make_plan, run_sweep
from sim.sweep.errors import SweepError, SweepFileError
from sim.sweep.spec import Sweep, load_sweep, parse_sweep

__all__ = [
    "Sweep", "SweepError", "SweepFileError", "SweepResult", "add_sweep_parsers", "analyze_main",
    "check", "load_sweep", "make_plan", "parse_sweep", "run_sweep", "sweep_main",
]
