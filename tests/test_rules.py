"""Each mechanism's rule in isolation."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from sim import make_params
from sim.agents.centre import (
    error_rate,
    hires_toward,
    serve,
    staff_mix,
    trained_this_month,
    wright_productivity,
)
from sim.agents.institution import case_work, split_surplus
from sim.agents.manager import (
    UNINFORMED_WEIGHT,
    adapt_expectation,
    add_evidence,
    adjust_toward,
    decision_score,
    dialogue_evidence,
    first_reputation,
    forget,
    opinion_step,
    satisfaction,
    shadow_pressure,
    shadow_times,
)
from sim.digitalisation import digital_reduction, full_digital_reduction
from sim.economics import (
    break_even_month,
    delay_cost_work,
    failure_cost,
    one_off_cost,
    planned_productivity,
    potential_gain,
    running_cost,
    target_productivity,
)
from sim.network import build_network, peer_mean_matrix
from sim.population import assign_centres, build_population
from sim.rollout import golive_month, wave_of

A = np.array


# --- trust -----------------------------------------------------------------------------------
def test_satisfaction_is_scaled_and_clipped():
    s = satisfaction(A([1.0, 0.95, 0.90, 0.5]), 0.95, 0.1)
    assert s == pytest.approx([1.0, 0.0, -0.5, -1.0])


def test_evidence_updates_trust_as_a_beta_reputation():
    trust, weight = add_evidence(A([0.5, 0.5]), A([6.0, 6.0]), A([2.0, 0.0]), A([0.0, 2.0]))
    assert trust == pytest.approx([5 / 8, 3 / 8])  # (0.5*6 + 2) / 8, (0.5*6) / 8
    assert weight == pytest.approx([8.0, 8.0])
    # the more evidence behind a view, the less one month moves it
    heavy, _ = add_evidence(A([0.5]), A([60.0]), A([2.0]), A([0.0]))
    assert heavy[0] - 0.5 < trust[0] - 0.5


def test_trust_stays_in_bounds_and_forgetting_returns_to_the_uninformed_view():
    trust, weight = A([0.0, 1.0, 0.3]), A([10.0, 10.0, 10.0])
    t, w = add_evidence(trust, weight, A([0.0, 5.0, 0.0]), A([5.0, 0.0, 0.0]))
    assert t == pytest.approx([0.0, 1.0, 0.3])
    # forgetting decays all evidence, the first view included, toward the uninformed 0.5
    u = UNINFORMED_WEIGHT
    t2, w2 = forget(A([0.9, 0.1, 0.0, 1.0]), A([40.0] * 4), 0.9)
    assert 0.5 < t2[0] < 0.9 and 0.1 < t2[1] < 0.5 and 0 < t2[2] < 0.5 and 0.5 < t2[3] < 1
    assert w2 == pytest.approx([u + 0.9 * (40.0 - u)] * 4)
    assert t2[0] == pytest.approx((u / 2 + 0.9 * (0.9 * 40 - u / 2)) / w2[0])
    t3, w3 = A([0.95]), A([40.0])
    for _ in range(600):
        t3, w3 = forget(t3, w3, 0.9)
    assert t3[0] == pytest.approx(0.5) and w3[0] == pytest.approx(u)


def test_the_first_view_fades_so_good_service_builds_trust_close_to_full():
    # a cautious first view worth 12 months, then ten years of fully good months, 24-month memory
    keep = math.exp(-1 / 24)
    trust, weight = first_reputation(A([0.3]), 12.0)
    for _ in range(120):
        trust, weight = forget(trust, weight, keep)
        trust, weight = add_evidence(trust, weight, A([1.0]), A([0.0]))
    assert trust[0] > 0.95
    # and years of bad months destroy it
    for _ in range(60):
        trust, weight = forget(trust, weight, keep)
        trust, weight = add_evidence(trust, weight, A([0.0]), A([2.5]))
    assert trust[0] < 0.05


def test_opinions_average_toward_peers_and_spread_along_paths():
    # a path 0 - 1 - 2: manager 0 distrusts; manager 2 hears of it only through manager 1
    peer_mean = np.array([[0, 1, 0], [0.5, 0, 0.5], [0, 1, 0]])
    trust = A([0.0, 0.8, 0.8])
    once = opinion_step(trust, peer_mean @ trust, A([True, True, True]), 0.2)
    assert once[1] < 0.8 and once[2] == pytest.approx(0.8)  # one hop after one month
    twice = opinion_step(once, peer_mean @ once, A([True, True, True]), 0.2)
    assert twice[2] < 0.8  # two hops after two months, weaker than one hop
    assert 0.8 - twice[2] < 0.8 - once[1]
    alone = opinion_step(trust, A([0.0, 0.0, 0.0]), A([False, False, False]), 0.5)
    assert alone == pytest.approx(trust)


def test_expectation_moves_between_promise_and_experience():
    e = adapt_expectation(A([0.95, 0.95]), A([1.0, 0.7]), 0.95, 1e9)
    assert e == pytest.approx([0.95, 0.95])  # an infinitely slow reference point
    e = A([0.95, 0.95])
    for _ in range(500):
        e = adapt_expectation(e, A([1.0, 0.7]), 0.95, 6.0)
    assert e == pytest.approx([0.975, 0.825])  # the midpoints of promise and experience


def test_dialogue_counts_only_as_far_as_experience_supports():
    assert dialogue_evidence(1.0, 0.3, A([1.0]))[0] == pytest.approx(0.3)
    assert dialogue_evidence(0.5, 0.3, A([1.0]))[0] == pytest.approx(0.15)
    assert dialogue_evidence(1.0, 0.3, A([0.0]))[0] == 0.0  # after a fully bad month
    assert dialogue_evidence(0.0, 0.3, A([1.0]))[0] == 0.0


def test_shadow_is_built_faster_after_a_bad_month_and_cut_faster_when_enforced():
    build, dismantle = shadow_times(3.0, 18.0, 2.0, A([0.0, 1.0]), 0.0, 0.75)
    assert build == pytest.approx([3.0, 1.0])
    assert dismantle == 18.0
    _, enforced = shadow_times(3.0, 18.0, 2.0, A([0.0]), 1.0, 0.75)
    assert enforced == pytest.approx(4.5)


def test_errors_fall_with_learning_and_rise_under_strain():
    new = error_rate(0.05, 0.05, novice_share=1.0, progress=0.0, service=1.0)
    learned = error_rate(0.05, 0.05, novice_share=0.0, progress=1.0, service=1.0)
    strained = error_rate(0.05, 0.05, novice_share=0.0, progress=1.0, service=0.5)
    assert new == pytest.approx(0.05) and learned == 0.0
    assert strained == pytest.approx(0.025)
    # system defects stay whatever the staff have learned
    assert error_rate(0.05, 0.05, 0.0, 1.0, 1.0, defects=0.02) == pytest.approx(0.02)


def test_mentors_limit_training():
    rate = 1 - math.exp(-1 / 6)
    alone = 1 - math.exp(-1 / 24)
    assert trained_this_month(30.0, 10.0, 6.0, 24.0, 3.0) == pytest.approx(30 * rate)
    # 100 novices, 10 mentors for 30 of them: the other 70 learn on their own, slower
    assert trained_this_month(100.0, 10.0, 6.0, 24.0, 3.0) == pytest.approx(
        30 * rate + 70 * alone)
    assert trained_this_month(100.0, 0.0, 6.0, 24.0, 3.0) == pytest.approx(100 * alone)


def test_novices_lower_the_centres_productivity():
    assert staff_mix(100.0, 100.0, 0.5) == 1.0
    assert staff_mix(0.0, 100.0, 0.5) == 0.5
    assert staff_mix(25.0, 100.0, 0.6) == pytest.approx(0.7)


def test_case_work_follows_cases_not_former_cost():
    work = case_work(A([10.0, 10.0]), A([0.5, 2.0]))
    assert work.sum() == pytest.approx(20.0)  # the business case's volume is kept
    assert work[0] / work[1] == pytest.approx(4.0)  # cheap per case = many cases


# --- shadow functions -----------------------------------------------------------------------
def test_shadow_pressure_zero_only_with_full_trust_and_clear_split():
    assert shadow_pressure(A([1.0]), 1.0, A([1.0]), 0.5)[0] == 0.0
    low_trust = shadow_pressure(A([0.2]), 1.0, A([0.5]), 0.5)[0]
    unclear = shadow_pressure(A([1.0]), 0.3, A([0.5]), 0.5)[0]
    assert low_trust > 0 and unclear > 0
    more_control = shadow_pressure(A([0.6]), 0.8, A([0.9]), 0.5)[0]
    less_control = shadow_pressure(A([0.6]), 0.8, A([0.1]), 0.5)[0]
    assert more_control > less_control
    assert (shadow_pressure(A([0.6]), 0.8, A([0.1]), 0.5)[0]
            > shadow_pressure(A([0.9]), 0.8, A([0.1]), 0.5)[0])
    assert shadow_pressure(A([0.0]), 1.0, A([0.0]), 0.3)[0] == pytest.approx(0.3)


def test_shadow_is_built_faster_than_dismantled():
    up = adjust_toward(A([0.0]), A([10.0]), build_months=3, dismantle_months=18)[0]
    down = adjust_toward(A([10.0]), A([0.0]), build_months=3, dismantle_months=18)[0]
    assert up == pytest.approx(10 * (1 - math.exp(-1 / 3)))
    assert 10 - down == pytest.approx(10 * (1 - math.exp(-1 / 18)))
    assert up > 10 - down


def test_decision_score_weighs_trust_price_and_control():
    base = decision_score(A([0.6]), A([1.0]), A([0.0]), 0.3, 0.2)[0]
    assert base == pytest.approx(0.6)
    dearer = decision_score(A([0.6]), A([1.4]), A([0.0]), 0.3, 0.2)[0]
    cheaper = decision_score(A([0.6]), A([0.8]), A([0.0]), 0.3, 0.2)[0]
    assert dearer == pytest.approx(0.6 - 0.12) and cheaper == pytest.approx(0.6 + 0.06)
    assert decision_score(A([0.6]), A([1.0]), A([0.5]), 0.3, 0.2)[0] == pytest.approx(0.5)
    # centrally funded (price ratio 0): the price plays no part
    assert decision_score(A([0.6]), A([0.0]), A([0.0]), 0.3, 0.2)[0] == pytest.approx(0.6)


# --- centre ----------------------------------------------------------------------------------
def test_wright_law_each_doubling_multiplies_by_inverse_progress_ratio():
    ref = A([1.0])
    p1 = wright_productivity(1.0, A([1.0]), ref, 0.9, cap=10)[0]  # 1 + V/V0 = 2
    p2 = wright_productivity(1.0, A([3.0]), ref, 0.9, cap=10)[0]  # 1 + V/V0 = 4
    assert p2 / p1 == pytest.approx(1 / 0.9)
    assert wright_productivity(1.0, A([1e9]), ref, 0.9, cap=1.5)[0] == 1.5
    assert wright_productivity(0.8, A([0.0]), ref, 0.9, cap=1.5)[0] == 0.8


def test_planned_productivity_path_and_target():
    assert target_productivity(1 / 3) == pytest.approx(1.5)
    path = [planned_productivity(m, 1.5, 24) for m in (0, 12, 24, 48)]
    assert path == pytest.approx([1.0, 1.25, 1.5, 1.5])


def test_hiring_closes_gaps_and_never_fires():
    assert hires_toward(10.0, 20.0, lag_months=4) == pytest.approx(10 * (1 - math.exp(-1 / 4)))
    assert hires_toward(30.0, 20.0, lag_months=4) == 0.0


def test_backlog_grows_when_demand_exceeds_capacity_and_service_falls():
    normal = 1.5  # months a case normally takes
    out = [serve(c, d, b, normal) for c, d, b in ((80.0, 100.0, 10.0), (200.0, 100.0, 10.0),
                                                  (5.0, 0.0, 0.0), (0.0, 10.0, 0.0))]
    processed, backlog, service = zip(*out, strict=True)
    assert processed == pytest.approx([80, 110, 0, 0])
    assert backlog == pytest.approx([30, 0, 0, 10])
    # service is the normal time over the time a case takes now (Little's law for the wait)
    assert service == pytest.approx([normal / (normal + 30 / 80), 1.0, 1.0, 0.0])
    # cases taking twice the normal time halve the service
    assert serve(100.0, 100.0, 150.0, normal)[2] == pytest.approx(0.5)


def test_a_late_case_costs_its_delay_for_a_bounded_time():
    p = make_params(delay_cost_cap_months=3.0, backlog_cost_share=0.5, fte_cost_mdkk=0.48)
    assert delay_cost_work(p, backlog=100.0, processed=50.0) == 100.0
    assert delay_cost_work(p, backlog=1000.0, processed=50.0) == 150.0  # cases beyond 3 months
    assert failure_cost(p, 1000.0, 50.0, 0.0) == pytest.approx(0.5 * 150 * 0.48)
    assert failure_cost(p, 1e6, 50.0, 0.0) == failure_cost(p, 1e3, 50.0, 0.0)


# --- staff -----------------------------------------------------------------------------------
def test_surplus_split_conserves_staff():
    s = A([10.0, 3.0])
    a, b, c = split_surplus(s, 0.3, 0.5)
    assert a + b + c == pytest.approx(s)
    assert a == pytest.approx(0.3 * s) and b == pytest.approx(0.35 * s)


# --- digitalisation --------------------------------------------------------------------------
def test_digitalisation_early_part_then_rule_changes_after_delay():
    p = make_params(digital_gain_share=0.5, digital_early_share=0.17, digital_start_month=24,
                    digital_ramp_months=12, rule_change_delay_months=36)
    assert digital_reduction(24, p) == 0.0
    assert digital_reduction(36, p) == pytest.approx(0.5 * 0.17)
    assert digital_reduction(60, p) == pytest.approx(0.5 * 0.17)  # waiting for rule changes
    assert digital_reduction(72, p) == pytest.approx(0.5)
    no_rules = p.model_copy(update={"rule_changes": False})
    assert digital_reduction(200, no_rules) == pytest.approx(0.5 * 0.17)
    assert full_digital_reduction(no_rules) == pytest.approx(0.085)


# --- roll-out --------------------------------------------------------------------------------
def test_waves_by_size_put_the_largest_first_and_months_follow_the_plan():
    p = make_params(rollout="waves", n_waves=2, wave_order="size", preparation_months=12,
                    wave_interval_months=6)
    size = A([1.0, 5.0, 3.0, 4.0])
    wave = wave_of(p, size, A([0, 0, 1, 1]), np.random.default_rng(0))
    assert wave.tolist() == [1, 0, 1, 0]
    assert golive_month(p, wave).tolist() == [19, 13, 19, 13]


def test_waves_by_group_keep_groups_together_and_big_bang_is_one_wave():
    p = make_params(rollout="waves", n_waves=2, wave_order="group")
    group = A([0, 1, 2, 0, 1, 2])
    wave = wave_of(p, np.ones(6), group, np.random.default_rng(0))
    for g in range(3):
        assert len(set(wave[group == g].tolist())) == 1
    assert set(wave.tolist()) == {0, 1}
    bb = make_params(rollout="big_bang")
    assert set(wave_of(bb, np.ones(6), group, np.random.default_rng(0)).tolist()) == {0}


def test_random_wave_order_uses_the_given_generator():
    p = make_params(rollout="waves", n_waves=3, wave_order="random")
    a = wave_of(p, np.ones(30), np.zeros(30, int), np.random.default_rng(5))
    b = wave_of(p, np.ones(30), np.zeros(30, int), np.random.default_rng(5))
    c = wave_of(p, np.ones(30), np.zeros(30, int), np.random.default_rng(6))
    assert a.tolist() == b.tolist() and a.tolist() != c.tolist()


# --- population and network ------------------------------------------------------------------
def test_municipalities_are_sized_by_population_and_sum_to_the_baseline():
    p = make_params(institution_source="dk_municipalities_2012", n_institutions=98,
                    baseline_fte_total=2003, n_centres=5)
    pop = build_population(p, np.random.default_rng(0))
    assert pop.baseline_fte.size == 98
    assert pop.baseline_fte.sum() == pytest.approx(2003)
    kbh = pop.names.index("København")
    assert pop.baseline_fte[kbh] == pytest.approx(2003 * 549050 / 5580413, rel=1e-6)
    assert sorted(np.bincount(pop.group).tolist()) == [11, 17, 19, 22, 29]
    assert len(set(pop.centre.tolist())) == 5


def test_centre_assignment_by_group():
    assert assign_centres(A([0, 1, 2, 3, 4]), 5, 2).tolist() == [0, 1, 0, 1, 0]
    assert assign_centres(A([0, 0, 0]), 1, 3).tolist() == [0, 1, 2]


@pytest.mark.parametrize("shape", ["complete", "small_world", "clustered"])
def test_networks_are_seeded_and_have_the_expected_shape(shape):
    p = make_params(network=shape, network_degree=4, n_institutions=40)
    group = np.repeat(np.arange(4), 10)
    g1 = build_network(p, group, random.Random(3))
    g2 = build_network(p, group, random.Random(3))
    assert sorted(g1.edges()) == sorted(g2.edges())
    assert g1.number_of_nodes() == 40
    if shape == "complete":
        assert g1.number_of_edges() == 40 * 39 / 2
    else:
        assert 2 <= 2 * g1.number_of_edges() / 40 <= 8
    if shape == "clustered":
        within = sum(group[a] == group[b] for a, b in g1.edges())
        assert within / g1.number_of_edges() > 0.6


def test_peer_matrix_gives_the_mean_of_peers():
    import networkx as nx

    g = nx.path_graph(3)
    m = peer_mean_matrix(g, 3)
    assert (m @ A([0.0, 1.0, 0.5])) == pytest.approx([1.0, 0.25, 1.0])



@pytest.mark.parametrize("seed", range(6))
def test_peer_matrix_is_the_row_normalised_adjacency_with_isolated_managers_unpulled(seed):
    import random

    import networkx as nx

    from sim.network import has_peers

    g = nx.watts_strogatz_graph(30, 4, 0.4, seed=random.Random(seed))
    g.add_nodes_from([30, 31])  # two managers without peers
    dense = nx.to_numpy_array(g, nodelist=range(32))
    deg = dense.sum(axis=1)
    want = np.divide(dense, deg[:, None], out=np.zeros_like(dense), where=deg[:, None] > 0)
    m = peer_mean_matrix(g, 32)
    assert np.array_equal(m.toarray(), want)
    assert has_peers(g, 32).tolist() == [True] * 30 + [False, False]


@pytest.mark.parametrize("seed", range(4))
def test_sparse_times_is_scipys_product_bit_for_bit(seed):
    """Peer means skip scipy's dispatch but must run its routine: the same last bits as `@`,
    for one member's matrix and for members stacked block-diagonally."""
    import random

    from sim.network import PeerNetwork, sparse_times

    p = make_params(network="small_world", n_institutions=40)
    group = np.zeros(40, dtype=np.int64)
    nets = [PeerNetwork.build(p, group, random.Random(seed * 10 + k)) for k in range(3)]
    x = np.random.default_rng(seed).random((3, 40))
    one = nets[0].matrix
    assert np.array_equal(sparse_times(one, x[0]), one @ x[0])
    joined = PeerNetwork.stack(nets)
    assert np.array_equal(joined.peer_mean(x), (joined._members @ x.ravel()).reshape(x.shape))
    assert np.array_equal(joined.peer_mean(x)[1], nets[1].peer_mean(x[1:2])[0])

