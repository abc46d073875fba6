"""The runs of a sweep: its design points, their full parameters, ids, seeds and labels.

Points are generated chunk by chunk (:mod:`sim_sweep.design`); each gets its full validated
parameters, its ``point_key`` and its replications' run ids (:mod:`sim_sweep.runids`); a
design ``posterior``'s point key also covers its draw's seeds. Two design points with
identical parameters (and seeds) (e.g. after rounding a whole-number parameter, or two
Morris trajectories crossing) are one point: the second is reported as a duplicate and never
run twice. Memory: 8 bytes per distinct point for that check (:class:`KeySet`), nothing that
grows with the number of parameters.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from sim.errors import SimInputError
from sim.params import make_params
from sim_sweep.design import CHUNK, Design, make_design
from sim_sweep.errors import SweepFileError
from sim_sweep.runids import PointHasher, canonical_json, model_version
from sim_sweep.seeds import SeedPlan
from sim_sweep.sweep import Sweep
from sim_sweep.worker import CASE_PREFIX, PARAM_PREFIX, SCENARIO

#: Designs up to this many points are validated point by point before anything is written;
#: larger ones are validated as their points are generated (the sweep stops at a bad point).
VALIDATE_ALL = 100_000
#: Runs the coordinator holds at once: one chunk of points, with a run id per replication (about
#: 185 bytes each). Up to 10 replications a chunk is the design's chunk of points; with more, it
#: has proportionally fewer points, so memory does not grow with the replication count.
RUNS_PER_CHUNK = 10 * CHUNK


def chunk_points(replications: int) -> int:
    """Design points per chunk for a sweep with ``replications`` runs per point."""
    return max(1, min(CHUNK, RUNS_PER_CHUNK // max(1, replications)))


@dataclass(frozen=True)
class Point:
    """One design point with everything a run of it needs."""

    pid: int
    key: str
    params: dict[str, Any]
    labels: dict[str, str]
    runs: list[tuple[str, int, int]]  # (run_id, seed, replication)
    duplicate: bool  # same parameters as an earlier point of the design


class KeySet:
    """A set of 64-bit hex keys in sorted ``uint64`` arrays, merged like a binary counter
    (8 bytes per key; adding n keys costs O(n log n) in all)."""

    def __init__(self) -> None:
        self._levels: list[np.ndarray] = []

    @staticmethod
    def ints(keys: list[str]) -> np.ndarray:
        return np.fromiter((int(k, 16) for k in keys), dtype=np.uint64, count=len(keys))

    def contains(self, values: np.ndarray) -> np.ndarray:
        """Which of ``values`` (uint64) are in the set."""
        hit = np.zeros(values.size, dtype=bool)
        for level in self._levels:
            i = np.searchsorted(level, values)
            i[i == level.size] = 0
            hit |= level[i] == values
        return hit

    def add(self, values: np.ndarray) -> None:
        arr = np.unique(values)
        while self._levels and self._levels[-1].size <= arr.size:
            arr = np.union1d(self._levels.pop(), arr)
        self._levels.append(arr)


@dataclass
class Plan:
    """The runs of a sweep: its design and, lazily, every point and its replications."""

    sweep: Sweep
    design: Design
    version: str
    seeds: SeedPlan

    @property
    def total(self) -> int:
        """Runs of the design: points × replications (duplicate points included)."""
        return len(self.design) * self.sweep.spec.replications

    def labels(self, row: dict[str, Any]) -> dict[str, str]:
        """Label columns of a point: its scenario's name and its case levels."""
        sw = self.sweep
        scen = row["scenario"] if len(sw.scenarios) > 1 else next(iter(sw.scenarios), "")
        out = {SCENARIO: str(scen)}
        for factor in sw.cases:
            out[CASE_PREFIX + factor] = str(row[factor])
        return out

    def chunks(self, size: int | None = None) -> Iterator[tuple[pa.Table, list[Point]]]:
        """Per chunk of the design: its design table and its points, in point-id order.

        Args:
            size: Points per chunk (default :func:`chunk_points` of the replications).
        """
        size = size or chunk_points(self.sweep.spec.replications)
        seen = KeySet()
        cases = set(self.sweep.case_names)
        drawn = self.sweep.draws is not None
        for frame in self.design.chunks(size):
            names = list(frame.columns)
            cols = [frame[c].tolist() for c in names]
            points: list[Point] = []
            keys: list[str] = []
            for j, pid in enumerate(frame.index):
                row = {n: cols[i][j] for i, n in enumerate(names)}
                params = self.params_of(int(pid), row)
                hasher = PointHasher(self.version, canonical_json(params))
                seeds = self.seeds.seeds(int(pid))
                runs = [(hasher.run_id(s), s, r) for r, s in enumerate(seeds)]
                key = hasher.draw_key(seeds) if drawn else hasher.point_key
                keys.append(key)
                points.append(Point(int(pid), key, params, self.labels(row), runs, False))
            ints = KeySet.ints(keys)
            dup = seen.contains(ints)
            first: dict[int, int] = {}
            for j, k in enumerate(ints.tolist()):
                if dup[j] or k in first:
                    p = points[j]
                    points[j] = Point(p.pid, p.key, p.params, p.labels, p.runs, True)
                else:
                    first[k] = j
            seen.add(ints)
            table = {"point_id": pa.array(np.asarray(frame.index, dtype=np.int64)),
                     "point_key": pa.array(keys, pa.string())}
            for n, col in zip(names, cols, strict=True):
                table[("case_" if n in cases else PARAM_PREFIX) + n] = pa.array(col)
            yield pa.table(table), points

    def points(self) -> Iterator[Point]:
        """Every design point, in order."""
        for _table, points in self.chunks():
            yield from points

    def point_dicts(self) -> Iterator[tuple[int, str, dict[str, Any]]]:
        """(point_id, point_key, full parameter dict) for every design point."""
        for p in self.points():
            yield p.pid, p.key, p.params

    def runs(self) -> Iterator[tuple[int, str, dict[str, Any], list[tuple[str, int, int]]]]:
        """(point_id, point_key, params, [(run_id, seed, replication)]) per point."""
        for p in self.points():
            yield p.pid, p.key, p.params, p.runs

    def params_of(self, pid: int, row: dict[str, Any]) -> dict[str, Any]:
        """The full validated parameters of design point ``pid`` (JSON-ready)."""
        try:
            return make_params(self.sweep.point_mapping(row)).model_dump(mode="json")
        except SimInputError as exc:
            raise SweepFileError(self.sweep.path, "vary", f"design point {pid} ({row}) is not "
                                 f"allowed: {exc}") from None


