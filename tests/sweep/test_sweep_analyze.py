"""``sim analyze``: per-point statistics, and indices equal to SALib run directly."""

from __future__ import annotations

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze

from sim_sweep import store
from sim_sweep.analyze import analyze
from sim_sweep.cli import main
from sim_sweep.design import make_design
from sim_sweep.engine import run_sweep
from sim_sweep.spec import load_sweep
from sim_sweep.testing import fake_simulate

SOBOL = """
design = "sobol"
replications = 2
master_seed = 99
[vary.dialogue_effort]
range = [0.0, 1.0]
[vary.task_split_clarity]
range = [0.2, 1.0]
[vary.initial_trust]
range = [0.2, 0.8]
[sampler]
n = 16
[keep]
series = ["realised_gain"]
"""


def _means(out, design_keys, kpi):
    runs = store.read_runs(out).to_pandas()
    m = runs.groupby("point_key")[kpi].mean()
    return m.loc[design_keys].to_numpy()


def test_sobol_indices_match_salib_directly(sweep_file, tmp_path):
    sw = load_sweep(sweep_file(SOBOL))
    run_sweep(sw, kind="serial", progress=False, run_fn=fake_simulate)
    out = tmp_path / "out"
    res = analyze(out, kpis=["realised_gain_end_mdkk", "trust_end"])
    assert res.index_kind == "sobol" and res.runs == 16 * 5 * 2
    design = store.read_design(out, sw.spec_hash).to_pandas()
    problem = sw.problem()
    for kpi in ("realised_gain_end_mdkk", "trust_end"):
        Y = _means(out, design["point_key"], kpi)
        direct = sobol_analyze.analyze(problem, Y, calc_second_order=False, seed=99)
        got = pd.read_csv(res.out / "sobol.csv")
        got = got[got["kpi"] == kpi].set_index("parameter").loc[problem["names"]]
        for col in ("S1", "S1_conf", "ST", "ST_conf"):
            assert np.allclose(got[col].to_numpy(), direct[col], rtol=1e-9, atol=1e-12), col
    summary = pd.read_csv(res.out / "summary.csv")
    assert len(summary) == 80 and (summary["n_runs"] == 2).all()
    for s in ("mean", "std", "q10", "q50", "q90"):
        assert f"trust_end_{s}" in summary
    html = (res.out / "report.html").read_text()
    assert "data:image/svg+xml;base64," in html and "Sobol indices" in html
    assert (res.out / "fan_realised_gain.svg").stat().st_size > 1000
    assert (res.out / "fan_realised_gain.pdf").stat().st_size > 1000
    assert (res.out / "scatter.png").exists()
    assert (res.out / "sensitivity_trust_end.png").exists()


def test_morris_indices_match_salib_directly(sweep_file, tmp_path):
    body = SOBOL.replace('design = "sobol"', 'design = "morris"').replace(
        "n = 16", "trajectories = 8\nlevels = 4")
    sw = load_sweep(sweep_file(body))
    run_sweep(sw, kind="serial", progress=False, run_fn=fake_simulate)
    out = tmp_path / "out"
    res = analyze(out, kpis=["trust_end"])
    design = make_design(sw)
    keys = store.read_design(out, sw.spec_hash).to_pandas()["point_key"]
    Y = _means(out, keys, "trust_end")
    direct = morris_analyze.analyze(sw.problem(), design.points.to_numpy(dtype=float), Y, num_levels=4, seed=99)
    got = pd.read_csv(res.out / "morris.csv")
    got = got[got["kpi"] == "trust_end"].set_index("parameter").loc[sw.problem()["names"]]
    for col in ("mu", "mu_star", "sigma", "mu_star_conf"):
        assert np.allclose(got[col].to_numpy(), direct[col]), col


def test_grid_summary_statistics_and_cli(sweep_file, tmp_path, capsys):
    body = """
    design = "grid"
    replications = 5
    master_seed = 4
    [vary.dialogue_effort]
    levels = [0.2, 0.8]
    """
    sw = load_sweep(sweep_file(body))
    run_sweep(sw, kind="serial", progress=False, run_fn=fake_simulate)
    out = tmp_path / "out"
    assert main(["analyze", str(out)]) == 0
    assert "report.html" in capsys.readouterr().out
    summary = pd.read_csv(out / "analysis" / "summary.csv")
    runs = store.read_runs(out).to_pandas()
    for key, grp in runs.groupby("point_key"):
        row = summary[summary["point_key"] == key].iloc[0]
        v = grp["trust_end"]
        assert np.isclose(row["trust_end_mean"], v.mean())
        assert np.isclose(row["trust_end_std"], v.std(ddof=1))
        assert np.isclose(row["trust_end_q90"], v.quantile(0.9))
    assert (out / "analysis" / "rank_correlation.csv").exists()
