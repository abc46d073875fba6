"""--uncertainty posterior: predictive intervals over parameter draws and seeds, paired in
comparisons; scenarios that name a posterior."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sim.scenarios import load_scenario
from sim_calibrate.posterior import read_posterior, write_posterior
from sim_calibrate.uncertainty import draw_params, paired_predictive
from sim_cli.main import main


@pytest.fixture
def posterior_file(tmp_path):
    """A posterior over two parameters (as sim calibrate writes one)."""
    rng = np.random.default_rng(1)
    particles = pd.DataFrame({"progress_ratio": rng.uniform(0.85, 0.95, 30),
                              "golive_dip": rng.uniform(0.1, 0.4, 30)})
    prov = {"calibration": "test", "priors": {
        "progress_ratio": {"low": 0.85, "high": 0.95, "whole": False, "scenarios": []},
        "golive_dip": {"low": 0.1, "high": 0.4, "whole": False, "scenarios": []}}}
    path = tmp_path / "post.parquet"
    write_posterior(path, particles, np.full(30, 1 / 30), prov)
    return path


def test_posterior_draws_set_the_drawn_parameters_and_explicit_values_win(posterior_file):
    post = read_posterior(posterior_file)
    sc = load_scenario("oesc_payroll")
    params = draw_params(sc, post, 8, seed=3, overrides={"golive_dip": 0.2})
    ratios = {p.progress_ratio for p in params}
    assert len(ratios) > 1 and all(0.85 <= r <= 0.95 for r in ratios)
    assert {p.golive_dip for p in params} == {0.2}  # --set wins over the draw


def test_posterior_widens_the_interval_beyond_seed_noise(posterior_file, capsys):
    def run(*extra):
        code = main(["run", "--scenario", "oesc_payroll", "--draws", "12", "--json", *extra])
        assert code == 0
        return json.loads(capsys.readouterr().out)

    seeds = run("--uncertainty", "seeds")["realised_gain_end_mdkk"]
    post = run("--uncertainty", "posterior", "--posterior", str(posterior_file))[
        "realised_gain_end_mdkk"]
    assert post["high"] - post["low"] > 2 * (seeds["high"] - seeds["low"])


def test_identical_arms_differ_by_exactly_zero_under_paired_draws(posterior_file):
    sc = load_scenario("oesc_payroll")
    _, _, diff = paired_predictive(sc, sc, read_posterior(posterior_file), 6, 5, {}, {}, None)
    assert diff["cumulative_net_benefit_end_mdkk"].low == 0.0
    assert diff["cumulative_net_benefit_end_mdkk"].high == 0.0


def test_compare_with_posterior_prints_paired_intervals(posterior_file, capsys):
    code = main(["compare", "--scenario", "oesc_payroll", "--vs-set", "dialogue_effort=1.0",
                 "--seeds", "4", "--uncertainty", "posterior", "--posterior",
                 str(posterior_file)])
    out = capsys.readouterr().out
    assert code == 0
    assert "parameter uncertainty and seed noise together" in out
    assert "B − A (paired)" in out


def test_a_scenario_names_its_posterior(posterior_file, tmp_path, capsys):
    s = tmp_path / "s.toml"
    s.write_text(f'title = "T"\nposterior = "{posterior_file}"\n[parameters]\nmonths = 24\n')
    assert load_scenario(s).posterior == str(posterior_file)
    assert main(["run", "--scenario", str(s), "--uncertainty", "posterior", "--draws", "3"]) == 0
    assert "calibration 'test'" in capsys.readouterr().out


@pytest.mark.parametrize("line, expect", [
    ("posterior = 3", "'posterior' = 3 is not allowed"),
    ('posterior = "no_such"', "posterior 'no_such' is not shipped"),
])
def test_a_bad_posterior_is_one_line(tmp_path, capsys, line, expect):
    s = tmp_path / "s.toml"
    s.write_text(f'title = "T"\n{line}\n[parameters]\nmonths = 24\n')
    code = main(["run", "--scenario", str(s), "--uncertainty", "posterior", "--draws", "2"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and expect in err, err