def make_plan(sweep: Sweep, validate: int = VALIDATE_ALL) -> Plan:
    """The design and seed plan of a sweep; the first ``validate`` points are checked now.

    Raises:
        SweepFileError: a design point the model does not allow, a design too large to
            sample, or a master seed whose replications collide.
    """
    design = make_design(sweep)
    checked = 0
    for frame in design.chunks():
        if checked >= validate:
            break
        part = frame.head(validate - checked)
        cols = {c: part[c].tolist() for c in part.columns}
        for j, pid in enumerate(part.index):
            row = {c: v[j] for c, v in cols.items()}
            try:
                make_params(sweep.point_mapping(row))
            except SimInputError as exc:
                raise SweepFileError(sweep.path, "vary", f"design point {pid} ({row}) is not "
                                     f"allowed: {exc}") from None
        checked += len(frame)
    seeds = SeedPlan(sweep.spec.master_seed, sweep.spec.replications, sweep.spec.seeds,
                     period=len(sweep.draws) if sweep.draws is not None else 0)
    reps = seeds.seeds(0) if len(design) else []
    if len(set(reps)) != len(reps):
        raise SweepFileError(sweep.path, "master_seed", "two replications drew the same seed; "
                             "choose another master_seed.")
    return Plan(sweep=sweep, design=design, version=model_version(), seeds=seeds)
