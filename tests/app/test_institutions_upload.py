"""A team's own institutions in the app: the upload is read in memory with the same strict
reader as the command line, the session's runs (and their band, fork and names) use it, the
parameters it fixes are taken from it, and a bad file is one line that changes nothing."""

from __future__ import annotations

import io
import os
import tempfile
from importlib import resources

import numpy as np
import openpyxl
import pytest

from sim.institutions import parse_institutions
from sim.runner import execute
from sim_app.session.runs import simulate
from sim_app.session.state import Session
from sim_app.session.uncertainty import band_runs
from sim_app.session.upload import read_upload

EXAMPLE = resources.files("sim.data").joinpath("kl_benefits_municipalities.csv").read_bytes()
NAME = "kl_benefits_municipalities.csv"


def _xlsx(csv: bytes) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    lines = csv.decode("utf-8").splitlines()
    ws.append(lines[0].split(","))
    for line in lines[1:]:
        cells = line.split(",")
        ws.append([cells[0], cells[1], float(cells[2])])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_upload_reads_like_the_file_reader():
    assert read_upload(NAME, EXAMPLE) == parse_institutions(EXAMPLE, NAME, ".csv")
    # the name a browser reports is shown without any directory
    assert read_upload("C:\\Users\\x\\" + NAME, EXAMPLE).source == NAME
    xlsx = read_upload("team.xlsx", _xlsx(EXAMPLE))
    assert xlsx.names == read_upload(NAME, EXAMPLE).names


@pytest.mark.parametrize("name, data, needle", [
    ("institutions.toml", EXAMPLE, "allowed: a .csv or .xlsx"),
    ("institutions", EXAMPLE, "no suffix"),
    (NAME, None, "could not read"),
    (NAME, b"x" * 2_000_001, "at most 2,000,000 bytes"),
    (NAME, b"name,group\nA,B\n", NAME),
    ("team.xlsx", b"not a workbook", "team.xlsx"),
])
def test_bad_uploads_are_one_line(name, data, needle):
    session = Session()
    before = session.run
    error = session.load_institutions_bytes(name, data)
    assert error is not None and "\n" not in error and "Traceback" not in error
    assert needle in error
    assert session.run is before and session.institutions is None


def test_session_runs_the_files_institutions_and_stores_nothing():
    tmp = set(os.listdir(tempfile.gettempdir()))
    session = Session()
    assert session.load_institutions_bytes(NAME, EXAMPLE) is None
    assert set(os.listdir(tempfile.gettempdir())) == tmp  # nothing written on the server
    table = session.institutions
    run = session.run
    assert run.institutions is table and run.names == table.names
    assert run.params.n_institutions == len(table)
    assert run.params.baseline_fte_total == pytest.approx(table.total_fte)
    # the app's run is the model's run of the file, bit for bit
    direct = execute(run.params, session.seed, institutions=table)
    for k, a in run.arrays.items():
        np.testing.assert_array_equal(a, direct.arrays[k])
    assert session.network()["names"] == table.names
    fixed = session.fixed_by_file()
    assert {"n_institutions", "baseline_fte_total", "n_groups"} <= set(fixed)
    # a parameter the file fixes cannot be set to another value; others can, keeping the file
    assert not session.set_value("n_institutions", len(table) + 1)
    assert "n_institutions" in session.field_errors
    assert session.set_value("months", 48)
    assert session.run.institutions is table and session.run.horizon == 48
    assert session.undo() and session.institutions is table
    session.clear_institutions()
    assert session.institutions is None and session.run.institutions is None


def test_band_and_cache_follow_the_file():
    table = read_upload(NAME, EXAMPLE)
    session = Session()
    session.load_institutions_bytes(NAME, EXAMPLE)
    params, seed = session.run.params, session.seed
    with_file = next(band_runs(params, seed, 1, ("realised_gain",), institutions=table))
    without = next(band_runs(params, seed, 1, ("realised_gain",)))
    assert not np.array_equal(with_file["realised_gain"], without["realised_gain"])
    assert simulate(params, seed, table) is not simulate(params, seed)
