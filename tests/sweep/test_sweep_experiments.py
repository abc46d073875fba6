"""The shipped sweep files in experiments/ are valid (every design point checked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim_sweep.estimate import check
from sim_sweep.spec import load_sweep

EXPERIMENTS = sorted((Path(__file__).resolve().parents[2] / "experiments").glob("*.toml"))


def test_at_least_three_examples():
    assert len(EXPERIMENTS) >= 3


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.name)
def test_experiment_file_is_valid(path):
    sweep = load_sweep(path)
    est = check(sweep, pilot=0)
    assert est.runs == est.points * sweep.spec.replications > 0
    assert est.validated == min(est.points, 10_000)
