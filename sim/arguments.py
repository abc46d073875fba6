"""Arguments of the public API, checked as strictly as the command line checks its options.

Every function documented in ``docs/api.md`` that takes parameters, seeds or counts checks
them here first and raises :class:`~sim.errors.ParameterError` with the same one line the
command line prints (``seed = -1 is not allowed; allowed: a whole number ≥ 0``), instead of
a library's error from deep inside (numpy's "expected non-negative integer", networkx's
"Graph has no nodes or edges").

Types are strict, as in scenario files: a seed or a count is an ``int`` (numpy integers
too), never ``True``, ``1.5`` or ``"7"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from sim.errors import ParameterError, shown, unknown_name_message
from sim.params import Params, make_params

#: What ``rng`` may be besides a seed: numpy's own generator objects (passed on unchanged).
_GENERATORS = (np.random.Generator, np.random.BitGenerator, np.random.SeedSequence)


def check_whole(value: Any, name: str, low: int = 0, high: int | None = None) -> int:
    """``value`` as an ``int`` if it is a whole number from ``low`` to ``high``, else raise.

    Raises:
        ParameterError: naming ``name``, the value and what is allowed.
    """
    ok = isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)
    if ok and (value < low or (high is not None and value > high)):
        ok = False
    if not ok:
        span = f"from {low:,} to {high:,}" if high is not None else f"≥ {low:,}"
        raise ParameterError(f"{name} = {shown(value)} is not allowed; allowed: a whole number "
                             f"{span}")
    return int(value)


#: A whole number as a person types it: ASCII digits only (no ``1_0``, ``٢``, ``1e3``, ``10^30``).
_WHOLE_TEXT = re.compile(r"\+?[0-9]{1,40}")


def parse_whole(text: str, name: str, low: int = 0, high: int | None = None) -> int:
    """``text`` read as a whole number from ``low`` to ``high``, as strictly as ``--set`` reads one.

    Only ASCII digits (with an optional ``+``) count: Python's ``int`` would also take
    ``"1_0"`` and other scripts' digits (``"٢"``), which a person did not mean as a number.

    Raises:
        ParameterError: naming ``name``, the text and what is allowed.
    """
    stripped = text.strip()
    value = int(stripped) if _WHOLE_TEXT.fullmatch(stripped) else None
    if value is not None and value >= low and (high is None or value <= high):
        return value
    span = f"from {low:,} to {high:,}" if high is not None else f"≥ {low:,}"
    said = shown(value) if value is not None and len(stripped) > 15 else shown(text)
    what = f"{name} {said}" if name else said
    raise ParameterError(f"{what} is not allowed; allowed: a whole number {span}")


def check_seed(seed: Any, name: str = "seed", none: str = "") -> int:
    """A seed: a whole number ≥ 0 (``none`` says what None means where None is allowed).

    Raises:
        ParameterError: naming ``name``, the value and what is allowed.
    """
    try:
        return check_whole(seed, name)
    except ParameterError:
        raise ParameterError(f"{name} = {shown(seed)} is not allowed; allowed: a whole number "
                             f"≥ 0{f' (or None: {none})' if none else ''}") from None


def check_params(params: Any, name: str = "params") -> Params:
    """``params`` if it is a valid :class:`~sim.params.Params`, else raise.

    The values are validated again (about 35 µs), so an object made around validation
    (``Params.model_construct``) is refused like a scenario file with the same values.

    Raises:
        ParameterError: not a Params, or a value the parameter definition does not allow.
    """
    if not isinstance(params, Params):
        raise ParameterError(f"{name} = {shown(params)} is not allowed; allowed: a "
                             "sim.params.Params (sim.make_params({...}) or Scenario.params())")
    make_params(params.model_dump())
    return params


def check_seeds(seeds: Any, name: str = "seeds", high: int = 10_000_000) -> list[int]:
    """A non-empty list (or tuple, or 1-D array) of seeds.

    Raises:
        ParameterError: not a sequence, empty, too long, or an element that is not a seed.
    """
    if isinstance(seeds, str | bytes) or not isinstance(seeds, Sequence | np.ndarray):
        raise ParameterError(f"{name} = {shown(seeds)} is not allowed; allowed: a list of "
                             "seeds (whole numbers ≥ 0), e.g. sim.seeds.replication_seeds(1, 20)")
    if not 1 <= len(seeds) <= high:
        raise ParameterError(f"{name} has {len(seeds):,} seeds; allowed: 1 to {high:,}")
    return [check_seed(s, f"{name}[{i}]") for i, s in enumerate(seeds)]


def check_rng(rng: Any) -> Any:
    """A model's ``rng``: None, a seed (whole number ≥ 0) or a numpy generator object.

    Raises:
        ParameterError: naming the value and what is allowed.
    """
    if rng is None or isinstance(rng, _GENERATORS):
        return rng
    return check_seed(rng, "rng", none="fresh entropy from the operating system")


def check_record(record: Any) -> tuple[str, ...] | None:
    """A ``record`` argument: None, or names of recorded columns (``sim.recorder.COLUMNS``).

    Raises:
        ParameterError: text instead of a list of names, or an unknown column.
    """
    from sim.recorder import COLUMNS

    if record is None:
        return None
    if isinstance(record, str | bytes) or not isinstance(record, Iterable):
        raise ParameterError(f"record = {shown(record)} is not allowed; allowed: None (every "
                             "column) or a list of column names, e.g. ['share_served']")
    names = tuple(record)
    for c in names:
        if not isinstance(c, str) or c not in COLUMNS:
            raise ParameterError("record: " + unknown_name_message("column", str(c), COLUMNS))
    return names


def check_snapshot(snapshot: Any) -> tuple[str, ...]:
    """A ``snapshot`` argument: names ``"family.array"`` (``inst``, ``mgr`` or ``ctr``).

    Raises:
        ParameterError: text instead of a list, or a name not of that form.
    """
    if isinstance(snapshot, str | bytes) or not isinstance(snapshot, Iterable):
        raise ParameterError(f"snapshot = {shown(snapshot)} is not allowed; allowed: a list "
                             "of 'family.array' names, e.g. ['mgr.trust', 'inst.shadow_fte']")
    names = tuple(snapshot)
    for k in names:
        family, dot, array = str(k).partition(".")
        if not isinstance(k, str) or not dot or family not in ("inst", "mgr", "ctr") or not array:
            raise ParameterError(f"snapshot: {shown(k)} is not allowed; allowed: "
                                 "'family.array' with family inst, mgr or ctr (e.g. 'mgr.trust')")
    return names


def model_arguments(params: Any, rng: Any, record: Any) -> tuple[Params | None, Any,
                                                                  tuple[str, ...] | None]:
    """The arguments of ``SharedServiceModel(params, rng, record)``, checked.

    Raises:
        ParameterError: as :func:`check_params`, :func:`check_rng`, :func:`check_record`.
    """
    return (None if params is None else check_params(params), check_rng(rng),
            check_record(record))
