"""The ``sim`` command: model commands (``run``, ``compare``, ``scenarios``, ``params``) and the
sweep engine's (``sweep``, ``analyze``).

It lives outside the model package so that ``sim`` never imports the sweep engine and "the
model's code" (what a sweep run's identity hashes) is simply the ``sim`` package.
"""

from sim_cli.main import main

__all__ = ["main"]
