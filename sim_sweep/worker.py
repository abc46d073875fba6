"""The worker side of a sweep: run one batch of runs and stage its Parquet parts.

:func:`run_batch` is the only function sent to executors. It is a plain module-level function
that receives everything it needs (parameters, seeds, labels, the run function by reference),
so it works the same in-process, in a process pool, on Dask workers and under MPI. Runs of the
same design point follow each other, so their validated parameters are built once. A run that
raises is caught and returned as a failure record (parameters, seed, traceback); the batch goes
on. Parts are written to ``staging/``; the coordinator commits them (:mod:`sim_sweep.store`).

The parts describe themselves: every column carries its unit and meaning in its Parquet field
metadata, and the file's metadata names the sweep, its file's hash, the varied parameters and
the model version (:func:`runs_schema`).
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from sim.ensemble import run_members
from sim.kpis import FIGURES
from sim.params import make_params, spec_map
from sim.recorder import SERIES
from sim.runner import simulate
from sim_sweep import store

RunFn = Callable[[Any, int], tuple[dict[str, np.ndarray], Any]]

PARAM_PREFIX = "p_"
#: Label columns on every run row: the scenario's name, then ``case_<factor>`` per case.
SCENARIO = "scenario"
CASE_PREFIX = "case_"


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
    #: point_key -> label columns (``scenario``, ``case_<factor>``)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    #: sweep-level facts for the parts' metadata (name, hashes, varied parameters)
    sweep_info: dict[str, Any] = field(default_factory=dict)


def _arrow_type(kind: str) -> pa.DataType:
    return {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}.get(kind, pa.string())


@cache
def _column_docs() -> dict[str, tuple[str, str]]:
    """(unit, meaning) of every column a part can hold."""
    docs: dict[str, tuple[str, str]] = {
        "run_id": ("", "hash of model version, parameters and seed (16 hex digits)"),
        "point_key": ("", "hash of model version and parameters: the design point"),
        "seed": ("", "seed passed to the model"),
        "replication": ("", "replication index r"),
        "model_version": ("", "sim.MODEL_VERSION + fingerprint of the model's code"),
        "month": ("month", "month since the decision"),
        SCENARIO: ("", "the design point's scenario"),
    }
    for s in spec_map().values():
        docs[PARAM_PREFIX + s.name] = (s.unit, s.description)
    for f in FIGURES:
        docs[f.name] = (f.unit, f.label)
    for s in SERIES:
        docs.setdefault(s.name, (s.unit, s.meaning))
    return docs


def _field(name: str, typ: pa.DataType, nullable: bool = True) -> pa.Field:
    unit, meaning = _column_docs().get(name, ("", ""))
    if name.startswith(CASE_PREFIX):
        meaning = f"the design point's level of case factor '{name[len(CASE_PREFIX):]}'"
    return pa.field(name, typ, nullable=nullable,
                    metadata={"unit": unit, "meaning": meaning})


def _schema_metadata(info: dict[str, Any], model_version: str) -> dict[str, str]:
    return {"sim_sweep": json.dumps({**info, "model_version": model_version},
                                    separators=(",", ":"), default=str)}


def runs_schema(param_names: list[str], kpi_keys: list[str], label_names: list[str],
                info: dict[str, Any] | None = None, model_version: str = "") -> pa.Schema:
    """The schema of ``runs/`` parts: ids, labels, parameters (``p_<name>``), KPIs (float64).

    Every field's metadata holds its ``unit`` and ``meaning``; the schema's ``sim_sweep``
    metadata holds the sweep's name, file and design hashes, varied parameters and the model
    version.
    """
    smap = spec_map()
    fields = [
        _field("run_id", pa.string(), False),
        _field("point_key", pa.string(), False),
        _field("seed", pa.int64(), False),
        _field("replication", pa.int32(), False),
        _field("model_version", pa.string(), False),
    ]
    fields += [_field(n, pa.string()) for n in label_names]
    fields += [_field(PARAM_PREFIX + n, _arrow_type(smap[n].kind)) for n in param_names]
    fields += [_field(k, pa.float64()) for k in kpi_keys]
    return pa.schema(fields, metadata=_schema_metadata(info or {}, model_version))


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


def recorded(series: str | list[str]) -> list[str] | None:
    """The monthly columns a run must record for ``[keep] series`` (None: all of them).

    The model always records the KPIs' columns; recording no more than is kept makes a run
    faster and never changes a value.
    """
    if series == "all":
        return None
    return [] if series == "none" else list(series)


@dataclass(frozen=True)
class Failure:
    """A run that raised: its error line and traceback."""

    error: str
    traceback: str

    @classmethod
    def of(cls, exc: BaseException) -> Failure:
        return cls(f"{type(exc).__name__}: {exc}", traceback.format_exc())


Outcome = tuple[dict[str, np.ndarray], dict[str, Any]] | Failure


def _outcomes(batch: Batch) -> list[Outcome]:
    """Each run's series and KPIs (or its failure), in the batch's order.

    With the model's own run function the batch's runs are the members of one ensemble
    (``sim.ensemble``: members of the same shape stepped in one pass, each bit-identical to its
    single run). When the pass raises, every run is run alone, so a failure is recorded against
    the run that caused it and the others still count.
    """
    params: dict[str, Any] = {}
    bad: dict[str, Failure] = {}
    for key, pdict in batch.points.items():
        try:
            params[key] = make_params(pdict)
        except Exception as exc:
            bad[key] = Failure.of(exc)
    record = recorded(batch.series)
    run_fn = batch.run_fn or partial(simulate, record=record)
    done: dict[int, Outcome] = {}
    good = [i for i, r in enumerate(batch.runs) if r[1] in params]
    if batch.run_fn is None and good:
        try:
            members = run_members([params[batch.runs[i][1]] for i in good],
                                  [int(batch.runs[i][2]) for i in good], record=record,
                                  chunk=max(len(good), 1))
            done = {i: (m.arrays, m.kpis.to_dict()) for i, m in zip(good, members, strict=True)}
        except Exception:
            done = {}  # run each alone below, to find the one that fails
    out: list[Outcome] = []
    for i, (_run_id, point_key, seed, _rep) in enumerate(batch.runs):
        if point_key in bad:
            out.append(bad[point_key])
        elif i in done:
            out.append(done[i])
        else:
            try:
                arrays, kpis = run_fn(params[point_key], int(seed))
                out.append((arrays, kpis.to_dict()))
            except Exception as exc:
                out.append(Failure.of(exc))
    return out


def run_batch(batch: Batch) -> dict[str, Any]:
    """Run every run of ``batch``; stage its ``runs`` (and ``series``) parts; report back.

    Returns:
        ``{"ok": n, "failed": [failure records], "stem": part stem or None, "elapsed": s,
        "cpu": CPU seconds of this process, "ok_ids": [...]}``.
    """
    t0, c0 = time.perf_counter(), time.process_time()
    out = Path(batch.out)
    if not (out / store.STAGING).is_dir():
        raise FileNotFoundError(
            f"output folder {out} is not visible on this worker; the folder must be on a file "
            "system every worker can write to (a shared file system on a cluster)")
    rows: dict[str, list[Any]] = {}
    kpi_keys: list[str] | None = None
    param_names: list[str] | None = None
    label_names: list[str] = []
    series_cols: dict[str, list[np.ndarray]] = {}
    series_ids: dict[str, list[np.ndarray]] = {"run_id": [], "point_key": [],
                                               "replication": [], "month": []}
    failures: list[dict[str, Any]] = []
    ok_ids: list[str] = []

    for (run_id, point_key, seed, rep), outcome in zip(batch.runs, _outcomes(batch),
                                                         strict=True):
        pdict = batch.points[point_key]
        if isinstance(outcome, Failure):
            failures.append({
                "event": "failed", "time": store.now(), "run_id": run_id,
                "point_key": point_key, "seed": int(seed), "replication": int(rep),
                "params": pdict, "error": outcome.error, "traceback": outcome.traceback,
            })
            continue
        arrays, kd = outcome
        labels = batch.labels.get(point_key, {})
        if kpi_keys is None:
            kpi_keys = list(kd)
            param_names = list(pdict)
            label_names = list(labels)
            for c in (*store.ID_COLUMNS, *label_names):
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
        for n in label_names:
            rows[n].append(labels.get(n))
        for n in param_names:
            rows[PARAM_PREFIX + n].append(pdict.get(n))
        for k in kpi_keys:
            rows[k].append(_float_or_none(kd.get(k)))
        ok_ids.append(run_id)
        if batch.series != "none":
            _collect_series(batch, arrays, run_id, point_key, rep, series_cols, series_ids)

    stem = None
    if ok_ids:
        assert kpi_keys is not None and param_names is not None
        schema = runs_schema(param_names, kpi_keys, label_names, batch.sweep_info,
                             batch.model_version)
        table = pa.table({f.name: pa.array(rows[f.name], type=f.type) for f in schema},
                         schema=schema)
        stem = store.new_stem()
        stage = out / store.STAGING
        if series_cols:
            s_table = _series_table(batch, series_ids, series_cols)
            # Series first: a staged runs part means its series are staged too.
            store.write_part(stage, s_table, store.staged_name(stem, store.SERIES))
        store.write_part(stage, table, store.staged_name(stem, store.RUNS))
    return {"ok": len(ok_ids), "failed": failures, "stem": stem, "ok_ids": ok_ids,
            "elapsed": time.perf_counter() - t0, "cpu": time.process_time() - c0}


def _series_table(batch: Batch, ids: dict[str, list[np.ndarray]],
                  cols: dict[str, list[np.ndarray]]) -> pa.Table:
    arrays = {
        "run_id": pa.array(np.concatenate(ids["run_id"]), pa.string()),
        "point_key": pa.array(np.concatenate(ids["point_key"]), pa.string()),
        "replication": pa.array(np.concatenate(ids["replication"]), pa.int32()),
        "month": pa.array(np.concatenate(ids["month"]), pa.int32()),
        **{c: _series_arrow(v) for c, v in cols.items()},
    }
    fields = [_field(name, arr.type, name not in ("run_id", "point_key"))
              for name, arr in arrays.items()]
    schema = pa.schema(fields, metadata=_schema_metadata(
        {**batch.sweep_info, "every": batch.every}, batch.model_version))
    return pa.table(list(arrays.values()), schema=schema)


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
