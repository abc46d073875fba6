"""Recovery: on data simulated from the model at known parameters, the calibration's credible
intervals cover the truth (checked over several truths), and are narrower than the prior."""

from __future__ import annotations

import numpy as np
import pytest

from sim_calibrate.posterior import read_posterior
from sim_calibrate.runner import POSTERIOR, calibrate, weighted_quantile
from sim_calibrate.simulate import Simulator
from sim_calibrate.spec import load_calibration
from tests.calibrate.small import small_file

pytest.importorskip("pyabc")

#: Known parameters (progress_ratio, golive_dip), each inside the priors.
TRUTHS = [(0.87, 0.15), (0.90, 0.30), (0.93, 0.22)]


@pytest.mark.slow
def test_calibration_recovers_known_parameters(tmp_path):
    covered, checks, narrow = 0, 0, []
    for k, (ratio, dip) in enumerate(TRUTHS):
        folder = tmp_path / f"truth{k}"
        folder.mkdir()
        # the "observed" data: the model itself at the truth, with a seed of its own
        probe = load_calibration(small_file(folder, seed=100 + k))
        data = Simulator(probe)({"progress_ratio": ratio, "golive_dip": dip}, seed=9_000 + k)
        path = small_file(folder, seed=100 + k, pop=24, gens=3,
                          share=f"observed = {data['share_2011']!r}",
                          service=f"observed = {data['min_service']!r}",
                          share_tol=0.03, service_tol=0.02)
        cal = load_calibration(path)
        calibrate(cal, folder / "out", "process", workers=2, stream=None, report=False)
        post = read_posterior(folder / "out" / POSTERIOR)
        for name, truth in (("progress_ratio", ratio), ("golive_dip", dip)):
            v = post.particles[name].to_numpy()
            lo, hi = (weighted_quantile(v, post.weights, q) for q in (0.05, 0.95))
            checks += 1
            covered += lo <= truth <= hi
            prior = next(p for p in cal.priors if p.name == name)
            narrow.append((hi - lo) / (0.9 * (prior.high - prior.low)))
    # 90 % intervals over six (truth, parameter) pairs: at least five cover their truth
    assert covered >= 5, (covered, checks)
    # and the data inform: on average the intervals are clearly narrower than the prior's
    assert float(np.mean(narrow)) < 0.7, narrow
