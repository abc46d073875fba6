"""Design points of a sweep: full grid, points from CSV, or SALib's samplers.

Latin hypercube, Sobol (Saltelli's scheme) and Morris use SALib's own samplers, so that
``sim analyze`` can hand the results to the matching SALib analyser. Samplers are seeded from
the sweep's design seed (``[sampler] seed``, default ``master_seed``); no global random state.
Integer parameters are rounded after sampling.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from SALib.sample import latin, morris, sobol

from sim.params import spec_map
from sim_sweep.sweep import Sweep


@dataclass
class Design:
    """The points of a sweep, in sampler order (``point_id`` = row index)."""

    names: list[str]
    points: pd.DataFrame  # one column per varied parameter, typed
    X: np.ndarray | None  # the sampler's matrix (float), for SALib analysers

    def __len__(self) -> int:
        return len(self.points)

    def rows(self) -> Any:
        """Iterate (point_id, {name: value}) with plain Python values."""
        cols = [self.points[c].tolist() for c in self.names]
        for i in range(len(self.points)):
            yield i, {n: cols[j][i] for j, n in enumerate(self.names)}


def expected_points(sweep: Sweep) -> int:
    """Number of design points, without sampling (for messages and tests)."""
    s, d = sweep.spec.sampler, sweep.spec.design
    k = len(sweep.factors)
    if d == "grid":
        sizes = [len(f.levels or ()) for f in sweep.factors] + _case_sizes(sweep)
        return int(np.prod(sizes)) if sizes else 1
    if d == "points":
        return len(sweep.points_rows or [])
    if d == "lhs":
        return int(s.n or 0)
    if d == "sobol":
        return int(s.n or 0) * (2 * k + 2 if s.second_order else k + 2)
    return s.trajectories * (k + 1)  # morris


def make_design(sweep: Sweep) -> Design:
    """Generate the design points of a validated sweep (deterministic)."""
    d = sweep.spec.design
    if d == "grid":
        names = sweep.names
        case_levels = [list(sweep.scenarios) if c == "scenario" else list(sweep.cases[c])
                       for c in sweep.case_names]
        combos = list(itertools.product(*case_levels,
                                        *[f.levels or () for f in sweep.factors]))
        if names:
            frame = pd.DataFrame(combos, columns=names)
        else:  # nothing varies: one point (the base), replications only
            frame = pd.DataFrame(index=range(1))
        return Design(names, _typed(frame, sweep), None)
    if d == "points":
        rows = sweep.points_rows or []
        names = list(rows[0]) if rows else []
        frame = pd.DataFrame(rows, columns=names)
        return Design(names, _typed(frame, sweep), None)
    problem = sweep.problem()
    s = sweep.spec.sampler
    seed = sweep.design_seed
    if d == "lhs":
        X = latin.sample(problem, int(s.n or 0), seed=seed)
    elif d == "sobol":
        X = sobol.sample(problem, int(s.n or 0), calc_second_order=s.second_order,
                         scramble=s.scramble, seed=seed)
    else:
        X = morris.sample(problem, s.trajectories, num_levels=s.levels, seed=seed)
    X = np.asarray(X, dtype=float)
    names = problem["names"]
    frame = pd.DataFrame(X, columns=names)
    for f in sweep.factors:
        if f.kind == "int":
            frame[f.name] = np.rint(frame[f.name]).astype("int64")
            X[:, names.index(f.name)] = frame[f.name].to_numpy(dtype=float)
    _check_bounds(sweep, frame)
    return Design(names, _typed(frame, sweep), X)


def _case_sizes(sweep: Sweep) -> list[int]:
    return [len(sweep.scenarios) if c == "scenario" else len(sweep.cases[c])
            for c in sweep.case_names]


def _typed(frame: pd.DataFrame, sweep: Sweep) -> pd.DataFrame:
    smap = spec_map()
    out = {}
    for c in frame.columns:
        kind = smap[c].kind if c in smap else "choice"
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


def _check_bounds(sweep: Sweep, frame: pd.DataFrame) -> None:
    """Sampled values stay in the parameter's allowed range (clip float round-off only)."""
    smap = spec_map()
    for f in sweep.factors:
        ps = smap[f.name]
        col = frame[f.name]
        lo = ps.minimum if ps.minimum is not None else -np.inf
        hi = ps.maximum if ps.maximum is not None else np.inf
        if f.low is not None and f.high is not None:
            lo, hi = max(lo, f.low), min(hi, f.high)
        if f.kind == "float":
            frame[f.name] = col.clip(lo, hi)
