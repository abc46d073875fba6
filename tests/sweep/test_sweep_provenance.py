"""Provenance and citation: every sweep start and every analysis records what produced it
(Python and library versions, platform, date, command line, full hashes); the report shows
it with a "how to cite" that matches CITATION.cff."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

from sim import citation, provenance
from sim_sweep import store
from sim_sweep.analyze import analyze
from sim_sweep.engine import run_sweep
from sim_sweep.spec import load_sweep
from sim_sweep.testing import fake_simulate
from tests.sweep.conftest import grid

ROOT = Path(__file__).resolve().parents[2]


def test_collect_names_versions_platform_date_command_and_full_hashes(tmp_path):
    f = tmp_path / "x.csv"
    f.write_bytes(b"a,b\n1,2\n")
    rec = provenance.collect("0.1.0+src.abc", {"points": provenance.file_sha256(f)},
                             command=["/usr/bin/sim", "sweep", "my file.toml"])
    assert rec["python"].endswith(".".join(map(str, sys.version_info[:3])))
    for lib in ("numpy", "scipy", "pandas", "pyarrow", "Mesa", "SALib", "matplotlib"):
        assert re.fullmatch(r"\d+(\.\w+)+", rec["libraries"][lib] or ""), lib
    assert rec["command"] == "sim sweep 'my file.toml'"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", rec["date"])
    assert rec["platform"] and rec["model_version"] == "0.1.0+src.abc"
    assert rec["hashes"]["points"] == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    path = provenance.write(tmp_path, rec)
    assert provenance.read(tmp_path) == json.loads(path.read_text())
    labels = dict(provenance.lines(rec))
    assert labels["SHA-256 of points"] == rec["hashes"]["points"]


def test_sweep_start_and_analysis_record_provenance(sweep_file, tmp_path):
    path = sweep_file(grid(reps=2))
    sw = load_sweep(path)
    run_sweep(sw, kind="serial", progress=False, run_fn=fake_simulate)
    out = tmp_path / "out"
    start = store.latest_start(out)
    prov = start["provenance"]
    full = hashlib.sha256(path.read_bytes()).hexdigest()
    assert prov["hashes"]["sweep file"] == full
    assert prov["hashes"]["design (file meaning, points file, posterior, base scenarios)"].startswith(
        sw.spec_hash) and len(sw.design_sha256) == 64
    assert prov["libraries"]["numpy"] and prov["model_version"] == start["model_version"]
    res = analyze(out)
    rec = json.loads((res.out / "provenance.json").read_text())
    assert rec["analysis"]["hashes"]["sweep file"] == full
    assert rec["sweep_starts"] == [prov]
    html = (res.out / "report.html").read_text()
    assert full in html and "Provenance" in html and "How to cite" in html
    assert prov["libraries"]["SALib"] in html and prov["platform"] in html


def test_citation_cff_lists_every_reference_the_reports_print():
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert text.startswith("# ") and "cff-version: 1.2.0" in text
    for ref in citation.REFERENCES:
        assert f'doi: "{ref.doi}"' in text, ref.doi
    cff_dois = re.findall(r'doi: "([^"]+)"', text)
    assert sorted(cff_dois) == sorted(r.doi for r in citation.REFERENCES)
    libs = {r.library for r in citation.REFERENCES}
    assert {"Mesa", "SALib", "EMA Workbench", "pyabc"} <= libs
