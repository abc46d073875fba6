"""A Watts–Strogatz small world drawn exactly as networkx draws it, without its per-edge cost.

networkx's ``connected_watts_strogatz_graph`` builds a full ``nx.Graph`` for every try; building
it costs more than the rest of a model's set-up (about a millisecond per manager network of
100). :func:`draw` makes the same calls on the same ``random.Random`` in the same order
(``random()`` per ring edge, ``choice(nodes)`` per rewiring), on plain sets, and keeps the
accepted draw's operations; :meth:`SmallWorld.graph` replays them into the very graph networkx
returns (same edges, same neighbour order). A test holds it to networkx's own functions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import networkx as nx


@dataclass
class SmallWorld:
    """One drawn small world.

    Attributes:
        n: Nodes (managers).
        k: Ring neighbours each node starts with.
        adjacency: Each node's peers.
        rewired: The rewirings in the order drawn: ``(u, v, w)`` replaced tie u–v by u–w.
    """

    n: int
    k: int
    adjacency: list[set[int]]
    rewired: list[tuple[int, int, int]] = field(default_factory=list)

    def graph(self) -> nx.Graph:
        """The networkx graph of this draw, built as networkx builds it."""
        g = nx.empty_graph(self.n)
        nodes = list(range(self.n))
        for j in range(1, self.k // 2 + 1):
            g.add_edges_from(zip(nodes, nodes[j:] + nodes[0:j], strict=True))
        for u, v, w in self.rewired:
            g.remove_edge(u, v)
            g.add_edge(u, w)
        return g


def _draw_once(n: int, k: int, p: float, rnd: random.Random) -> SmallWorld:
    """``networkx.watts_strogatz_graph(n, k, p, seed=rnd)`` for ``k < n``, on sets."""
    adjacency: list[set[int]] = [set() for _ in range(n)]
    nodes = list(range(n))
    for j in range(1, k // 2 + 1):
        for u in nodes:
            v = (u + j) % n
            adjacency[u].add(v)
            adjacency[v].add(u)
    world = SmallWorld(n, k, adjacency)
    for j in range(1, k // 2 + 1):
        for u in nodes:
            if rnd.random() < p:
                w = rnd.choice(nodes)
                mine = adjacency[u]
                while w == u or w in mine:
                    w = rnd.choice(nodes)
                    if len(mine) >= n - 1:
                        break  # networkx skips this rewiring
                else:
                    v = (u + j) % n
                    mine.discard(v)
                    adjacency[v].discard(u)
                    mine.add(w)
                    adjacency[w].add(u)
                    world.rewired.append((u, v, w))
    return world


def _connected(adjacency: list[set[int]]) -> bool:
    seen = {0}
    todo = [0]
    while todo:
        for v in adjacency[todo.pop()]:
            if v not in seen:
                seen.add(v)
                todo.append(v)
    return len(seen) == len(adjacency)


def draw(n: int, k: int, p: float, tries: int, rnd: random.Random) -> SmallWorld:
    """``networkx.connected_watts_strogatz_graph(n, k, p, tries, seed=rnd)`` for ``2 < n`` and
    ``2 <= k < n``; after ``tries`` unconnected draws, one more draw kept as it is (what
    :func:`sim.network.build_network` does when networkx gives up)."""
    for _ in range(tries):
        world = _draw_once(n, k, p, rnd)
        if _connected(world.adjacency):
            return world
    return _draw_once(n, k, p, rnd)
