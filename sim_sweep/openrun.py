"""One stored run of a sweep, to open live: its exact parameters, seed and scenario from
``runs/``, its kept series from ``series/``, and the check that a run of the model gives the
same series.

``sim app --sweep FOLDER --run RUN_ID`` serves the app on that folder; the address
``/?run=RUN_ID`` opens the run (the sweep report links every run it lists there: ``app_link``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.compute as pc

from sim.errors import SimInputError
from sim.kpis import KPIs, compute_kpis
from sim.params import Params, make_params, spec_map
from sim_sweep import store
from sim_sweep.errors import SweepError
from sim_sweep.runids import ID_HEX
from sim_sweep.worker import PARAM_PREFIX, SCENARIO

#: The environment variable naming the sweep folder the app opens runs from.
SWEEP_ENV = "SHAREDSIM_SWEEP"
#: Where the report's links point (the app's default address; ``SHAREDSIM_APP_URL`` moves it).
APP_URL = "http://localhost:8765/"
RUN_ID = re.compile(rf"[0-9a-f]{{{ID_HEX}}}")


@dataclass(frozen=True)
class StoredRun:
    """A sweep's run as stored: what to run again, and the months it kept."""

    folder: Path
    run_id: str
    scenario: str
    params: Params
    seed: int
    model_version: str
    months: np.ndarray  # the kept months (1-based)
    series: Mapping[str, np.ndarray]  # kept column -> its values at ``months``
    kpis: Mapping[str, float | None]  # the run's key figures as stored


def app_link(run_id: str, base: str | None = None) -> str:
    """The app's address that opens ``run_id`` (of the sweep the app was started on)."""
    base = base or os.environ.get("SHAREDSIM_APP_URL") or APP_URL
    return base.rstrip("/") + "/?run=" + run_id


def load_run(folder: str | Path, run_id: str) -> StoredRun:
    """Read one run of a sweep folder.

    Raises:
        SweepError: not a sweep folder, a malformed run id, or a run id it does not hold (one
            line each, saying what is allowed).
    """
    folder = Path(folder)
    if not RUN_ID.fullmatch(run_id or ""):
        raise SweepError(f"run {run_id!r}: a run id is {ID_HEX} hexadecimal digits (the "
                         "run_id column of runs/ or the report's tables)")
    if not folder.is_dir() or not store.is_sweep_folder(folder):
        raise SweepError(f"{folder} is not a sweep folder; allowed: a sweep's output folder "
                         "(the one holding log.jsonl, runs/ and series/)")
    rows = store.read_runs(folder, filter=pc.field("run_id") == run_id).to_pylist()
    if not rows:
        raise SweepError(f"run {run_id} is not in {folder}; allowed: a run id of its runs/ "
                         "(the report lists them with a link)")
    row = rows[0]
    smap = spec_map()
    values = {}
    for key, value in row.items():
        name = key[len(PARAM_PREFIX):] if key.startswith(PARAM_PREFIX) else None
        if name in smap and value is not None:
            kind = smap[name].kind
            values[name] = (int(value) if kind == "int" else float(value) if kind == "float"
                            else bool(value) if kind == "bool" else value)
    try:
        params = make_params(values)
    except SimInputError as exc:
        raise SweepError(f"run {run_id} of {folder}: its stored parameters are refused by "
                         f"this model ({exc})") from None
    table = store.read_series(folder, filter=pc.field("run_id") == run_id)
    table = table.sort_by("month") if table.num_rows else table
    skip = {"run_id", "point_key", "replication", "month"}
    series = {c: table.column(c).to_numpy(zero_copy_only=False).astype(float)
              for c in table.column_names if c not in skip}
    months = (table.column("month").to_numpy() if table.num_rows
              else np.empty(0, dtype=np.int32))
    return StoredRun(folder=folder, run_id=run_id, scenario=str(row.get(SCENARIO) or ""),
                     params=params, seed=int(row["seed"]),
                     model_version=str(row.get("model_version") or ""), months=months,
                     series=series, kpis={k: row.get(k) for k in KPIs.keys() if k in row})


def differences(stored: StoredRun, arrays: Mapping[str, np.ndarray]) -> list[str]:
    """The kept columns where ``arrays`` (a run of the same parameters and seed) differs from
    the stored series at the kept months (NaN equals NaN), and the key figures that differ
    from the stored ones; empty when all are equal."""
    idx = stored.months.astype(int) - 1
    out = []
    for col, values in stored.series.items():
        if col not in arrays:
            out.append(f"{col} (not in the app's run)")
            continue
        mine = np.asarray(arrays[col], dtype=float)
        if idx.size and (idx.max() >= mine.size or not np.array_equal(
                mine[idx], values, equal_nan=True)):
            out.append(col)
    mine_k = compute_kpis(arrays).to_dict()
    for k, v in stored.kpis.items():
        a = np.nan if mine_k.get(k) is None else float(mine_k[k])
        b = np.nan if v is None else float(v)
        if not (a == b or (np.isnan(a) and np.isnan(b))):
            out.append(k)
    return out
