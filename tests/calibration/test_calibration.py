"""Calibration against the published figures (000 boxes 1.1 and 1.4; 004 section 4.4 and 4.1.7).

Every check is on the median over the calibration seeds (``measure.calibration_seeds``, 24
seeds from a fixed SeedSequence). Each tolerance is written next to the check with its reason.
The figures themselves are computed by ``tests/calibration/measure.py``, which also writes the
tables of ``docs/calibration.md`` (``python -m tests.calibration.report``).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.calibration import measure as m

# The sources round their figures ("ca. 50 pct.", "ca. 175 mio. kr.", "ca. 300 mio. kr.") and
# the model's baseline staff are themselves assumptions, so the issue's ±15 % band is used.
REL_TOL = 0.15


def _within(value: float, target: float, rel: float = REL_TOL) -> bool:
    return abs(value - target) <= rel * abs(target)


# --- Statens Administration (000, box 1.4) --------------------------------------------------

def test_statens_administration_is_50pct_more_efficient_in_2014():
    # Productivity as the source measures it: work done per centre FTE, 2014 average,
    # relative to the agencies before pooling (1.0). Target 1.5 ± 15 %.
    s = m.over_seeds(m.runs("statens_administration"), m.sa_efficiency_2014)
    assert _within(s["median"], 1.5), s


def test_statens_administration_saves_175_mio_a_year_in_2014():
    # Annual saving = baseline cost − running cost, averaged over 2014. Target 175 ± 15 %.
    s = m.over_seeds(m.runs("statens_administration"), m.sa_saving_2014)
    assert _within(s["median"], 175.0), s


# --- Udbetaling Danmark (000, box 1.1) ------------------------------------------------------

def test_udbetaling_danmark_saves_300_mio_a_year_by_2015():
    # Annual saving averaged over 2015. Target 300 ± 15 %.
    s = m.over_seeds(m.runs("udbetaling_danmark"), m.udk_saving_2015)
    assert _within(s["median"], 300.0), s


def test_udbetaling_danmark_gain_arrives_two_to_three_years_after_go_live():
    rs = m.runs("udbetaling_danmark")
    # Not at go-live: over the first 12 months after the first go-live the gain is negative
    # (double running: local staff under notice while the centres hire and learn).
    first_year = m.over_seeds(rs, m.udk_first_year_gain)
    assert first_year["median"] < 0, first_year
    # Most of it 2–3 years after go-live: the month when the gain first reaches two thirds of
    # its 2015 level lies 24–36 months after the first go-live, widened by 6 months each side
    # because "since 2012" and "by 2015" date the source's figures only to the year.
    months = m.over_seeds(rs, m.udk_months_to_two_thirds)
    assert 18 <= months["median"] <= 42, months


# --- KL models 1A, 1B and 2 (004, section 4.4 and 4.1.7) -----------------------------------

@pytest.mark.parametrize("model", list(m.KL_RANGES))
@pytest.mark.parametrize("rule_changes", [False, True], ids=["current_rules", "rule_changes"])
def test_kl_long_run_gain_inside_the_published_range(model, rule_changes):
    # The long-run annual gain (mean of the last 12 months of a 12-year run, when everything the
    # variant allows has arrived) must lie inside KL's min–max range. No extra tolerance: the
    # range is itself KL's uncertainty about the size of the scale gain.
    lo, hi = m.KL_RANGES[model][rule_changes]
    s = m.over_seeds(m.runs(model, {"rule_changes": rule_changes}), m.long_run_gain)
    assert lo <= s["median"] <= hi, s


@pytest.mark.parametrize("model", list(m.KL_RANGES))
@pytest.mark.parametrize("rule_changes", [False, True], ids=["current_rules", "rule_changes"])
def test_kl_nothing_is_realised_during_preparation(model, rule_changes):
    # Every seed, every month of the preparation: no gain (only costs). Exact: no tolerance.
    for r in m.runs(model, {"rule_changes": rule_changes}):
        assert m.max_gain_in_preparation(r) <= 0.0


#: KL's model 2 moves no staff scale gain: its centre's staff follow the rework that distrust
#: causes, and trust takes years to recover (P4), so they settle after about 4.5 years.
_KL2_SETTLES_LATE = pytest.mark.xfail(strict=True, reason="not reproduced: model 2's centre "
                                      "staff settle after about 53 months (docs/calibration.md)")


@pytest.mark.parametrize("model", [pytest.param(k, marks=_KL2_SETTLES_LATE) if k == "kl_model_2"
                                   else k for k in m.KL_RANGES])
@pytest.mark.parametrize("rule_changes", [False, True], ids=["current_rules", "rule_changes"])
def test_kl_scale_gain_is_complete_about_two_years_after_the_start(model, rule_changes):
    # Scale gain alone (digitalisation switched off, a counterfactual that isolates it): the
    # centre's staff settle within 5 % of their long-run level by about 24 months after the
    # first go-live ("all scale gains are harvested two years after the organisation starts").
    # Tolerance +9 months: the municipalities join over 9 months, and notice periods, hiring
    # and release are monthly first-order delays.
    rs = m.runs(model, {"rule_changes": rule_changes, "digital_gain_share": 0.0})
    months = m.over_seeds(rs, m.months_to_centre_staff_settled)
    assert months["median"] <= 33, months
    if m.params(model).scale_gain_share > 0:
        # Where the centre must learn (1A, 1B), the gain is not there at once: at least a year.
        # (Model 2 has no staff scale gain; its IT saving ends with each notice period.)
        assert months["median"] >= 12, months
    # …and the centre works at (at least 95 % of) its planned productivity by then.
    wpf = m.over_seeds(rs, m.work_per_fte_two_years_after_start)
    target = 1.0 / (1.0 - m.params(model).scale_gain_share)
    assert wpf["median"] >= 0.95 * target, wpf


@pytest.mark.parametrize("model", list(m.KL_RANGES))
def test_kl_rule_change_part_of_digitalisation_only_after_its_delay(model):
    p = m.params(model)
    early = p.digital_gain_share * p.digital_early_share
    delay_end = p.digital_start_month + p.rule_change_delay_months
    for rule_changes in (False, True):
        r = m.runs(model, {"rule_changes": rule_changes})[0]
        d = r["digital_reduction"]
        # Exact checks (1e-12 for floating point): the 17 % part only, until the delay is over.
        assert np.all(d[: delay_end] <= early + 1e-12)
        if rule_changes:
            assert d[-1] == pytest.approx(p.digital_gain_share)  # all 50 % in the end
        else:
            assert d.max() == pytest.approx(early)  # never more than the 17 % part
