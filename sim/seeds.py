"""Replication seeds, derived from ``numpy.random.SeedSequence`` (the one seed rule).

* :func:`replication_seeds` — the ``n`` seeds of replications ``0..n-1`` under one master seed
  (common random numbers: the same seeds for every policy or design point). Child ``r`` of
  ``SeedSequence(master).spawn(...)`` does not depend on how many children are spawned, so
  adding replications keeps the earlier seeds.
* :func:`point_seeds` — independent streams per design point: child ``r`` of child
  ``point_index`` of the master sequence.

A seed is the first 32-bit word of the child's state, the integer the model takes as ``rng``.
"""

from __future__ import annotations

import numpy as np

from sim.arguments import check_seed, check_whole


def seed_of(child: np.random.SeedSequence) -> int:
    """The integer model seed of one spawned sequence."""
    return int(child.generate_state(1)[0])


#: Most seeds one call derives (a SeedSequence each: about a kilobyte apiece meanwhile).
MAX_SEEDS = 10_000_000


def replication_seeds(master: int, n: int) -> list[int]:
    """``n`` independent integer seeds derived from one master seed.

    Raises:
        sim.errors.ParameterError: ``master`` not a whole number ≥ 0, or ``n`` not a whole
            number from 0 to :data:`MAX_SEEDS`.
    """
    check_seed(master, "master")
    check_whole(n, "n", 0, MAX_SEEDS)
    return [seed_of(c) for c in np.random.SeedSequence(master).spawn(n)]


def point_seeds(master: int, point_index: int, n: int) -> list[int]:
    """The ``n`` replication seeds of design point ``point_index`` (independent per point).

    Raises:
        sim.errors.ParameterError: as :func:`replication_seeds`, or ``point_index`` not a
            whole number ≥ 0.
    """
    check_seed(master, "master")
    check_whole(point_index, "point_index")
    check_whole(n, "n", 0, MAX_SEEDS)
    point = np.random.SeedSequence(master, spawn_key=(point_index,))
    return [seed_of(c) for c in point.spawn(n)]
