"""Policies ([cases]) crossed with any design: every policy meets the same sampled futures
with common random numbers, and regret, satisficing and per-policy indices equal a direct
computation on the runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from SALib.analyze import sobol as sobol_analyze

from sim_sweep import store
from sim_sweep.analyze import analyze
from sim_sweep.engine import run_sweep
from sim_sweep.spec import load_sweep
from sim_sweep.testing import fake_simulate

POLICIES_X_LHS = """
design = "lhs"
replications = 3
master_seed = 11
[cases.strategy]
timid = { dialogue_effort = 0.1 }
middle = { dialogue_effort = 0.5 }
bold = { dialogue_effort = 0.9 }
[vary.task_split_clarity]
range = [0.2, 1.0]
[vary.initial_trust]
range = [0.2, 0.8]
[sampler]
n = 12
[analysis]
objectives = { realised_gain_end_mdkk = "max", shadow_fte_peak = "min" }
satisficing = ["realised_gain_end_mdkk >= 1.6", "trust_end >= 0.5"]
"""


def _run(sweep_file, body):
    sw = load_sweep(sweep_file(body))
    run_sweep(sw, kind="serial", progress=False, run_fn=fake_simulate)
    return sw


def test_policies_meet_the_same_futures_with_common_seeds(sweep_file, tmp_path):
    sw = _run(sweep_file, POLICIES_X_LHS)
    design = store.read_design(tmp_path / "out", sw.spec_hash).to_pandas()
    assert len(design) == 3 * 12 and sw.varied == ["task_split_clarity", "initial_trust"]
    futures = {p: g[["p_task_split_clarity", "p_initial_trust"]].to_numpy()
               for p, g in design.groupby("case_strategy", sort=False)}
    assert list(futures) == ["timid", "middle", "bold"]
    assert np.array_equal(futures["timid"], futures["bold"])  # the same sampled futures
    runs = store.read_runs(tmp_path / "out").to_pandas()
    seeds = runs.groupby(["p_task_split_clarity", "p_initial_trust", "replication"])["seed"]
    assert (seeds.nunique() == 1).all() and (seeds.size() == 3).all()  # one seed per world
    meta = store.read_runs(tmp_path / "out").schema.metadata
    assert b"task_split_clarity" in meta[b"sim_sweep"]


def test_regret_and_satisficing_match_a_direct_computation(sweep_file, tmp_path):
    _run(sweep_file, POLICIES_X_LHS)
    res = analyze(tmp_path / "out", kpis=["realised_gain_end_mdkk", "trust_end"])
    runs = store.read_runs(tmp_path / "out").to_pandas()
    runs["world"] = list(zip(runs["p_task_split_clarity"], runs["p_initial_trust"],
                             runs["replication"], strict=True))
    policies = ["timid", "middle", "bold"]
    regret = pd.read_csv(res.out / "regret.csv")
    for kpi, better in (("realised_gain_end_mdkk", "max"), ("shadow_fte_peak", "min")):
        wide = runs.pivot(index="world", columns="case_strategy", values=kpi)[policies]
        v = wide.to_numpy()
        best = v.max(axis=1, keepdims=True) if better == "max" else v.min(axis=1, keepdims=True)
        direct = best - v if better == "max" else v - best
        got = regret[regret["kpi"] == kpi].set_index("policy").loc[policies]
        assert np.allclose(got["max_regret"], direct.max(axis=0))
        assert np.allclose(got["mean_regret"], direct.mean(axis=0))
        assert np.allclose(got["p90_regret"], np.quantile(direct, 0.9, axis=0))
        assert np.allclose(got["best_in_share_of_worlds"], (direct == 0).mean(axis=0))
        assert (got["worlds"] == 36).all()
    sat = pd.read_csv(res.out / "satisficing.csv").set_index("policy").loc[policies]
    ok = (runs["realised_gain_end_mdkk"] >= 1.6) & (runs["trust_end"] >= 0.5)
    direct_share = ok.groupby(runs["case_strategy"]).mean().loc[policies]
    assert np.allclose(sat["share_of_worlds"], direct_share)
    assert 0 < direct_share.iloc[1] < 1  # the case is not trivial
    # 12 futures: intervals are a bootstrap over futures, and say so.
    assert sat["interval"].str.startswith("bootstrap over 12 futures").all()
    assert (sat["ci_low"] <= sat["share_of_worlds"]).all()
    assert (sat["share_of_worlds"] <= sat["ci_high"]).all()
    paired = pd.read_csv(res.out / "paired_differences.csv")
    row = paired[(paired["kpi"] == "realised_gain_end_mdkk") & (paired["policy"] == "bold")]
    wide = runs.pivot(index="world", columns="case_strategy", values="realised_gain_end_mdkk")
    assert row["mean_difference"].iloc[0] == pytest.approx((wide["bold"] - wide["timid"]).mean())
    # Rank correlations per policy, with a bootstrap interval over design points, no p-value.
    rc = res.tables["rank_correlation"]
    assert set(rc["policy"]) == set(policies) and "p_value" not in rc
    html = (res.out / "report.html").read_text()
    assert "Latin hypercube" in html and "task_split_clarity, initial_trust" in html


def test_policies_x_sobol_give_each_policy_salibs_own_indices(sweep_file, tmp_path):
    body = """
    design = "sobol"
    master_seed = 4
    [cases.strategy]
    timid = { dialogue_effort = 0.1 }
    bold = { dialogue_effort = 0.9 }
    [vary.task_split_clarity]
    range = [0.2, 1.0]
    [vary.initial_trust]
    range = [0.2, 0.8]
    [sampler]
    n = 8
    """
    sw = _run(sweep_file, body)
    res = analyze(tmp_path / "out", kpis=["realised_gain_end_mdkk"])
    got = pd.read_csv(res.out / "sobol.csv")
    runs = store.read_runs(tmp_path / "out").to_pandas()
    design = store.read_design(tmp_path / "out", sw.spec_hash).to_pandas()
    for policy in ("timid", "bold"):
        block = design[design["case_strategy"] == policy].sort_values("point_id")
        y = runs.set_index("point_key").loc[block["point_key"], "realised_gain_end_mdkk"]
        direct = sobol_analyze.analyze(sw.problem(), y.to_numpy(), calc_second_order=False,
                                       seed=4)
        mine = got[(got["policy"] == policy) & (got["kpi"] == "realised_gain_end_mdkk")]
        assert np.allclose(mine.set_index("parameter").loc[sw.problem()["names"], "ST"],
                           direct["ST"])


def test_policies_x_points_file(sweep_file, tmp_path):
    (tmp_path / "p.csv").write_text("task_split_clarity,initial_trust\n0.3,0.4\n0.9,0.6\n")
    body = """
    design = "points"
    master_seed = 5
    [sampler]
    file = "p.csv"
    [cases.strategy]
    timid = { dialogue_effort = 0.1 }
    bold = { dialogue_effort = 0.9 }
    """
    sw = _run(sweep_file, body)
    assert sw.varied == ["task_split_clarity", "initial_trust"]
    design = store.read_design(tmp_path / "out", sw.spec_hash).to_pandas()
    assert design["case_strategy"].tolist() == ["timid", "timid", "bold", "bold"]
    assert design["p_task_split_clarity"].tolist() == [0.3, 0.9, 0.3, 0.9]
    res = analyze(tmp_path / "out")
    html = (res.out / "report.html").read_text()
    assert "varying task_split_clarity, initial_trust" in html


def test_a_points_column_set_by_a_case_is_refused(sweep_file, tmp_path):
    from sim_sweep.errors import SweepFileError

    (tmp_path / "p.csv").write_text("dialogue_effort\n0.3\n")
    body = """
    design = "points"
    master_seed = 5
    [sampler]
    file = "p.csv"
    [cases.strategy]
    timid = { dialogue_effort = 0.1 }
    """
    with pytest.raises(SweepFileError, match=r"also set by \[cases.strategy\]"):
        load_sweep(sweep_file(body))
