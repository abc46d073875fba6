"""The local managers' peer network, built with networkx from the model's own generator.

Three shapes: ``complete`` (everyone hears everyone), ``small_world`` (Watts–Strogatz: mostly
local ties with a few long ones) and ``clustered`` (a stochastic block model whose blocks are
the institutions' groups, e.g. regions or ministries). Peer influence needs, for each manager,
the mean of its peers' trust: :func:`peer_mean_matrix` turns the graph into a row-normalised
sparse matrix so that one product gives every manager's peer mean. The small world is drawn
by ``sim.small_world``: networkx's own algorithm and draws from the model's generator, on plain
sets (its networkx graph is built only when someone asks for it, e.g. the app's network view).

A complete network of n managers has n(n-1)/2 ties (12.5 million at 5,000), which networkx
would hold in gigabytes. It is never stored: :class:`CompleteGraph` is a read-only networkx
graph whose neighbour lists are computed when asked for, and its peer mean is one sum,
``(sum(x) - x) / (n - 1)`` (:class:`CompletePeerMean`).

Every value the parameter definition allows builds a network: two institutions in a small
world are simply tied to each other, a small world that cannot be made connected at the
requested degree and rewiring is kept as drawn, and block probabilities too small to change
any tie (``1 - p == 1`` in floating point, where networkx's sampler would divide by zero)
count as zero.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from types import MappingProxyType

import networkx as nx
import numpy as np
from scipy import sparse
from scipy.sparse import _sparsetools  # the routine a CSR matrix's `@` runs on a vector

from sim import small_world
from sim.params import Params

#: Draws networkx makes of a small-world network before keeping an unconnected one (its own
#: retry loop; the count only bounds the time spent, the draws come from the model's stream).
CONNECTED_TRIES = 100

_NO_DATA: Mapping[str, object] = MappingProxyType({})


class _CompleteNeighbours(Mapping[int, Mapping[str, object]]):
    """Node ``u``'s neighbours in a complete graph of ``n`` nodes: everyone but ``u``."""

    def __init__(self, u: int, n: int) -> None:
        self.u, self.n = u, n

    def __getitem__(self, v: int) -> Mapping[str, object]:
        if v in self:
            return _NO_DATA
        raise KeyError(v)

    def __contains__(self, v: object) -> bool:
        return isinstance(v, int | np.integer) and 0 <= v < self.n and v != self.u

    def __iter__(self) -> Iterator[int]:
        return (v for v in range(self.n) if v != self.u)

    def __len__(self) -> int:
        return self.n - 1


