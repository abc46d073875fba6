"""Design generation: counts, bounds, seeds distinct and reproducible, SALib samplers."""

from __future__ import annotations

import numpy as np
from SALib.sample import latin, morris, sobol

from sim_sweep.design import expected_points, make_design
from sim_sweep.plan import make_plan
from sim_sweep.seeds import SeedPlan, replication_seeds
from sim_sweep.spec import load_sweep

GRID = """
design = "grid"
replications = 3
master_seed = 1
[vary.dialogue_effort]
levels = [0.0, 0.5, 1.0]
[vary.task_split_clarity]
range = [0.2, 1.0]
steps = 5
[vary.rollout]
levels = ["big_bang", "waves"]
"""

SAMPLED = """
design = "{design}"
replications = 2
master_seed = 11
[vary.dialogue_effort]
range = [0.1, 0.9]
[vary.task_split_clarity]
range = [0.2, 1.0]
distribution = "triangular"
mode = 0.7
[vary.n_waves]
range = [1, 8]
[sampler]
{sampler}
"""


def test_grid_counts_levels_and_order(sweep_file):
    sw = load_sweep(sweep_file(GRID))
    d = make_design(sw)
    assert len(d) == expected_points(sw) == 3 * 5 * 2
    assert sorted(set(d.points["task_split_clarity"])) == [0.2, 0.4, 0.6, 0.8, 1.0]
    assert set(d.points["rollout"]) == {"big_bang", "waves"}
    assert not d.points.duplicated().any()
    assert make_plan(sw).total == 30 * 3


def test_sampled_designs_counts_bounds_and_match_salib(sweep_file):
    cases = {"lhs": ("n = 50", 50), "sobol": ("n = 32", 32 * (3 + 2)),
             "morris": ("trajectories = 6\nlevels = 4", 6 * 4)}
    for design, (sampler, count) in cases.items():
        sw = load_sweep(sweep_file(SAMPLED.format(design=design, sampler=sampler), design))
        d = make_design(sw)
        assert len(d) == expected_points(sw) == count, design
        pts = d.points
        assert pts["dialogue_effort"].between(0.1, 0.9).all()
        assert pts["task_split_clarity"].between(0.2, 1.0).all()
        assert pts["n_waves"].between(1, 8).all() and pts["n_waves"].dtype == np.int64
        # Same design twice; identical to SALib's own sampler with the same seed.
        again = make_design(load_sweep(sw.path))
        assert again.points.equals(pts)
        problem = sw.problem()
        if design == "lhs":
            raw = latin.sample(problem, 50, seed=11)
        elif design == "sobol":
            raw = sobol.sample(problem, 32, calc_second_order=False, seed=11)
        else:
            raw = morris.sample(problem, 6, num_levels=4, seed=11)
        assert np.allclose(raw[:, 0], pts["dialogue_effort"])
        assert np.array_equal(np.rint(raw[:, 2]).astype(int), pts["n_waves"].to_numpy())


def test_sobol_second_order_count(sweep_file):
    sw = load_sweep(sweep_file(SAMPLED.format(design="sobol",
                                              sampler="n = 16\nsecond_order = true")))
    assert len(make_design(sw)) == 16 * (2 * 3 + 2)


def test_points_from_csv(sweep_file, tmp_path):
    (tmp_path / "pts.csv").write_text("dialogue_effort,rollout\n0.1,waves\n0.9,big_bang\n")
    sw = load_sweep(sweep_file('design = "points"\nmaster_seed = 3\n[sampler]\n'
                               'file = "pts.csv"\n'))
    d = make_design(sw)
    assert d.points.to_dict("records") == [{"dialogue_effort": 0.1, "rollout": "waves"},
                                           {"dialogue_effort": 0.9, "rollout": "big_bang"}]


def test_seeds_distinct_reproducible_and_extendable():
    a = replication_seeds(123, 50)
    assert len(set(a)) == 50
    assert a == replication_seeds(123, 50)
    assert replication_seeds(123, 80)[:50] == a  # more replications keep the earlier seeds
    assert replication_seeds(124, 50) != a
    assert all(isinstance(s, int) and 0 <= s < 2**32 for s in a)
    expected = [int(c.generate_state(1)[0])
                for c in np.random.SeedSequence(123).spawn(50)]
    assert a == expected


