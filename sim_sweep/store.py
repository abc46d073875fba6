"""The result store of a sweep: Parquet part files plus an append-only JSONL status log.

Layout of an output folder (documented in ``experiments/README.md``)::

    OUT/
      log.jsonl                  append-only status log (one JSON object per line), made first
      specs/<spec_hash>.toml     every sweep file ever run into this folder (never rewritten)
      designs/<spec_hash>/       its design points (point_id, point_key, factors), in chunks
      runs/part-*.parquet        committed parts: one row per finished run (ids, labels,
                                 parameters, KPIs)
      series/part-*.parquet      committed parts: one row per kept month of a run
      staging/                   parts written by workers, not yet committed
      analysis/                  written by ``sim analyze`` (derived, regenerated)

Workers write their parts into ``staging/`` (atomically: a hidden temporary name, then a
rename). Only the coordinator commits them, by renaming them into ``series/`` then ``runs/``,
and only parts whose runs are not stored yet, so ``runs/`` and ``series/`` never hold a run
twice: any reader (``pd.read_parquet("OUT/runs")``) sees each run once. Parts left in
``staging/`` by a killed sweep are committed, trimmed or dropped by the next coordinator
(:func:`recover_staged`). Nothing committed is ever rewritten.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from sim_sweep.errors import SweepError

LOG = "log.jsonl"
RUNS = "runs"
SERIES = "series"
SPECS = "specs"
DESIGNS = "designs"
STAGING = "staging"
DAMAGED = "damaged"
#: The folders of a sweep folder that hold its data; nothing else may write into them.
DATA_FOLDERS = (RUNS, SERIES, SPECS, DESIGNS, STAGING, DAMAGED)

#: Columns every row of ``runs/`` starts with.
ID_COLUMNS = ("run_id", "point_key", "seed", "replication", "model_version")


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


# --------------------------------------------------------------------------- folder & log
def is_sweep_folder(out: Path) -> bool:
    """Whether ``out`` holds a log (whose log it is: :func:`check_log`)."""
    return (out / LOG).exists() or (out / LOG).is_symlink()


def append_log(out: Path, events: list[dict[str, Any]]) -> None:
    """Append events to the log (one line each), flushed and synced to disk.

    A torn last line (a machine lost mid-write) is ended first, so that it stays one bad line
    (skipped by :func:`read_log`) instead of swallowing the next event.
    """
    if not events:
        return
    text = "".join(json.dumps(e, separators=(",", ":"), default=str) + "\n" for e in events)
    with open(out / LOG, "a+b") as fh:
        if fh.tell() > 0:
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                text = "\n" + text
        fh.write(text.encode("utf-8"))
        fh.flush()
        os.fsync(fh.fileno())


def read_log(out: Path) -> Iterator[dict[str, Any]]:
    """Stream the log's events; a line torn by a lost machine (not JSON) is skipped.

    Raises:
        SweepError: the log is not text or holds something that is not an event (a damaged
            or foreign file), naming the file and the line.
    """
    path = out / LOG
    if not path.exists():
        return
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8").strip()
            except UnicodeDecodeError:
                raise damaged(path, f"line {number} is not text") from None
            if not line:
                continue
            try:
                event = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                continue  # torn by a lost machine or a full disk
            if not isinstance(event, dict) or not isinstance(event.get("event"), str):
                raise damaged(path, f"line {number} is not a sweep event")
            yield event


def damaged(path: Path, what: str) -> SweepError:
    """The one line for a damaged result file: which file, what is wrong, what to do."""
    return SweepError(f"{path} is damaged ({what}); it was not written by this program or "
                      "was changed since. Nothing was changed: restore it from a copy, or "
                      "choose another output folder and run the sweep again.")


def check_log(out: Path) -> dict[str, Any]:
    """The log's ``created`` event, after checking that the log is a sweep's.

    Raises:
        SweepError: a log that is not a file, not this program's (its first event is not
            ``created``) or damaged; nothing is changed.
    """
    path = out / LOG
    if path.is_symlink() or not path.is_file():
        raise SweepError(f"{path} is not a regular file, so {out} holds no sweep of this "
                         "program; choose another output folder. Nothing was changed.")
    first = next(read_log(out), None)
    if first is None or first.get("event") != "created" or not all(
            isinstance(first.get(k), str) for k in ("name", "spec_hash", "file_sha256")):
        raise SweepError(f"{path} is not a sweep log of this program (its first line is not "
                         "a 'created' event); choose another output folder. Nothing was "
                         "changed.")
    return first


def failed_runs(out: Path) -> dict[str, dict[str, Any]]:
    """Run ids whose last recorded outcome is a failure, with their failure event."""
    failed: dict[str, dict[str, Any]] = {}
    for ev in read_log(out):
        if ev.get("event") == "failed":
            failed[ev["run_id"]] = ev
        elif ev.get("event") == "retried_ok":
            for rid in ev.get("run_ids", []):
                failed.pop(rid, None)
    return failed


def starts(out: Path) -> list[dict[str, Any]]:
    """Every ``start`` event, oldest first (each carries its command's provenance)."""
    return [ev for ev in read_log(out) if ev.get("event") == "start"]


def latest_start(out: Path) -> dict[str, Any] | None:
    """The last ``start`` event (the sweep file most recently run into the folder)."""
    last = None
    for ev in read_log(out):
        if ev.get("event") == "start":
            last = ev
    return last


def write_once(path: Path, data: bytes) -> None:
    """Write a content-addressed file unless it already exists (never overwrite)."""
    if path.exists():
        return
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def clean_temporaries(out: Path) -> int:
    """Remove hidden temporary files left by killed workers or coordinators; return how many."""
    n = 0
    for sub in (RUNS, SERIES, STAGING, DESIGNS):
        d = out / sub
        if d.is_dir():
            for p in d.rglob(".*.tmp"):
                p.unlink(missing_ok=True)
                n += 1
    return n


# --------------------------------------------------------------------------- parts
def write_part(folder: Path, table: pa.Table, name: str) -> str:
    """Write a Parquet file atomically into ``folder`` (hidden temporary, then rename)."""
    tmp = folder / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, folder / name)
    return name


