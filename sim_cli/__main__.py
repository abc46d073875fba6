"""``python -m sim_cli`` runs the command line (as ``python -m sim`` and ``sim`` do)."""

import sys

from sim_cli.entry import run

if __name__ == "__main__":
    sys.exit(run())