def test_per_point_seeds_differ_between_points():
    plan = SeedPlan(5, 4, "per_point")
    s0, s1 = plan.seeds(0), plan.seeds(1)
    assert len(set(s0 + s1)) == 8
    assert SeedPlan(5, 4, "per_point").seeds(1) == s1
    common = SeedPlan(5, 4, "common")
    assert common.seeds(0) == common.seeds(7)


def test_run_ids_unique_and_stable(sweep_file):
    sw = load_sweep(sweep_file(GRID))
    ids = [rid for *_, runs in make_plan(sw).runs() for rid, _s, _r in runs]
    assert len(ids) == len(set(ids)) == 90
    ids2 = [rid for *_, runs in make_plan(load_sweep(sw.path)).runs() for rid, _s, _r in runs]
    assert ids == ids2


CASES = """
design = "grid"
replications = 2
master_seed = 8
scenario = ["default", "{other}"]
[cases.strategy]
big_bang = {{ rollout = "big_bang", adoption = "mandatory" }}
waves = {{ rollout = "waves", adoption = "mandatory" }}
voluntary = {{ rollout = "waves", adoption = "voluntary" }}
[vary.dialogue_effort]
levels = [0.2, 0.8]
"""


def test_scenario_list_and_case_factors(sweep_file, tmp_path):
    other = tmp_path / "other.toml"
    other.write_text('title = "Other"\n[parameters]\ninitial_trust = 0.3\n')
    sw = load_sweep(sweep_file(CASES.format(other="other.toml")))
    d = make_design(sw)
    assert len(d) == expected_points(sw) == 2 * 3 * 2
    assert d.names == ["scenario", "strategy", "dialogue_effort"]
    plan = make_plan(sw)
    params = [p for _pid, _key, p in plan.point_dicts()]
    assert {p["rollout"] for p in params} == {"big_bang", "waves"}
    assert sum(p["adoption"] == "voluntary" for p in params) == 4
    assert {p["initial_trust"] for p in params} == {0.5, 0.3}
    assert all(p["months"] == 24 for p in params)


def test_case_factor_errors(sweep_file):
    import pytest

    from sim_sweep.errors import SweepFileError

    bad = CASES.format(other="default").replace('scenario = ["default", "default"]\n', "")
    with pytest.raises(SweepFileError, match=r"\[cases.strategy\] waves: unknown parameter 'rolout'"):
        load_sweep(sweep_file(bad.replace('waves = { rollout', 'waves = { rolout')))
    # Policies and a scenario list are crossed with a sampled design (no longer refused).
    sampled = CASES.format(other="workshop").replace('design = "grid"', 'design = "lhs"')
    sampled = sampled.replace("levels = [0.2, 0.8]", "range = [0.2, 0.8]\n[sampler]\nn = 4")
    sw = load_sweep(sweep_file(sampled))
    d = make_design(sw)
    assert len(d) == 2 * 3 * 4 and d.inner == 4
    pts = d.points
    assert pts.columns.tolist() == ["scenario", "strategy", "dialogue_effort"]
    first = pts[(pts["scenario"] == "default") & (pts["strategy"] == "big_bang")]
    last = pts[(pts["scenario"] == "workshop") & (pts["strategy"] == "voluntary")]
    assert first["dialogue_effort"].tolist() == last["dialogue_effort"].tolist()


def test_a_base_scenario_path_is_the_sweep_files_and_a_bare_name_is_shipped(tmp_path,
                                                                           monkeypatch):
    from sim.scenarios import load_scenario

    here, elsewhere = tmp_path / "exp", tmp_path / "elsewhere"
    for folder, trust in ((here, 0.3), (elsewhere, 0.9)):
        (folder / "sc").mkdir(parents=True)
        (folder / "sc" / "b").write_text(f'title = "B"\n[parameters]\ninitial_trust = {trust}\n')
    (elsewhere / "default").mkdir()  # a local folder named like a shipped scenario
    (here / "w.toml").write_text('name = "w"\ndesign = "grid"\nmaster_seed = 1\n'
                                 'scenario = ["sc/b", "default"]\n'
                                 '[vary.dialogue_effort]\nlevels = [0.5]\n')
    monkeypatch.chdir(elsewhere)  # the command runs in another folder
    sweep = load_sweep(here / "w.toml")
    assert sweep.scenarios["sc/b"]["initial_trust"] == 0.3  # beside the sweep file
    assert sweep.scenarios["default"] == dict(load_scenario("default").overrides)
