"""The ``sim`` command: model commands (``run``, ``compare``, ``scenarios``, ``params``) and the
sweep engine's (``sweep``, ``analyze``).

It lives outside the model package so that ``sim`` never imports the sweep engine and "the
model's code" (what a sweep run's identity hashes) is simply the ``sim`` package. This module
stays light: loading numpy, pandas and Mesa takes seconds, and a Ctrl-C in that time must end
with one line too, so the command line is imported inside the guard.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sim`` console script and of ``python -m sim_cli``."""
    try:
        from sim_cli.main import main as run  # inside the Ctrl-C guard on purpose
    except KeyboardInterrupt:
        print("sim: interrupted (Ctrl-C)", file=sys.stderr)
        return 130
    return run(argv)
