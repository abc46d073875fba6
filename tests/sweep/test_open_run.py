"""A sweep's stored run opened live: its exact parameters and seed from ``runs/``, the same
series as stored (checked), the report's links to the app, and one line for a bad folder or
run id (``sim app --sweep FOLDER --run RUN_ID``)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.runner import simulate
from sim_cli.main import main
from sim_sweep.analyze import analyze
from sim_sweep.engine import run_sweep
from sim_sweep.errors import SweepError
from sim_sweep.openrun import SWEEP_ENV, app_link, differences, load_run
from sim_sweep.spec import load_sweep
from tests.sweep.conftest import runs_table

#: A real (small) sweep of the model: two points, two replications each, series kept.
LIVE = """
design = "grid"
replications = 2
master_seed = 7
[vary.dialogue_effort]
levels = [0.2, 0.8]
[keep]
series = ["realised_gain", "service_level", "cumulative_net_benefit"]
"""


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    from tests.sweep.conftest import write_sweep

    folder = tmp_path_factory.mktemp("live")
    run_sweep(load_sweep(write_sweep(folder, LIVE)), kind="serial", progress=False)
    analyze(folder / "out", charts=False)
    return folder / "out"


def test_a_stored_run_is_its_parameters_seed_and_series(sweep):
    rows = runs_table(sweep).to_pylist()
    assert len(rows) == 4
    for row in rows:
        stored = load_run(sweep, row["run_id"])
        assert stored.seed == row["seed"]
        assert stored.params.dialogue_effort == row["p_dialogue_effort"]
        assert stored.params.months == 24 and stored.params.n_institutions == 20
        assert list(stored.months) == list(range(1, 25))
        arrays, _ = simulate(stored.params, stored.seed)
        assert differences(stored, arrays) == []
        for col, values in stored.series.items():
            np.testing.assert_array_equal(arrays[col], values)
    # a run that is not the stored one is told apart (series and key figures)
    stored = load_run(sweep, rows[0]["run_id"])
    other, _ = simulate(stored.params, stored.seed + 1)
    assert "realised_gain" in differences(stored, other)
    assert "cumulative_net_benefit_end_mdkk" in differences(stored, other)


@pytest.mark.parametrize("run_id, needle", [
    ("zz", "16 hexadecimal digits"),
    ("0000000000000000", "is not in"),
    ("", "16 hexadecimal digits"),
])
def test_bad_run_ids_are_one_line(sweep, run_id, needle):
    with pytest.raises(SweepError, match=needle) as info:
        load_run(sweep, run_id)
    assert "\n" not in str(info.value)


def test_the_command_line_checks_before_serving(sweep, tmp_path, capsys):
    run_id = runs_table(sweep).column("run_id")[0].as_py()
    assert main(["app", "--sweep", str(sweep), "--run", run_id, "--check-only"]) == 0
    out = capsys.readouterr().out
    assert f"?run={run_id}" in out and "equal a run of this model" in out
    for argv, needle in ((["--sweep", str(tmp_path), "--run", run_id], "not a sweep folder"),
                         (["--run", run_id], "--run needs --sweep"),
                         (["--sweep", str(sweep), "--run", "x"], "hexadecimal")):
        assert main(["app", *argv, "--check-only"]) == 2
        err = capsys.readouterr().err.strip()
        assert needle in err and err.count("\n") == 0 and "Traceback" not in err


def test_the_app_opens_the_run_and_checks_it(sweep, monkeypatch):
    from sim_app.session.state import Session
    from sim_app.session.sweeprun import open_sweep_run

    rows = runs_table(sweep).to_pylist()
    monkeypatch.setenv(SWEEP_ENV, str(sweep))
    for row in rows[:2]:
        session = Session()
        assert open_sweep_run(session, row["run_id"]) == []
        stored = load_run(sweep, row["run_id"])
        assert session.run.params == stored.params and session.seed == stored.seed
        assert session.sweep_run.differ == () and session.sweep_run.months == 24
    session = Session()
    errors = open_sweep_run(session, "0000000000000000")
    assert len(errors) == 1 and "is not in" in errors[0] and session.sweep_run is None
    monkeypatch.delenv(SWEEP_ENV)
    assert "not started on a sweep" in open_sweep_run(Session(), rows[0]["run_id"])[0]


def test_the_report_links_every_run_it_lists(sweep):
    report = (sweep / "analysis" / "report.html").read_text("utf-8")
    assert "Runs to open live" in report
    for run_id in runs_table(sweep).column("run_id").to_pylist():
        assert f"href='{app_link(run_id)}'" in report
    live = (sweep / "analysis" / "runs_live.csv").read_text("utf-8").splitlines()
    assert len(live) == 1 + 4 and live[0].startswith("run_id,")
