"""Helpers for the sweep tests: small sweep files written into a temporary folder."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pyarrow as pa
import pytest

from sim_sweep import store

SMALL = """
[fixed]
months = 24
n_institutions = 20
"""

#: A 3 × 2 grid over dialogue and clarity: the engine and kill tests' common sweep.
GRID = """
design = "grid"
replications = {reps}
master_seed = 2026
[vary.dialogue_effort]
levels = [0.0, 0.5, 1.0]
[vary.task_split_clarity]
levels = [0.3, 0.9]
[keep]
series = {series}
"""


def grid(reps: int = 3, series: str = '["realised_gain", "service_level"]') -> str:
    """The common grid with ``reps`` replications, keeping ``series`` (a TOML value)."""
    return GRID.format(reps=reps, series=series)


def write_sweep(folder: Path, body: str, name: str = "s", fixed: str = SMALL) -> Path:
    """Write a sweep file; ``output`` defaults to ``folder/out``."""
    text = textwrap.dedent(body).strip() + "\n"
    if not re.search(r"^output\s*=", text, re.MULTILINE):
        text = f'output = "{folder / "out"}"\n' + text
    if not re.search(r"^name\s*=", text, re.MULTILINE):
        text = f'name = "{name}"\n' + text
    if "[fixed]" not in text and fixed:
        text += textwrap.dedent(fixed)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def runs_table(out: Path) -> pa.Table:
    return store.read_runs(out).sort_by("run_id")


def series_table(out: Path) -> pa.Table:
    return store.read_series(out).sort_by([("run_id", "ascending"), ("month", "ascending")])


class Frame:
    """A table compared by exact values (NaN equals NaN at the same place)."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table
        self.num_rows = table.num_rows
        self.column_names = table.column_names
        self.column = table.column

    def equals(self, other: Frame) -> bool:
        a, b = self.table.to_pandas(), other.table.to_pandas()
        return list(a.columns) == list(b.columns) and a.equals(b)


@pytest.fixture
def tables():
    """(runs, series) of an output folder, sorted by run id (and month), as :class:`Frame`."""
    return lambda out: (Frame(runs_table(out)), Frame(series_table(out)))


@pytest.fixture
def sweep_file(tmp_path: Path):
    def make(body: str, name: str = "s", fixed: str = SMALL) -> Path:
        return write_sweep(tmp_path, body, name, fixed)

    return make
