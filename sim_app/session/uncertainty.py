"""The uncertainty band: 10–90 % of a set of replications behind the current run.

What the band includes (:data:`MODES`): ``"seeds and parameters"`` — each replication at a
draw from the shipped posterior (``calibration/posteriors/default.parquet``, made by ``sim
calibrate``; docs/calibration.md) and its own seed, the predictive interval; the default once
a posterior ships — or ``"seeds only"`` — every replication at the run's own parameters. A
parameter the scenario or the user moved away from its default keeps its value; only
parameters at their default are drawn (priors the calibration confined to one scenario are
not drawn).

Replication seeds come from ``numpy.random.SeedSequence(seed).spawn(n)`` (each child's first
32-bit state word is the model's ``rng`` seed): independent streams, reproducible from the run's
seed, and never equal to the seed of the run itself by construction of the spawn tree.
The band runs in a background thread (see ``sim_app.views.page.BandWorker``) so the page never
freezes; it yields after each replication so it can be cancelled when a control moves.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from sim.params import Params, defaults
from sim.runner import simulate
from sim.seeds import replication_seeds

#: What a band may include.
MODES = ("seeds and parameters", "seeds only")


def _posterior():  # the shipped posterior, read once (None when none ships)
    global _POSTERIOR
    if _POSTERIOR is False:
        from sim.errors import SimInputError
        from sim_calibrate.posterior import read_posterior

        try:
            _POSTERIOR = read_posterior("default")
        except SimInputError:  # no posterior ships: seeds only
            _POSTERIOR = None
    return _POSTERIOR


_POSTERIOR: object = False


def default_mode() -> str:
    """``"seeds and parameters"`` when a posterior ships, else ``"seeds only"``."""
    return MODES[0] if _posterior() is not None else MODES[1]


def band_params(params: Params, seed: int, n: int, mode: str | None = None) -> list[Params]:
    """The parameters of the ``n`` replications (the same list for the same inputs)."""
    mode = mode or default_mode()
    post = _posterior() if mode == MODES[0] else None
    if post is None:
        return [params] * n
    base = defaults()
    values = params.model_dump()
    out = []
    for d in post.draws(n, seed):
        drawn = {k: v for k, v in post.apply("", params, d).items() if values[k] == base[k]}
        out.append(Params(**{**values, **drawn}))
    return out


def band_seeds(seed: int, n: int) -> list[int]:
    """``n`` replication seeds derived from ``seed``."""
    return replication_seeds(seed, n)


def replicate(params: Params, seed: int, keys: Iterable[str]) -> dict[str, np.ndarray]:
    """One replication's series (only ``keys``; the model records no more than these and the
    KPIs' columns, which makes a run faster, never different)."""
    keys = tuple(keys)
    arrays, _ = simulate(params, seed, record=keys)
    return {k: arrays[k] for k in keys}


def band_runs(params: Params, seed: int, n: int, keys: Iterable[str],
              cancelled: Callable[[], bool] = lambda: False,
              mode: str | None = None) -> Iterator[dict[str, np.ndarray]]:
    """Yield replications one by one (stops early when ``cancelled()``); ``mode`` is one of
    :data:`MODES` (default: :func:`default_mode`)."""
    keys = tuple(keys)
    for p, s in zip(band_params(params, seed, n, mode), band_seeds(seed, n), strict=True):
        if cancelled():
            return
        yield replicate(p, s, keys)


def quantile_band(runs: list[dict[str, np.ndarray]], lo: float = 0.1,
                  hi: float = 0.9) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per month 10 % and 90 % quantiles of each series across replications (NaN-aware)."""
    out = {}
    for k in runs[0]:
        stack = np.vstack([r[k] for r in runs])
        with np.errstate(all="ignore"):
            all_nan = np.isnan(stack).all(axis=0)
            filled = np.where(all_nan, 0.0, stack)
            q = np.nanquantile(filled, [lo, hi], axis=0)
        q[:, all_nan] = np.nan
        out[k] = (q[0], q[1])
    return out


#: Bands kept for every session of this server (same parameters, seed and size: same band).
BAND_CACHE_SIZE = 32
_BANDS: OrderedDict[tuple, dict[str, tuple[np.ndarray, np.ndarray]]] = OrderedDict()
_BANDS_LOCK = threading.Lock()


def cached_band(params: Params, seed: int, n: int,
                keys: Iterable[str]) -> dict[str, tuple[np.ndarray, np.ndarray]] | None:
    """The band of ``n`` replications if this server has computed it (else None)."""
    key = (params, int(seed), int(n), tuple(keys), default_mode())
    with _BANDS_LOCK:
        band = _BANDS.get(key)
        if band is not None:
            _BANDS.move_to_end(key)
        return band


def keep_band(params: Params, seed: int, n: int, keys: Iterable[str],
              band: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    """Remember a finished band for every session (its arrays made read-only)."""
    for lo, hi in band.values():
        lo.setflags(write=False)
        hi.setflags(write=False)
    with _BANDS_LOCK:
        _BANDS[(params, int(seed), int(n), tuple(keys), default_mode())] = band
        while len(_BANDS) > BAND_CACHE_SIZE:
            _BANDS.popitem(last=False)
