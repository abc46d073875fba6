"""Design points of a sweep, generated in chunks: full grid, points from CSV, SALib's samplers.

A :class:`Design` knows its size without generating anything and hands out its points chunk
by chunk (``chunk(start, stop)``), so the coordinator's memory does not grow with the design:

* grid — point *i* is decoded from *i* (mixed radix, the order of ``itertools.product``);
* sobol — Saltelli's scheme built chunk by chunk from the scrambled Sobol' sequence
  (``scipy.stats.qmc.Sobol``, fast-forwarded to the chunk), exactly the rows of
  ``SALib.sample.sobol.sample`` with the same seed (tested);
* lhs, morris — SALib's own samplers, which build the whole matrix at once: designs whose
  matrix would exceed :data:`MAX_MATRIX_VALUES` stop with a clear error;
* points — the rows of the CSV file;
* posterior — draws resampled by weight from a calibration's posterior (:mod:`sim_sweep.draws`),
  crossed with the ``[vary]`` levels as grid factors.

Policies (``[cases.<factor>]`` and a list of scenarios) are grid factors. A grid holds them as
its slowest factors; any other design is crossed with them: every policy meets the same
sampled futures (point *i* is policy ``i // inner`` at future ``i % inner``), and under
common random numbers replication *r* of a future has the same seed under every policy.

Samplers are seeded from the sweep's design seed (``[sampler] seed``, default
``master_seed``); no global random state. Integer parameters are rounded after sampling.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from SALib.sample import latin, morris
from SALib.util import scale_samples
from scipy.stats import qmc

from sim.params import spec_map
from sim_sweep.errors import SweepFileError
from sim_sweep.sweep import Sweep

#: Design points generated (and held by the coordinator) at a time.
CHUNK = 4096
#: Largest matrix (points × varied parameters) that SALib's LHS and Morris samplers may build.
MAX_MATRIX_VALUES = 20_000_000


@dataclass
class Design:
    """The points of a sweep in sampler order (``point_id`` = row index), made on demand."""

    sweep: Sweep
    names: list[str]
    size: int
    #: Points per policy: the sampled (or points-file) design that every policy meets.
    inner: int = 0
    _matrix: np.ndarray | None = field(default=None, repr=False)  # lhs / morris (SALib)
    _sobol: Any = field(default=None, repr=False)

    def __len__(self) -> int:
        return self.size

    def chunk(self, start: int, stop: int) -> pd.DataFrame:
        """Points ``start .. stop-1`` as a typed frame (index = point id)."""
        stop = min(stop, self.size)
        sw = self.sweep
        cases = sw.case_names
        if sw.spec.design == "grid":
            frame = _grid_chunk(sw, self.names, start, stop)
        elif sw.spec.design == "posterior":
            frame = _posterior_chunk(sw, self.names, start, stop)
        elif not cases:
            frame = self._inner(start, stop)
        else:  # policies × the inner design, the policy slowest
            n = self.inner
            levels = _case_levels(sw)
            parts = []
            for b in range(start // n, (stop - 1) // n + 1):
                part = self._inner(max(start, b * n) - b * n, min(stop, (b + 1) * n) - b * n)
                for name, value in zip(cases, _decode(b, levels), strict=True):
                    part[name] = value
                parts.append(part)
            frame = pd.concat(parts, ignore_index=True)[self.names]
        frame.index = pd.RangeIndex(start, stop)
        return _typed(frame)

    def _inner(self, start: int, stop: int) -> pd.DataFrame:
        """Rows ``start..stop-1`` of the design every policy meets (no policy columns)."""
        if self.sweep.spec.design == "points":
            rows = (self.sweep.points_rows or [])[start:stop]
            return pd.DataFrame(rows, columns=self.sweep.varied)
        X = (self._matrix[start:stop] if self._matrix is not None
             else _sobol_rows(self.sweep, start, stop))
        return _sampled_frame(self.sweep, X)

    def chunks(self, size: int = CHUNK) -> Iterator[pd.DataFrame]:
        """Every point, ``size`` at a time."""
        for start in range(0, self.size, size):
            yield self.chunk(start, start + size)

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Iterate (point_id, {name: value}) with plain Python values."""
        for frame in self.chunks():
            cols = [frame[c].tolist() for c in self.names]
            for j, pid in enumerate(frame.index):
                yield int(pid), {n: cols[i][j] for i, n in enumerate(self.names)}

    @property
    def points(self) -> pd.DataFrame:
        """Every point in one frame (small designs, tests)."""
        if self.size == 0:
            return pd.DataFrame(columns=self.names)
        return pd.concat(list(self.chunks()), ignore_index=True) if self.names else \
            pd.DataFrame(index=range(self.size))


