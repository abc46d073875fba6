"""Run identity: a hash of the model version, the full validated parameters and the seed.

Two runs with the same id produce the same results, so a sweep that is rerun or extended
computes only ids it has not stored yet. Ids are 16 hex digits (64 bits) so that the
coordinator can hold the set of finished runs as a compact ``numpy.uint64`` array.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np

import sim
from sim_sweep.fingerprint import code_fingerprint

ID_HEX = 16


def model_version() -> str:
    """The model's version: ``sim.MODEL_VERSION`` plus a fingerprint of the model's code.

    The fingerprint (:mod:`sim_sweep.fingerprint`) makes any change to the code that computes
    results give new run ids, even when ``MODEL_VERSION`` was not bumped, so results of two
    versions of the model are never mixed in one sweep folder (``0.1.0+src.1a2b3c4d5e6f``);
    editing the command line, the app or a writer leaves them as they were.
    """
    return f"{sim.MODEL_VERSION}+src.{code_fingerprint()}"


def canonical_json(values: dict[str, Any]) -> str:
    """A stable text form of a parameter dict (sorted keys, exact float repr)."""
    return json.dumps(values, sort_keys=True, separators=(",", ":"), default=str)


class PointHasher:
    """Hashes of one design point (its full parameters) and of its runs."""

    def __init__(self, version: str, params_json: str) -> None:
        self._base = hashlib.sha256(f"{version}\n{params_json}\n".encode())
        self.point_key = self._base.hexdigest()[:ID_HEX]

    def draw_key(self, seeds: list[int]) -> str:
        """The key of a point that is one draw of a posterior: its parameters and its seeds
        (two draws of one particle are two points, each with its own seeds)."""
        h = self._base.copy()
        h.update(("draw " + ",".join(str(int(s)) for s in seeds)).encode())
        return h.hexdigest()[:ID_HEX]

    def run_id(self, seed: int) -> str:
        h = self._base.copy()
        h.update(str(int(seed)).encode())
        return h.hexdigest()[:ID_HEX]


def ids_to_u64(ids: Any) -> np.ndarray:
    """Hex ids (an iterable or a pyarrow/numpy string array) to a sorted unique uint64 array."""
    arr = np.fromiter((int(x, 16) for x in ids), dtype=np.uint64)
    return np.unique(arr)


def contains(sorted_ids: np.ndarray, run_id: str) -> bool:
    """Whether hex ``run_id`` is in a sorted uint64 array."""
    if sorted_ids.size == 0:
        return False
    x = np.uint64(int(run_id, 16))
    i = int(np.searchsorted(sorted_ids, x))
    return i < sorted_ids.size and sorted_ids[i] == x