# --- economics -------------------------------------------------------------------------------
def test_potential_gain_from_scale_and_digital_gains():
    p = make_params(scale_gain_share=0.5, digital_gain_share=0.0, fte_cost_mdkk=1.0,
                    it_running_cost_mdkk=0.0)
    # 100 FTE of moved work at double productivity saves 50 FTE = 50 mio. kr./year.
    assert potential_gain(p, moved_work=100, local_work=20) == pytest.approx(50)
    d = p.model_copy(update={"digital_gain_share": 0.5, "rule_changes": True})
    assert potential_gain(d, 100, 20) == pytest.approx(120 - (20 + 50) * 0.5)


def test_running_and_one_off_costs():
    p = make_params(fte_cost_mdkk=0.5, it_running_cost_mdkk=4, dialogue_effort=0.5,
                    dialogue_cost_mdkk=2, preparation_months=10, establishment_cost_mdkk=5,
                    it_investment_mdkk=5, onboarding_cost_per_fte_mdkk=0.1,
                    severance_cost_per_fte_mdkk=0.2)
    assert running_cost(p, 10, 2, 8, it_live=True) == pytest.approx(10 + 4 + 1)
    assert running_cost(p, 10, 2, 8, it_live=False) == pytest.approx(10 + 1)
    assert one_off_cost(p, 1, 0, 0) == pytest.approx(1.0)
    assert one_off_cost(p, 11, 10, 5) == pytest.approx(1.0 + 1.0)


def test_break_even_is_the_month_from_which_the_balance_stays_positive():
    assert break_even_month(A([-3.0, -1.0, 2.0, -0.5, 1.0, 4.0])) == 5
    assert break_even_month(A([1.0, 2.0])) == 1
    assert break_even_month(A([-1.0, -2.0])) is None
