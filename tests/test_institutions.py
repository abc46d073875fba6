"""Institutions from a file (``sim.institutions``): the shipped example and template, and that
a file gives exactly the institutions the parameters give where both can say the same."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scripts.make_institutions_example import example, state_example
from sim.errors import ParameterError
from sim.institutions import parse_institutions, read_institutions, template_csv
from sim.model import SharedServiceModel
from sim.params import make_params
from sim.population import build_population, params_for
from sim.runner import run, simulate
from sim.scenarios import load_scenario, save_scenario

DATA = resources.files("sim.data")


def test_the_shipped_files_are_what_their_script_and_template_write():
    assert DATA.joinpath("kl_benefits_municipalities.csv").read_text("utf-8") == example()
    assert DATA.joinpath("statens_it_agencies.csv").read_text("utf-8") == state_example()
    assert DATA.joinpath("institutions_template.csv").read_text("utf-8") == template_csv()
    table = read_institutions(str(DATA.joinpath("institutions_template.csv")))
    assert table.wave == (1, 2) and table.control_need == (0.4, 0.3)


def test_the_example_is_the_municipalities_of_the_parameters_digit_for_digit():
    table = read_institutions(str(DATA.joinpath("kl_benefits_municipalities.csv")))
    p = make_params({"institution_source": "dk_municipalities_2012", "n_institutions": 98,
                     "baseline_fte_total": 2003.0})
    pop = build_population(p, np.random.default_rng(1))
    assert table.names == pop.names
    assert np.array_equal(np.array(table.fte), pop.baseline_fte)  # every bit
    assert [pop.group_names[g] for g in pop.group] == list(table.groups)
    assert len(table) == 98 and abs(table.total_fte - 2003.0) < 1e-9


def test_csv_and_excel_give_the_same_table(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["Name", "FTE", "Group", "Wave"], ["A", 10, "X", 1], ["B", 2.5, "Y", 2]):
        sheet.append(row)
    book.save(tmp_path / "i.xlsx")
    from_xlsx = read_institutions(tmp_path / "i.xlsx")
    from_csv = parse_institutions(b"name,fte,group,wave\nA,10,X,1\nB,2.5,Y,2\n", "i.xlsx",
                                  ".csv")
    assert from_xlsx == from_csv and from_xlsx.digest() == from_csv.digest()
    assert from_xlsx.group_names == ("X", "Y") and from_xlsx.wave == (1, 2)


# --- a run from a file ------------------------------------------------------------------------

EXAMPLE = str(DATA.joinpath("kl_benefits_municipalities.csv"))
MUNICIPAL = {"institution_source": "dk_municipalities_2012", "n_institutions": 98,
             "baseline_fte_total": 2003.0, "months": 48}


def _same_run(a, b) -> None:
    assert a[0].keys() == b[0].keys()
    for key in a[0]:
        assert np.array_equal(a[0][key], b[0][key], equal_nan=True), key  # every bit
    assert a[1] == b[1]


@pytest.mark.parametrize("setting", [
    {},
    {"wave_order": "group", "network": "clustered", "n_centres": 3},
    {"rollout": "big_bang", "adoption": "voluntary", "wave_order": "random"},
])
def test_a_run_from_the_file_is_the_run_of_the_same_institutions_as_parameters(setting):
    table = read_institutions(EXAMPLE)
    as_parameters = make_params({**MUNICIPAL, **setting})
    from_file = load_scenario("default").with_institutions(EXAMPLE).params(
        {"months": 48, **setting})
    assert from_file.n_institutions == 98 and from_file.n_groups == 5
    assert from_file.institution_source == "synthetic"  # the file, not the bundled list
    _same_run(simulate(as_parameters, 7), simulate(from_file, 7, institutions=table))


def test_a_wave_column_gives_the_run_of_the_waves_the_parameters_draw(tmp_path):
    p = make_params({**MUNICIPAL, "n_waves": 4, "wave_order": "size"})
    model = SharedServiceModel(p, rng=3)
    first = model.inst.eligible_month[0]  # the one member's row
    wave = (first - first.min()) // p.wave_interval_months + 1
    text = example().splitlines()
    lines = [text[0] + ",wave"] + [f"{row},{w}" for row, w in zip(text[1:], wave, strict=True)]
    (tmp_path / "w.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    sc = load_scenario("default").with_institutions(tmp_path / "w.csv")
    from_file = sc.params({"months": 48})
    assert (from_file.rollout, from_file.n_waves) == ("waves", 4)
    _same_run(simulate(p, 3), simulate(from_file, 3, institutions=sc.institutions))


def test_the_optional_columns_replace_their_draws_and_nothing_else():
    text = "name,group,fte{}\nA,X,10{}\nB,Y,30{}\nC,X,60{}\n"
    plain = parse_institutions(text.format("", "", "", "", "").encode(), "p.csv", ".csv")
    own = parse_institutions(text.format(",cost_per_fte,initial_trust,control_need",
                                         ",0.6,0.9,0.1", ",0.3,0.2,0.8", ",0.45,0.5,0.5")
                             .encode(), "o.csv", ".csv")
    p = params_for(plain, {})
    assert p == params_for(own, {})
    a = SharedServiceModel(p, rng=5, institutions=plain)
    b = SharedServiceModel(p, rng=5, institutions=own)
    assert np.array_equal(b.mgr.first_view[0], [0.9, 0.2, 0.5])
    assert np.array_equal(b.mgr.trust[0], [0.9, 0.2, 0.5])
    assert np.array_equal(b.mgr.control_need[0], [0.1, 0.8, 0.5])
    # cost per FTE relative to the staff-weighted mean (0.42 here) is the own cost per case
    assert np.allclose(b.inst.unit_cost[0], [0.6 / 0.42, 0.3 / 0.42, 0.45 / 0.42])
    assert np.isclose(b.inst.moved_work.sum(), a.inst.moved_work.sum())
    per_fte = (b.inst.moved_work / b.inst.moved_fte)[0]
    assert np.allclose(per_fte * b.inst.unit_cost[0], per_fte[0] * b.inst.unit_cost[0, 0])
    assert per_fte.argmax() == 1  # the cheapest per case has the most cases per FTE
    # the draws the columns replace are still made: the rest of the run's dice are the same
    assert np.array_equal(a.inst.golive_month, b.inst.golive_month)
    assert nx.utils.graphs_equal(a.graph, b.graph)
    assert a.group_names == b.group_names == ("X", "Y")
    assert a.names == ("A", "B", "C")


def test_parameters_the_file_fixes_come_from_it():
    table = parse_institutions(b"name,group,fte,wave\nA,X,1,1\nB,Y,2,1\n", "f.csv", ".csv")
    scenario_values = {"n_institutions": 98, "institution_source": "dk_municipalities_2012",
                       "rollout": "waves", "n_waves": 6, "dialogue_effort": 0.9}
    p = params_for(table, scenario_values)  # a scenario's own values give way to the file's
    assert (p.n_institutions, p.baseline_fte_total, p.n_groups, p.rollout) == (
        2, 3.0, 2, "big_bang")
    assert p.dialogue_effort == 0.9 and p.institution_source == "synthetic"
    with pytest.raises(ParameterError, match="'rollout' = 'waves' is fixed by the "
                                             "institutions file f.csv"):
        params_for(table, {}, {"rollout": "waves"})  # a value given for this run must agree
    with pytest.raises(ParameterError, match="does not match the institutions file f.csv"):
        SharedServiceModel(make_params({"n_institutions": 3}), rng=1, institutions=table)


def test_scenario_files_name_their_institutions_relative_to_themselves(tmp_path):
    (tmp_path / "teams").mkdir()
    (tmp_path / "teams" / "mine.csv").write_text(template_csv(), encoding="utf-8")
    (tmp_path / "s.toml").write_text('title = "Ours"\ninstitutions = "teams/mine.csv"\n'
                                     "[parameters]\nmonths = 24\n", encoding="utf-8")
    sc = load_scenario(tmp_path / "s.toml")
    assert sc.institutions == read_institutions(tmp_path / "teams" / "mine.csv")
    result = run(tmp_path / "s.toml", seed=2)
    direct = simulate(sc.params(), 2, institutions=sc.institutions)
    _same_run((result.arrays, result.kpis), direct)
    saved = save_scenario(tmp_path / "elsewhere.toml", sc)
    assert load_scenario(saved).institutions == sc.institutions


def test_the_state_example_is_statens_its_agencies_and_runs_from_the_command_line(capsys):
    from sim_cli.main import main

    state = str(DATA.joinpath("statens_it_agencies.csv"))
    table = read_institutions(state)
    scenario = load_scenario("statens_it").params(None, None)
    assert len(table) == scenario.n_institutions and len(table.group_names) == scenario.n_groups
    assert abs(table.total_fte - scenario.baseline_fte_total) < 1e-9
    assert sorted(set(table.wave)) == list(range(1, scenario.n_waves + 1))
    assert list(table.fte) == sorted(table.fte, reverse=True)  # rank-size: largest first
    assert main(["run", "--scenario", "statens_it", "--institutions", state, "--months", "24",
                 "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    sc = load_scenario("statens_it").with_institutions(state)
    expected = simulate(sc.params({"months": 24}), 1, institutions=sc.institutions)[1]
    assert printed == json.loads(json.dumps(expected.to_dict()))


def test_the_command_line_runs_the_example(capsys):
    from sim_cli.main import main

    assert main(["run", "--institutions", EXAMPLE, "--months", "24", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    sc = load_scenario("default").with_institutions(EXAMPLE)
    expected = simulate(sc.params({"months": 24}), 1, institutions=sc.institutions)[1]
    assert printed == json.loads(json.dumps(expected.to_dict()))
    assert main(["run", "--institutions", EXAMPLE, "--months", "24"]) == 0
    assert "98 institutions from kl_benefits_municipalities.csv" in capsys.readouterr().out


# --- every table the reader accepts runs ------------------------------------------------------

_names = st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                          min_size=1, max_size=12).map(lambda t: " ".join(t.split()))
                  .filter(bool), min_size=1, max_size=25,
                  unique_by=lambda t: t.casefold())


@st.composite
def tables(draw):
    names = draw(_names)
    n = len(names)
    fte = draw(st.lists(st.floats(0.01, 5000), min_size=n, max_size=n))
    assume(1 <= sum(fte) <= 1e6)
    columns = {"name": names, "fte": [repr(f) for f in fte]}
    if draw(st.booleans()):
        columns["group"] = draw(st.lists(st.sampled_from(["North", "South", "Øst", "A/S"]),
                                         min_size=n, max_size=n))
    if draw(st.booleans()):
        top = draw(st.integers(1, min(n, 6)))
        wave = list(range(1, top + 1)) + draw(st.lists(st.integers(1, top), min_size=n - top,
                                                       max_size=n - top))
        columns["wave"] = [str(w) for w in draw(st.permutations(wave))]
    for column, low in (("cost_per_fte", 0.01), ("initial_trust", 0.0), ("control_need", 0.0)):
        if draw(st.booleans()):
            values = draw(st.lists(st.floats(low, 1.0), min_size=n, max_size=n))
            columns[column] = [repr(v) for v in values]
    return columns


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(columns=tables(), seed=st.integers(0, 2**32), n_centres=st.integers(1, 4))
def test_every_file_the_reader_accepts_builds_and_runs(columns, seed, n_centres):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(zip(*columns.values(), strict=True))
    table = parse_institutions(out.getvalue().encode(), "h.csv", ".csv")
    assert table.names == tuple(columns["name"])
    p = params_for(table, {"months": 6, "n_centres": n_centres})
    model = SharedServiceModel(p, rng=seed, institutions=table)
    assert model.names == table.names
    assert np.array_equal(model.inst.baseline_fte[0], np.array(table.fte))
    assert list(model.group_names) == sorted(set(table.groups))
    if table.wave is not None:
        first = model.inst.eligible_month[0]
        assert np.array_equal(first, p.preparation_months + 1
                              + (np.array(table.wave) - 1) * p.wave_interval_months)
    model.run_model()
    arrays = model.recorder.arrays()
    assert all(np.isfinite(arrays[k]).all() for k in ("cumulative_net_benefit", "centre_fte"))


def test_members_of_an_ensemble_with_a_file_are_its_single_runs():
    """A team's institutions (with every optional column) in an ensemble: each member, with its
    own seed and dialogue effort, equals its single run from the file, bit for bit."""
    from sim.ensemble import run_members

    text = ("name,group,fte,wave,cost_per_fte,initial_trust,control_need\n"
            "A,X,10,1,0.6,0.9,0.1\nB,Y,30,2,0.3,0.2,0.8\nC,X,60,1,0.45,0.5,0.5\n")
    table = parse_institutions(text.encode(), "e.csv", ".csv")
    params = [params_for(table, {"months": 36, "dialogue_effort": d}) for d in (0.1, 0.5, 0.9)]
    seeds = [4, 5, 6]
    members = run_members(params, seeds, institutions=table)
    for member, p, seed in zip(members, params, seeds, strict=True):
        arrays, kpis = simulate(p, seed, institutions=table)
        assert member.arrays.keys() == arrays.keys()
        assert all(np.array_equal(member.arrays[k], arrays[k], equal_nan=True) for k in arrays)
        assert json.dumps(member.kpis.to_dict()) == json.dumps(kpis.to_dict())


def test_compare_pairs_a_file_with_waves_against_the_same_list_without(tmp_path, capsys):
    from sim_cli.main import main

    (tmp_path / "waves.csv").write_text("name,fte,wave\nA,10,1\nB,30,2\nC,60,3\n", "utf-8")
    (tmp_path / "once.csv").write_text("name,fte\nA,10\nB,30\nC,60\n", "utf-8")
    args = ["compare", "--months", "36", "--seeds", "3", "--json",
            "--institutions", str(tmp_path / "waves.csv")]
    assert main([*args, "--vs-set", "rollout=big_bang"]) == 2
    assert "'rollout' = 'big_bang' is fixed by the institutions file" in capsys.readouterr().err
    assert main([*args, "--vs-institutions", str(tmp_path / "once.csv"),
                 "--vs-set", "rollout=big_bang"]) == 0
    printed = json.loads(capsys.readouterr().out)
    waves = load_scenario("default").with_institutions(tmp_path / "waves.csv")
    once = load_scenario("default").with_institutions(tmp_path / "once.csv")
    a = simulate(waves.params({"months": 36}), printed["seeds"][0],
                 institutions=waves.institutions)[1]
    b = simulate(once.params({"months": 36, "rollout": "big_bang"}), printed["seeds"][0],
                 institutions=once.institutions)[1]
    assert len(printed["seeds"]) == 3 and a != b
