"""Agent families and Mesa's contract: one clock, run_model ends, writable per-agent views,
outside decisions for played managers, and an exact fork."""

from __future__ import annotations

import numpy as np
import pytest

from sim import make_params
from sim.agents import Institution, LocalManager, ProgrammeOwner, SharedServiceCentre
from sim.errors import ParameterError
from sim.model import SharedServiceModel
from sim.runner import execute


def _model(**over) -> SharedServiceModel:
    return SharedServiceModel(make_params({"months": 48, **over}), rng=3)


def test_run_model_ends_at_the_horizon_with_one_clock():
    model = _model()
    model.run_model()
    assert model.running is False
    assert model.steps == 48
    assert model.recorder.rows == 48
    assert model.recorder.column("month")[-1] == 48
    with pytest.raises(RuntimeError, match="horizon"):
        model.step()


def test_run_is_run_model():
    a, b = _model(), _model()
    a.run()
    b.run_model()
    assert np.array_equal(a.recorder.data, b.recorder.data, equal_nan=True)


def test_every_agent_is_in_mesas_registry():
    model = _model(n_centres=2)
    assert len(model.agents_by_type[Institution]) == 100
    assert len(model.agents_by_type[LocalManager]) == 100
    assert len(model.agents_by_type[SharedServiceCentre]) == 2
    assert len(model.agents_by_type[ProgrammeOwner]) == 1
    assert len(model.agents) == 203


def test_a_per_agent_step_is_refused_with_a_reason():
    model = _model()
    with pytest.raises(TypeError, match="model.step"):
        model.agents.do("step")


def test_per_agent_views_agree_with_recorded_totals():
    model = _model(n_centres=3)
    model.run_model()
    last = {k: v[-1] for k, v in model.recorder.arrays().items()}
    assert sum(i.shadow_fte for i in model.institutions) == pytest.approx(last["shadow_fte"])
    assert sum(i.local_fte for i in model.institutions) == pytest.approx(last["local_fte"])
    assert sum(c.staff for c in model.centres) == pytest.approx(last["centre_fte"])
    assert sum(c.backlog for c in model.centres) == pytest.approx(last["backlog"])
    assert np.mean([m.trust for m in model.managers]) == pytest.approx(last["trust_mean"])
    served = sum(i.phase != "waiting" for i in model.institutions)
    assert served / 100 == pytest.approx(last["share_served"])


def test_views_are_writable_and_the_next_step_reads_them():
    model = _model(adoption="voluntary", adoption_trust_threshold=0.9, initial_trust=0.3,
                   initial_trust_spread=0.0, preparation_months=2, rollout="big_bang",
                   join_notice_months=0, price_weight=0.0, control_weight=0.0,
                   peer_influence=0.0)
    model.step()
    model.managers[3].trust = 0.95
    assert model.mgr.trust[0, 3] == 0.95
    model.step()  # month 2: not due yet
    model.step()  # month 3: due; only manager 3 trusts enough to join
    assert model.institutions[3].phase == "in transition"
    assert sum(i.phase != "waiting" for i in model.institutions) == 1
    model.institutions[5].shadow_fte = 2.0
    assert model.inst.shadow_fte[0, 5] == 2.0
    model.institutions[3].phase = "left"  # derived state follows a phase set through a view
    assert not model.inst.live[0, 3] and model.inst.n_left == 1
    with pytest.raises(AttributeError, match="derived"):
        model.managers[0].played = True


def test_played_managers_follow_their_decisions_not_the_rules():
    # everyone joins at once with no notice: the centre cannot staff up, so exits and the
    # programme owner are switched off to keep the played managers' decisions in view
    model = _model(adoption="voluntary", adoption_trust_threshold=0.0, preparation_months=1,
                   rollout="big_bang", join_notice_months=0, exit_trust_threshold=0.0,
                   programme_review=False)
    model.mgr.play(0)
    model.mgr.play(1)
    model.mgr.decide(1, join=True, shadow="build")
    for _ in range(12):
        model.step()
    assert model.institutions[0].phase == "waiting"  # played, never chose to join
    assert model.institutions[1].phase != "waiting"
    assert model.institutions[2].phase != "waiting"  # threshold 0: the rule joins at once
    largest = model.p.shadow_max_share * model.inst.moved_work[0, 1]
    assert model.inst.shadow_fte[0, 1] > 0.9 * largest
    model.mgr.decide(1, shadow="dismantle")
    before = model.inst.shadow_fte[0, 1]
    model.step()
    assert model.inst.shadow_fte[0, 1] < before
    with pytest.raises(ValueError, match="not played"):
        model.mgr.decide(5, join=True)
    with pytest.raises(ValueError, match="allowed: keep, build, dismantle"):
        model.mgr.decide(1, shadow="grow")


def test_fork_continues_bit_for_bit_and_a_policy_change_shows_from_the_fork_on():
    whole = _model()
    whole.run_model()
    model = _model()
    for _ in range(20):
        model.step()
    same, changed = model.fork(), model.fork()
    same.run_model()
    model.run_model()
    assert np.array_equal(same.recorder.data, whole.recorder.data, equal_nan=True)
    assert np.array_equal(model.recorder.data, whole.recorder.data, equal_nan=True)
    changed.with_params(dialogue_effort=1.0)
    changed.run_model()
    trust_whole = whole.recorder.column("trust_mean")
    trust_changed = changed.recorder.column("trust_mean")
    assert np.array_equal(trust_changed[:20], trust_whole[:20])
    assert trust_changed[-1] > trust_whole[-1]


def test_fork_refuses_build_time_parameters():
    model = _model()
    with pytest.raises(ParameterError, match="n_institutions.*cannot change mid-run"):
        model.with_params(n_institutions=50)


def test_snapshots_are_the_agents_state_each_month():
    params = make_params(months=24)
    run = execute(params, 5, snapshot=("mgr.trust", "inst.shadow_fte"))
    assert run.snapshots["mgr.trust"].shape == (24, 100)
    assert np.array_equal(run.snapshots["mgr.trust"][-1], run.model.mgr.trust[0])
    assert run.snapshots["inst.shadow_fte"][-1].sum() == pytest.approx(
        run.arrays["shadow_fte"][-1])
    plain = execute(params, 5)
    assert np.array_equal(plain.arrays["trust_mean"], run.arrays["trust_mean"])
