"""In-process component tests of the app (no browser): solara.render + widget lookups."""

from __future__ import annotations

import io
import warnings

import ipyvuetify as v
import numpy as np
import pandas as pd
import pytest
import solara
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kpis import compute_kpis
from sim.params import GROUPS, specs
from sim.recorder import COLUMNS
from sim.scenarios import Scenario
from sim_app.session.live_kpis import live_kpis
from sim_app.session.state import Session
from sim_app.views.controls import Controls, ScenarioPicker, widget_kind
from sim_app.views.kpi_cards import KpiWidget
from sim_app.views.page import Main


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", None) or []:
        if hasattr(child, "keys"):  # a widget, not a text child
            yield from _walk(child)


def _all(rc, widget_type):
    return [w for w in _walk(rc.container) if isinstance(w, widget_type)]


def _by_class(rc, widget_type, cls):
    return [w for w in _all(rc, widget_type) if cls in (getattr(w, "class_", "") or "").split()]


def _one(rc, widget_type, cls):
    found = _by_class(rc, widget_type, cls)
    assert len(found) == 1, f"expected one {widget_type.__name__}.{cls}, got {len(found)}"
    return found[0]


def _kpi_widget(rc) -> KpiWidget:
    found = _all(rc, KpiWidget)
    assert len(found) == 1
    return found[0]


def _kpi_values(rc) -> list[str]:
    """The cards' values as the browser shows them (the widget holds every month's texts
    and shows those of its ``month``)."""
    return _kpi_widget(rc).shown()


@pytest.fixture
def session():
    s = Session()
    s.n_band_seeds = 0  # no background band in these tests
    return s


def test_controls_generated_from_parameter_definition(session):
    _box, rc = solara.render(Controls(session), handle_error=False)
    seen = set()
    for key, _title in GROUPS:
        if not _by_class(rc, v.Sheet, f"group-{key}"):  # an accordion: open this theme
            _one(rc, v.Btn, f"group-header-{key}").click()
        for s in specs():
            if s.group == key:
                col = _by_class(rc, v.Sheet, f"param-{s.name}")
                assert col, f"no control for {s.name}"
                seen.add(s.name)
                kind = widget_kind(s)
                if kind == "slider":
                    sliders = [w for w in _all(rc, v.Slider)
                               if w.min == s.minimum and w.max == s.maximum]
                    assert sliders, s.name
    assert seen == {s.name for s in specs()}
    help_texts = " ".join(w.children[0] for w in _by_class(rc, v.Html, "param-help")
                          if w.children)
    assert isinstance(help_texts, str)


def test_control_shows_unit_range_and_help(session):
    _box, rc = solara.render(Controls(session), handle_error=False)
    texts = [str(w.children) for w in _all(rc, v.Html)]
    spec = next(s for s in specs() if s.name == "preparation_months")
    assert any(f"{spec.minimum:g} – {spec.maximum:g} {spec.unit}" in t for t in texts)
    assert any(spec.description in t for t in texts)


def test_scenario_choice_fills_the_controls(session):
    _box, rc = solara.render(Controls(session), handle_error=False)
    before = [w.v_model for w in _all(rc, v.Slider)]
    sc = Scenario(name="test_choice", title="Test", description="d",
                  overrides={"preparation_months": 30, "n_waves": 2})
    session.set_value("preparation_months", 5)
    session.choose_scenario(sc)
    after = {w.v_model for w in _all(rc, v.Slider)}
    assert 30 in after and 2 in after
    assert before != [w.v_model for w in _all(rc, v.Slider)]
    assert session.values["preparation_months"] == 30
    assert session.run.params.preparation_months == 30


def test_scenario_picker_lists_shipped_scenarios(session):
    _box, rc = solara.render(ScenarioPicker(session), handle_error=False)
    select = _one(rc, v.Select, "scenario-select")
    names = [i["value"] for i in select.items]
    assert "default" in names
    target = names[-1]
    select.v_model = target  # what the browser does on a choice
    assert session.scenario.name == target


