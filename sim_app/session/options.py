"""Two options side by side (a pinned baseline against the current settings): their names,
and the paired band of their difference over common seeds.

Each replication runs both options with the same seed (``sim_app.session.uncertainty``'s
band seeds, the same as the band behind the run), so a replication's difference is the
options' difference, not the dice's; its 10 %, 50 % and 90 % quantiles per month are the
paired band.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from sim.institutions import InstitutionTable
from sim.params import Params, spec_map
from sim_app.session.uncertainty import band_runs
from sim_app.text.i18n import param_value, tr

#: Parameters named in an option's name at most (more: "and k more").
NAMED = 2


def differing(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    """The parameters whose values differ between two settings, in definition order."""
    return [k for k in spec_map() if k in a and k in b and a[k] != b[k]]


def option_names(run_values: Mapping[str, Any], base_values: Mapping[str, Any] | None,
                 lang: str, run_fallback: str, base_fallback: str) -> tuple[str, str]:
    """Names of the current option and the pinned one by what tells them apart
    ("Roll-out: big bang" against "Roll-out: in waves"); the fallbacks when nothing does."""
    if base_values is None:
        return run_fallback, base_fallback
    names = differing(run_values, base_values)
    if not names:
        return run_fallback, base_fallback
    specs = spec_map()

    def name(values: Mapping[str, Any]) -> str:
        parts = [param_value(specs[k], values[k], lang, labelled=True) for k in names[:NAMED]]
        if len(names) > NAMED:
            parts.append(tr("opt_more", lang, n=len(names) - NAMED))
        return "; ".join(parts)

    return name(run_values), name(base_values)


def paired_runs(run: tuple[Params, InstitutionTable | None],
                base: tuple[Params, InstitutionTable | None], seed: int, n: int,
                keys: Iterable[str], cancelled: Callable[[], bool] = lambda: False
                ) -> list[tuple[dict[str, np.ndarray], dict[str, np.ndarray]]]:
    """The ``n`` replications of both options, pairwise with the same seeds (fewer when
    cancelled)."""
    keys = tuple(keys)
    a = band_runs(run[0], seed, n, keys, cancelled, run[1])
    b = band_runs(base[0], seed, n, keys, cancelled, base[1])
    return list(zip(a, b, strict=False))


def paired_band(pairs: list[tuple[dict[str, np.ndarray], dict[str, np.ndarray]]],
                scale: Mapping[str, float] | None = None
                ) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per month the 10 %, 50 % and 90 % quantiles of the paired differences (run − base,
    times ``scale[key]``), NaN-aware; a month where every difference is NaN stays NaN."""
    scale = scale or {}
    out = {}
    for k in pairs[0][0]:
        n = min(min(len(a[k]), len(b[k])) for a, b in pairs)
        stack = np.vstack([(np.asarray(a[k][:n], float) - np.asarray(b[k][:n], float))
                           * scale.get(k, 1.0) for a, b in pairs])
        with np.errstate(all="ignore"):
            all_nan = np.isnan(stack).all(axis=0)
            q = np.nanquantile(np.where(all_nan, 0.0, stack), [0.1, 0.5, 0.9], axis=0)
        q[:, all_nan] = np.nan
        for row in q:
            row.setflags(write=False)
        out[k] = (q[0], q[1], q[2])
    return out


#: Paired bands kept for every session of this server (same options, seed and size).
_PAIRED: OrderedDict[tuple, dict] = OrderedDict()
_PAIRED_LOCK = threading.Lock()
PAIRED_CACHE_SIZE = 16


def difference_band(run: tuple[Params, InstitutionTable | None],
                    base: tuple[Params, InstitutionTable | None], seed: int, n: int,
                    scale: Mapping[str, float], cancelled: Callable[[], bool] = lambda: False
                    ) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] | None:
    """The paired band of every series in ``scale`` (None when cancelled before the end);
    computed once per server for the same two options, seed and ``n``."""
    key = (run, base, int(seed), int(n), tuple(sorted(scale.items())))
    with _PAIRED_LOCK:
        if key in _PAIRED:
            _PAIRED.move_to_end(key)
            return _PAIRED[key]
    pairs = paired_runs(run, base, seed, n, scale, cancelled)
    if len(pairs) < n or n <= 0:
        return None
    band = paired_band(pairs, scale)
    with _PAIRED_LOCK:
        _PAIRED[key] = band
        while len(_PAIRED) > PAIRED_CACHE_SIZE:
            _PAIRED.popitem(last=False)
    return band
