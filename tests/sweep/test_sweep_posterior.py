"""Design ``posterior``: a sweep whose points are draws from a calibration's posterior.

The points are draws resampled by weight (values from the posterior's particles, in the
proportions of its weights), reproducible for a seed and stable when more are drawn; values the
sweep file sets win over drawn ones, priors scoped to other scenarios are not applied, and the
points are exactly what ``sim run --uncertainty posterior`` runs for the same draws. Policies
and ``[vary]`` levels meet the same draws. A small sweep on two workers stores runs that
``sim run`` reproduces from their stored parameters; the posterior file's hash is part of the
sweep's identity, so ``--resume`` with another posterior is refused. Bad posteriors and bad
keys are refused in one line each.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.scenarios import load_scenario
from sim_calibrate.posterior import read_posterior, write_posterior
from sim_calibrate.uncertainty import MAX_DRAWS, draw_params
from sim_cli.main import main
from sim_sweep.design import make_design
from sim_sweep.engine import run_sweep
from sim_sweep.errors import SweepError, SweepFileError
from sim_sweep.openrun import load_run
from sim_sweep.plan import make_plan
from sim_sweep.spec import load_sweep, parse_sweep
from sim_sweep.testing import fake_simulate

#: The fixture's particles and weights: two free parameters, a whole number and a prior the
#: calibration scoped to Udbetaling Danmark.
PARTICLES = pd.DataFrame({
    "initial_trust": [0.3, 0.5, 0.7, 0.6],
    "hiring_capacity": [0.05, 0.1, 0.15, 0.2],
    "response_delay_months": [2.0, 4.0, 6.0, 3.0],
    "task_change_dip": [0.15, 0.25, 0.35, 0.45],
})
WEIGHTS = np.array([0.1, 0.5, 0.3, 0.1])
PRIORS = {
    "initial_trust": {"low": 0.3, "high": 0.7, "whole": False, "scenarios": []},
    "hiring_capacity": {"low": 0.05, "high": 0.2, "whole": False, "scenarios": []},
    "response_delay_months": {"low": 2.0, "high": 6.0, "whole": True, "scenarios": []},
    "task_change_dip": {"low": 0.1, "high": 0.6, "whole": False,
                        "scenarios": ["udbetaling_danmark"]},
}
DRAWN = ["initial_trust", "hiring_capacity", "response_delay_months"]


def write_fixture(path: Path, particles: pd.DataFrame = PARTICLES,
                  weights: np.ndarray = WEIGHTS, priors: dict | None = None) -> Path:
    write_posterior(path, particles, weights, {"calibration": "fixture",
                                               "priors": priors or PRIORS})
    return path


@pytest.fixture
def post(tmp_path):
    return write_fixture(tmp_path / "post.parquet")


def sweep_text(n: int = 8, extra: str = "", seed: int = 11, posterior: str = "post.parquet",
               head: str = "") -> str:
    return (f'name = "p"\n{head}design = "posterior"\nmaster_seed = {seed}\n'
            f'[sampler]\nn = {n}\nposterior = "{posterior}"\n{extra}')


def design_of(tmp_path: Path, text: str) -> tuple[object, pd.DataFrame]:
    sweep = parse_sweep(text, tmp_path / "p.toml")
    return sweep, make_design(sweep).points


def particle_of(row: pd.Series) -> int:
    hit = np.flatnonzero(np.isclose(PARTICLES["initial_trust"], row["initial_trust"])
                         & np.isclose(PARTICLES["hiring_capacity"], row["hiring_capacity"]))
    assert hit.size == 1, row
    return int(hit[0])


def test_points_are_draws_in_the_proportions_of_the_weights(tmp_path, post):
    sweep, points = design_of(tmp_path, sweep_text(n=4000))
    assert list(points.columns) == DRAWN  # the scoped prior is not drawn in 'default'
    particles = points.apply(particle_of, axis=1)
    for i in range(len(PARTICLES)):  # every value is the particle's own, whole or not
        rows = points[particles == i]
        assert (rows["response_delay_months"] == int(PARTICLES.loc[i, "response_delay_months"])
                ).all()
    assert points["response_delay_months"].dtype == np.int64
    share = np.bincount(particles, minlength=len(WEIGHTS)) / len(points)
    # 4,000 draws: each share's standard error is at most 0.008
    assert np.abs(share - WEIGHTS).max() < 0.03, share
    # Every point's full parameters are the default scenario's plus the draw.
    base = load_scenario("default").params()
    for point in make_plan(sweep).points():
        assert point.params["task_change_dip"] == base.task_change_dip
        assert point.params["dialogue_effort"] == base.dialogue_effort
        break


def test_points_are_what_sim_run_uncertainty_posterior_runs(tmp_path, post):
    sweep, _ = design_of(tmp_path, sweep_text(n=12, extra="[fixed]\nmonths = 36\n"))
    expected = draw_params(load_scenario("default"), read_posterior(post), 12,
                           sweep.design_seed, {"months": 36})
    got = [p.params for p in make_plan(sweep).points()]
    assert got == [p.model_dump(mode="json") for p in expected]


def test_each_draw_has_its_own_seeds_shared_by_every_policy(tmp_path, post):
    sweep, points = design_of(tmp_path, sweep_text(n=30, head="replications = 3\n", extra=(
        "[cases.plan]\nbig_bang = { rollout = \"big_bang\" }\nwaves = { rollout = \"waves\" }\n"
        "[fixed]\nmonths = 24\n")))
    plan = list(make_plan(sweep).points())
    assert not any(p.duplicate for p in plan)  # a particle drawn twice is two points
    seeds = [tuple(s for _rid, s, _r in p.runs) for p in plan]
    assert seeds[:30] == seeds[30:]  # draw k: the same seeds under both policies
    assert len(set(seeds[:30])) == 30  # ... and its own
    repeated = points.iloc[:30].duplicated(subset=DRAWN)
    assert repeated.any()  # the fixture's heavy particle is drawn more than once
    assert len({p.key for p in plan}) == 60 and len({r for p in plan for r, _s, _x in p.runs}) == 180
    # --extend with more draws keeps every earlier run (draw k keeps its seeds)
    bigger = parse_sweep(sweep.text.replace("n = 30", "n = 45"), tmp_path / "p.toml")
    ids = {r for p in make_plan(bigger).points() for r, _s, _x in p.runs}
    assert {r for p in plan for r, _s, _x in p.runs} <= ids


def test_draws_are_reproducible_for_a_seed_and_stable_when_more_are_drawn(tmp_path, post):
    _, a = design_of(tmp_path, sweep_text(n=30))
    _, again = design_of(tmp_path, sweep_text(n=30))
    _, more = design_of(tmp_path, sweep_text(n=60))
    _, other = design_of(tmp_path, sweep_text(n=30, seed=12))
    _, by_key = design_of(tmp_path, sweep_text(n=30, seed=12, extra="seed = 11\n"))
    pd.testing.assert_frame_equal(a, again)
    pd.testing.assert_frame_equal(a, more.iloc[:30])  # --extend with a larger n keeps them
    assert not a.equals(other)
    pd.testing.assert_frame_equal(a, by_key)  # [sampler] seed is the draws' seed


def test_values_set_in_the_file_win_over_drawn_ones(tmp_path, post):
    sweep, points = design_of(tmp_path, sweep_text(n=6, extra=(
        "[fixed]\ninitial_trust = 0.45\n"
        "[cases.staffing]\nlean = { hiring_capacity = 0.01 }\nusual = { rollout = \"waves\" }\n"
        "[vary.dialogue_effort]\nlevels = [0.2, 0.8]\n")))
    # fixed: not drawn; cases: drawn where the level does not set it
    assert list(points.columns) == ["staffing", "dialogue_effort", "hiring_capacity",
                                    "response_delay_months"]
    assert len(points) == 2 * 2 * 6
    plan = list(make_plan(sweep).points())
    assert {p.params["initial_trust"] for p in plan} == {0.45}
    lean = [p for p in plan if p.labels["case_staffing"] == "lean"]
    usual = [p for p in plan if p.labels["case_staffing"] == "usual"]
    assert {p.params["hiring_capacity"] for p in lean} == {0.01}
    assert {p.params["hiring_capacity"] for p in usual} <= set(PARTICLES["hiring_capacity"])
    # every policy and level meets the same draws, the draw varying fastest
    draws = points["response_delay_months"].to_numpy().reshape(4, 6)
    assert (draws == draws[0]).all()
    assert points["dialogue_effort"].tolist()[:12] == [0.2] * 6 + [0.8] * 6
    for p, (_, row) in zip(plan, points.iterrows(), strict=True):
        assert p.params["dialogue_effort"] == row["dialogue_effort"]


def test_a_varied_parameter_the_posterior_draws_takes_the_levels(tmp_path, post):
    sweep, points = design_of(tmp_path, sweep_text(n=5, extra=(
        "[vary.initial_trust]\nrange = [0.2, 0.8]\nsteps = 3\n")))
    assert list(points.columns) == ["initial_trust", "hiring_capacity", "response_delay_months"]
    assert points["initial_trust"].tolist() == [0.2] * 5 + [0.5] * 5 + [0.8] * 5
    assert [p.params["initial_trust"] for p in make_plan(sweep).points()] == \
        points["initial_trust"].tolist()


def test_priors_scoped_to_other_scenarios_apply_only_there(tmp_path, post):
    # A fixed institution count would clash with Udbetaling Danmark's municipalities.
    sweep, points = design_of(tmp_path, sweep_text(
        n=20, head='scenario = ["default", "udbetaling_danmark"]\n'))
    assert "task_change_dip" in points.columns
    plan = list(make_plan(sweep).points())
    default = {p.params["task_change_dip"] for p in plan if p.labels["scenario"] == "default"}
    udk = {p.params["task_change_dip"] for p in plan
           if p.labels["scenario"] == "udbetaling_danmark"}
    assert default == {load_scenario("default").params().task_change_dip}
    assert len(udk) > 1 and udk <= set(PARTICLES["task_change_dip"])


def test_sweep_on_two_workers_stores_runs_sim_run_reproduces(tmp_path, post, capsys):
    path = tmp_path / "p.toml"
    path.write_text(sweep_text(n=3, extra=(
        "[cases.rollout_plan]\nbig_bang = { rollout = \"big_bang\" }\n"
        "waves = { rollout = \"waves\" }\n"
        "[fixed]\nmonths = 24\nn_institutions = 20\n"), head=f'output = "{tmp_path / "out"}"\n'
        'replications = 2\n'), encoding="utf-8")
    assert main(["sweep", str(path), "--workers", "2", "--no-progress"]) == 0
    capsys.readouterr()
    runs = pd.read_parquet(tmp_path / "out" / "runs")
    assert len(runs) == 2 * 3 * 2  # every draw its own runs, even of a repeated particle
    assert runs["p_initial_trust"].isin(PARTICLES["initial_trust"]).all()
    design = pd.read_parquet(tmp_path / "out" / "designs")
    assert set(design.columns) >= {"p_initial_trust", "p_hiring_capacity",
                                   "p_response_delay_months", "case_rollout_plan"}
    base = load_scenario("default").params().model_dump(mode="json")
    for run_id in runs["run_id"].iloc[:3]:
        stored = load_run(tmp_path / "out", run_id)
        values = stored.params.model_dump(mode="json")
        sets = [f"{k}={json.dumps(v) if isinstance(v, bool) else v}"
                for k, v in values.items() if base.get(k) != v]
        args = ["run", "--seed", str(stored.seed), "--json"]
        for s in sets:
            args += ["--set", s]
        assert main(args) == 0
        kpis = json.loads(capsys.readouterr().out)
        for k, v in stored.kpis.items():
            assert kpis[k] == v or (v is None and kpis[k] is None), k
    # the analysis treats the draws as sampled points, each draw and seed one world
    assert main(["analyze", str(tmp_path / "out")]) == 0
    report = (tmp_path / "out" / "analysis" / "report.html").read_text(encoding="utf-8")
    assert "draws resampled by weight from the posterior of calibration" in report
    paired = pd.read_csv(tmp_path / "out" / "analysis" / "paired_differences.csv")
    assert (paired["pairs"] == 3 * 2).all()


def test_resume_with_another_posterior_is_refused_in_one_line(tmp_path, post):
    path = tmp_path / "p.toml"
    path.write_text(sweep_text(n=2, head=f'output = "{tmp_path / "out"}"\n'), encoding="utf-8")
    run_sweep(load_sweep(path), kind="serial", progress=False, run_fn=fake_simulate)
    log = (tmp_path / "out" / "log.jsonl").read_bytes()
    run_sweep(load_sweep(path), kind="serial", progress=False, run_fn=fake_simulate,
              resume=True)  # the same posterior: resumes
    write_fixture(post, weights=np.array([0.25, 0.25, 0.25, 0.25]))
    before = (tmp_path / "out" / "log.jsonl").read_bytes()
    assert before.startswith(log)
    with pytest.raises(SweepError) as info:
        run_sweep(load_sweep(path), kind="serial", progress=False, run_fn=fake_simulate,
                  resume=True)
    msg = str(info.value)
    assert "\n" not in msg and "posterior post.parquet" in msg and "--extend" in msg, msg
    assert (tmp_path / "out" / "log.jsonl").read_bytes() == before


def test_the_posterior_hash_is_in_the_provenance(tmp_path, post):
    import hashlib

    sweep = parse_sweep(sweep_text(), tmp_path / "p.toml")
    assert sweep.input_hashes()["posterior post.parquet"] == hashlib.sha256(
        post.read_bytes()).hexdigest()


def test_default_posterior_is_the_scenarios_then_the_shipped_default(tmp_path, post):
    sweep = parse_sweep('name = "p"\ndesign = "posterior"\nmaster_seed = 1\n[sampler]\nn = 2\n',
                        tmp_path / "p.toml")
    assert sweep.draws.source == "default"
    assert sweep.draws.path.name == "default.parquet"
    scen = tmp_path / "mine.toml"
    scen.write_text(f'title = "Mine"\nposterior = "{post}"\n[parameters]\nmonths = 24\n',
                    encoding="utf-8")
    sweep = parse_sweep('name = "p"\ndesign = "posterior"\nmaster_seed = 1\nscenario = '
                        '"./mine.toml"\n[sampler]\nn = 2\n', tmp_path / "p.toml")
    assert sweep.draws.path == post and sweep.draws.label == "calibration 'fixture' (" \
        f"{post})"


@pytest.mark.parametrize("extra, posterior, key, words", [
    ("", "nonesuch", "sampler.posterior", ["'nonesuch' is not shipped", "default"]),
    ("", "missing.parquet", "sampler.posterior", ["missing.parquet", "does not exist"]),
    ("", "garbage.parquet", "sampler.posterior", ["cannot be read as Parquet"]),
    ("", "plain.parquet", "sampler.posterior", ["is not a posterior"]),
    ("", "alien.parquet", "sampler.posterior", ["unknown parameter 'charisma'",
                                                "another model version"]),
    ("", "folder.parquet", "sampler.posterior", ["is not a file"]),
    ("", "text.parquet", "sampler.posterior", ["column 'initial_trust' holds", "numbers"]),
    ("", " ", "sampler.posterior", ["is empty"]),
    ("[fixed]\ninitial_trust = 0.5\nhiring_capacity = 0.1\nresponse_delay_months = 3\n",
     "post.parquet", "sampler.posterior", ["every parameter the posterior", "design 'grid'"]),
    ("[vary.dialogue_effort]\nrange = [0.1, 0.9]\n", "post.parquet", "vary.dialogue_effort",
     ["design 'posterior' with a range needs 'steps'"]),
    ("[vary.dialogue_effort]\nrange = [0.1, 0.9]\ndistribution = \"triangular\"\nsteps = 2\n"
     "mode = 0.5\n", "post.parquet", "vary.dialogue_effort",
     ["'distribution' applies to designs lhs, sobol, morris, not 'posterior'"]),
    ("file = \"p.csv\"\n", "post.parquet", "sampler.file", ["applies to design 'points'"]),
    ("trajectories = 4\n", "post.parquet", "sampler.trajectories", ["applies to design"]),
    ("", "post.parquet", "seeds", ["each draw its own seeds", "\"common\""]),
])
def test_bad_posteriors_and_keys_are_refused_in_one_line(tmp_path, post, extra, posterior,
                                                         key, words):
    (tmp_path / "garbage.parquet").write_bytes(b"not parquet at all" * 10)
    pd.DataFrame({"x": [1.0]}).to_parquet(tmp_path / "plain.parquet")
    write_fixture(tmp_path / "alien.parquet", PARTICLES.assign(charisma=0.5))
    (tmp_path / "folder.parquet").mkdir()
    write_fixture(tmp_path / "text.parquet", PARTICLES.assign(initial_trust=list("abcd")))
    text = sweep_text(posterior=posterior, extra=extra)  # extra: [sampler] keys, then tables
    if key == "seeds":
        text = 'seeds = "per_point"\n' + text
    with pytest.raises(SweepFileError) as info:
        parse_sweep(text, tmp_path / "p.toml")
    msg = str(info.value)
    assert info.value.key == key and "\n" not in msg, msg
    assert msg.startswith(str(tmp_path / "p.toml")), msg
    for w in words:
        assert w in msg, (w, msg)


@pytest.mark.parametrize("n, words", [
    ("0", ["0 is not allowed", "at least 1"]),
    (f"{MAX_DRAWS + 1}", [f"{MAX_DRAWS + 1:,} draws is not allowed", f"1 to {MAX_DRAWS:,}"]),
    (None, ["needs 'n'"]),
])
def test_too_few_or_absurdly_many_draws_are_refused(tmp_path, post, n, words):
    text = sweep_text().replace("n = 8\n", "" if n is None else f"n = {n}\n")
    with pytest.raises(SweepFileError) as info:
        parse_sweep(text, tmp_path / "p.toml")
    assert info.value.key == "sampler.n"
    for w in words:
        assert w in str(info.value), str(info.value)


def test_posterior_key_on_another_design_and_different_scenario_posteriors(tmp_path, post):
    with pytest.raises(SweepFileError, match=r"\[sampler\] posterior: 'posterior' applies "
                                             "to design 'posterior', not 'grid'"):
        parse_sweep('name = "p"\ndesign = "grid"\nmaster_seed = 1\n[sampler]\n'
                    'posterior = "default"\n', tmp_path / "p.toml")
    for name, ref in (("a", post), ("b", "default")):
        (tmp_path / f"{name}.toml").write_text(f'title = "{name}"\nposterior = "{ref}"\n',
                                               encoding="utf-8")
    with pytest.raises(SweepFileError, match="name different posteriors"):
        parse_sweep('name = "p"\ndesign = "posterior"\nmaster_seed = 1\nscenario = '
                    '["./a.toml", "./b.toml"]\n[sampler]\nn = 2\n', tmp_path / "p.toml")


def test_a_draw_the_model_refuses_names_the_draw(tmp_path):
    write_fixture(tmp_path / "post.parquet", PARTICLES.assign(initial_trust=[0.3, 1.5, 0.7, 0.6]))
    with pytest.raises(SweepFileError, match=r"draw \d+ \(particle 1 of calibration 'fixture'"):
        make_plan(parse_sweep(sweep_text(), tmp_path / "p.toml"))


def test_check_says_where_the_draws_come_from(tmp_path, post, capsys):
    path = tmp_path / "p.toml"
    path.write_text(sweep_text(n=40, extra="[fixed]\nmonths = 12\nn_institutions = 10\n"),
                    encoding="utf-8")
    assert main(["sweep", str(path), "--check"]) == 0
    out = capsys.readouterr().out
    assert "draws: 40 from the posterior of calibration 'fixture' (post.parquet)" in out
    assert "4 distinct particles; they set initial_trust, hiring_capacity, " \
        "response_delay_months" in out


def test_cli_prints_one_line_and_exit_status_2(tmp_path, capsys):
    path = tmp_path / "p.toml"
    path.write_text(sweep_text(posterior="nonesuch"), encoding="utf-8")
    assert main(["sweep", str(path), "--check"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "[sampler] posterior" in err, err


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40), more=st.integers(0, 40),
       weights=st.lists(st.floats(0.01, 1.0), min_size=4, max_size=4))
def test_any_seed_and_weights_give_particles_and_keep_earlier_draws(tmp_path, seed, n, more,
                                                                    weights):
    write_fixture(tmp_path / "post.parquet", weights=np.array(weights))
    _, small = design_of(tmp_path, sweep_text(n=n, seed=seed))
    _, big = design_of(tmp_path, sweep_text(n=n + more, seed=seed))
    assert len(small) == n and len(big) == n + more
    pd.testing.assert_frame_equal(small, big.iloc[:n])
    for _, row in small.iterrows():
        i = particle_of(row)
        assert row["response_delay_months"] == PARTICLES.loc[i, "response_delay_months"]
