"""Writing output files: --force replaces in place (mode kept, links written through), a new
file gets the usual mode, and a file that appears during the run is never overwritten."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from sim_cli.main import main
from sim_cli.outputs import OutputError, check_file, check_folder, write_file

RUN = ["run", "--months", "12", "--json"]


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_force_replaces_the_file_and_keeps_its_mode(tmp_path, capsys):
    out = tmp_path / "a.csv"
    out.write_text("old\n")
    out.chmod(0o640)
    assert main([*RUN, "--out", str(out), "--force"]) == 0
    assert pd.read_csv(out)["month"].tolist() == list(range(1, 13))
    assert mode(out) == 0o640


def test_a_new_file_gets_the_usual_mode_not_a_temporary_files(tmp_path, capsys):
    out = tmp_path / "a.csv"
    old = os.umask(0o022)
    try:
        assert main([*RUN, "--out", str(out)]) == 0
    finally:
        os.umask(old)
    assert mode(out) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]  # no temporary left


def test_force_writes_through_a_symbolic_link(tmp_path, capsys):
    real = tmp_path / "real.png"
    real.write_bytes(b"old")
    link = tmp_path / "link.png"
    link.symlink_to(real)
    assert main([*RUN, "--plot", str(link), "--force"]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_file_that_appears_during_the_run_is_not_overwritten(tmp_path):
    target = check_file(str(tmp_path / "a.csv"), (".csv",), "--out", force=False)
    (tmp_path / "a.csv").write_text("someone else's\n")
    with pytest.raises(OutputError, match="appeared while the run"):
        write_file(target, lambda tmp: open(tmp, "w").write("mine\n"))
    assert (tmp_path / "a.csv").read_text() == "someone else's\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


def test_analysis_folder_is_new_or_replaced_with_force(tmp_path):
    check_folder(str(tmp_path / "new" / "analysis"), "--out", force=False)  # created later
    held = tmp_path / "held"
    held.mkdir()
    check_folder(str(held), "--out", force=False)  # empty: fine
    (held / "report.html").write_text("x")
    with pytest.raises(OutputError, match="holds files .*--force"):
        check_folder(str(held), "--out", force=False)
    check_folder(str(held), "--out", force=True)
