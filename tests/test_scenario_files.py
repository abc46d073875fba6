"""Scenario files: load from any path, save and load back identically, clear errors."""

from __future__ import annotations

import pytest

from sim import ScenarioError, load_scenario, run, save_scenario
from sim.scenarios import Scenario, scenario_from_params


def _write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_save_and_load_back_gives_exactly_the_same_parameters(tmp_path):
    params = load_scenario("default").params({"dialogue_effort": 0.8, "rollout": "big_bang",
                                              "rule_changes": False, "n_waves": 7})
    sc = scenario_from_params("mine", "My variant", params, "Two\nlines", ("000, box 1.2",))
    path = save_scenario(tmp_path / "mine.toml", sc)
    back = load_scenario(path)
    assert back.params() == params
    assert back.title == "My variant" and back.sources == ("000, box 1.2",)
    expected = set(load_scenario("default").overrides) | {"dialogue_effort", "rollout",
                                                          "rule_changes", "n_waves"}
    assert set(back.overrides) == expected


def test_saving_never_overwrites_an_existing_file(tmp_path):
    path = _write(tmp_path, "precious")
    with pytest.raises(ScenarioError, match="already exists"):
        save_scenario(path, Scenario(name="x", title="x"))
    assert path.read_text() == "precious"


def test_run_accepts_a_scenario_file_from_any_path(tmp_path):
    path = _write(tmp_path, 'title = "Tiny"\n[parameters]\nn_institutions = 12\nmonths = 24\n')
    r = run(path, seed=2)
    assert len(r.timeseries) == 24 and r.params.n_institutions == 12


def test_malformed_toml_names_the_file_and_line(tmp_path):
    path = _write(tmp_path, 'title = "x"\n[parameters]\nn_waves = = 3\n')
    with pytest.raises(ScenarioError, match=r"s\.toml.*line 3"):
        load_scenario(path)


def test_unknown_parameter_names_file_line_and_suggestion(tmp_path):
    path = _write(tmp_path, 'title = "x"\n\n[parameters]\nmonths = 12\ndialog_effort = 0.3\n')
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert "s.toml" in msg and "line 5" in msg and "dialogue_effort" in msg


def test_unknown_top_level_key_and_missing_title(tmp_path):
    with pytest.raises(ScenarioError, match="unknown key 'parameter'.*'parameters'"):
        load_scenario(_write(tmp_path, 'title = "x"\n[parameter]\nmonths = 3\n'))
    with pytest.raises(ScenarioError, match="'title' is required"):
        load_scenario(_write(tmp_path, '[parameters]\nmonths = 3\n', "t.toml"))


def test_out_of_range_value_names_file_key_and_range(tmp_path):
    path = _write(tmp_path, 'title = "x"\n[parameters]\nmonths = 12\ninitial_trust = 1.4\n')
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert "line 4" in msg and "initial_trust" in msg and "from 0 to 1" in msg


def test_unknown_scenario_name_suggests_and_lists():
    with pytest.raises(ScenarioError, match="Did you mean 'default'"):
        load_scenario("defualt")


def test_a_saved_seed_loads_back_and_is_used(tmp_path):
    params = load_scenario("default").params({"months": 24})
    sc = scenario_from_params("s", "With seed", params, seed=42)
    back = load_scenario(save_scenario(tmp_path / "s.toml", sc))
    assert back.seed == 42
    assert run(back).arrays["trust_mean"].tolist() == run("default", seed=42,
                                                        months=24).arrays["trust_mean"].tolist()
    assert run(back, seed=3).seed == 3


def test_a_bad_seed_names_file_and_line(tmp_path):
    with pytest.raises(ScenarioError, match=r"line 2.*'seed' = 'x'.*whole number"):
        load_scenario(_write(tmp_path, 'title = "x"\nseed = "x"\n[parameters]\n'))


def test_story_pause_names_match_the_apps():
    """The scenario loader checks story pauses with the app's own keys and events."""
    from sim.scenarios import STORY_EVENTS, STORY_KEYS
    from sim_app.session.events import EVENTS
    from sim_app.text.scenarios import STORY_KEYS as APP_KEYS

    assert STORY_EVENTS == EVENTS and STORY_KEYS == APP_KEYS