def new_stem() -> str:
    """A unique part-file stem (process id and a random uuid; no global RNG involved)."""
    return f"{os.getpid()}-{uuid.uuid4().hex[:12]}"


def staged_name(stem: str, kind: str) -> str:
    """File name in ``staging/`` of a part (``kind``: ``runs`` or ``series``)."""
    return f"part-{stem}.{kind}.parquet"


def part_name(stem: str) -> str:
    """File name of a committed part in ``runs/`` or ``series/``."""
    return f"part-{stem}.parquet"


def commit(out: Path, stem: str) -> list[str]:
    """Move a staged part into ``series/`` (first) and ``runs/``; return the committed paths.

    A run counts as stored once its ``runs/`` row exists, so its series are committed first.
    """
    done = []
    for kind, sub in ((SERIES, SERIES), (RUNS, RUNS)):
        src = out / STAGING / staged_name(stem, kind)
        if src.exists():
            os.replace(src, out / sub / part_name(stem))
            done.append(f"{sub}/{part_name(stem)}")
    return done


def recover_staged(out: Path, done: np.ndarray) -> tuple[int, int]:
    """Commit, trim or drop the parts a killed sweep left in ``staging/``.

    A staged runs part whose runs are all new is committed as it is; one whose runs are all
    stored already is dropped; a mixed one is rewritten without the stored runs. A series
    part without its runs part (the worker was killed between the two) is dropped.

    Returns:
        (runs committed, runs dropped as already stored).
    """
    stage = out / STAGING
    if not stage.is_dir():
        return 0, 0
    added = dropped = 0
    for runs_file in sorted(stage.glob("part-*.runs.parquet")):
        stem = runs_file.name[len("part-"):-len(".runs.parquet")]
        try:
            for f in (runs_file, stage / staged_name(stem, SERIES)):
                if (f.exists() or f.is_symlink()) and not f.is_file():  # a pipe would block
                    raise OSError(f"{f} is not a regular file")
            ids = pq.read_table(runs_file, columns=["run_id"]).column(0).to_pylist()
            for kind in (SERIES,):
                f = stage / staged_name(stem, kind)
                if f.exists():
                    pq.read_schema(f)
        except (pa.ArrowException, OSError):
            # Cut short by a full disk or a lost machine: never committed, so its runs are
            # not stored; it is kept aside (damaged/staging/) and its runs computed again.
            for kind in (SERIES, RUNS):
                f = stage / staged_name(stem, kind)
                if f.exists():
                    (out / DAMAGED / STAGING).mkdir(parents=True, exist_ok=True)
                    os.replace(f, out / DAMAGED / STAGING / f.name)
            continue
        new = np.array([not _contains(done, r) for r in ids], dtype=bool)
        if new.all():
            commit(out, stem)
            added += len(ids)
            continue
        dropped += int((~new).sum())
        if new.any():
            keep = {r for r, n in zip(ids, new, strict=True) if n}
            for kind in (SERIES, RUNS):
                f = stage / staged_name(stem, kind)
                if f.exists():
                    t = pq.read_table(f)
                    mask = pa.array([r in keep for r in t.column("run_id").to_pylist()])
                    write_part(stage, t.filter(mask), staged_name(stem, kind))
            commit(out, stem)
            added += len(keep)
        else:
            for kind in (SERIES, RUNS):
                (stage / staged_name(stem, kind)).unlink(missing_ok=True)
    for orphan in stage.glob("part-*.series.parquet"):
        orphan.unlink(missing_ok=True)  # its runs part was never written
    return added, dropped


