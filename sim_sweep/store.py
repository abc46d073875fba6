"""The result store of a sweep: Parquet part files plus an append-only JSONL status log.

Layout of an output folder (documented in ``experiments/README.md``)::

    OUT/
      log.jsonl                  append-only status log (one JSON object per line)
      specs/<spec_hash>.toml     every sweep file ever run into this folder (never rewritten)
      designs/<spec_hash>.parquet   its design points (point_id, point_key, parameters)
      runs/part-*.parquet        one row per finished run: ids, seed, parameters, KPIs
      series/part-*.parquet      one row per kept month of a run (when series are kept)
      analysis/                  written by ``sim analyze`` (derived, regenerated)

Workers write part files atomically (a hidden temporary name, then ``os.replace``); readers
ignore hidden files, so a killed worker never leaves a half-written part behind. Nothing in
the folder is ever rewritten: new results go to new parts, new events to the log's end.
Readers use ``pyarrow.dataset`` over the parts (no compaction step) and drop duplicate
``run_id`` rows, which can only arise when a worker finished a batch after its coordinator was
killed; duplicates are bit-identical by construction.
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

#: Columns every row of ``runs/`` starts with.
ID_COLUMNS = ("run_id", "point_key", "seed", "replication", "model_version")


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


# --------------------------------------------------------------------------- folder & log
def is_sweep_folder(out: Path) -> bool:
    return (out / LOG).exists()


def prepare_folder(out: Path, resume: bool) -> None:
    """Create (or reopen, with ``resume``) an output folder; never touch existing results.

    Raises:
        SweepError: the folder holds a sweep and ``resume`` is false, or it holds files
            that are not a sweep's.
    """
    if out.exists() and not out.is_dir():
        raise SweepError(f"output {out} exists and is not a folder; choose another 'output'.")
    if is_sweep_folder(out):
        if not resume:
            raise SweepError(
                f"output folder {out} already holds a sweep. Use --resume to continue or "
                "extend it (only new runs are computed), or choose another output folder. "
                "Nothing was changed.")
    elif out.exists() and any(p for p in out.iterdir() if not p.name.startswith(".")):
        raise SweepError(f"output folder {out} is not empty and holds no sweep log ({LOG}); "
                         "choose an empty or new folder. Nothing was changed.")
    for sub in (RUNS, SERIES, SPECS, DESIGNS):
        (out / sub).mkdir(parents=True, exist_ok=True)


def append_log(out: Path, events: list[dict[str, Any]]) -> None:
    """Append events to the log (one line each), flushed and synced to disk."""
    if not events:
        return
    text = "".join(json.dumps(e, separators=(",", ":"), default=str) + "\n" for e in events)
    with open(out / LOG, "a", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def read_log(out: Path) -> Iterator[dict[str, Any]]:
    """Stream the log's events; a torn last line (machine lost mid-write) is skipped."""
    path = out / LOG
    if not path.exists():
        return
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


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
    """Remove hidden temporary parts left by killed workers; return how many."""
    n = 0
    for sub in (RUNS, SERIES):
        d = out / sub
        if d.is_dir():
            for p in d.glob(".*.tmp"):
                p.unlink(missing_ok=True)
                n += 1
    return n


# --------------------------------------------------------------------------- parts
def write_part(folder: Path, table: pa.Table, stem: str) -> str:
    """Write a Parquet part atomically into ``folder``; return its file name."""
    name = f"part-{stem}.parquet"
    tmp = folder / f".{name}.tmp"
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, folder / name)
    return name


def new_stem() -> str:
    """A unique part-file stem (process id and a random uuid; no global RNG involved)."""
    return f"{os.getpid()}-{uuid.uuid4().hex[:12]}"


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
    """Sorted uint64 array of every run id stored in ``runs/`` (8 bytes per run)."""
    dset = _dataset(out, RUNS)
    if dset is None:
        return np.empty(0, dtype=np.uint64)
    chunks = []
    for batch in dset.to_batches(columns=["run_id"]):
        col = batch.column(0).to_pylist()
        chunks.append(np.fromiter((int(x, 16) for x in col), dtype=np.uint64, count=len(col)))
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
    dset = _dataset(out, sub)
    if dset is None:
        return pa.table({})
    cols = None if columns is None else list(dict.fromkeys(key + list(columns)))
    table = dset.to_table(columns=cols, filter=filter)
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


def require_sweep_folder(out: Path) -> None:
    if not is_sweep_folder(out):
        raise SweepError(f"{out} is not a sweep output folder (no {LOG}).")
