"""``python -m sim`` runs the command line."""

import sys

from sim_cli.entry import run

# The guard matters: MPI workers started by ``python -m mpi4py.futures -m sim ...`` (and
# multiprocessing's spawn/forkserver children) import this module under another name, and
# must not run the command line again.
if __name__ == "__main__":
    sys.exit(run())
