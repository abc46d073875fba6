"""The behavioural core is visible in the app: the managers' reference point on the trust chart,
and the cost of poor service, waiting time and prices in the fork's difference chart."""

from __future__ import annotations

import numpy as np

from sim_app.charts import builders as charts
from sim_app.charts.diff import DIFF_METRICS
from sim_app.session.state import Session


def _session() -> Session:
    s = Session("default")
    s.n_band_seeds = 0
    return s


def test_trust_chart_shows_the_reference_point():
    view = _session().view()
    names = [series.get("name") for series in charts.trust_chart(view, "en")["series"]]
    assert "expected service (their reference point)" in names
    da = [series.get("name") for series in charts.trust_chart(view, "da")["series"]]
    assert "forventet service (deres referencepunkt)" in da


def test_difference_chart_offers_the_costs_of_failure():
    for metric in ("failure_cost", "wait_weeks", "share_paying_more"):
        assert metric in DIFF_METRICS
    view = _session().view()
    assert np.nanmax(view["arrays"]["failure_cost"]) > 0  # the default's go-live dip costs
