"""Values that are one per member: a column of members × 1, or a Python number or bool when
the members share it (or there is only one member), so that a one-member model pays no numpy
call where a plain number will do. ``sim.agents.family`` re-exports these helpers; this module
imports nothing of the model's, so ``sim.economics`` can use them too.

:func:`maximum`, :func:`minimum`, :func:`where` and :func:`divide_where` are numpy's
elementwise functions for arrays, and for plain numbers the same number by Python's arithmetic
(numpy's rules for ties, signed zeros and NaN included): one formula serves both, and a
one-member model's single centre runs its month on plain numbers. Plain arithmetic is
IEEE's, as numpy's is, except that a division by zero raises instead of giving inf or NaN:
the formulas that use these helpers divide only by bounded or masked values."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["divide_where", "maximum", "minimum", "per_member", "per_member_values",
           "where"]


def maximum(a: Any, b: Any) -> Any:
    """``np.maximum(a, b)``; for two plain numbers, the number numpy gives: NaN if either is
    NaN, else ``a`` only if it is greater (on a tie, ``b``: numpy's rule for signed zeros)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.maximum(a, b)
    return a if a > b or a != a else b


def minimum(a: Any, b: Any) -> Any:
    """``np.minimum(a, b)``; for two plain numbers, the number numpy gives (NaN if either is
    NaN, else ``a`` only if it is smaller)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.minimum(a, b)
    return a if a < b or a != a else b


def where(cond: Any, new: Any, old: Any) -> Any:
    """``np.where(cond, new, old)``; for a plain condition and numbers, one of the two."""
    if (isinstance(cond, np.ndarray) or isinstance(new, np.ndarray)
            or isinstance(old, np.ndarray)):
        return np.where(cond, new, old)
    return new if cond else old


def divide_where(x: Any, y: Any, cond: Any, fill: float) -> Any:
    """``x / y`` where ``cond`` holds, ``fill`` elsewhere (``np.divide`` with ``where``: no
    division where ``cond`` is false); for plain numbers, the same number (``cond`` must
    exclude a zero ``y``: Python raises where numpy would give inf or NaN)."""
    if isinstance(cond, np.ndarray):
        out = np.empty(cond.shape)
        out.fill(fill)
        return np.divide(x, y, out=out, where=cond)
    return x / y if cond else fill


def per_member(cond: Any, new: Any, old: Any) -> Any:
    """``new`` for the members where ``cond`` holds, ``old`` for the others.

    ``cond`` is a Python bool when every member shares the parameter it depends on (then one
    of the two is returned as it is), else a column of members × 1.
    """
    if cond is True or cond is np.True_:
        return new
    if cond is False or cond is np.False_:
        return old
    return np.where(cond, new, old)


def per_member_values(x: np.ndarray) -> Any:
    """Each member's value (members × 1), or for one member its value as a Python number
    (the same number: arithmetic on it gives the same results as on a 1 × 1 array, without
    numpy's per-call overhead)."""
    return x.item() if x.shape[0] == 1 else x
