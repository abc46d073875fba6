"""The command line as a user calls it."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from sim.kpis import KPIs
from sim_cli.main import main


def test_json_prints_every_kpi(capsys):
    assert main(["run", "--json", "--months", "48", "--seed", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == KPIs.keys()
    assert data["months_to_90pct_gain"] is None  # not reached in 4 years: null, not missing


def test_table_has_units(capsys):
    assert main(["run", "--months", "60"]) == 0
    out = capsys.readouterr().out
    assert "mio. kr./year" in out and "FTE" in out and "months" in out


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_out_writes_the_monthly_series(tmp_path, suffix, capsys):
    path = tmp_path / f"series{suffix}"
    assert main(["run", "--months", "30", "--out", str(path), "--set", "n_waves=2"]) == 0
    df = pd.read_csv(path) if suffix == ".csv" else pd.read_parquet(path)
    assert len(df) == 30 and df["month"].tolist() == list(range(1, 31))
    assert {"realised_gain", "service_level", "shadow_fte", "trust_mean"} <= set(df.columns)


def test_plot_writes_a_png(tmp_path, capsys):
    path = tmp_path / "run.png"
    assert main(["run", "--months", "36", "--plot", str(path)]) == 0
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("argv", "message"), [
    (["run", "--set", "dialog_effort=1"], "Did you mean 'dialogue_effort'"),
    (["run", "--set", "dialogue_effort=3"], "from 0 to 1"),
    (["run", "--set", "n_waves"], "NAME=VALUE"),
    (["run", "--scenario", "defalt"], "Did you mean 'default'"),
    (["run", "--scenario", "missing.toml"], "does not exist"),
    (["run", "--out", "x.xlsx"], ".parquet or .csv"),
    (["run", "--plot", "/no/such/folder/x.png"], "does not exist"),
])
def test_bad_input_gives_a_clear_error(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("sim: error:") and message in err


def test_scenarios_lists_titles(capsys):
    assert main(["scenarios"]) == 0
    assert "default" in capsys.readouterr().out


def test_params_lists_every_parameter(capsys):
    from sim.params import specs

    assert main(["params"]) == 0
    out = capsys.readouterr().out
    assert all(s.name in out for s in specs())


def test_console_script_and_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "sim", "run", "--json", "--months", "24"],
                         capture_output=True, text=True, check=True)
    assert "break_even_month" in json.loads(out.stdout)
    help_text = subprocess.run([sys.executable, "-m", "sim", "run", "--help"],
                               capture_output=True, text=True, check=True).stdout
    for option in ("--scenario", "--seed", "--months", "--set", "--json", "--out", "--plot"):
        assert option in help_text