def test_step_updates_the_kpi_cards(session):
    _box, rc = solara.render(solara.AppLayout(children=[Main(session)]), handle_error=False)
    _one(rc, v.Btn, "btn-reset").click()
    assert session.month == 0
    start = _kpi_values(rc)
    for _ in range(session.run.horizon):
        _one(rc, v.Btn, "btn-step").click()
        if _kpi_values(rc) != start:
            break
    assert session.month > 0
    assert _kpi_values(rc) != start
    month_label = _kpi_widget(rc).label()
    assert f"{session.month} " in month_label


def test_export_csv_is_the_time_series_shown(session):
    session.reset()
    for _ in range(17):
        session.step()
    df = pd.read_csv(io.BytesIO(session.csv_bytes()))
    assert list(df.columns) == list(COLUMNS)
    assert len(df) == 17
    assert df["month"].tolist() == list(range(1, 18))
    np.testing.assert_allclose(df["shadow_fte"], session.run.arrays["shadow_fte"][:17])
    session.to_end()
    assert len(pd.read_csv(io.BytesIO(session.csv_bytes()))) == session.run.horizon


def test_scenario_file_round_trip(session):
    session.set_value("dialogue_effort", 0.85)
    session.set_value("rollout", "big_bang")
    session.set_seed(7)
    data = session.scenario_bytes()
    assert b"seed = 7" in data
    other = Session()
    assert other.seed != 7
    _box, rc = solara.render(Controls(other), handle_error=False)
    assert other.load_scenario_bytes("mine.toml", data) is None
    assert other.values == session.values
    assert other.run.params == session.run.params
    assert other.seed == 7 and other.run.seed == 7
    for key, arr in session.run.arrays.items():  # the same dice: the same run
        np.testing.assert_array_equal(other.run.arrays[key], arr, err_msg=key)
    seed_field = _one(rc, v.TextField, "seed-input")
    assert seed_field.v_model == "7"


def test_scenario_file_without_seed_keeps_the_seed(session):
    session.set_seed(5)
    session.pin_baseline()
    msg = session.load_scenario_bytes("plain.toml",
                                      b'title = "x"\n[parameters]\ndialogue_effort = 0.4\n')
    assert msg is None
    assert session.seed == 5 and session.run.seed == 5
    assert session.load_scenario_bytes("seeded.toml",
                                       b'title = "x"\nseed = 9\n[parameters]\n') is None
    assert session.seed == session.run.seed == session.baseline.seed == 9


def test_bad_scenario_file_gives_a_clear_error(session):
    msg = session.load_scenario_bytes("bad.toml", b'title = "x"\n[parameters]\ndialog_effort = 2\n')
    assert msg and "dialog_effort" in msg and "dialogue_effort" in msg
    msg = session.load_scenario_bytes("bad.toml", b"this is not toml ===")
    assert msg and "TOML" in msg
    msg = session.load_scenario_bytes("bad.toml", b'title = "x"\n[parameters]\ndialogue_effort = 7\n')
    assert msg and "dialogue_effort" in msg


def test_out_of_range_value_is_refused_with_a_message(session):
    before = session.run
    assert not session.set_value("dialogue_effort", 3.0)
    assert "dialogue_effort" in session.field_errors["dialogue_effort"]
    assert session.run is before


def test_sessions_do_not_share_a_model():
    a, b = Session(), Session()
    a.set_value("dialogue_effort", 0.95)
    a.reset()
    assert b.values["dialogue_effort"] != 0.95
    assert b.month == b.run.horizon and a.month == 0
    assert a.run is not b.run


def test_live_kpis_are_the_models_kpis(session):
    """At the horizon the cards' figures are the run's KPIs (same type, same values); before
    month 1 every figure is None; at month m they are the KPIs of months 1..m."""
    arrays = session.run.arrays
    assert live_kpis(arrays, session.run.horizon) == compute_kpis(arrays)
    assert set(live_kpis(arrays, 0).to_dict().values()) == {None}
    m = 30
    assert live_kpis(arrays, m) == compute_kpis({k: v[:m] for k, v in arrays.items()})


