"""The pattern book (``../shared/patterns.md``, P1–P6), jointly, with one set of parameters.

P1–P3 are read over plausible behavioural uncertainty (a Latin hypercube over the ranges in
:data:`tests.calibration.patterns.PLAUSIBLE`, around every realistic shipped scenario); P4–P6
compare arms on common seeds. Where the model does not reproduce a pattern, the test is a
strict expected failure that names the figure: it turns into an error the day the model
reproduces it, so the docs are corrected then (``docs/calibration.md``, "The pattern book").
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.runner import simulate
from sim.scenarios import load_scenario
from sim.seeds import replication_seeds
from tests.calibration import measure as m
from tests.calibration import patterns as pb

pytestmark = pytest.mark.slow
SEEDS = replication_seeds(2028, 12)


# --- P1: worse before better, then payback — but not always --------------------------------
def test_p1_the_reform_costs_before_it_pays_and_some_never_pay_back():
    s = pb.p1()
    assert s["share_negative_at_2y"] >= 0.95, s  # below zero for the first two years
    assert 0.05 <= s["share_never"] <= 0.5, s  # a real tail that has not broken even


@pytest.mark.xfail(strict=True, reason="P1 not reproduced: the fastest tenth of runs break even "
                   "after about six years, not two to four (docs/calibration.md)")
def test_p1_the_fastest_tenth_break_even_two_to_four_years_after_the_decision():
    s = pb.p1()
    assert 2.0 <= s["p10_years"] <= 4.0, s


# --- P2: gains arrive partly ---------------------------------------------------------------
def test_p2_about_half_to_two_thirds_of_the_gain_due_arrives_by_year_five():
    s = pb.p2()
    # "about 50–70 %": the range with five points either side for "about"
    assert 0.45 <= s["median_scale"] <= 0.75, s
    assert s["share_scale_90"] >= 0.02, s  # a few reach 90 % or more
    assert s["share_scale_below_25"] >= 0.02, s  # a few stay below a quarter
    # a digitalisation gain the plan dates after year five is not counted as a shortfall
    assert s["median_full"] <= s["median_scale"], s


# --- P3: a controlled transition dips moderately and recovers within a year ----------------
def test_p3_the_transition_dips_by_weeks_of_waiting_for_months_and_recovers():
    s = pb.p3()
    assert s["median_min_service"] >= 0.5, s  # not a halving of service
    assert s["share_halved"] <= 0.25, s
    assert 1.0 <= s["median_max_wait_weeks"] <= 8.0, s  # waiting time up by weeks
    assert s["median_months_below_95"] >= 3, s  # months, not one or two
    assert s["share_recovered_within_12"] >= 0.5, s  # back at target within a year


def test_p3_depth_comes_from_staffing_and_experience_not_from_the_dip_parameter_alone():
    # With no go-live dip at all, a centre staffed by few transfers still dips
    base = {"golive_dip": 0.0}
    few = [simulate(load_scenario("default").params({**base, "transfer_share": 0.2}), s)[1]
           for s in SEEDS]
    many = [simulate(load_scenario("default").params({**base, "transfer_share": 0.8}), s)[1]
            for s in SEEDS]
    assert np.median([k.max_wait_weeks for k in few]) > 1.0
    assert (np.median([k.max_wait_weeks for k in few])
            > 1.5 * np.median([k.max_wait_weeks for k in many]))


# --- P4: double work outlives the reform ---------------------------------------------------
def test_p4_shadow_work_outlives_the_reform_unless_dialogue_and_a_clear_split_are_sustained():
    sc = load_scenario("default")
    neglect = sc.params({"dialogue_effort": 0.0, "task_split_clarity": 0.5, "months": 180})
    care = sc.params({"dialogue_effort": 1.0, "task_split_clarity": 0.9, "months": 180})
    left, cared = [], []
    for seed in SEEDS:
        a, _ = simulate(neglect, seed)
        b, _ = simulate(care, seed)
        # ten years after the last go-live
        left.append(float(a["shadow_fte"][-1]))
        cared.append(float(b["shadow_fte"][-1]))
    baseline = neglect.baseline_fte_total
    assert np.median(left) > 0.02 * baseline  # still present
    assert np.median(cared) < 0.6 * np.median(left)  # falls markedly
    assert all(c < n for c, n in zip(cared, left, strict=True))


# --- P5: the price key makes losers, and losers resist -------------------------------------
def test_p5_those_who_pay_more_trust_less_and_keep_more_shadow_work():
    params = load_scenario("udbetaling_danmark").params()
    free = load_scenario("udbetaling_danmark").params({"charging": "none"})
    from sim.runner import execute

    snap = ("inst.price_ratio", "mgr.trust", "inst.shadow_fte", "inst.moved_fte")
    trust_gap, shadow_gap = [], []
    for seed in SEEDS[:6]:
        charged, central = execute(params, seed, snap), execute(free, seed, snap)
        month = 48  # a year after the last go-live
        losers = charged.snapshots["inst.price_ratio"][month] > 1.0
        assert losers.any() and (~losers).any()
        gap = central.snapshots["mgr.trust"][month] - charged.snapshots["mgr.trust"][month]
        trust_gap.append(float(np.median(gap[losers]) - np.median(gap[~losers])))
        staff = charged.snapshots["inst.moved_fte"][month]  # its own staff on the work
        extra = (charged.snapshots["inst.shadow_fte"][month]
                 - central.snapshots["inst.shadow_fte"][month]) / staff
        shadow_gap.append(float(np.median(extra[losers]) - np.median(extra[~losers])))
    assert np.median(trust_gap) > 0 and np.mean(np.array(trust_gap) > 0) >= 5 / 6
    assert np.median(shadow_gap) > 0 and np.mean(np.array(shadow_gap) > 0) >= 5 / 6


# --- P6: staff who do not move take the knowledge with them --------------------------------
def _production_loss(overrides: dict) -> float:
    params = load_scenario("statens_administration").params(
        {**m.SA_QUARTER_MOVE, "months": 216, **overrides})
    return float(np.median([m.sa_months_production_below_before_move(simulate(params, s)[0])
                            for s in SEEDS[:6]]))


def test_p6_a_relocation_loses_production_for_years_shaped_by_hiring_and_training():
    base = _production_loss({})
    assert base >= 24  # several years
    assert _production_loss({"hiring_capacity": 0.03}) > base  # scarce recruitment: longer
    assert _production_loss({"training_months": 12.0, "self_training_months": 48.0}) > base
