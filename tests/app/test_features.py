"""The room's small things, in-process: address, undo, story, shortcuts, Danish, summary."""

from __future__ import annotations

import threading

import ipyvuetify as v
import numpy as np
import pytest
import solara

from sim.params import spec_map
from sim.scenarios import list_scenarios
from sim_app.session.state import Session
from sim_app.text.fmt import num, short, unit
from sim_app.text.scenarios import shipped_extras
from sim_app.views.bridge import handle_key
from sim_app.views.controls import ScenarioPicker, slider_step
from sim_app.views.page import session_from_query
from sim_app.views.player import play_loop


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", None) or []:
        if hasattr(child, "keys"):
            yield from _walk(child)


@pytest.fixture
def session():
    s = Session("workshop")
    s.n_band_seeds = 0
    return s


def test_the_address_opens_the_same_run(session):
    session.set_value("dialogue_effort", 0.65)
    session.set_value("rollout", "big_bang")
    session.set_seed(9)
    session.lang.value = "da"
    session.mode.value = "projector"
    query = session.url_query()
    assert "scenario=workshop" in query and "dialogue_effort=0.65" in query
    other = session_from_query(query)
    assert other.url_errors == []
    assert (other.scenario.name, other.seed, other.lang.value, other.mode.value) == (
        "workshop", 9, "da", "projector")
    assert other.values == session.values
    for k, arr in session.run.arrays.items():
        np.testing.assert_array_equal(other.run.arrays[k], arr)


def test_a_bad_address_entry_is_ignored_with_one_line(session):
    s = session_from_query("scenario=workshop&dialogue_efort=0.3&seed=-1&months=9999&lang=fr")
    assert s.scenario.name == "workshop"
    assert len(s.url_errors) == 4
    assert all("\n" not in e and len(e) < 200 for e in s.url_errors)
    assert any("dialogue_effort" in e for e in s.url_errors)  # the suggestion


def test_undo_puts_back_each_change_in_turn(session):
    start = dict(session.values)
    session.set_value("dialogue_effort", 0.9)
    session.set_seed(4)
    session.choose_scenario("default")
    assert session.undo() and session.scenario.name == "workshop" and session.seed == 4
    assert session.undo() and session.seed == 1 and session.values["dialogue_effort"] == 0.9
    assert session.undo() and session.values == start
    assert not session.undo()


def test_play_stops_at_each_story_pause(session):
    session.reset()
    session.speed.value = 1000.0
    stops = []
    cancel = threading.Event()
    for _ in range(8):
        session.playing.value = True
        play_loop(session, cancel)
        if session.story_shown.value is None:
            break
        stops.append((session.month, session.story_shown.value.at))
    # one stop per month with a pause (go-live and the dip fall on the same month here)
    expected = sorted((m, p.at) for m, p in session.story_pauses().items())
    assert stops == expected and len(stops) >= 3
    session.story_on.value = False
    session.reset()
    session.playing.value = True
    play_loop(session, cancel)
    assert session.month == session.run.horizon


@pytest.mark.parametrize("scenario", ["workshop", "default"])
def test_every_shipped_story_pause_is_reached(scenario):
    """A shipped story's pauses all fall within the horizon of the scenario's own run (the
    workshop's break-even pause never fired before the model changes of the transition round);
    each pause is on a month of its own."""
    session = Session(scenario)
    story = shipped_extras(scenario).story
    assert len(story) == 4
    reached = sorted(p.at for p in session.story_pauses().values())
    assert reached == sorted(p.at for p in story), f"{scenario}: pauses reached {reached}"
    assert all(0 < m <= session.run.horizon for m in session.story_pauses())


def test_story_pauses_travel_in_the_scenario_file(session):
    from sim_app.text.scenarios import StoryPause

    pauses = (*session.extras.story, StoryPause(at=20, caption="Month twenty", question="?",
                                                 caption_da="Måned tyve"))
    session.set_story(pauses)
    data = session.scenario_bytes()
    other = Session()
    assert other.load_scenario_bytes("mine.toml", data) is None
    assert other.extras.story == pauses
    assert other.extras.title_da == shipped_extras("workshop").title_da
    bad = b'title = "x"\n[[story]]\nat = "lunch"\ncaption = "c"\n'
    msg = other.load_scenario_bytes("bad.toml", bad)
    assert "story pause 1" in msg and "golive" in msg


def test_unknown_parameter_error_is_short(session):
    from sim_app.text.fmt import error_text

    msg = session.load_scenario_bytes("bad.toml", b'title = "x"\n[parameters]\ndialog_effort = 1\n')
    assert "dialogue_effort" in msg and "line 3" in msg
    assert msg.count(",") < 10 and len(msg) < 250
    da = error_text(msg, "da")
    assert "ukendt parameter" in da and "Mente du 'dialogue_effort'" in da and "linje 3" in da


