"""Ensembles: every member of a batch is bit for bit its single run (``sim.ensemble``,
``sim.run_many``).

The members of one pass share the shape of the model's arrays and differ in seed and in any
number parameter; the property test draws whole parameter sets from the one parameter
definition (``tests/test_properties.py``), varies number parameters and seeds between members,
and compares every recorded column and every KPI with the single run of the same parameters
and seed, bit for bit.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.ensemble import iter_members, run_members, shape_key
from sim.errors import ParameterError
from sim.kpis import KPIs
from sim.params import defaults, make_params, specs
from sim.recorder import COLUMNS
from sim.runner import simulate
from tests.test_properties import LONG, parameter_sets, valid_value

#: What members of one pass may differ in (numbers, and whole numbers declared per member).
PER_MEMBER = [s for s in specs() if s.per_member]

MEMBERS = settings(max_examples=LONG or 20, deadline=None, derandomize=not LONG, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal bit for bit (NaN payloads and signed zeros included)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and np.array_equal(a.view(np.uint64), b.view(np.uint64))


def same_kpis(a: KPIs, b: KPIs) -> bool:
    for k in KPIs.keys():
        x, y = getattr(a, k), getattr(b, k)
        if x is None or y is None:
            if x is not y:
                return False
        elif not same_bits(np.float64(x), np.float64(y)):
            return False
    return True


@st.composite
def batches(draw: st.DrawFn) -> tuple[list[dict], list[int]]:
    """One to four members: a drawn parameter set, some per-member parameters redrawn per member,
    now and then a member with another drawn set (another pass), and drawn seeds."""
    base = draw(parameter_sets)
    n = draw(st.integers(1, 4))
    members, seeds = [], []
    for _ in range(n):
        if draw(st.integers(0, 5)) == 0:
            values = draw(parameter_sets)
        else:
            changed = draw(st.lists(st.sampled_from(PER_MEMBER), max_size=6, unique_by=lambda s: s.name))
            values = {**base, **{s.name: draw(valid_value(s)) for s in changed}}
        members.append(values)
        seeds.append(draw(st.integers(0, 2**32 - 1)))
    return members, seeds


@MEMBERS
@given(batch=batches())
def test_every_member_is_its_single_run_bit_for_bit(batch):
    values, seeds = batch
    params = []
    for v in values:
        try:
            params.append(make_params(v))
        except ParameterError:  # a redrawn number that breaks a cross-parameter rule
            params.append(make_params(values[0]))
    members = run_members(params, seeds, record=None)
    assert [m.index for m in members] == list(range(len(seeds)))
    for m in members:
        arrays, kpis = simulate(m.params, m.seed)
        assert sorted(m.arrays) == sorted(arrays) == sorted(COLUMNS)
        for name in COLUMNS:
            assert same_bits(m.arrays[name], arrays[name]), (m.index, name)
        assert same_kpis(m.kpis, kpis), m.index


def test_members_with_other_shapes_run_in_their_own_pass():
    a = make_params(months=24)
    b = make_params(months=24, n_institutions=30)
    c = make_params(months=24, dialogue_effort=0.9)
    assert shape_key(a) == shape_key(c) != shape_key(b)
    members = run_members([a, b, c, a], [1, 2, 3, 4], chunk=3)
    for m in members:
        arrays, kpis = simulate(m.params, m.seed)
        assert all(same_bits(m.arrays[k], arrays[k]) for k in arrays)
        assert same_kpis(m.kpis, kpis)


def test_members_come_in_order_a_chunk_at_a_time():
    seeds = list(range(7))
    p = make_params(months=12)
    got = iter_members(p, seeds, record=(), chunk=3)
    assert [m.seed for m in got] == seeds


def test_run_many_gives_each_seed_its_run():
    seeds = [3, 1, 4]
    runs = sim.run_many("default", seeds=seeds, months=36, record=["share_served"])
    assert list(runs.kpis["seed"]) == seeds and list(runs.kpis["member"]) == [0, 1, 2]
    assert runs.series["share_served"].shape == (3, 36)
    for i, seed in enumerate(seeds):
        single = sim.run("default", seed=seed, months=36)
        assert same_bits(runs.series["share_served"][i], single.arrays["share_served"])
        for k, v in single.kpis.to_dict().items():
            got = runs.kpis.loc[i, k]
            assert (v is None and math.isnan(got)) or got == v, k


def test_run_many_overrides_per_member():
    over = [{"dialogue_effort": 0.1}, {"dialogue_effort": 0.9}]
    runs = sim.run_many("default", seeds=[5, 5], overrides=over, months=48)
    assert runs.series is None
    for i, o in enumerate(over):
        single = sim.run("default", seed=5, overrides=o, months=48)
        assert runs.kpis.loc[i, "trust_end"] == single.kpis.trust_end
    assert runs.kpis.loc[0, "trust_end"] != runs.kpis.loc[1, "trust_end"]


@pytest.mark.parametrize(("kwargs", "says"), [
    ({"seeds": []}, "seeds has 0 seeds"),
    ({"seeds": [1, -1]}, "seeds[1] = -1 is not allowed"),
    ({"seeds": 5}, "seeds = 5 is not allowed"),
    ({"seeds": [1, True]}, "seeds[1] = True"),
    ({"seeds": [1, 2], "overrides": [{}]}, "overrides has 1 mappings for 2 seeds"),
    ({"seeds": [1, 2], "overrides": [{}, {"dialogue_effort": 2.0}]},
     "overrides[1]: parameter 'dialogue_effort' = 2.0 is not allowed"),
    ({"seeds": [1], "overrides": {"dialog_effort": 0.5}}, "Did you mean"),
    ({"seeds": [1], "months": 0}, "parameter 'months' = 0 is not allowed"),
    ({"seeds": [1], "record": "share_served"}, "record = 'share_served' is not allowed"),
    ({"seeds": [1], "record": ["share_servd"]}, "share_servd"),
    ({"seeds": [1], "chunk": 0}, "chunk = 0 is not allowed"),
])
def test_run_many_refuses_bad_input_in_one_line(kwargs, says):
    with pytest.raises(ParameterError) as err:
        sim.run_many("default", **kwargs)
    assert says in str(err.value) and "\n" not in str(err.value)


def test_members_that_differ_in_the_response_delay_step_in_one_pass():
    """A whole number declared per member (the response delay) does not split a pass, and each
    member still gives its single run, the delay acting (failure response on, short delays)."""
    params = [make_params(months=60, response_delay_months=d) for d in (1, 2, 6)]
    assert len({shape_key(p) for p in params}) == 1
    members = run_members(params, [3, 3, 3])
    for m in members:
        arrays, kpis = simulate(m.params, m.seed)
        assert all(same_bits(m.arrays[k], arrays[k]) for k in arrays)
        assert same_kpis(m.kpis, kpis)
    assert not all(same_bits(members[0].arrays[k], members[2].arrays[k]) for k in COLUMNS)


def test_defaults_are_one_pass():
    d = make_params(defaults())
    assert shape_key(d) == shape_key(make_params(defaults(), initial_trust=0.2))


def test_run_many_of_a_scenario_with_an_institutions_file_gives_its_runs(tmp_path):
    from sim.institutions import template_csv
    from sim.scenarios import load_scenario

    path = tmp_path / "ours.csv"
    path.write_text(template_csv())
    sc = load_scenario("default").with_institutions(path)
    runs = sim.run_many(sc, seeds=[1, 2], months=24)
    for row, seed in zip(runs.kpis.itertuples(index=False), (1, 2), strict=True):
        single = sim.run(sc, seed=seed, months=24).kpis.to_dict()
        assert all(same_bits(np.float64(getattr(row, k)), np.float64(v))
                   for k, v in single.items())