def _contains(sorted_ids: np.ndarray, run_id: str) -> bool:
    if sorted_ids.size == 0:
        return False
    x = np.uint64(int(run_id, 16))
    i = int(np.searchsorted(sorted_ids, x))
    return i < sorted_ids.size and sorted_ids[i] == x


def _dataset(out: Path, sub: str) -> ds.Dataset | None:
    """The parts of ``out/sub`` as one dataset.

    Parts written by different model versions may have different columns (a parameter added
    to the model); their schemas are unified so that no column is dropped (missing = null).
    """
    d = out / sub
    files = sorted(str(p) for p in d.glob("part-*.parquet")) if d.is_dir() else []
    if not files:
        return None
    schemas = {}
    for f in files:
        sch = pq.read_schema(f)
        schemas.setdefault(sch.to_string(), sch)
    schema = pa.unify_schemas(list(schemas.values()))
    return ds.dataset(files, schema=schema, format="parquet")


def done_ids(out: Path) -> np.ndarray:
    """Sorted uint64 array of every run id stored in ``runs/`` (8 bytes per run).

    Raises:
        SweepError: a part that cannot be read (see :mod:`sim_sweep.damage`).
    """
    try:
        dset = _dataset(out, RUNS)
        if dset is None:
            return np.empty(0, dtype=np.uint64)
        chunks = []
        for batch in dset.to_batches(columns=["run_id"]):
            col = batch.column(0).to_pylist()
            chunks.append(np.fromiter((int(x, 16) for x in col), dtype=np.uint64,
                                      count=len(col)))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise unreadable(out, RUNS, exc) from None
    if not chunks:
        return np.empty(0, dtype=np.uint64)
    return np.unique(np.concatenate(chunks))


def read_runs(out: Path, columns: list[str] | None = None, filter: Any = None) -> pa.Table:
    """Read ``runs/`` as one table, one row per run id (duplicates dropped)."""
    return _read(out, RUNS, columns, filter, key=["run_id"])


