"""Doc tables that could go stale are generated from code; this fails when one is stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sim.kpis import KPIs
from sim.params import specs
from sim.recorder import COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def test_generated_doc_tables_are_current():
    out = subprocess.run([sys.executable, "scripts/doc_tables.py", "--check"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_every_parameter_column_and_kpi_is_in_the_docs():
    model_md = (ROOT / "docs/model.md").read_text(encoding="utf-8")
    api_md = (ROOT / "docs/api.md").read_text(encoding="utf-8")
    assert [s.name for s in specs() if f"`{s.name}`" not in model_md] == []
    assert [k for k in KPIs.keys() if f"`{k}`" not in model_md] == []
    assert [c for c in COLUMNS if f"`{c}`" not in api_md] == []


def test_the_plausible_ranges_in_the_calibration_doc_are_those_the_pattern_tests_draw():
    from tests.calibration.patterns import PLAUSIBLE

    doc = (ROOT / "docs/calibration.md").read_text(encoding="utf-8")
    table = doc[doc.index("<!-- plausible ranges -->"):doc.index("<!-- end plausible ranges -->")]
    rows = {line.split("|")[1].strip().strip("`"): line.split("|")[2:4]
            for line in table.splitlines() if line.startswith("| `")}
    assert sorted(rows) == sorted(PLAUSIBLE)
    for name, (lo, hi, _) in PLAUSIBLE.items():
        assert [float(x) for x in rows[name]] == [lo, hi], name
