"""Damaged result folders: find the files that cannot be read, say which and what to do, and
(with ``--repair``) move them aside so that their runs are computed again.

A result folder is data that may be damaged: a disk that filled up, a copy cut short, a file
edited by hand. Every reader checks what it reads first (:func:`check_folder`):

* a Parquet part in ``runs/`` or ``series/`` that is empty, truncated or not Parquet, or that
  lacks the ``run_id`` column;
* a design chunk in ``designs/<hash>/`` that cannot be read, or a gap between its chunks;
* the copy of a sweep file in ``specs/`` that is not a valid sweep file.

Nothing is changed by a check. ``sim sweep FILE --resume --repair`` moves each damaged file
(and the other half of a damaged part: its ``runs/`` or ``series/`` file of the same name) to
``damaged/`` inside the folder and logs a ``repaired`` event; the runs the part held are then
no longer stored, and the resumed sweep computes them again, so the folder ends with every run
stored once.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import ValidationError

from sim_sweep import store
from sim_sweep.errors import SweepError

DAMAGED = "damaged"


@dataclass(frozen=True)
class Damage:
    """One damaged file: where it is (relative to the folder) and what is wrong with it."""

    path: str
    why: str


def _parquet_problem(path: Path, column: str) -> str | None:
    """Why a Parquet file cannot be used (None when it can)."""
    try:
        if path.stat().st_size == 0:
            return "an empty file"
        meta = pq.ParquetFile(path)
        names = meta.schema_arrow.names
    except (pa.ArrowException, OSError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"not a readable Parquet file: {first[:120]}"
    if column not in names:
        return f"no '{column}' column"
    return None


def _spec_problem(path: Path) -> str | None:
    from sim_sweep.schema import SweepSpec

    try:
        SweepSpec.model_validate(tomllib.loads(path.read_bytes().decode("utf-8")))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValidationError, OSError,
            RecursionError):
        return "not a valid sweep file"
    return None


def find(out: Path) -> list[Damage]:
    """Every damaged file of a result folder (reads footers and headers, changes nothing)."""
    found: list[Damage] = []
    for sub in (store.RUNS, store.SERIES):
        d = out / sub
        for f in sorted(d.glob("part-*.parquet")) if d.is_dir() else []:
            why = _parquet_problem(f, "run_id")
            if why:
                found.append(Damage(f"{sub}/{f.name}", why))
    designs = out / store.DESIGNS
    for folder in sorted(p for p in designs.iterdir() if p.is_dir()) if designs.is_dir() else []:
        expected = 0
        for f in sorted(folder.glob("points-*.parquet")):
            rel = f"{store.DESIGNS}/{folder.name}/{f.name}"
            why = _parquet_problem(f, "point_id")
            if why:
                found.append(Damage(rel, why))
                break
            start = int(f.stem.split("-")[-1])
            if start != expected:
                found.append(Damage(rel, f"points {expected} to {start - 1} are missing "
                                         "before it (a deleted chunk)"))
                break
            expected = start + pq.ParquetFile(f).metadata.num_rows
    specs = out / store.SPECS
    for f in sorted(specs.glob("*.toml")) if specs.is_dir() else []:
        why = _spec_problem(f)
        if why:
            found.append(Damage(f"{store.SPECS}/{f.name}", why))
    return found


def message(out: Path, found: list[Damage], command: str) -> str:
    """One line: the first damaged file, how many more, and what to do."""
    first = found[0]
    more = f" (and {len(found) - 1} more damaged file{'s' if len(found) > 2 else ''})" \
        if len(found) > 1 else ""
    return (f"{out / first.path} is damaged ({first.why}){more}. Nothing was changed. To "
            f"compute its runs again, run {command} --resume --repair (it moves damaged files "
            f"to {out / DAMAGED}/), or restore the file from a copy.")


def check_folder(out: Path, command: str) -> None:
    """Raise when the folder holds a damaged file, naming it and what to do.

    Args:
        out: The result folder.
        command: The command to continue the sweep, for the message
            (``sim sweep experiments/x.toml``).

    Raises:
        SweepError: naming the first damaged file and ``--repair``.
    """
    found = find(out)
    if found:
        raise SweepError(message(out, found, command))


def repair(out: Path) -> list[str]:
    """Move every damaged file (and the other half of a damaged part) to ``damaged/``.

    Returns:
        The moved files, relative to the folder (logged as a ``repaired`` event).
    """
    moved: list[str] = []
    targets: list[str] = []
    for dmg in find(out):
        targets.append(dmg.path)
        sub, _, name = dmg.path.partition("/")
        if sub in (store.RUNS, store.SERIES):  # the runs and series halves share a name
            other = store.SERIES if sub == store.RUNS else store.RUNS
            if (out / other / name).exists():
                targets.append(f"{other}/{name}")
    for rel in dict.fromkeys(targets):
        src = out / rel
        dst = out / DAMAGED / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.exists():
            dst = dst.with_name(f"{dst.name}.{os.getpid()}")
        os.replace(src, dst)
        moved.append(rel)
    return moved