def test_pinned_baseline_uses_the_same_seed(session):
    session.pin_baseline()
    session.set_value("dialogue_effort", 0.9)
    assert session.baseline.seed == session.run.seed
    session.set_seed(5)
    assert session.baseline.seed == session.run.seed == 5
    assert "baseline" in session.view()


def test_band_seeds_are_reproducible():
    from sim_app.session.uncertainty import band_runs, band_seeds, quantile_band
    assert band_seeds(1, 20) == band_seeds(1, 20)
    assert len(set(band_seeds(1, 20))) == 20
    runs = list(band_runs(Session().run.params, 1, 3, ["shadow_fte"]))
    lo, hi = quantile_band(runs)["shadow_fte"]
    assert np.all(lo <= hi)


def test_language_switch_translates_labels(session):
    _box, rc = solara.render(solara.AppLayout(children=[Main(session)]), handle_error=False)
    session.set_lang("da")  # what the app bar's language button does
    texts = " ".join(str(w.children) for w in _all(rc, v.Btn))
    assert "Afspil" in texts


def test_every_parameter_has_danish_label_and_help():
    """A parameter added to ``sim.params`` without a Danish label and help text in the
    catalogue fails here."""
    from sim_app.text.catalog import untranslated
    from sim_app.text.i18n import param_help, param_label

    todo = [c for c in untranslated("da") if c.startswith(("param:", "param_help:"))]
    assert todo == [], f"parameters without Danish texts in the catalogue: {todo}"
    for s in specs():
        label, help_text = param_label(s, "da"), param_help(s, "da")
        assert label.strip() and help_text.strip(), s.name
        assert help_text != s.description, f"{s.name}: the Danish help text is the English one"
        assert help_text.endswith((".", ")")), s.name
        assert param_help(s, "en") == s.description


def test_danish_controls_show_danish_help_and_units(session):
    from sim_app.text.i18n import param_help

    session.set_lang("da")
    _box, rc = solara.render(Controls(session), handle_error=False)
    texts = [str(w.children) for w in _by_class(rc, v.Html, "param-help")]
    spec = next(s for s in specs() if s.name == "preparation_months")
    assert any(param_help(spec, "da") in t for t in texts)
    assert not any(spec.description in t for t in texts)
    assert any(f"{spec.minimum:g} – {spec.maximum:g} måneder" in t for t in texts)


def test_each_chart_saves_its_png_under_its_own_name(session):
    from sim_app.views.panels import PNG_NAMES, build_options

    session.pin_baseline()  # the difference chart too
    for lang in ("en", "da"):
        opts = build_options(session, lang, False)
        assert {"gain", "network", "diff"} <= opts.keys()
        for name, opt in opts.items():
            save = opt["toolbox"]["feature"]["saveAsImage"]
            assert opt["toolbox"]["show"] and save["name"] == PNG_NAMES[name]
        assert len(set(PNG_NAMES.values())) == len(PNG_NAMES)
        big = build_options(session, lang, True)  # presentation mode: no save button
        assert not any(opt["toolbox"]["show"] for opt in big.values())


