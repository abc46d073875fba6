"""The shipped sweep files in experiments/ are valid (every design point checked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim_sweep.engine import check
from sim_sweep.spec import load_sweep

EXPERIMENTS = sorted((Path(__file__).resolve().parents[2] / "experiments").glob("*.toml"))


def test_at_least_three_examples():
    assert len(EXPERIMENTS) >= 3


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.name)
def test_experiment_file_is_valid(path):
    sweep = load_sweep(path)
    info = check(sweep)
    assert info["runs"] == info["points"] * sweep.spec.replications > 0
