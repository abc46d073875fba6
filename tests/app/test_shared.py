"""What every session computes identically from the same run is made once per server
(``sim_app.session.shared``), and what differs is never shared."""

from __future__ import annotations

import json

import solara

from sim_app.charts.widget import EchartsWidget, Payload
from sim_app.session.shared import OPTIONS, SharedCache
from sim_app.session.state import Session
from sim_app.views.page import Main
from sim_app.views.panels import build_options, chart_options


def _session(seed: int = 1) -> Session:
    s = Session("default", seed=seed)
    s.n_band_seeds = 0
    return s


def _charts(session: Session) -> dict[str, EchartsWidget]:
    _box, rc = solara.render(solara.AppLayout(children=[Main(session)]), handle_error=False)
    return {w.name: w for w in rc.find(EchartsWidget).widgets}


def test_visitors_of_the_same_run_share_options_and_their_json():
    a, b = _session(), _session()
    assert a.run is b.run  # the server's run cache
    wa, wb = _charts(a), _charts(b)
    assert set(wa) >= {"gain", "service", "network"}
    for name in wa:
        assert wa[name].option is wb[name].option  # built once
        assert wa[name].option_json == wb[name].option_json
        # the browser gets exactly the option (revision included), as JSON
        assert json.loads(wa[name].option_json) == json.loads(json.dumps(wa[name].option))
    fresh = build_options(a, "en", False)  # the same as building it anew
    for name, opt in fresh.items():
        assert {k: v for k, v in wa[name].option.items() if k != "_revision"} == opt


def test_what_differs_is_not_shared():
    a, b = _session(), _session(seed=2)
    oa = chart_options(a, "en", False, only=("gain",))
    assert chart_options(b, "en", False, only=("gain",))["gain"] is not oa["gain"]
    assert chart_options(a, "da", False, only=("gain",))["gain"] is not oa["gain"]
    assert chart_options(a, "en", True, only=("gain",))["gain"] is not oa["gain"]
    a.pin_baseline()
    a.set_value("dialogue_effort", 0.9)
    with_baseline = chart_options(a, "en", False, only=("gain", "diff"))
    assert "diff" in with_baseline
    # the paired band of the two options arriving gives new options too
    d = a.run.arrays["cumulative_net_benefit"] - a.baseline.arrays["cumulative_net_benefit"]
    assert a.take_diff_band(a.run, a.baseline, {"cumulative_net_benefit": (d - 1, d, d + 1)}, 20)
    with_diff_band = chart_options(a, "en", False, only=("gain", "diff"))
    assert with_diff_band["diff"] is not with_baseline["diff"]
    a.unpin_baseline()
    assert "diff" not in chart_options(a, "en", False, only=("gain", "diff"))
    # the band arriving gives new options (its shading), the network stays
    run = a.run
    net = chart_options(a, "en", False, only=("network",))
    band = {k: (v[:] * 0.9, v[:] * 1.1) for k, v in run.arrays.items()
            if k in ("realised_gain",)}
    before = chart_options(a, "en", False, only=("gain",))["gain"]
    assert a.take_band(run, band, 20)
    after = chart_options(a, "en", False, only=("gain",))["gain"]
    assert after is not before and after.value["_revision"] != before.value["_revision"]
    assert chart_options(a, "en", False, only=("network",)) is net


def test_shared_cache_is_bounded_and_keyed_by_identity():
    cache = SharedCache(size=2)
    x, y, z = [1], [1], [2]  # x == y but not the same object
    made = []

    def make(v):
        made.append(v)
        return Payload(v)

    px = cache.get((x,), "en", lambda: make(x))
    assert cache.get((x,), "en", lambda: make(x)) is px
    assert cache.get((y,), "en", lambda: make(y)) is not px  # equal is not the same run
    assert cache.get((x,), "da", lambda: make(x)) is not px
    cache.get((z,), "en", lambda: make(z))
    assert len(cache._entries) == 2
    assert OPTIONS.size >= 1