def read_series(out: Path, columns: list[str] | None = None, filter: Any = None) -> pa.Table:
    """Read ``series/`` as one table, one row per (run id, month) (duplicates dropped)."""
    return _read(out, SERIES, columns, filter, key=["run_id", "month"])


def _read(out: Path, sub: str, columns: list[str] | None, filter: Any,
          key: list[str]) -> pa.Table:
    try:
        dset = _dataset(out, sub)
        if dset is None:
            return pa.table({})
        cols = None if columns is None else list(dict.fromkeys(key + list(columns)))
        table = dset.to_table(columns=cols, filter=filter)
    except (pa.ArrowException, OSError) as exc:
        raise unreadable(out, sub, exc) from None
    if table.num_rows == 0:
        return table
    table = table.sort_by([(k, "ascending") for k in key])
    # Drop duplicate keys (bit-identical rows from a batch finished after a kill).
    keys = [table.column(k).to_numpy(zero_copy_only=False) for k in key]
    dup = np.zeros(table.num_rows, dtype=bool)
    same = np.ones(table.num_rows - 1, dtype=bool)
    for k in keys:
        same &= k[1:] == k[:-1]
    dup[1:] = same
    if dup.any():
        table = table.filter(pa.array(~dup))
    if columns is not None:
        table = table.select(list(dict.fromkeys(list(columns))))
    return table


def unreadable(out: Path, sub: str, exc: BaseException) -> SweepError:
    """A part of ``out/sub`` that the reader met damaged (past the checks of its footer):
    the damaged part is looked for page by page and named, with what to do."""
    from sim_sweep import damage  # the checks of the store's files; they import the store

    found = [d for d in damage.find(out, deep=True) if d.path.startswith(f"{sub}/")]
    if found:
        try:
            start = latest_start(out) or {}
        except SweepError:
            start = {}
        return SweepError(damage.message(out, found, f"sim sweep {start.get('spec_file') or 'FILE'}"))
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
    return SweepError(f"a part file in {out / sub} is damaged ({first}). Nothing was changed. "
                      "To compute its runs again, run sim sweep FILE --resume --repair with the "
                      "sweep's file (it moves damaged files to damaged/), or restore the folder "
                      "from a copy.")


def require_sweep_folder(out: Path) -> None:
    """Raise unless ``out`` holds this program's sweep log (:func:`check_log`)."""
    if not is_sweep_folder(out):
        raise SweepError(f"{out} is not a sweep output folder (no {LOG}); give the folder "
                         "a sweep wrote its results into.")
    check_log(out)


# --------------------------------------------------------------------------- designs
def write_design_chunk(out: Path, spec_hash: str, table: pa.Table) -> None:
    """Store one chunk of a design's points (once: an existing chunk file is kept)."""
    folder = out / DESIGNS / spec_hash
    folder.mkdir(parents=True, exist_ok=True)
    start = int(table.column("point_id")[0].as_py()) if table.num_rows else 0
    name = f"points-{start:012d}.parquet"
    if not (folder / name).exists():
        write_part(folder, table, name)


def read_design(out: Path, spec_hash: str) -> pa.Table:
    """A design's stored points, in point-id order (chunks written so far)."""
    folder = out / DESIGNS / spec_hash
    files = sorted(folder.glob("points-*.parquet")) if folder.is_dir() else []
    legacy = out / DESIGNS / f"{spec_hash}.parquet"  # one file, written by older versions
    if not files and legacy.exists():
        files = [legacy]
    if not files:
        return pa.table({"point_id": pa.array([], pa.int64()),
                         "point_key": pa.array([], pa.string())})
    table = pa.concat_tables([pq.read_table(f) for f in files], promote_options="default")
    table = table.sort_by("point_id")
    ids = table.column("point_id").to_numpy()
    keep = np.ones(ids.size, dtype=bool)
    keep[1:] = ids[1:] != ids[:-1]
    return table if keep.all() else table.filter(pa.array(keep))
