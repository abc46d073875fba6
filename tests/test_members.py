"""The elementwise helpers of ``sim.members`` give plain numbers exactly what numpy gives an
array of them (a one-member model's single centre runs its month on plain numbers, every other
on arrays, and the two must agree bit for bit): ties, signed zeros, NaN and infinities
included."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sim.members import divide_where, maximum, minimum, where

#: Numbers where numpy's rules are easy to miss: signed zeros, NaN, infinities, ties.
SPECIAL = st.sampled_from([0.0, -0.0, math.nan, math.inf, -math.inf, 1.0, -1.0, 1e-300])
NUMBERS = st.one_of(SPECIAL, st.floats(allow_nan=True, allow_infinity=True))


def same(number: float, array: np.ndarray) -> bool:
    """Whether a plain result has the bytes of numpy's one-element result."""
    assert isinstance(number, float | int | bool) and not isinstance(number, np.generic)
    return np.array(number, dtype=array.dtype).tobytes() == array.reshape(()).tobytes()


@given(NUMBERS, NUMBERS)
def test_maximum_and_minimum_of_numbers_are_numpys(a, b):
    for plain, numpy in ((maximum, np.maximum), (minimum, np.minimum)):
        for shape in ((1, 1), (3, 1)):
            arrays = numpy(np.full(shape, a), np.full(shape, b))
            assert same(plain(a, b), arrays[:1, :1])
            assert np.array_equal(plain(np.full(shape, a), b), arrays, equal_nan=True)


@given(st.booleans(), NUMBERS, NUMBERS)
def test_where_of_numbers_is_numpys(cond, a, b):
    assert same(where(cond, a, b), np.where(np.full((1, 1), cond), a, b))


@given(st.booleans(), NUMBERS, NUMBERS.filter(lambda y: y != 0), st.sampled_from([0.0, 1.0]))
def test_divide_where_of_numbers_is_numpys(cond, x, y, fill):
    out = np.full((1, 1), fill)
    with np.errstate(all="ignore"):
        expected = np.divide(np.full((1, 1), x), y, out=out, where=np.full((1, 1), cond))
        assert same(divide_where(x, y, cond, fill), expected)
        assert np.array_equal(divide_where(np.full((1, 1), x), y, np.full((1, 1), cond), fill),
                              expected, equal_nan=True)


def test_numbers_stay_numbers():
    """The point of the helpers: no numpy object in a plain month."""
    assert type(maximum(1.0, 2.0)) is float
    assert type(minimum(1, 2)) is int
    assert type(where(True, 1.0, 2.0)) is float
    assert type(divide_where(1.0, 4.0, True, 1.0)) is float