class _CompleteAdjacency(Mapping[int, _CompleteNeighbours]):
    """The adjacency of a complete graph, computed on demand (nothing per edge is stored)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __getitem__(self, u: int) -> _CompleteNeighbours:
        if isinstance(u, int | np.integer) and 0 <= u < self.n:
            return _CompleteNeighbours(int(u), self.n)
        raise KeyError(u)

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.n))

    def __len__(self) -> int:
        return self.n


class CompleteGraph(nx.Graph):
    """Everyone knows everyone: a frozen networkx graph that stores no edges.

    Nodes, neighbours, degrees and edge iteration work as for ``nx.complete_graph(n)``
    (iterating all edges still takes n(n-1)/2 steps); adding or removing nodes or edges raises
    ``networkx.NetworkXError``.
    """

    def __init__(self, n: int) -> None:
        """A complete graph on nodes ``0..n-1``."""
        super().__init__()
        self._node = {i: {} for i in range(n)}
        self._adj = _CompleteAdjacency(n)
        nx.freeze(self)


class CompletePeerMean:
    """Peer mean on a complete network: ``(M @ x)[i]`` is the mean of x over all j != i."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.shape = (n, n)

    def __matmul__(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if self.n < 2:
            return np.zeros_like(x)
        return (x.sum() - x) / (self.n - 1)

    def toarray(self) -> np.ndarray:
        """The same operator as a dense row-normalised matrix (for tests on small n)."""
        if self.n < 2:
            return np.zeros((self.n, self.n))
        return (np.ones((self.n, self.n)) - np.eye(self.n)) / (self.n - 1)


def build_network(p: Params, group: np.ndarray, rnd: random.Random) -> nx.Graph:
    """Build the peer network for institutions with the given groups.

    Args:
        p: Parameters (``network``, ``network_degree``, ``network_rewiring``,
            ``network_within_group``).
        group: Group index per institution.
        rnd: The model's ``random.Random`` (networkx takes it as ``seed``).

    Returns:
        An undirected graph whose node i is institution i.
    """
    return as_graph(draw_network(p, group, rnd))


def as_graph(drawn: nx.Graph | small_world.SmallWorld) -> nx.Graph:
    """The networkx graph of a drawn network."""
    return drawn.graph() if isinstance(drawn, small_world.SmallWorld) else drawn


def draw_network(p: Params, group: np.ndarray, rnd: random.Random
                 ) -> nx.Graph | small_world.SmallWorld:
    """Draw the peer network (:func:`build_network`); a small world is kept as drawn, its
    networkx graph built only when asked for (:func:`as_graph`)."""
    n = int(group.size)
    if n <= 1:
        return nx.empty_graph(n)
    if p.network == "complete":
        return CompleteGraph(n)
    if p.network == "small_world" and n == 2:  # a ring of two: the one possible tie
        return CompleteGraph(n)
    if p.network == "small_world":
        return _small_world(p, n, rnd)
    return _clustered(p, group, rnd)


def _small_world(p: Params, n: int, rnd: random.Random) -> small_world.SmallWorld:
    """networkx's connected small world (``sim.small_world``), kept as drawn when no draw in
    ``CONNECTED_TRIES`` is connected."""
    k = min(max(p.network_degree, 2), n - 1)
    return small_world.draw(n, k, p.network_rewiring, CONNECTED_TRIES, rnd)


def _clustered(p: Params, group: np.ndarray, rnd: random.Random) -> nx.Graph:
    """A stochastic block model with blocks = groups and the requested mean degree."""
    n = int(group.size)
    order = np.argsort(group, kind="stable")
    labels = sorted(set(group.tolist()))
    sizes = [int((group == g).sum()) for g in labels]
    degree = min(p.network_degree, n - 1)
    share_in = p.network_within_group if len(labels) > 1 else 1.0
    # One between-group probability (the matrix must be symmetric) chosen so that the mean
    # number of ties outside one's group is degree * (1 - share_in).
    between_pairs = (n * n - sum(s * s for s in sizes)) / 2
    q = min(1.0, n * degree * (1 - share_in) / 2 / between_pairs) if between_pairs else 0.0
    probs = [[_probability(degree * share_in / max(sa - 1, 1)) if a == b
              else _probability(q) for b in labels]
             for a, sa in zip(labels, sizes, strict=True)]
    sbm = nx.stochastic_block_model(sizes, probs, seed=rnd, sparse=True)
    # SBM numbers nodes block by block; map them back to institution indices.
    mapping = {k: int(order[k]) for k in range(n)}
    return nx.relabel_nodes(nx.Graph(sbm), mapping)


def _probability(p: float) -> float:
    """A tie probability networkx's sparse sampler can use: within [0, 1], and 0 where
    ``1 - p`` rounds to 1 (it divides by ``log(1 - p)``; such a p adds no tie anyway)."""
    p = min(1.0, p)
    return 0.0 if 1.0 - p == 1.0 else p


def _adjacency(g: nx.Graph | small_world.SmallWorld) -> Mapping[int, object] | list[set[int]]:
    return g.adjacency if isinstance(g, small_world.SmallWorld) else dict(g.adjacency())


def peer_mean_matrix(g: nx.Graph | small_world.SmallWorld, n: int
                     ) -> sparse.csr_matrix | CompletePeerMean:
    """Row-normalised adjacency: ``(M @ x)[i]`` is the mean of x over i's peers.

    Managers without peers get a zero row; the trust update treats them as unpulled. A
    :class:`CompleteGraph` gives a :class:`CompletePeerMean` (the same product, no matrix).
    Each row holds its peers in descending order and the weight ``1 / degree``: the order in
    which :class:`PeerNetwork` adds a manager's peers' values (read straight from the graph's
    adjacency, without networkx's conversion, which costs more than drawing the graph).
    """
    if isinstance(g, CompleteGraph):
        return CompletePeerMean(n)
    adj = _adjacency(g)
    peers = [sorted(adj[i], reverse=True) for i in range(n)]
    degree = np.fromiter((len(row) for row in peers), dtype=np.int32, count=n)
    indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(degree, out=indptr[1:])
    indices = np.fromiter((v for row in peers for v in row), dtype=np.int32,
                          count=int(indptr[-1]))
    deg = degree.astype(float)
    inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=deg > 0)
    return sparse.csr_matrix((np.repeat(inv, degree), indices, indptr), shape=(n, n))