def expected_points(sweep: Sweep) -> int:
    """Number of design points, without sampling."""
    sizes = _case_sizes(sweep)
    policies = int(np.prod(sizes, dtype=object)) if sizes else 1
    if sweep.spec.design == "grid":
        sizes += [len(f.levels or ()) for f in sweep.factors]
        return int(np.prod(sizes, dtype=object)) if sizes else 1
    return policies * inner_points(sweep)


def inner_points(sweep: Sweep) -> int:
    """Points per policy of a sampled or points design (a grid's whole size)."""
    s, d = sweep.spec.sampler, sweep.spec.design
    k = len(sweep.factors)
    if d == "grid":
        return expected_points(sweep)
    if d == "points":
        return len(sweep.points_rows or [])
    if d == "posterior":  # [vary] levels × draws
        levels = [len(f.levels or ()) for f in sweep.factors]
        return int(np.prod(levels, dtype=object)) * len(sweep.draws or ())
    if d == "lhs":
        return int(s.n or 0)
    if d == "sobol":
        return int(s.n or 0) * (2 * k + 2 if s.second_order else k + 2)
    return s.trajectories * (k + 1)  # morris


def make_design(sweep: Sweep) -> Design:
    """The design of a validated sweep (deterministic; sampled matrices only for LHS/Morris).

    Raises:
        SweepFileError: an LHS or Morris design too large to sample in memory.
    """
    d = sweep.spec.design
    size = expected_points(sweep)
    names = sweep.names
    inner = inner_points(sweep)
    if d not in ("lhs", "morris"):
        return Design(sweep, names, size, inner)
    k = len(sweep.factors)
    if inner * k > MAX_MATRIX_VALUES:
        key = "sampler.n" if d == "lhs" else "sampler.trajectories"
        raise SweepFileError(sweep.path, key, f"design '{d}' with {inner:,} points × {k} "
                             f"parameters is too large to sample at once (limit "
                             f"{MAX_MATRIX_VALUES:,} values). Use design 'sobol' (generated "
                             "in chunks) or fewer samples.")
    problem = sweep.problem()
    s = sweep.spec.sampler
    if d == "lhs":
        X = latin.sample(problem, int(s.n or 0), seed=sweep.design_seed)
    else:
        X = morris.sample(problem, s.trajectories, num_levels=s.levels, seed=sweep.design_seed)
    return Design(sweep, names, size, inner, _matrix=np.asarray(X, dtype=float))


def _case_levels(sweep: Sweep) -> list[list[str]]:
    """The levels of each policy factor (scenario list, ``[cases.*]``), in column order."""
    return [list(sweep.scenarios) if c == "scenario" else list(sweep.cases[c])
            for c in sweep.case_names]


def _decode(i: int, levels: list[list[Any]]) -> list[Any]:
    """Combination ``i`` of ``levels`` in ``itertools.product`` order (last fastest)."""
    out = []
    for lv in reversed(levels):
        out.append(lv[i % len(lv)])
        i //= len(lv)
    return out[::-1]


def _grid_chunk(sweep: Sweep, names: list[str], start: int, stop: int) -> pd.DataFrame:
    """Grid points ``start..stop-1`` in ``itertools.product`` order (last factor fastest)."""
    levels = _case_levels(sweep) + [list(f.levels or ()) for f in sweep.factors]
    if not names:  # nothing varies: one point (the base), replications only
        return pd.DataFrame(index=range(stop - start))
    idx = np.arange(start, stop, dtype=np.int64)
    cols: dict[str, list[Any]] = {}
    for name, lv in zip(reversed(names), reversed(levels), strict=True):
        pos = idx % len(lv)
        idx = idx // len(lv)
        cols[name] = [lv[i] for i in pos]
    return pd.DataFrame({n: cols[n] for n in names})


