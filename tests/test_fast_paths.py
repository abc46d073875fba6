"""The flags the monthly phases keep beside their arrays (so a month can skip work that gives
nothing new) agree with the arrays after every month: in single runs, ensembles, forks and after
an agent's view is written. A flag may err only toward the full computation."""

from __future__ import annotations

import numpy as np
import pytest

from sim import make_params
from sim.agents.institution import TRANSITION
from sim.model import SharedServiceModel

#: Policies that exercise every flag: waves and a big bang, exits, a relocation, a failure
#: response with re-baselining, several centres.
VARIANTS = {
    "default": {},
    "voluntary_exits": {"adoption": "voluntary", "initial_trust": 0.35, "months": 90},
    "relocation_three_centres": {"relocation_month": 30, "n_centres": 3, "months": 72},
    "big_bang_failing": {"rollout": "big_bang", "staffing_buffer": 0.0,
                         "failure_response": "all", "months": 60},
}


def check_flags(model: SharedServiceModel) -> None:
    """Every flag against the arrays it describes."""
    inst, ctr = model.inst, model.ctr
    assert inst.all_live == bool(inst.live.all())
    assert inst.live_mask() is True if inst.all_live else inst.live_mask() is inst.live
    if not inst._in_transition:
        assert not (inst.phase == TRANSITION).any()
    assert np.array_equal(ctr.started, ctr.first_golive > 0)
    assert ctr.all_started == bool((ctr.first_golive > 0).all())
    if not ctr._expecting:
        assert not ctr.expected_work.any() and not ctr.expected_transfer.any()
    if not ctr._relocated:
        assert not ctr.relocated.any()
    if not ctr._rebaselined:
        assert not ctr.rebaselined.any()
    if ctr._all_peaked:
        assert (ctr.peak_volume > 0).all()
    if model.mgr.network.has_peers is not True:
        assert not model.mgr.network.has_peers.all()


@pytest.mark.parametrize("name", list(VARIANTS))
def test_flags_agree_with_their_arrays_every_month(name):
    p = make_params(**VARIANTS[name])
    for model in (SharedServiceModel(p, rng=3),
                  SharedServiceModel.ensemble([p, p, p], [3, 4, 5])):
        check_flags(model)
        while model.running:
            model.step()
            check_flags(model)


def test_flags_follow_a_fork_and_a_view_write():
    model = SharedServiceModel(make_params(months=60), rng=2)
    for _ in range(40):
        model.step()
    assert model.inst.all_live  # the default's waves are all live by month 40
    fork = model.fork()
    fork.institutions[0].phase = "waiting"  # a view's write refreshes live and its flags
    check_flags(fork)
    assert not fork.inst.all_live
    fork.step()
    check_flags(fork)
    check_flags(model)
