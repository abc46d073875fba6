"""Every shipped scenario: well-formed, minimal, runs its full horizon and keeps the invariants.

Invariants are checked on every calibration seed (24) of every shipped scenario, plus the
rule-change variant of the KL models (documented as ``--set rule_changes=true``).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.params import defaults
from sim.scenarios import load_scenario, save_scenario, shipped_names
from tests.calibration import measure as m

SHIPPED = ["default", "statens_administration", "udbetaling_danmark", "kl_model_1a",
           "kl_model_1b", "kl_model_2", "statens_it", "workshop"]
CASES = [(name, {}) for name in SHIPPED] + [
    (name, {"rule_changes": True}) for name in m.KL_RANGES]


def test_the_issue_s_scenarios_are_all_shipped():
    assert set(SHIPPED) <= set(shipped_names())


@pytest.mark.parametrize("name", SHIPPED)
def test_scenario_has_title_two_line_description_sources_and_only_changed_parameters(name):
    sc = load_scenario(name)
    assert sc.title and len(sc.description.splitlines()) == 2
    assert sc.sources and all(s[:3].isdigit() for s in sc.sources)  # "000, box 1.4" style
    base = defaults()
    same = [k for k, v in sc.overrides.items() if v == base[k]]
    assert not same, f"{name} repeats defaults: {same}"


@pytest.mark.parametrize("name", SHIPPED)
def test_scenario_saves_and_loads_back_to_the_same_parameters(name, tmp_path):
    sc = load_scenario(name)
    back = load_scenario(save_scenario(tmp_path / f"{name}.toml", sc))
    assert back.params() == sc.params()


@pytest.mark.parametrize(("name", "overrides"), CASES,
                         ids=[n + ("+rule_changes" if o else "") for n, o in CASES])
def test_scenario_runs_its_horizon_and_keeps_the_invariants(name, overrides):
    p = m.params(name, overrides)
    for r in m.runs(name, overrides):
        assert len(r["month"]) == p.months  # the full horizon
        for col in ("local_fte", "shadow_fte", "centre_fte", "backlog", "hires_fte",
                    "leavers_fte", "transfers_fte"):
            assert r[col].min() >= -1e-9, col  # no negative staff, flows or backlog
        for col in ("trust_mean", "trust_p10", "trust_p90"):
            assert 0.0 <= r[col].min() and r[col].max() <= 1.0, col
        # baseline cost − running cost = realised gain, every month
        np.testing.assert_allclose(r["baseline_cost"] - r["running_cost"], r["realised_gain"],
                                   atol=1e-9)
        # FTE conserved: the change in total staff is hires − leavers, every month
        # (month 1 against the baseline staff, which is the whole workforce before the reform)
        baseline_fte = p.baseline_fte_total
        previous = np.concatenate([[baseline_fte], r["total_fte"][:-1]])
        np.testing.assert_allclose(r["total_fte"] - previous, r["hires_fte"] - r["leavers_fte"],
                                   atol=1e-6)
