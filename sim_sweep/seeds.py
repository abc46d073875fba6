"""Replication seeds from ``numpy.random.SeedSequence`` (no global random state).

Two strategies:

* ``common`` (default): replication ``r`` uses the same seed at every design point
  (common random numbers, so differences between points are not sampling noise). Its seed is
  ``SeedSequence(master).spawn(r + 1)[r].generate_state(1)[0]``. Spawned children do not depend
  on how many are spawned, so adding replications keeps the earlier seeds.
* ``per_point``: point ``i``'s replication ``r`` uses child ``r`` of child ``i`` of the master
  sequence: independent streams everywhere.
* design ``posterior`` (``common`` only): replication ``r`` of draw ``k`` uses child ``r`` of
  child ``k``, the same under every policy and level. Adding points at the end of a design keeps earlier
  seeds; inserting levels in the middle of a grid renumbers the points after them.
"""

from __future__ import annotations

from sim.seeds import point_seeds, replication_seeds

__all__ = ["SeedPlan", "point_seeds", "replication_seeds"]


class SeedPlan:
    """Seeds for every (point, replication) of a sweep, computed on demand.

    With ``period`` (design ``posterior``: the number of draws, which vary fastest) the
    ``common`` seeds are common per draw: replication ``r`` of draw ``k = point % period`` uses
    child ``r`` of child ``k`` of the master sequence at every policy and level, so each draw
    has its own seeds (two draws of one particle are two worlds) and policies are still
    compared on the same seeds.
    """

    def __init__(self, master: int, replications: int, strategy: str = "common",
                 period: int = 0) -> None:
        if strategy not in ("common", "per_point"):
            raise ValueError(f"unknown seed strategy {strategy!r}; allowed: common, per_point")
        self.master = int(master)
        self.replications = int(replications)
        self.strategy = strategy
        self.period = int(period)
        self._common = (
            replication_seeds(self.master, self.replications)
            if strategy == "common" and not self.period else None
        )

    def seeds(self, point_index: int) -> list[int]:
        """Seeds of the replications of design point ``point_index``."""
        if self._common is not None:
            return self._common
        index = point_index % self.period if self.period else point_index
        return point_seeds(self.master, index, self.replications)
