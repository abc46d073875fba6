"""Recording a chosen few columns: the KPIs' columns are always there, values never change."""

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
