"""The report's plain words say when the importance weights degenerated on the way."""

from __future__ import annotations

import pandas as pd

from sim_calibrate.report import DEGENERATE_ESS, plain_words
from sim_calibrate.spec import load_calibration
from tests.calibrate.small import small_file


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    checks = pd.DataFrame({"target": ["a", "b"], "use": ["fit", "check"],
                           "covered": ["yes", "yes"]})
    params = pd.DataFrame({"parameter": ["progress_ratio", "golive_dip"],
                           "verdict": ["identified", "left at its prior"]})
    return checks, params


def test_degenerate_weights_are_named_with_their_generations(tmp_path):
    cal = load_calibration(small_file(tmp_path, pop=20))
    checks, params = _frames()
    low = DEGENERATE_ESS * 20 - 1
    words = plain_words(cal, checks, params, [20.0, low, 19.0])
    assert "degenerated" in words and f"generation 2 ({low:.0f})" in words
    assert "understate the uncertainty" in words


def test_even_weights_add_no_warning(tmp_path):
    cal = load_calibration(small_file(tmp_path, pop=20))
    checks, params = _frames()
    assert "degenerated" not in plain_words(cal, checks, params, [20.0, 18.0, 19.5])
    assert "degenerated" not in plain_words(cal, checks, params)
