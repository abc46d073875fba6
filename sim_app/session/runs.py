"""Running the model for the app: one full horizon with per-month snapshots of the agents.

A control change re-simulates the whole horizon at once (the "what if" view). Live play then
reveals that run month by month: the same parameters and seed give the same months, so the
story a facilitator plays is exactly the run the strategy team sees whole. The per-institution
snapshots (trust, shadow FTE, phase) feed the network view at any month.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from functools import lru_cache

import networkx as nx
import numpy as np

from sim.institutions import InstitutionTable
from sim.params import Params
from sim.population import institution_names
from sim.runner import Stepper

#: At most this many edges are drawn in the network view (a complete network of 100 managers
#: has 4,950; drawing them all says nothing and costs time).
MAX_DRAWN_EDGES = 800
#: Above this many edges the network view does not list them all (it takes the first ones).
MAX_LISTED_EDGES = 200_000
#: Agent arrays the network view shows month by month.
SNAPSHOT = ("mgr.trust", "inst.shadow_fte", "inst.phase")


@dataclass
class RunData:
    """Everything the app shows about one run of the full horizon."""

    params: Params
    seed: int
    arrays: dict[str, np.ndarray]  # one value per month, months 1..horizon
    trust: np.ndarray  # months × institutions
    shadow: np.ndarray  # months × institutions
    phase: np.ndarray  # months × institutions (0 waiting, 1 in transition, 2 served)
    initial_trust: np.ndarray  # per institution at month 0
    pos: np.ndarray  # institutions × 2, fixed layout in [0, 1]
    edges: list[tuple[int, int]]
    sim_seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    institutions: InstitutionTable | None = None  # a team's own institutions (a file's)

    @property
    def horizon(self) -> int:
        return int(self.params.months)

    @property
    def names(self) -> tuple[str, ...]:
        """The institutions' names: the file's when the run has one, else the model's."""
        if self.institutions is not None:
            return self.institutions.names
        return institution_names(self.params)


#: Runs kept for every session of this server (a room's visitors mostly open the same few).
RUN_CACHE_SIZE = 32


def simulate(params: Params, seed: int,
             institutions: InstitutionTable | None = None) -> RunData:
    """Run the model over its horizon, keeping per-month agent snapshots.

    The same parameters, seed and institutions give the same run, so runs are shared by every
    session of the server process (the last :data:`RUN_CACHE_SIZE`; an uploaded table is part
    of the key and lives only in memory); their arrays are read-only, so no session can change
    another's run.
    """
    return _simulate_cached(params, int(seed), institutions)


@lru_cache(maxsize=RUN_CACHE_SIZE)
def _simulate_cached(params: Params, seed: int,
                     institutions: InstitutionTable | None = None) -> RunData:
    run = run_once(params, seed, institutions)
    for a in (*run.arrays.values(), run.trust, run.shadow, run.phase, run.initial_trust, run.pos):
        a.setflags(write=False)
    return run


def run_once(params: Params, seed: int,
             institutions: InstitutionTable | None = None) -> RunData:
    """One run of the full horizon with snapshots, not cached (benchmarks time this)."""
    t0 = time.perf_counter()
    run = Stepper.start(params, seed, SNAPSHOT, institutions=institutions).finish()
    return run_data(run, seed, t0, institutions=institutions)


def run_data(run: Stepper, seed: int, t0: float, history: Stepper | None = None,
             institutions: InstitutionTable | None = None) -> RunData:
    """The app's data of a run stepped to its horizon (the one builder of :class:`RunData`).

    Args:
        run: The stepped run (snapshots of at least :data:`SNAPSHOT`).
        seed: Its seed.
        t0: When its computing started (``time.perf_counter()``).
        history: The run whose snapshots before the first month are shown as month 0
            (default: ``run``).
        institutions: The team's own institutions the run was built from (a file's), if any.
    """
    snaps = run.snapshots
    pos, edges = layout(run.model.graph)
    initial = (history or run).initial
    return RunData(params=run.model.p, seed=seed, arrays=run.model.recorder.arrays(),
                   trust=snaps["mgr.trust"], shadow=snaps["inst.shadow_fte"],
                   phase=snaps["inst.phase"].astype(np.int8),
                   initial_trust=initial["mgr.trust"], pos=pos, edges=edges,
                   sim_seconds=time.perf_counter() - t0, institutions=institutions)


def layout(graph: nx.Graph) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """A fixed layout of the managers' network, computed once per network."""
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    if m > MAX_LISTED_EDGES:
        # a complete network of thousands stores no edges: never list millions of them
        edges = sorted((min(a, b), max(a, b))
                       for a, b in itertools.islice(graph.edges(), MAX_DRAWN_EDGES))
        return _circle(n), edges
    edges = sorted((min(a, b), max(a, b)) for a, b in graph.edges())
    if m > 3 * MAX_DRAWN_EDGES:  # dense: a circle says as much, and is instant
        return _circle(n), _drawn(edges)
    return _layout_cached(n, tuple(edges)), _drawn(edges)


def _circle(n: int) -> np.ndarray:
    """Points on a circle, scaled to [0, 1]."""
    if n == 0:
        return np.zeros((0, 2))
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False)
    xy = np.column_stack([np.cos(ang), np.sin(ang)])
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    return (xy - lo) / np.where(hi - lo > 0, hi - lo, 1.0)


def _drawn(edges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if len(edges) <= MAX_DRAWN_EDGES:
        return edges
    step = len(edges) / MAX_DRAWN_EDGES
    return [edges[int(k * step)] for k in range(MAX_DRAWN_EDGES)]


@lru_cache(maxsize=64)
def _layout_cached(n: int, edges: tuple[tuple[int, int], ...]) -> np.ndarray:
    """Spring layout (fixed seed: a picture, not part of the model), scaled to [0, 1]."""
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(edges)
    if n == 0:
        return np.zeros((0, 2))
    p = nx.spring_layout(g, seed=7, iterations=50)
    xy = np.array([p[i] for i in range(n)])
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    return (xy - lo) / np.where(hi - lo > 0, hi - lo, 1.0)