def _posterior_chunk(sweep: Sweep, names: list[str], start: int,
                     stop: int) -> pd.DataFrame:
    """Points ``start..stop-1`` of a design ``posterior``: the grid of policies and ``[vary]``
    levels (slowest) × the draws (fastest); each with the values the draw sets there."""
    draws = sweep.draws
    grid = sweep.case_names + [f.name for f in sweep.factors]
    levels = _case_levels(sweep) + [list(f.levels or ()) for f in sweep.factors]
    n = len(draws)
    rows = []
    for i in range(start, stop):
        combo, k = divmod(i, n)
        row = dict(zip(grid, _decode(combo, levels), strict=True))
        params = draws.params(sweep, row, k)
        row.update({name: getattr(params, name) for name in draws.names})
        rows.append(row)
    return pd.DataFrame(rows, columns=names)


def _sobol_rows(sweep: Sweep, start: int, stop: int) -> np.ndarray:
    """Rows ``start..stop-1`` of SALib's Saltelli matrix, from the Sobol' sequence's own rows.

    Base row *i* of the sequence gives ``k + 2`` points (``2k + 2`` with second order):
    A, the k columns of B swapped into A, (A swapped into B,) B — SALib's order.
    """
    s = sweep.spec.sampler
    k = len(sweep.factors)
    per = 2 * k + 2 if s.second_order else k + 2
    first, last = start // per, (stop - 1) // per + 1
    engine = qmc.Sobol(d=2 * k, scramble=s.scramble, seed=sweep.design_seed)
    if first:
        engine.fast_forward(first)
    with warnings.catch_warnings():  # a chunk of the sequence, not a sample of its own
        warnings.simplefilter("ignore", UserWarning)
        base = engine.random(last - first)
    a, b = base[:, :k], base[:, k:]
    blocks = [a]
    for j in range(k):
        ab = a.copy()
        ab[:, j] = b[:, j]
        blocks.append(ab)
    if s.second_order:
        for j in range(k):
            ba = b.copy()
            ba[:, j] = a[:, j]
            blocks.append(ba)
    blocks.append(b)
    rows = np.stack(blocks, axis=1).reshape(-1, k)  # base row by base row, SALib's order
    rows = rows[start - first * per: stop - first * per]
    return scale_samples(rows, sweep.problem())


def _sampled_frame(sweep: Sweep, X: np.ndarray) -> pd.DataFrame:
    names = [f.name for f in sweep.factors]
    frame = pd.DataFrame(np.asarray(X, dtype=float), columns=names)
    smap = spec_map()
    for f in sweep.factors:
        ps = smap[f.name]
        if f.kind == "int":
            frame[f.name] = np.rint(frame[f.name]).astype("int64")
            continue
        # Sampled values stay in the parameter's allowed range (clip float round-off only).
        lo = ps.minimum if ps.minimum is not None else -np.inf
        hi = ps.maximum if ps.maximum is not None else np.inf
        if f.low is not None and f.high is not None:
            lo, hi = max(lo, f.low), min(hi, f.high)
        frame[f.name] = frame[f.name].clip(lo, hi)
    return frame


def _case_sizes(sweep: Sweep) -> list[int]:
    return [len(sweep.scenarios) if c == "scenario" else len(sweep.cases[c])
            for c in sweep.case_names]


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    smap = spec_map()
    out = {}
    for c in frame.columns:
        kind = smap[c].kind if c in smap else "choice"  # case factors are named levels
        col = frame[c]
        if kind == "int":
            out[c] = col.astype("int64")
        elif kind == "float":
            out[c] = col.astype("float64")
        elif kind == "bool":
            out[c] = col.astype("bool")
        else:
            out[c] = col.astype("object")
    return pd.DataFrame(out, columns=list(frame.columns), index=frame.index)
