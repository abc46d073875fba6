"""The shipped posterior: made from the shipped calibration file, readable, and reported.

A calibration file edited without re-running ``make posterior`` fails here, so the posterior a
run draws from is always the one the file (and docs/calibration.md) describe.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from sim.scenarios import load_scenario
from sim_calibrate.posterior import SHIPPED, read_posterior
from sim_calibrate.spec import load_calibration
from sim_calibrate.uncertainty import predictive_runs

ROOT = Path(__file__).resolve().parents[2]
FILE = ROOT / "calibration" / "default.toml"


def test_shipped_posterior_comes_from_the_shipped_file():
    post = read_posterior("default")
    assert post.provenance["file_sha256"] == hashlib.sha256(FILE.read_bytes()).hexdigest()
    cal = load_calibration(FILE)
    assert post.names == [p.name for p in cal.priors]
    assert np.isclose(post.weights.sum(), 1.0) and (post.weights >= 0).all()
    for p in cal.priors:  # every particle inside its prior
        v = post.particles[p.name].to_numpy()
        assert (v >= p.low - 1e-9).all() and (v <= p.high + 1e-9).all(), p.name
    assert post.ess >= 1.0 and post.provenance["generations"], "no finished generation"
    for f in ("report.md", "predictive.parquet", "provenance.json", "marginals.svg"):
        assert (SHIPPED / "default" / f).is_file(), f


def test_docs_carry_the_shipped_report():
    doc = (ROOT / "docs" / "calibration.md").read_text()
    block = doc.split("<!-- calibration report -->")[1].split("<!-- end calibration report -->")[0]
    report = (SHIPPED / "default" / "report.md").read_text()
    assert report.strip() in block


def test_default_scenario_runs_at_posterior_draws():
    runs = predictive_runs(load_scenario("default"), read_posterior("default"), 3, 11)
    assert len(runs) == 3