def has_peers(g: nx.Graph | small_world.SmallWorld, n: int) -> np.ndarray:
    """Boolean mask of managers with at least one peer."""
    if isinstance(g, CompleteGraph):
        return np.full(n, n > 1)
    adj = _adjacency(g)
    return np.fromiter((len(adj[i]) > 0 for i in range(n)), dtype=bool, count=n)


def sparse_times(matrix: sparse.csr_matrix, x: np.ndarray) -> np.ndarray:
    """``matrix @ x`` for a CSR matrix of floats and a vector of floats: the routine scipy's
    ``@`` runs (each row's terms added one by one, in stored order, from 0), without its
    Python-level dispatch (most of its cost on a one-member network)."""
    n_rows, n_cols = matrix.shape
    out = np.zeros(n_rows)
    _sparsetools.csr_matvec(n_rows, n_cols, matrix.indptr, matrix.indices, matrix.data, x, out)
    return out


class PeerNetwork:
    """The managers' peer networks as the model uses them: who hears whom, and peer means.

    Each member of a model has its own network, drawn from its own generator as its single run
    draws it. The members' networks are held as one block-diagonal sparse matrix (each member's
    row-normalised adjacency, rows and columns offset by member), so one sparse product gives
    every member's peer means, each row summed in the order of that member's own matrix (a
    sparse product adds a row's terms one by one, in the row's stored order, from 0). Complete
    networks store nothing: a member's peer mean is its sum less its own value.

    Attributes:
        graphs: Each member's networkx graph (node i = manager of institution i); a
            :class:`CompleteGraph` (no stored edges) for the complete network.
        matrix: The first member's row-normalised adjacency (:func:`peer_mean_matrix`).
        has_peers: Mask of managers with at least one peer, members × managers, or True
            when every manager of every member has one.
    """

    def __init__(self, graph: nx.Graph | small_world.SmallWorld, n: int) -> None:
        """Wrap one member's ``graph`` of ``n`` managers (as drawn: :func:`draw_network`)."""
        self._drawn: list[nx.Graph | small_world.SmallWorld] = [graph]
        self.matrix = peer_mean_matrix(graph, n)
        mask = has_peers(graph, n)[np.newaxis]
        self.has_peers: np.ndarray | bool = True if mask.all() else mask
        self._n = n
        self._complete = isinstance(self.matrix, CompletePeerMean)
        self._members = self.matrix

    @classmethod
    def build(cls, p: Params, group: np.ndarray, rnd: random.Random) -> PeerNetwork:
        """Build the network the parameters ask for (see :func:`build_network`)."""
        return cls(draw_network(p, group, rnd), int(group.size))

    @classmethod
    def stack(cls, networks: list[PeerNetwork]) -> PeerNetwork:
        """The networks of several members (of the same size and kind) as one."""
        first = networks[0]
        joined = cls.__new__(cls)
        joined.__dict__.update(vars(first))
        joined._drawn = [g for net in networks for g in net._drawn]
        masks = [np.full((1, first._n), True) if net.has_peers is True else net.has_peers
                 for net in networks]
        joined.has_peers = True if all(net.has_peers is True for net in networks) else (
            np.concatenate(masks, axis=0))
        if not first._complete:
            n, mats = first._n, [net.matrix for net in networks]
            start = np.cumsum([0] + [m.nnz for m in mats])
            indptr = np.concatenate([[0], *(m.indptr[1:] + start[k]
                                            for k, m in enumerate(mats))])
            joined._members = sparse.csr_matrix(
                (np.concatenate([m.data for m in mats]),
                 np.concatenate([m.indices + k * n for k, m in enumerate(mats)]), indptr),
                shape=(n * len(mats), n * len(mats)))
        return joined

    @property
    def graphs(self) -> list[nx.Graph]:
        """Each member's networkx graph (built from its draw when first asked for)."""
        self._drawn = [as_graph(g) for g in self._drawn]
        return list(self._drawn)

    @property
    def graph(self) -> nx.Graph:
        """The first member's graph (the one member of a Mesa model)."""
        self._drawn[0] = as_graph(self._drawn[0])
        return self._drawn[0]

    def peer_mean(self, x: np.ndarray) -> np.ndarray:
        """Each manager's mean of ``x`` (members × managers) over its peers (0 for managers
        without peers)."""
        n = self._n
        if self._complete:
            if n < 2:
                return np.zeros_like(x)
            return (np.add.reduce(x, axis=1, keepdims=True) - x) / (n - 1)
        return sparse_times(self._members, x.ravel()).reshape(x.shape)

    def peers(self, i: int) -> list[int]:
        """Indices of manager ``i``'s peers (the first member's network)."""
        return list(self.graph.neighbors(i))