def test_shortcuts_space_plays_and_arrows_step(session):
    session.reset()
    handle_key(session, "right")
    handle_key(session, "right")
    handle_key(session, "left")
    assert session.month == 1
    handle_key(session, "space")
    assert session.playing.value
    handle_key(session, "space")
    assert not session.playing.value


def test_onboarding_slider_can_reach_its_default_again():
    for spec in spec_map().values():
        if spec.kind == "float" and spec.maximum - spec.minimum <= 10:
            step = slider_step(spec)
            assert abs(spec.default / step - round(spec.default / step)) < 1e-6, spec.name
    assert slider_step(spec_map()["onboarding_cost_per_fte_mdkk"]) == 0.01


def test_danish_numbers_units_and_scenario_texts(session):
    assert num(1234.5, 1, "da") == "1.234,5" and num(1234.5, 1, "en") == "1,234.5"
    assert short(0.05, "da") == "0,05" and unit("months", "da") == "måneder"
    session.set_lang("da")
    from sim_app.views.kpi_cards import texts

    t = texts(session, "da")
    assert t["labels"][25].startswith("Måned 25 af 60")
    assert all("month" not in v for row in t["values"] for v in row)
    for sc in list_scenarios():
        extras = shipped_extras(sc.name)
        assert extras.title_da and extras.description_da and extras.sources_da, sc.name
    assert session.scenario_title() == shipped_extras("workshop").title_da
    _box, rc = solara.render(ScenarioPicker(session), handle_error=False)
    select = next(w for w in _walk(rc.container) if isinstance(w, v.Select))
    assert shipped_extras("workshop").title_da in [i["text"] for i in select.items]


def test_projector_charts_are_large_and_marks_named():
    from sim_app.views.panels import build_options

    session = Session("default")  # breaks even within its horizon
    session.n_band_seeds = 0
    session.mode.value = "projector"
    opts = build_options(session, "en", True, only=("gain", "service", "network"))
    assert opts["gain"]["textStyle"]["fontSize"] >= 20
    names = {d["name"] for d in opts["gain"]["series"][0]["markLine"]["data"]}
    assert names == {"gain_positive", "break_even"}
    labels = [d["label"]["formatter"] for d in opts["gain"]["series"][0]["markLine"]["data"]]
    assert labels == ["gains arrive: annual gain > 0", "break-even: cumulative ≥ 0"]
    start = session.run.params.start_year
    assert opts["gain"]["xAxis"]["data"][12] == f"Jan {start + 1}"
    assert opts["gain"]["_xyears"] == start
    legend = opts["network"]["legend"]["data"]
    assert [d["icon"] for d in legend] == ["triangle", "diamond", "circle"]
    tip = opts["network"]["_nettip"]
    assert tip["names"][0] == "Institution 1" and tip["trust"] == "trust"


def test_summary_html_and_pdf_in_both_languages(session, tmp_path):
    import pypdfium2 as pdfium

    from sim_app.export import summary

    session.set_value("dialogue_effort", 0.8)
    for lang in ("en", "da"):
        s = summary.build(session, lang, n_band=5)
        html = summary.to_html(s).decode()
        assert s.title in html and "<svg" in html
        path = tmp_path / f"summary-{lang}.pdf"
        path.write_bytes(summary.to_pdf(s))
        doc = pdfium.PdfDocument(str(path))
        assert len(doc) == 1
        text = doc[0].get_textpage().get_text_range()
        assert s.title.split(":")[0] in text
        assert ("Break-even" in text) and (("Dialogue effort" in text) if lang == "en"
                                           else ("Dialogindsats" in text))


def test_every_figure_has_danish_label_and_format():
    """Each key figure of ``sim.kpis.FIGURES`` has a Danish label (and card title where it has
    a card), its unit and "missing" text in Danish, and is written in Danish without English."""
    from sim.kpis import FIGURES, FORMATS, KPIs
    from sim_app.text.catalog import untranslated
    from sim_app.text.figures import MISSING, card_title, label, shown
    from sim_app.text.fmt import UNITS_DA

    todo = [c for c in untranslated("da") if c.startswith(("figure:", "figure_card:"))]
    assert todo == [], f"key figures without Danish texts in the catalogue: {todo}"
    assert all(label(f, "da") != f.label or f.label == "Break-even" for f in FIGURES)
    assert all(card_title(f, "da") for f in FIGURES if f.card)
    assert [f.name for f in FIGURES if f.fmt not in FORMATS] == []
    assert {f.missing for f in FIGURES} <= set(MISSING)
    amounts = {f.unit for f in FIGURES if f.fmt in ("amount", "count")}
    assert amounts <= set(UNITS_DA), f"no Danish unit for {amounts - set(UNITS_DA)}"
    one = KPIs(**{f.name: (3 if f.fmt == "month" else 0.5) for f in FIGURES})
    none = KPIs(**dict.fromkeys(KPIs.keys()))
    for f in FIGURES:
        for k in (one, none):
            text = shown(f, k, "da")
            assert text and not any(w in text for w in ("month", "not ", "dip", "year")), text


