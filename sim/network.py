"""The local managers' peer network, built with networkx from the model's own generator.

Three shapes: ``complete`` (everyone hears everyone), ``small_world`` (Watts–Strogatz: mostly
local ties with a few long ones) and ``clustered`` (a stochastic block model whose blocks are
the institutions' groups, e.g. regions or ministries). Peer influence needs, for each manager,
the mean of its peers' trust: :func:`peer_mean_matrix` turns the graph into a row-normalised
sparse matrix so that one product gives every manager's peer mean.
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
from scipy import sparse

from sim.params import Params


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
    n = int(group.size)
    if n <= 1:
        g = nx.empty_graph(n)
    elif p.network == "complete":
        g = nx.complete_graph(n)
    elif p.network == "small_world":
        k = min(max(p.network_degree, 2), n - 1)
        g = nx.connected_watts_strogatz_graph(n, k, p.network_rewiring, tries=100, seed=rnd)
    else:
        g = _clustered(p, group, rnd)
    return g


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
    probs = [[min(1.0, degree * share_in / max(sa - 1, 1)) if a == b else q for b in labels]
             for a, sa in zip(labels, sizes, strict=True)]
    sbm = nx.stochastic_block_model(sizes, probs, seed=rnd, sparse=True)
    # SBM numbers nodes block by block; map them back to institution indices.
    mapping = {k: int(order[k]) for k in range(n)}
    return nx.relabel_nodes(nx.Graph(sbm), mapping)


def peer_mean_matrix(g: nx.Graph, n: int) -> sparse.csr_matrix:
    """Row-normalised adjacency: ``(M @ x)[i]`` is the mean of x over i's peers.

    Managers without peers get a zero row; the trust update treats them as unpulled.
    """
    a = nx.to_scipy_sparse_array(g, nodelist=range(n), format="csr", dtype=float)
    deg = np.asarray(a.sum(axis=1)).ravel()
    inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=deg > 0)
    return sparse.csr_matrix(sparse.diags(inv) @ a)


def has_peers(g: nx.Graph, n: int) -> np.ndarray:
    """Boolean mask of managers with at least one peer."""
    return np.array([g.degree(i) > 0 for i in range(n)], dtype=bool)


class PeerNetwork:
    """The managers' peer network as the model uses it: who hears whom, and peer means.

    Attributes:
        graph: The networkx graph (node i = manager of institution i).
        matrix: Row-normalised adjacency (:func:`peer_mean_matrix`).
        has_peers: Mask of managers with at least one peer.
    """

    def __init__(self, graph: nx.Graph, n: int) -> None:
        """Wrap ``graph`` of ``n`` managers."""
        self.graph = graph
        self.matrix = peer_mean_matrix(graph, n)
        self.has_peers = has_peers(graph, n)
        # The matrix in CSR order as (row, column, weight) triples: one bincount gives every
        # row's weighted sum in the same order as the sparse product, without its overhead.
        self._n = n
        self._rows = np.repeat(np.arange(n), np.diff(self.matrix.indptr))
        self._cols = self.matrix.indices
        self._weights = self.matrix.data

    @classmethod
    def build(cls, p: Params, group: np.ndarray, rnd: random.Random) -> PeerNetwork:
        """Build the network the parameters ask for (see :func:`build_network`)."""
        return cls(build_network(p, group, rnd), int(group.size))

    def peer_mean(self, x: np.ndarray) -> np.ndarray:
        """Each manager's mean of ``x`` over its peers (0 for managers without peers)."""
        return np.bincount(self._rows, self._weights * x[self._cols], self._n)

    def peers(self, i: int) -> list[int]:
        """Indices of manager ``i``'s peers."""
        return list(self.graph.neighbors(i))
