"""The uncertainty band: 10–90 % of a set of replications behind the current run.

Replication seeds come from ``numpy.random.SeedSequence(seed).spawn(n)`` (each child's first
32-bit state word is the model's ``rng`` seed): independent streams, reproducible from the run's
seed, and never equal to the seed of the run itself by construction of the spawn tree.
The band runs in a background thread (``sim_app.views.compare.BandWorker``) so the page never
freezes; its replications are the members of one ensemble pass (``sim.ensemble``), and a
control that moves cancels it between passes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from sim.ensemble import Member, iter_members
from sim.institutions import InstitutionTable
from sim.params import Params
from sim.runner import simulate
from sim.seeds import replication_seeds


def band_seeds(seed: int, n: int) -> list[int]:
    """``n`` replication seeds derived from ``seed``."""
    return replication_seeds(seed, n)


def replicate(params: Params, seed: int, keys: Iterable[str],
              institutions: InstitutionTable | None = None) -> dict[str, np.ndarray]:
    """One replication's series (only ``keys``; the model records no more than these and the
    KPIs' columns, which makes a run faster, never different); ``institutions``: a team's
    own, as in the run the band is behind."""
    keys = tuple(keys)
    arrays, _ = simulate(params, seed, record=keys, institutions=institutions)
    return {k: arrays[k] for k in keys}


#: Replications stepped together in one pass of the model (``sim.ensemble``): the band's
#: runs share every parameter, so one pass computes them all, each bit-identical to its single
#: run; a cancelled band stops between passes.
BAND_PASS = 50


def band_members(params: Params | Sequence[Params], seed: int, n: int, keys: Iterable[str],
                 cancelled: Callable[[], bool] = lambda: False,
                 institutions: InstitutionTable | None = None) -> Iterator[Member]:
    """Yield the replications in order as ensemble members (their series ``keys`` and their
    KPIs), ``BAND_PASS`` at a time (stops early when ``cancelled()``, checked before each
    pass and each replication).

    Args:
        params: The parameters of every replication, or one per replication (a posterior's
            draws: ``sim_app.session.predictive``).
        seed: The run's seed (the replications' seeds are :func:`band_seeds`).
        n: How many replications.
        keys: The series recorded.
        cancelled: Asked before each pass and each replication.
        institutions: A team's own, as in the run the band is behind.
    """
    keys = tuple(keys)
    seeds = band_seeds(seed, n)
    plist = [params] * n if isinstance(params, Params) else list(params)
    for start in range(0, len(seeds), BAND_PASS):
        if cancelled():
            return
        for member in iter_members(plist[start:start + BAND_PASS],
                                   seeds[start:start + BAND_PASS], record=keys,
                                   chunk=BAND_PASS, institutions=institutions):
            if cancelled():
                return
            yield member


def band_runs(params: Params | Sequence[Params], seed: int, n: int, keys: Iterable[str],
              cancelled: Callable[[], bool] = lambda: False,
              institutions: InstitutionTable | None = None
              ) -> Iterator[dict[str, np.ndarray]]:
    """The series ``keys`` of each replication of :func:`band_members`, in order."""
    keys = tuple(keys)
    for member in band_members(params, seed, n, keys, cancelled, institutions):
        yield {k: member.arrays[k] for k in keys}


def quantile_band(runs: list[dict[str, np.ndarray]], lo: float = 0.1,
                  hi: float = 0.9) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per month 10 % and 90 % quantiles of each series across replications (NaN-aware)."""
    out = {}
    for k in runs[0]:
        q = _nanquantiles(np.vstack([r[k] for r in runs]), (lo, hi))
        out[k] = (q[0], q[1])
    return out


def _nanquantiles(stack: np.ndarray, qs: tuple[float, float]) -> np.ndarray:
    """``np.nanquantile(stack, qs, axis=0)``, NaN where a column is all NaN, exactly; columns
    without NaN go through ``np.quantile`` at once (``nanquantile`` loops over columns in
    Python, which made most of the band's quantile time)."""
    nan = np.isnan(stack)
    some = nan.any(axis=0)
    q = np.empty((len(qs), stack.shape[1]))
    q[:, ~some] = np.quantile(stack[:, ~some], qs, axis=0)
    if some.any():
        part = stack[:, some]
        all_nan = nan[:, some].all(axis=0)
        with np.errstate(all="ignore"):
            sub = np.nanquantile(np.where(all_nan, 0.0, part), qs, axis=0)
        sub[:, all_nan] = np.nan
        q[:, some] = sub
    return q


#: Bands kept for every session of this server (the same replications: same band).
BAND_CACHE_SIZE = 32
_BANDS: OrderedDict[tuple, Any] = OrderedDict()
_BANDS_LOCK = threading.Lock()


def band_key(params: Params | Sequence[Params], seed: int, n: int, keys: Iterable[str],
             institutions: InstitutionTable | None = None) -> tuple:
    """What a band is made from, as a value: its replications' parameters (one for all, or
    one per replication), seed, number, series and institutions."""
    members = params if isinstance(params, Params) else tuple(params)
    return (members, int(seed), int(n), tuple(keys), institutions)


def cached_band(key: tuple) -> Any:
    """The band made from ``key`` (:func:`band_key`) if this server has computed it (else
    None)."""
    with _BANDS_LOCK:
        band = _BANDS.get(key)
        if band is not None:
            _BANDS.move_to_end(key)
        return band


def keep_band(key: tuple, band: Any) -> None:
    """Remember a finished band for every session (its arrays must be read-only)."""
    with _BANDS_LOCK:
        _BANDS[key] = band
        while len(_BANDS) > BAND_CACHE_SIZE:
            _BANDS.popitem(last=False)


def frozen_band(band: dict[str, tuple[np.ndarray, np.ndarray]]
                ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``band`` with its arrays made read-only (it is shared by every session)."""
    for lo, hi in band.values():
        lo.setflags(write=False)
        hi.setflags(write=False)
    return band
