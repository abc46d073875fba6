"""The posterior as a file: weighted particles in Parquet, with their provenance.

A posterior file has one row per particle of the last ABC-SMC generation: a column per prior
and ``weight`` (summing to 1). Its Parquet metadata (key ``sim_calibrate``) holds the
provenance as JSON: the calibration's name, the SHA-256 of its file, its seed, the model's
version with the fingerprint of its code, pyabc's and the other libraries' versions, the
threshold schedule and the effective sample size. Shipped posteriors live in
``calibration/posteriors/``; a scenario may name one (``posterior = "default"``).

:func:`draws` resamples a posterior by weight into parameter sets (with
:func:`~sim_calibrate.spec.Calibration.params` per scenario, or :func:`apply` for a scenario
the calibration did not target).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.errors import SimInputError
from sim.params import Params

KEY = b"sim_calibrate"
#: Where shipped posteriors live (relative to the repository).
SHIPPED = Path(__file__).resolve().parent.parent / "calibration" / "posteriors"
@dataclass(frozen=True)
class Posterior:
    """Weighted particles and their provenance."""

    particles: pd.DataFrame
    weights: np.ndarray
    provenance: dict[str, Any]

    @property
    def names(self) -> list[str]:
        return list(self.particles.columns)

    @property
    def ess(self) -> float:
        """Effective sample size, 1 / Σ w²."""
        return float(1.0 / np.sum(self.weights ** 2))

    def priors(self) -> dict[str, dict[str, Any]]:
        """Each prior's range and scope, as the calibration file gave them."""
        return dict(self.provenance.get("priors", {}))

    def indices(self, n: int, seed: int) -> np.ndarray:
        """The particles of ``n`` draws resampled by weight (``numpy`` generator from ``seed``).

        Draw ``k`` does not depend on ``n``: the first draws of a larger ``n`` are the draws
        of a smaller one.
        """
        rng = np.random.default_rng(np.random.SeedSequence([seed, 20_261_203]))
        return rng.choice(len(self.weights), size=n, p=self.weights)

    def row(self, i: int) -> dict[str, float]:
        """Particle ``i`` as a draw (name -> value)."""
        return dict(zip(self.names, map(float, self.particles.iloc[i]), strict=True))

    def draws(self, n: int, seed: int) -> list[dict[str, float]]:
        """``n`` parameter draws resampled by weight (see :meth:`indices`)."""
        rows = self.particles.to_numpy()
        return [dict(zip(self.names, map(float, rows[i]), strict=True))
                for i in self.indices(n, seed)]

    def apply(self, scenario: str, base: Params, draw: dict[str, float]) -> dict[str, Any]:
        """The parameter values a draw sets in a scenario (priors scoped to other scenarios
        are left at the scenario's values; derived inputs are turned into parameters)."""
        from sim_calibrate.spec import _derive

        scoped = self.priors()
        drawn: dict[str, Any] = {}
        for name, value in draw.items():
            info = scoped.get(name, {})
            if info.get("scenarios") and scenario not in info["scenarios"]:
                continue
            drawn[name] = int(round(value)) if info.get("whole") else float(value)
        return _derive(base, drawn)


def write_posterior(path: Path, particles: pd.DataFrame, weights: np.ndarray,
                    provenance: dict[str, Any]) -> None:
    """Write a posterior file whole (a temporary file renamed into place)."""
    frame = particles.reset_index(drop=True).copy()
    frame["weight"] = np.asarray(weights, dtype=float)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[KEY] = json.dumps(provenance, sort_keys=True, default=str).encode()
    table = table.replace_schema_metadata(meta)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def is_path(name_or_path: str | Path) -> bool:
    """Whether ``name_or_path`` names a file (a ``.parquet`` suffix or a folder separator)
    rather than a shipped posterior."""
    text = str(name_or_path)
    return Path(text).suffix == ".parquet" or "/" in text or os.sep in text


def posterior_path(name_or_path: str | Path) -> Path:
    """The file of a posterior: a shipped one's by name (``default``), else the path given.

    Raises:
        SimInputError: a name that no shipped posterior has.
    """
    text = str(name_or_path)
    if is_path(name_or_path):
        return Path(text)
    path = SHIPPED / f"{text}.parquet"
    if not path.is_file():
        have = sorted(p.stem for p in SHIPPED.glob("*.parquet")) if SHIPPED.is_dir() else []
        raise SimInputError(f"posterior '{text}' is not shipped; allowed: "
                            f"{', '.join(have) or 'none shipped yet'}, or the path of a "
                            "posterior .parquet file written by sim calibrate")
    return path


def read_posterior(name_or_path: str | Path) -> Posterior:
    """Read a posterior: a shipped one by name (``default``) or a ``.parquet`` path.

    Raises:
        SimInputError: no such posterior, or a file that is not one.
    """
    path = posterior_path(name_or_path)
    if not path.is_file():
        raise SimInputError(f"posterior file '{path}' does not exist; allowed: a posterior "
                            ".parquet file written by sim calibrate")
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise SimInputError(f"posterior file '{path}' cannot be read as Parquet "
                            f"({str(exc).splitlines()[0][:120]})") from None
    meta = (table.schema.metadata or {}).get(KEY)
    if meta is None or "weight" not in table.column_names:
        raise SimInputError(f"posterior file '{path}' is not a posterior (no provenance or "
                            "weight column); allowed: a file written by sim calibrate")
    frame = table.to_pandas()
    weights = frame.pop("weight").to_numpy(dtype=float)
    return Posterior(frame, weights / weights.sum(), json.loads(meta))