def test_a_month_of_play_sets_the_month_and_sends_no_chart_data(session):
    """Live play: every chart and the KPI cards hold the whole run; a step only sets their
    ``month`` (no render pass, no new option), and the cards show that month's figures."""
    from sim_app.charts.widget import EchartsWidget
    from sim_app.views.kpi_cards import card_texts

    _box, rc = solara.render(solara.AppLayout(children=[Main(session)]), handle_error=False)
    charts = {w.name: w for w in _all(rc, EchartsWidget)}
    assert set(charts) >= {"gain", "net", "service", "trust", "shadow", "centre", "network"}
    horizon = session.run.horizon
    for w in charts.values():
        assert w.option["_horizon"] == horizon
    options = {name: w.option for name, w in charts.items()}
    sent = []
    for w in charts.values():
        w.observe(lambda change: sent.append(change["name"]), names=["option_json"])
    session.reset()
    for _ in range(30):
        session.step()
    assert sent == []  # no chart data sent during play
    assert all(w.month == 30 for w in charts.values())
    assert all(w.option is options[name] for name, w in charts.items())
    assert _kpi_values(rc) == [v for _, _, v in card_texts(session.kpis(), "en")]
    assert _kpi_widget(rc).label().startswith("Month 30 ")
    # a control change keeps the month and sends the new run once
    session.set_value("dialogue_effort", 0.9)
    assert session.month == 30
    assert set(sent) == {"option_json"} and len(sent) == len(charts)
    assert all(w.month == 30 for w in charts.values())


def test_month_dependent_marks_and_network_frames(session):
    """What the browser derives for month m (marks, network nodes) is what the chart
    builders give for the months 1..m."""
    from sim_app.charts import builders as charts
    from sim_app.charts import network as netchart
    from sim_app.views.panels import build_options

    opts = build_options(session, "en", False)
    timeline = session.kpi_timeline()

    def at(steps, m):
        mark = None
        for start, value in steps:
            if start <= m:
                mark = value
        return mark

    frames = opts["network"]["_frames"]
    for m in (0, 1, 13, 40, session.run.horizon):
        view = session.view(month=m)
        net_line = charts.net_benefit_chart(view, "en")["series"][0].get("markLine")
        assert at(opts["net"]["_marks"][0]["steps"], m) == net_line
        dip_area = charts.service_chart(view, "en")["series"][0].get("markArea")
        assert at(opts["service"]["_marks"][0]["steps"], m) == dip_area
        assert timeline[m] == session.view(month=m)["kpis"]
        nodes = netchart.network_chart(session.network(month=m), "en")["series"][0]["data"]
        row = frames["data"][m]
        for i, node in enumerate(nodes):
            t, s, p = row[3 * i: 3 * i + 3]
            assert node["value"] == [t, s]
            assert node["symbol"] == frames["symbols"][int(p)]
            base, extra = frames["size"]
            size = round(base + extra * np.sqrt(max(s, 0) / frames["shadow_max"]), 1)
            assert abs(node["symbolSize"] - size) <= 0.25


def test_export_and_story_panels_are_built_only_once_opened(session):
    """Most visitors never open them: their widgets are not made (server CPU per visitor)
    until the section is opened, and they stay once made."""
    import ipywidgets

    _box, rc = solara.render(solara.AppLayout(children=[Main(session)]), handle_error=False)
    for section, body in (("details-export", "export-panel"), ("details-story", "story-panel")):
        assert _by_class(rc, ipywidgets.Widget, body) == []
        panels = _one(rc, v.ExpansionPanels, section)
        panels.v_model = 0
        built = _one(rc, ipywidgets.Widget, body)
        panels.v_model = None
        panels.v_model = 0
        assert _one(rc, ipywidgets.Widget, body) is built



@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_band_quantiles_equal_numpys_nanquantile_bit_for_bit(data):
    """The band's quantiles (np.quantile on columns without NaN, nanquantile on the rest) are
    exactly np.nanquantile's, all-NaN columns NaN."""
    from sim_app.session.uncertainty import _nanquantiles

    rows, cols = data.draw(st.integers(1, 25)), data.draw(st.integers(1, 30))
    values = data.draw(st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(float("nan"))),
                                min_size=rows * cols, max_size=rows * cols))
    stack = np.array(values).reshape(rows, cols)
    got = _nanquantiles(stack, (0.1, 0.9))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = np.nanquantile(stack, [0.1, 0.9], axis=0)
    assert np.array_equal(got, want, equal_nan=True)
    assert np.array_equal(np.signbit(got), np.signbit(want))
