"""Invariants that hold in every run, checked over 20 seeds and several policies."""

from __future__ import annotations

import numpy as np
import pytest

from sim import make_params
from tests.conftest import run_seeds

VARIANTS = {
    "default": {},
    "big_bang_voluntary": {"rollout": "big_bang", "adoption": "voluntary",
                           "initial_trust": 0.4},
    "relocation_clustered_three_centres": {"relocation_month": 50, "network": "clustered",
                                           "n_centres": 3, "months": 90},
    "unclear_no_dialogue_complete": {"dialogue_effort": 0.0, "task_split_clarity": 0.1,
                                     "network": "complete", "n_institutions": 30},
}


@pytest.fixture(scope="module", params=list(VARIANTS))
def runs(request):
    return run_seeds(VARIANTS[request.param])  # 20 seeds (tests.conftest.SEEDS)


def test_no_negative_staff_or_backlog(runs):
    for ts, _ in runs:
        for col in ("local_fte", "shadow_fte", "centre_fte", "backlog", "hires_fte",
                    "leavers_fte", "transfers_fte"):
            assert ts[col].min() >= -1e-9, col


def test_trust_stays_in_unit_interval(runs):
    for ts, _ in runs:
        for col in ("trust_mean", "trust_p10", "trust_p90"):
            assert 0.0 <= ts[col].min() and ts[col].max() <= 1.0


def test_costs_add_up_every_month(runs):
    for ts, _ in runs:
        np.testing.assert_allclose(ts["baseline_cost"] - ts["running_cost"],
                                   ts["realised_gain"], atol=1e-9)
        cumulative = np.cumsum(ts["realised_gain"] / 12 - ts["one_off_cost"])
        np.testing.assert_allclose(cumulative, ts["cumulative_net_benefit"], atol=1e-6)


def test_fte_are_conserved_through_transfers(runs):
    for ts, _ in runs:
        total = ts["total_fte"]
        np.testing.assert_allclose(total, ts["local_fte"] + ts["shadow_fte"] + ts["centre_fte"])
        baseline = make_params().baseline_fte_total  # no variant changes it
        assert ts["transfers_fte"].sum() > 0  # staff did move between institutions and centre
        previous = np.concatenate([[baseline], total[:-1]])
        np.testing.assert_allclose(total - previous, ts["hires_fte"] - ts["leavers_fte"],
                                   atol=1e-6)


def test_phases_add_up_and_service_is_a_share(runs):
    for ts, _ in runs:
        counts = ts["n_waiting"] + ts["n_transition"] + ts["n_served"] + ts["n_left"]
        assert len(set(counts.tolist())) == 1
        seen = ts["service_level"][~np.isnan(ts["service_level"])]
        assert seen.min() >= 0 and seen.max() <= 1
