"""Values that are one per member: a column of members × 1, or a Python number or bool when
the members share it (or there is only one member), so that a one-member model pays no numpy
call where a plain number will do. ``sim.agents.family`` re-exports these helpers; this module
imports nothing of the model's, so ``sim.economics`` can use them too."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["per_member", "per_member_values"]


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
