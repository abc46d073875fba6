"""Recording a chosen few columns: the KPIs' columns are always there, values never change,
and Mesa's loop and the model's own ``run_model`` give the same run."""

from __future__ import annotations

import numpy as np
import pytest

from sim import make_params
from sim.kpis import KPI_SERIES, compute_kpis
from sim.model import SharedServiceModel
from sim.recorder import COLUMNS, CORE
from sim.runner import simulate

PARAMS = make_params({"months": 60, "n_institutions": 40, "shadow_enforcement": 0.5})


def test_core_is_month_and_what_the_kpis_read():
    assert CORE == ("month", *KPI_SERIES)
    assert set(CORE) <= set(COLUMNS)
    arrays, _ = simulate(PARAMS, 4)
    compute_kpis({k: arrays[k] for k in KPI_SERIES})  # needs nothing else


@pytest.mark.parametrize("record", [(), ["backlog"], ["trust_p10", "error_rate", "month"]])
def test_a_few_columns_hold_the_same_values_and_the_same_kpis(record):
    full, kpis = simulate(PARAMS, 4)
    some, kpis_some = simulate(PARAMS, 4, record=record)
    assert set(some) == set(CORE) | set(record)
    assert list(some) == [c for c in COLUMNS if c in some]  # in the documented order
    for c, values in some.items():
        assert np.array_equal(values, full[c], equal_nan=True), c
    assert kpis_some == kpis


def test_an_unknown_column_is_refused_and_an_unrecorded_one_named():
    with pytest.raises(ValueError, match="unknown column.*'backlogg'.*(?i:allowed): .*month"):
        SharedServiceModel(PARAMS, rng=1, record=["backlogg"])
    model = SharedServiceModel(PARAMS, rng=1, record=())
    model.run_model()
    with pytest.raises(KeyError, match="'backlog' is not recorded in this run"):
        model.recorder.column("backlog")


def _mesa_loop(model: SharedServiceModel) -> SharedServiceModel:
    while model.running:
        model.step()
    return model


def test_run_model_is_mesas_loop_in_values_time_steps_and_schedule():
    for months_first in (0, 7):
        a, b = (SharedServiceModel(PARAMS, rng=9) for _ in range(2))
        for _ in range(months_first):
            a.step()
            b.step()
        _mesa_loop(a)
        b.run_model()
        assert np.array_equal(a.recorder.data, b.recorder.data, equal_nan=True)
        assert (a.steps, a.time) == (b.steps, b.time) == (60, 60.0)
        sa, sb = a._default_schedule, b._default_schedule
        assert sa.next_scheduled_time == sb.next_scheduled_time == 61.0
        assert sa.execution_count == sb.execution_count == 60
        assert len(a._event_list) == len(b._event_list) == 1


def test_run_model_leaves_other_events_to_mesa_in_their_order():
    seen: list[tuple[str, float, int]] = []
    model = SharedServiceModel(PARAMS, rng=9)

    def note() -> None:
        seen.append(("event", model.time, model.steps))

    model.schedule_event(note, at=12.5)
    model.run_model()
    assert seen == [("event", 12.5, 12)]
    plain = _mesa_loop(SharedServiceModel(PARAMS, rng=9))
    assert np.array_equal(model.recorder.data, plain.recorder.data, equal_nan=True)
    assert model.steps == 60
