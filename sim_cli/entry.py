"""Entry point of the ``sim`` console script and of ``python -m sim_cli``.

Loading the command line takes a second or more (numpy, pandas, Mesa, networkx). The import
happens inside :func:`run`, not at module level, so that Ctrl-C pressed while the libraries
load ends like Ctrl-C at any other moment: one line and exit status 130, no traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

INTERRUPTED = "sim: interrupted (Ctrl-C)"


def run(argv: Sequence[str] | None = None) -> int:
    """Load the command line and run it; Ctrl-C at any point exits with status 130."""
    try:
        from sim_cli.main import main  # heavy imports: deliberately here (see the docstring)

        return main(argv)
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        sys.stderr.flush()
        # Leave at once: a Ctrl-C that landed inside a library's import can otherwise be raised
        # again while the interpreter shuts down, and the process then dies of the signal (-2)
        # instead of exiting 130. Every write was already finished or undone while unwinding.
        os._exit(130)
