"""Scenario discovery (checked against the EMA Workbench called directly), robustness of
[cases] policies, Sobol second order and convergence, and a report fit for an appendix."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from SALib.analyze import sobol as sobol_analyze

from sim_sweep import store
from sim_sweep.analyze import analyze
from sim_sweep.cli import main
from sim_sweep.discover import factor_frame, select_index
from sim_sweep.engine import run_sweep
from sim_sweep.spec import load_sweep
from sim_sweep.testing import fake_simulate

ema = pytest.importorskip("ema_workbench.analysis")

LHS = """
design = "lhs"
replications = 2
master_seed = 3
[vary.dialogue_effort]
range = [0, 1]
[vary.task_split_clarity]
range = [0, 1]
[vary.initial_trust]
range = [0, 1]
[sampler]
n = 150
[analysis]
kpis = ["realised_gain_end_mdkk", "trust_end"]
"""

CASES = """
design = "grid"
replications = 6
master_seed = 8
[cases.strategy]
vague = { task_split_clarity = 0.3, rollout = "big_bang" }
clear = { task_split_clarity = 0.7, rollout = "waves" }
[vary.dialogue_effort]
levels = [0.2, 0.5, 0.8]
[vary.initial_trust]
levels = [0.3, 0.9]
[analysis]
kpis = ["realised_gain_end_mdkk", "trust_end"]
objectives = { realised_gain_end_mdkk = "max" }
satisficing = ["realised_gain_end_mdkk >= 1.0"]
"""


def _run(sweep_file, body):
    sw = load_sweep(sweep_file(body))
    run_sweep(sw, kind="serial", progress=False, run_fn=fake_simulate)
    return sw


def test_prim_boxes_match_the_workbench_called_directly(sweep_file, tmp_path, capsys):
    sw = _run(sweep_file, LHS)
    out = tmp_path / "out"
    assert main(["analyze", str(out), "--discover", "realised_gain_end_mdkk < 0.8"]) == 0
    printed = capsys.readouterr().out
    assert "Box 1:" in printed and "coverage" in printed and "density" in printed
    boxes = pd.read_csv(out / "analysis" / "discovery_boxes.csv")
    trade = pd.read_csv(out / "analysis" / "discovery_tradeoff.csv")
    # The same data handed to the workbench by hand.
    runs = store.read_runs(out).to_pandas()
    design = store.read_design(out, sw.spec_hash).to_pandas()
    x = factor_frame(runs, design)
    y = runs["realised_gain_end_mdkk"].to_numpy() < 0.8
    box = ema.prim.Prim(x, y, mass_min=0.05).find_box()
    traj = box.peeling_trajectory.reset_index(drop=True)
    assert np.allclose(trade[["coverage", "density", "mass"]].to_numpy(),
                       traj[["coverage", "density", "mass"]].to_numpy(dtype=float))
    i = select_index(traj)
    assert traj["density"].iloc[i] >= 0.8
    assert boxes.loc[0, "coverage"] == pytest.approx(traj["coverage"].iloc[i])
    assert boxes.loc[0, "density"] == pytest.approx(traj["density"].iloc[i])
    lims = box.box_lims[i]
    # The fake model's gain rises with clarity: the box bounds clarity from above.
    assert boxes.loc[0, "task_split_clarity_max"] == pytest.approx(
        lims["task_split_clarity"].iloc[1])
    assert "task_split_clarity at most" in boxes.loc[0, "limits"]
    html = (out / "analysis" / "report.html").read_text()
    assert "Scenario discovery (PRIM" in html and (out / "analysis" / "prim_tradeoff.svg").exists()


def test_cart_and_bad_conditions(sweep_file, tmp_path, capsys):
    _run(sweep_file, LHS)
    out = tmp_path / "out"
    assert main(["analyze", str(out), "--discover", "realised_gain_end_mdkk < 0.8",
                 "--method", "cart"]) == 0
    boxes = pd.read_csv(out / "analysis" / "discovery_boxes.csv")
    assert (boxes["density"] >= 0.5).all() and boxes["method"].eq("cart").all()
    capsys.readouterr()
    for bad in ("realised_gain_end_mdkk 0.8", "realised_gian < 1", "trust_end < -5"):
        assert main(["analyze", str(out), "--discover", bad, "--force"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(e.startswith("error: ") for e in err)
    assert "KPI < VALUE" in err[0] and "realised_gian" in err[1] and "no run" in err[2]


def test_feature_scores_for_any_design(sweep_file, tmp_path):
    _run(sweep_file, LHS)
    res = analyze(tmp_path / "out")
    fs = res.features
    assert set(fs.index) == {"dialogue_effort", "task_split_clarity", "initial_trust"}
    assert np.allclose(fs.sum(), 1.0)
    # The fake gain depends on clarity twice as much as on dialogue; trust not at all.
    assert fs["realised_gain_end_mdkk"].idxmax() == "task_split_clarity"
    assert fs["realised_gain_end_mdkk"].idxmin() == "initial_trust"


def test_regret_satisficing_and_paired_differences(sweep_file, tmp_path):
    _run(sweep_file, CASES)
    res = analyze(tmp_path / "out")
    runs = store.read_runs(tmp_path / "out").to_pandas()
    wide = runs.pivot_table(index=["p_dialogue_effort", "p_initial_trust", "replication"],
                            columns="case_strategy", values="realised_gain_end_mdkk")
    d = wide["clear"] - wide["vague"]
    paired = res.tables["paired_differences"]
    row = paired[paired["kpi"] == "realised_gain_end_mdkk"].iloc[0]
    assert row["pairs"] == len(d) == 3 * 2 * 6
    assert row["mean_difference"] == pytest.approx(d.mean())
    assert row["policy"] == "clear" and row["minus"] == "vague"
    assert 0 < row["ci_low"] < row["mean_difference"] < row["ci_high"]
    regret = res.tables["regret"].set_index("policy")
    best = wide.max(axis=1)
    for p in ("vague", "clear"):
        assert regret.loc[p, "max_regret"] == pytest.approx((best - wide[p]).max())
    assert regret.loc["clear", "max_regret"] == 0  # clearer tasks always gain more here
    sat = res.tables["satisficing"].set_index("policy")
    for p in ("vague", "clear"):
        assert sat.loc[p, "share_of_worlds"] == pytest.approx((wide[p] >= 1.0).mean())
        assert sat.loc[p, "ci_low"] <= sat.loc[p, "share_of_worlds"] <= sat.loc[p, "ci_high"]
    html = (tmp_path / "out" / "analysis" / "report.html").read_text()
    assert "Regret" in html and "Satisficing" in html and "95 % confidence interval" in html


SOBOL2 = """
design = "sobol"
replications = 1
master_seed = 21
[vary.dialogue_effort]
range = [0, 1]
[vary.task_split_clarity]
range = [0.2, 1]
[vary.initial_trust]
range = [0.2, 0.8]
[sampler]
n = 32
second_order = true
[keep]
series = ["realised_gain"]
"""


def test_sobol_second_order_convergence_and_an_appendix_report(sweep_file, tmp_path):
    sw = _run(sweep_file, SOBOL2)
    out = tmp_path / "out"
    res = analyze(out, kpis=["realised_gain_end_mdkk"])
    design = store.read_design(out, sw.spec_hash).to_pandas()
    runs = store.read_runs(out).to_pandas().set_index("point_key")
    Y = runs.loc[design["point_key"], "realised_gain_end_mdkk"].to_numpy()
    direct = sobol_analyze.analyze(sw.problem(), Y, calc_second_order=True, seed=21)
    s2 = res.tables["sobol_s2"]
    got = s2[(s2["kpi"] == "realised_gain_end_mdkk") & (s2["parameter_1"] == "dialogue_effort")
             & (s2["parameter_2"] == "task_split_clarity")]["S2"].iloc[0]
    assert got == pytest.approx(direct["S2"][0, 1])
    half = sobol_analyze.analyze(sw.problem(), Y[: 16 * 8], calc_second_order=True, seed=21)
    conv = res.tables["sobol_convergence"]
    c = conv[conv["kpi"] == "realised_gain_end_mdkk"].set_index("parameter")
    assert c.loc["dialogue_effort", "ST_half"] == pytest.approx(half["ST"][0])
    assert c.loc["dialogue_effort", "n_half"] == 16 and c.loc["dialogue_effort", "n"] == 32
    a = out / "analysis"
    html = (a / "report.html").read_text()
    assert "Methods." in html and "SeedSequence(21)" in html and "The model (version" in html
    assert "Second-order indices" in html and "n/2 and n" in html
    assert "95 % CI" in html and "mio. kr./year" in html
    for png in a.glob("*.png"):
        assert png.with_suffix(".svg").exists(), png
    # No raw sample rows, no table wider than the page.
    assert "KPIs over the design" in html and "KPIs per design point" not in html
    for table in re.findall(r"<table.*?</table>", html, flags=re.S):
        header = re.search(r"<tr.*?</tr>", table, flags=re.S).group(0)
        assert header.count("<th") <= 8


def test_fan_chart_has_one_panel_per_scenario_and_case(sweep_file, tmp_path):
    body = CASES.replace("[analysis]", "[keep]\nseries = [\"realised_gain\"]\n[analysis]")
    _run(sweep_file, body)
    res = analyze(tmp_path / "out")
    fan = next(t for t in res.charts if t.startswith("Fan"))
    assert res.charts[fan].with_suffix(".svg").exists()
    assert res.fan_panels == ["clear", "vague"]


def test_heatmap_of_a_two_factor_grid(sweep_file, tmp_path):
    body = """
    design = "grid"
    replications = 3
    master_seed = 4
    [vary.dialogue_effort]
    levels = [0.2, 0.5, 0.8]
    [vary.task_split_clarity]
    levels = [0.3, 0.6, 0.9]
    """
    _run(sweep_file, body)
    res = analyze(tmp_path / "out", kpis=["trust_end"])
    assert "Heatmap of trust_end" in res.charts
    assert (tmp_path / "out" / "analysis" / "heatmap_trust_end.svg").exists()
