"""The Danish audit office's after-the-fact evidence (domain.md), each mapped to a scenario or a
variant of one; medians over the calibration seeds (``measure.N_SEEDS``)."""

from __future__ import annotations

import pytest

from tests.calibration import measure as m


def test_payroll_centre_realises_at_most_about_70pct_with_errors_and_double_work():
    # Rigsrevisionen 15/2012: 54.3 mio. kr. promised, at most 37.2 realised (≤ 69 %).
    rs = m.runs("oesc_payroll")
    share = m.over_seeds(rs, m.oesc_realised_share_2011)
    assert 0.2 <= share["median"] <= 0.70, share
    # "errors rose after the move": the first year's error rate well above the settled one
    errors = m.over_seeds(rs, m.oesc_errors_first_year_over_later)
    assert errors["median"] > 3.0, errors
    # "both the centre and the institutions did the work": double administration in 2011
    double = m.over_seeds(rs, m.oesc_double_work_2011)
    assert double["median"] > 0.03 * m.params("oesc_payroll").baseline_fte_total, double


def test_statens_administration_still_has_double_administration_ten_years_on():
    # Rigsrevisionen 14/2018: double administration still found more than ten years after 2008.
    rs = m.runs("statens_administration")
    shadow = m.over_seeds(rs, m.sa_double_work_2018)
    assert shadow["median"] > 0.02 * m.params("statens_administration").baseline_fte_total


def test_relocation_where_one_in_four_moves_costs_production_for_years():
    # Rigsrevisionen 18/2017: about 1 in 4 staff moved; production lost for several years.
    rs = m.runs("statens_administration", m.SA_QUARTER_MOVE)
    months = m.over_seeds(rs, m.sa_months_production_below_before_move)
    assert months["median"] >= 24, months


def test_housing_benefit_change_is_estimated_from_its_three_weeks():
    # Processing time from about 7 to about 10 weeks: the dip's size is estimated from this
    # rise, so this only checks that the estimate still holds (it is not evidence of fit).
    rise = m.over_seeds(m.runs("udbetaling_danmark", m.UDK_HOUSING_CHANGE), m.udk_wait_rise_weeks)
    assert 2.0 <= rise["median"] <= 4.5, rise


@pytest.mark.xfail(strict=True, reason="not reproduced: the model's backlog takes about 18 "
                   "months to clear, not about six (docs/calibration.md)")
def test_housing_benefit_change_recovers_in_about_six_months():
    months = m.over_seeds(m.runs("udbetaling_danmark", m.UDK_HOUSING_CHANGE),
                          m.udk_months_to_recover)
    assert 4 <= months["median"] <= 10, months


def test_average_cost_charging_leaves_some_municipalities_paying_more():
    rs = m.runs("udbetaling_danmark")
    # the spread of own costs is estimated from the highest payers' 40 %: this only checks that
    # the estimate holds
    highest = m.over_seeds(rs, m.udk_highest_price_ratio_2015)
    assert 1.2 <= highest["median"] <= 1.7, highest
    share = m.over_seeds(rs, m.udk_share_paying_more_2015)
    assert 0.0 < share["median"] < 0.5, share  # "some", not most


def test_state_it_realises_under_half_of_the_planned_gain():
    # Rigsrevisionen 21/2019: under half of the planned gains of state IT projects realised.
    share = m.over_seeds(m.runs("statens_it"), m.statens_it_realised_share_end)
    assert share["median"] < 0.5, share
