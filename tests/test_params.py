"""The one parameter definition: defaults, validation and the messages users see."""

from __future__ import annotations

import pytest

from sim import ParameterError, Params, make_params
from sim.params import GROUPS, fixed_at_build, parse_value, spec_map, specs


def test_defaults_are_valid_and_every_parameter_is_documented():
    p = make_params()
    assert isinstance(p, Params)
    groups = {key for key, _ in GROUPS}
    for s in specs():
        assert s.description and s.label, s.name
        assert s.group in groups, s.name
        assert getattr(p, s.name) == s.default
        if s.kind in ("int", "float"):
            assert s.minimum is not None and s.maximum is not None, s.name
            assert s.minimum <= s.default <= s.maximum, s.name
        if s.kind == "choice":
            assert s.default in s.choices


def test_misspelt_name_suggests_the_closest_valid_name():
    with pytest.raises(ParameterError, match=r"unknown parameter 'dialog_effort'.*dialogue_effort"):
        make_params({"dialog_effort": 0.5})


def test_out_of_range_names_parameter_value_and_range():
    with pytest.raises(ParameterError) as err:
        make_params({"task_split_clarity": 1.5})
    msg = str(err.value)
    assert "task_split_clarity" in msg and "1.5" in msg and "from 0 to 1" in msg


def test_wrong_type_and_unknown_choice():
    with pytest.raises(ParameterError, match="n_waves.*whole number"):
        make_params({"n_waves": 2.5})
    with pytest.raises(ParameterError, match="rollout.*'big_bang', 'waves'"):
        make_params({"rollout": "bigbang"})
    with pytest.raises(ParameterError, match="n_centres"):
        make_params({"n_centres": "five"})


def test_municipalities_need_98_institutions():
    with pytest.raises(ParameterError, match="n_institutions = 98"):
        make_params({"institution_source": "dk_municipalities_2012"})
    make_params({"institution_source": "dk_municipalities_2012", "n_institutions": 98})


def test_params_are_immutable():
    p = make_params()
    with pytest.raises(ValueError):
        p.months = 3  # type: ignore[misc]


@pytest.mark.parametrize(("name", "text", "value"), [
    ("n_waves", "3", 3), ("dialogue_effort", "0.25", 0.25), ("rule_changes", "false", False),
    ("rollout", "big_bang", "big_bang"), ("months", " 24 ", 24), ("rule_changes", "TRUE", True),
    ("dialogue_effort", "1e-3", 0.001), ("dialogue_effort", "1", 1.0),
])
def test_parse_value_by_kind(name, text, value):
    assert parse_value(name, text) == value
    assert type(parse_value(name, text)) is type(value)


@pytest.mark.parametrize(("name", "text"), [
    ("months", "24.0"), ("months", "1e3"), ("months", "true"), ("dialogue_effort", "nan"),
    ("dialogue_effort", "-inf"), ("dialogue_effort", "true"), ("dialogue_effort", "0x10"),
    ("rule_changes", "1"), ("rule_changes", "no"), ("rule_changes", "on"),
])
def test_parse_value_reads_text_as_a_scenario_file_reads_values(name, text):
    """--set is strict: a whole number for a whole-number parameter, true/false for a switch."""
    with pytest.raises(ParameterError, match=f"'{name}'.*allowed: "):
        parse_value(name, text)


def test_parse_value_rejects_bad_text():
    with pytest.raises(ParameterError, match="rule_changes.*true or false"):
        parse_value("rule_changes", "maybe")
    with pytest.raises(ParameterError, match="Did you mean 'months'"):
        parse_value("monthz", "3")


def test_spec_map_matches_model_fields():
    assert list(spec_map()) == list(Params.model_fields)


def _spy_on_reads(monkeypatch) -> set[str]:
    """Record the name of every parameter read from any ``Params`` from now on."""
    fields, read = frozenset(Params.model_fields), set()
    plain = Params.__getattribute__

    def spy(self, name):
        if name in fields:
            read.add(name)
        return plain(self, name)

    monkeypatch.setattr(Params, "__getattribute__", spy)
    return read


@pytest.mark.parametrize("scenario", ["default", "workshop", "statens_administration"])
def test_a_parameter_only_construction_reads_is_declared_fixed_mid_run(monkeypatch, scenario):
    """A parameter the model reads when it is built and never while it runs would be silently
    ignored if changed mid-run (a fork): it must be declared ``mid_run=False``."""
    from sim.model import SharedServiceModel
    from sim.scenarios import load_scenario

    params = load_scenario(scenario).params({}, 36)
    read = _spy_on_reads(monkeypatch)
    model = SharedServiceModel(params, rng=1)
    at_build = set(read)
    read.clear()
    for _ in range(36):
        model.step()
    only_at_build = at_build - read
    assert only_at_build <= fixed_at_build(), (
        f"read only when the model is built, not declared mid_run=False: "
        f"{sorted(only_at_build - fixed_at_build())}")


def test_a_running_model_refuses_each_fixed_parameter_and_accepts_the_others():
    from sim.model import SharedServiceModel

    model = SharedServiceModel(make_params(months=12), rng=1)
    model.step()
    for s in specs():
        if s.mid_run:
            continue
        with pytest.raises(ParameterError, match=f"{s.name} shape"):
            model.with_params(**{s.name: s.default})
    model.with_params(**{s.name: s.default for s in specs() if s.mid_run})
    assert fixed_at_build() == {s.name for s in specs() if not s.mid_run}
