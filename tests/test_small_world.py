"""The small world is drawn exactly as networkx draws it (sim/small_world.py)."""

from __future__ import annotations

import random

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import small_world
from sim.network import CONNECTED_TRIES


def networkx_draw(n: int, k: int, p: float, rnd: random.Random) -> nx.Graph:
    try:
        return nx.connected_watts_strogatz_graph(n, k, p, tries=CONNECTED_TRIES, seed=rnd)
    except nx.NetworkXError:
        return nx.watts_strogatz_graph(n, k, p, seed=rnd)


@st.composite
def worlds(draw: st.DrawFn) -> tuple[int, int, float, int]:
    n = draw(st.integers(3, 60))
    k = draw(st.integers(2, n - 1))
    p = draw(st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0)))
    return n, k, p, draw(st.integers(0, 2**32 - 1))


@settings(max_examples=150, deadline=None)
@given(worlds())
def test_the_same_graph_and_the_same_draws_as_networkx(world):
    n, k, p, seed = world
    ours, theirs = random.Random(seed), random.Random(seed)
    drawn = small_world.draw(n, k, p, CONNECTED_TRIES, ours)
    want = networkx_draw(n, k, p, theirs)
    got = drawn.graph()
    assert list(got.nodes) == list(want.nodes)
    assert list(got.edges) == list(want.edges)  # the same ties in the same order
    assert [sorted(s) for s in drawn.adjacency] == [sorted(want.adj[i]) for i in range(n)]
    assert ours.getstate() == theirs.getstate()  # the same draws from the model's stream


def test_an_unconnected_world_is_kept_as_drawn_after_the_tries():
    kept = 0
    for seed in range(50):  # 8 nodes of degree 2, every tie rewired: sometimes unconnected
        ours, theirs = random.Random(seed), random.Random(seed)
        drawn = small_world.draw(8, 2, 1.0, 1, ours)
        try:
            want = nx.connected_watts_strogatz_graph(8, 2, 1.0, tries=1, seed=theirs)
        except nx.NetworkXError:
            want = nx.watts_strogatz_graph(8, 2, 1.0, seed=theirs)
            kept += 1
        assert list(drawn.graph().edges) == list(want.edges)
        assert ours.getstate() == theirs.getstate()
    assert kept > 0  # the fallback was exercised
