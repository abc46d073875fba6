"""The worker side of a sweep: run one batch of runs and write its Parquet parts.

:func:`run_batch` is the only function sent to executors. It is a plain module-level function
that receives everything it needs (parameters, seeds, the run function by reference), so it
works the same in-process, in a process pool, on Dask workers and under MPI. A run that raises
is caught and returned as a failure record (parameters, seed, traceback); the batch goes on.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from sim.params import make_params, spec_map
from sim.runner import simulate
from sim_sweep import store

RunFn = Callable[[Any, int], tuple[dict[str, np.ndarray], Any]]

PARAM_PREFIX = "p_"


@dataclass
class Batch:
    """One unit of work: runs of one or a few design points."""

    out: str
    model_version: str
    points: dict[str, dict[str, Any]]  # point_key -> full parameter dict
    runs: list[tuple[str, str, int, int]]  # (run_id, point_key, seed, replication)
    series: str | list[str] = "none"
    every: int = 1
    run_fn: RunFn | None = None


def _arrow_type(kind: str) -> pa.DataType:
    return {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}.get(kind, pa.string())


def runs_schema(param_names: list[str], kpi_keys: list[str]) -> pa.Schema:
    """The schema of ``runs/`` parts: ids, seed, parameters (``p_<name>``), KPIs (float64)."""
    smap = spec_map()
    fields = [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("point_key", pa.string(), nullable=False),
        pa.field("seed", pa.int64(), nullable=False),
        pa.field("replication", pa.int32(), nullable=False),
        pa.field("model_version", pa.string(), nullable=False),
    ]
    for n in param_names:
        fields.append(pa.field(PARAM_PREFIX + n, _arrow_type(smap[n].kind)))
    fields += [pa.field(k, pa.float64()) for k in kpi_keys]
    return pa.schema(fields)


def _float_or_none(v: Any) -> float | None:
    if v is None:
        return None
    f = float(v)
    return None if np.isnan(f) else f


def _series_arrow(values: list[np.ndarray]) -> pa.Array:
    arr = np.concatenate(values) if values else np.empty(0)
    if arr.dtype.kind in "iu":
        return pa.array(arr.astype(np.int64))
    if arr.dtype.kind == "b":
        return pa.array(arr)
    return pa.array(arr.astype(np.float64))


def run_batch(batch: Batch) -> dict[str, Any]:
    """Run every run of ``batch``; write ``runs/`` (and ``series/``) parts; report back.

    Returns:
        ``{"ok": n, "failed": [failure records], "parts": [...], "elapsed": s,
        "ok_ids": [...]}``.
    """
    t0 = time.perf_counter()
    run_fn = batch.run_fn or simulate
    out = Path(batch.out)
    if not (out / store.RUNS).is_dir():
        raise FileNotFoundError(
            f"output folder {out} is not visible on this worker; the folder must be on a file "
            "system every worker can write to (a shared file system on a cluster)")
    params_cache: dict[str, Any] = {}
    rows: dict[str, list[Any]] = {}
    kpi_keys: list[str] | None = None
    param_names: list[str] | None = None
    series_cols: dict[str, list[np.ndarray]] = {}
    series_ids: dict[str, list[np.ndarray]] = {"run_id": [], "point_key": [],
                                               "replication": [], "month": []}
    failures: list[dict[str, Any]] = []
    ok_ids: list[str] = []

    for run_id, point_key, seed, rep in batch.runs:
        pdict = batch.points[point_key]
        try:
            params = params_cache.get(point_key)
            if params is None:
                params = make_params(pdict)
                params_cache[point_key] = params
            arrays, kpis = run_fn(params, int(seed))
            kd = kpis.to_dict()
        except Exception as exc:
            failures.append({
                "event": "failed", "time": store.now(), "run_id": run_id,
                "point_key": point_key, "seed": int(seed), "replication": int(rep),
                "params": pdict, "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(),
            })
            continue
        if kpi_keys is None:
            kpi_keys = list(kd)
            param_names = list(pdict)
            for c in ("run_id", "point_key", "seed", "replication", "model_version"):
                rows[c] = []
            for n in param_names:
                rows[PARAM_PREFIX + n] = []
            for k in kpi_keys:
                rows[k] = []
        assert param_names is not None
        rows["run_id"].append(run_id)
        rows["point_key"].append(point_key)
        rows["seed"].append(int(seed))
        rows["replication"].append(int(rep))
        rows["model_version"].append(batch.model_version)
        for n in param_names:
            rows[PARAM_PREFIX + n].append(pdict.get(n))
        for k in kpi_keys:
            rows[k].append(_float_or_none(kd.get(k)))
        ok_ids.append(run_id)
        if batch.series != "none":
            _collect_series(batch, arrays, run_id, point_key, rep, series_cols, series_ids)

    parts: list[str] = []
    if ok_ids:
        assert kpi_keys is not None and param_names is not None
        schema = runs_schema(param_names, kpi_keys)
        table = pa.table({f.name: pa.array(rows[f.name], type=f.type) for f in schema},
                         schema=schema)
        stem = store.new_stem()
        if series_cols:
            s_table = pa.table({
                "run_id": pa.array(np.concatenate(series_ids["run_id"]), pa.string()),
                "point_key": pa.array(np.concatenate(series_ids["point_key"]), pa.string()),
                "replication": pa.array(np.concatenate(series_ids["replication"]), pa.int32()),
                "month": pa.array(np.concatenate(series_ids["month"]), pa.int32()),
                **{c: _series_arrow(v) for c, v in series_cols.items()},
            })
            # Series first: a run counts as done once its runs/ row exists, so its
            # series must already be on disk by then.
            parts.append(store.SERIES + "/" + store.write_part(out / store.SERIES, s_table, stem))
        parts.append(store.RUNS + "/" + store.write_part(out / store.RUNS, table, stem))
    return {"ok": len(ok_ids), "failed": failures, "parts": parts, "ok_ids": ok_ids,
            "elapsed": time.perf_counter() - t0}


def _collect_series(batch: Batch, arrays: dict[str, np.ndarray], run_id: str, point_key: str,
                    rep: int, cols: dict[str, list[np.ndarray]],
                    ids: dict[str, list[np.ndarray]]) -> None:
    names = [c for c in arrays if c != "month"] if batch.series == "all" else list(batch.series)
    first = np.asarray(arrays[names[0]]) if names else np.asarray(arrays.get("month", []))
    n = len(first)
    idx = np.arange(batch.every - 1, n, batch.every)
    month = np.asarray(arrays["month"])[idx] if "month" in arrays else idx + 1
    ids["run_id"].append(np.full(len(idx), run_id, dtype=object))
    ids["point_key"].append(np.full(len(idx), point_key, dtype=object))
    ids["replication"].append(np.full(len(idx), rep, dtype=np.int32))
    ids["month"].append(np.asarray(month, dtype=np.int32))
    for c in names:
        if c == "month":
            continue
        cols.setdefault(c, []).append(np.asarray(arrays[c])[idx])