def test_fork_policies_take_ranges_from_the_parameter_definition():
    from sim.errors import ParameterError
    from sim.params import spec_map
    from sim_app.session.fork import PARAMETER_POLICIES, POLICIES, check_policy

    for policy, name in PARAMETER_POLICIES.items():
        spec = spec_map()[name]
        assert spec.mid_run
        assert POLICIES[policy] == (spec.minimum, spec.maximum, spec.unit)
        with pytest.raises(ParameterError, match=f"allowed: {spec.minimum:g} – {spec.maximum:g}"):
            check_policy({policy: spec.maximum + 1})


def test_every_text_has_a_danish_translation_and_the_catalogue_is_in_step():
    """Every text the app shows (UI, parameters, groups, choices, key figures, the
    participants' page) has a Danish entry in the gettext catalogue, and the ``.po`` file holds
    exactly the code's texts (``scripts/translations.py check``)."""
    import subprocess
    import sys
    from pathlib import Path

    from sim_app.text.catalog import messages, untranslated

    assert untranslated("da") == []
    contexts = [c for c, _ in messages()]
    assert len(contexts) == len(set(contexts)), "two texts share a context"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "scripts/translations.py", "check"], cwd=root,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_a_text_missing_from_the_catalogue_is_named_and_shown_in_english(monkeypatch):
    from sim_app.text import catalog, ui
    from sim_app.text.i18n import tr

    monkeypatch.setitem(ui.UI, "brand_new", "A brand-new button")
    assert "ui:brand_new" in catalog.untranslated("da")
    assert tr("brand_new", "da") == "A brand-new button"
    assert tr("play", "da") == "Afspil"


def test_projector_chips_have_short_titles_in_both_languages():
    """The projector's one-line chips at 1280 px hold about 16 characters of title: longer
    ones are cut ("Deepest servic…"), so each chip figure has a short title."""
    from sim.kpis import shown_in
    from sim_app.text.figures import card_title

    for fig in shown_in("chip"):
        for lang in ("en", "da"):
            title = card_title(fig, lang, compact=True)
            assert 0 < len(title) <= 16, (fig.name, lang, title)


def test_a_room_summary_has_the_room_against_the_rules_in_its_language():
    from sim_app.export import summary
    from sim_app.text.i18n import tr

    s = Session("workshop")
    s.mode.value = "room"
    room = s.open_room(6)
    for i in range(3):
        room.claim(i, f"P{i}")
    s.to_end()
    room.set_shown_month(s.run.horizon)
    assert not summary.build(s, "en").notes  # no debrief yet: no room-against-rules part
    s.room_debrief()
    for lang in ("en", "da"):
        made = summary.build(s, lang)
        assert made.notes and made.notes[0].startswith(tr("sum_debrief", lang))
        assert tr("sum_rounds", lang, k=3, n=15, r=0) in made.notes[0]
        assert (made.run_name, made.baseline_name) == (tr("room_path", lang),
                                                       tr("rules_run", lang))
        assert made.baseline is not None


def test_summary_band_of_a_time_to_event_figure_counts_runs_not_reached():
    """The one-page summary's median and 10-90 % of break-even censor at the horizon: runs
    that have not broken even count as later than any month, never dropped."""
    from sim_app.export.summary_options import interval_text

    reached_all = [50, 52, 55, 56, 57, 60, 61, 62, 70, 71]
    assert interval_text("break_even_month", reached_all, "en") == "month 57 (50 – 70)"
    # Four of ten not reached: the upper end is "not yet", not the latest month reached.
    four_not = [50, 52, None, None, None, 60, 61, 62, 70, None]
    assert interval_text("break_even_month", four_not, "en") == \
        "month 62 (month 50 – not yet); 4 not yet"


def test_an_uploaded_scenario_naming_an_institutions_file_is_refused_and_no_server_path_read(
        session, tmp_path):
    (tmp_path / "secret.csv").write_text("name,fte\nroot,1\n", encoding="utf-8")
    before = session.scenario
    data = f'title = "x"\ninstitutions = "{tmp_path / "secret.csv"}"\n'.encode()
    msg = session.load_scenario_bytes("ours.toml", data)
    assert "institutions file" in msg and "allowed" in msg and "root" not in msg
    assert session.scenario == before
