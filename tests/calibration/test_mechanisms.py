"""Unit tests of the two general mechanisms added for the calibrated scenarios.

- ``centre_release_months``: a centre releases staff above its budget (not only by attrition);
- ``local_it_cost_mdkk``: the institutions' own IT cost, which ends as each is served.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import make_params
from sim.agents.centre import release_above
from sim.economics import potential_gain, running_cost
from sim.runner import simulate


def test_release_above_budget_is_a_first_order_delay():
    assert release_above(120.0, 100.0, 6.0) == pytest.approx(20.0 * (1 - math.exp(-1 / 6)))
    assert release_above(80.0, 100.0, 6.0) == 0.0  # below budget: nothing released
    assert release_above(120.0, 100.0, 0.0) == 0.0  # 0 = attrition only


def test_release_shrinks_an_overstaffed_centre_faster_and_keeps_fte_conserved():
    base = {"rollout": "big_bang", "golive_dip": 0.5, "months": 60}
    slow, _ = simulate(make_params({**base, "centre_release_months": 0.0}), 3)
    fast, _ = simulate(make_params({**base, "centre_release_months": 3.0}), 3)
    assert fast["centre_fte"][-1] < slow["centre_fte"][-1]
    assert fast["realised_gain"][36] > slow["realised_gain"][36]
    previous = np.concatenate([[1000.0], fast["total_fte"][:-1]])
    np.testing.assert_allclose(fast["total_fte"] - previous,
                               fast["hires_fte"] - fast["leavers_fte"], atol=1e-6)


def test_own_it_cost_is_in_the_baseline_and_ends_as_institutions_are_served():
    p = make_params(local_it_cost_mdkk=50.0, it_running_cost_mdkk=10.0)
    assert running_cost(p, 0, 0, 0, it_live=False) == pytest.approx(50 + 1.5)
    assert running_cost(p, 0, 0, 0, it_live=True, own_it_share=0.0) == pytest.approx(10 + 1.5)
    zero = make_params(it_running_cost_mdkk=10.0)
    assert potential_gain(p, 100, 20) - potential_gain(zero, 100, 20) == pytest.approx(50)
    ts, _ = simulate(p, 1)
    assert ts["baseline_cost"][0] == pytest.approx(1000 * 0.48 + 50)
    np.testing.assert_allclose(ts["baseline_cost"] - ts["running_cost"], ts["realised_gain"])
    # once every institution is served, the whole own IT cost is saved
    end_staff = (ts["local_fte"][-1] + ts["shadow_fte"][-1] + ts["centre_fte"][-1]
                 + ts["workaround_fte"][-1] + ts["informal_fte"][-1] + ts["takeback_fte"][-1])
    assert ts["running_cost"][-1] == pytest.approx(end_staff * 0.48 + 10 + 1.5
                                                   + ts["failure_cost"][-1])
