"""Comparing two policies on paired seeds."""

from __future__ import annotations

import json

import numpy as np

from sim import make_params
from sim.runner import simulate
from sim.seeds import replication_seeds
from sim_cli.compare import compare
from sim_cli.main import main


def test_replication_seeds_are_distinct_and_reproducible():
    a = replication_seeds(5, 20)
    assert a == replication_seeds(5, 20)
    assert len(set(a)) == 20
    assert a != replication_seeds(6, 20)


def test_both_arms_use_the_same_seeds_and_the_difference_is_paired():
    a = make_params(months=48)
    b = make_params(months=48, dialogue_effort=1.0)
    seeds = replication_seeds(1, 3)
    result = compare(a, b, seeds)
    direct = [simulate(b, s)[1].trust_end - simulate(a, s)[1].trust_end for s in seeds]
    assert result.median_diff["trust_end"] == np.median(direct)
    assert result.median_b["trust_end"] > result.median_a["trust_end"]


def test_compare_cli_json_and_same_policy_error(capsys):
    assert main(["compare", "--vs-set", "rollout=big_bang", "--seeds", "3", "--months", "36",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["seeds"]) == 3 and out["b_minus_a"]["min_service_level"] < 0
    assert main(["compare", "--seeds", "2"]) == 2
    assert "same policy" in capsys.readouterr().err
