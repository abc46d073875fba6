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

DAMAGED = store.DAMAGED



@dataclass(frozen=True)
class Damage:
    """One damaged file: where it is (relative to the folder) and what is wrong with it."""

    path: str
    why: str


#: The key columns of each kind of Parquet file a sweep writes, and their types.
KEYS: dict[str, dict[str, pa.DataType]] = {
    store.RUNS: {"run_id": pa.string(), "point_key": pa.string()},
    store.SERIES: {"run_id": pa.string(), "month": pa.int32()},
    store.DESIGNS: {"point_id": pa.int64(), "point_key": pa.string()},
}


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:120]


def _parquet_problem(path: Path, kind: str, deep: bool = False) -> str | None:
    """Why a Parquet file of ``kind`` (``runs``, ``series``, ``designs``) cannot be used
    (None when it can).

    Reads the footer and checks the key columns' names and types (a Parquet file that some
    other program put in the folder has other ones); ``deep`` also reads every page (data
    damaged inside a file whose footer is whole).
    """
    try:
        special = _not_regular(path)
        if special:
            return special
        if path.stat().st_size == 0:
            return "an empty file"
        meta = pq.ParquetFile(path)
        schema = meta.schema_arrow
    except (pa.ArrowException, OSError, ValueError) as exc:
        return f"not a readable Parquet file: {_first_line(exc)}"
    for column, dtype in KEYS[kind].items():
        if column not in schema.names:
            return f"no '{column}' column"
        if not schema.field(column).type.equals(dtype):
            return (f"its '{column}' column holds {schema.field(column).type}, not {dtype}: "
                    "not a part this program wrote")
    if deep:
        try:
            meta.read()
        except (pa.ArrowException, OSError, ValueError) as exc:
            return f"its data cannot be read: {_first_line(exc)}"
    return None


def _not_regular(path: Path) -> str | None:
    """Why ``path`` is not a regular file (a pipe would block its reader for ever), or None."""
    if path.is_symlink() and not path.exists():
        return "a symbolic link to nothing"
    if not path.is_file():
        return "not a regular file (a folder, pipe, device or socket)"
    return None


def _spec_problem(path: Path) -> str | None:
    from sim_sweep.schema import SweepSpec

    special = _not_regular(path)
    if special:
        return special
    try:
        SweepSpec.model_validate(tomllib.loads(path.read_bytes().decode("utf-8")))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValidationError, OSError,
            RecursionError):
        return "not a valid sweep file"
    return None


def _unified(schema: pa.Schema | None, path: Path) -> tuple[pa.Schema | None, str | None]:
    """``schema`` unified with the part's (as the readers unify them), or why they clash
    (a column of another type than in the parts before it)."""
    own = pq.read_schema(path)
    if schema is None:
        return own, None
    try:
        return pa.unify_schemas([schema, own]), None
    except (pa.ArrowException, ValueError) as exc:
        return schema, f"its columns do not match the other parts': {_first_line(exc)}"


def find(out: Path, deep: bool = False) -> list[Damage]:
    """Every damaged file of a result folder (changes nothing).

    Args:
        out: The result folder.
        deep: Read every page of every part too, not only footers and key columns (what
            ``--repair`` does, and what a reader does when a part fails past its footer).
    """
    found: list[Damage] = []
    for sub in (store.RUNS, store.SERIES):
        d = out / sub
        schema: pa.Schema | None = None  # of the readable parts so far, unified
        for f in sorted(d.glob("part-*.parquet")) if d.is_dir() else []:
            why = _parquet_problem(f, sub, deep)
            if why is None:
                schema, why = _unified(schema, f)
            if why:
                found.append(Damage(f"{sub}/{f.name}", why))
    designs = out / store.DESIGNS
    for folder in sorted(p for p in designs.iterdir() if p.is_dir()) if designs.is_dir() else []:
        expected = 0
        for f in sorted(folder.glob("points-*.parquet")):
            rel = f"{store.DESIGNS}/{folder.name}/{f.name}"
            why = _parquet_problem(f, store.DESIGNS, deep)
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
    for dmg in find(out, deep=True):
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
