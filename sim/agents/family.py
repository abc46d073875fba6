"""What every agent family shares: a population that owns its arrays, and writable per-agent views.

A *family* (institutions, managers, centres) holds its state as numpy arrays of members ×
agents, and owns the phase methods that update the whole population at once (the shape of the
``mesa-frames`` extension, on numpy). A *member* is one run of the model: the Mesa model
(:class:`~sim.model.SharedServiceModel`) has one, an ensemble
(:meth:`~sim.model.SharedServiceModel.ensemble`) many, stepped in one pass. A value that is one
number per member (a count, a total) is a column of members × 1, so that it broadcasts against
the families' arrays. Each phase is written once, for any number of members, and gives every
member exactly what it gives a model of that member alone: elementwise operations, sums along
the agent axis (the same summation order as a one-member array), ``np.bincount`` over indices
offset by member (the same order again), and per-member branches as masks that leave the
members they do not concern untouched.

Each agent of a one-member model is still a Mesa :class:`~mesa.Agent`, found in
``model.agents``; its attributes are :class:`Column` descriptors that read and write its element
of the family's arrays, so ``model.managers[3].trust = 0.05`` changes the array the next step
reads.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import numpy as np
from mesa import Agent

from sim.members import divide_where as divide_where  # re-exported: one definition
from sim.members import maximum as maximum
from sim.members import minimum as minimum
from sim.members import per_member as per_member
from sim.members import per_member_values as per_member_values
from sim.members import where as where

if TYPE_CHECKING:
    import random

    from sim.params import Params


def bounded(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """``x`` clipped to [lo, hi] (the same values as ``np.clip``, without its call overhead)."""
    return np.minimum(np.maximum(x, lo), hi)


def rowsum(x: np.ndarray) -> np.ndarray:
    """Each member's sum over its agents (members × 1): the same value, bit for bit, as the sum
    of that member's row alone (numpy sums a contiguous row pairwise, whatever the rows
    around it)."""
    return np.add.reduce(x, axis=1, keepdims=True)




_COUNT_NONZERO = np.count_nonzero


def count(x: np.ndarray) -> np.ndarray:
    """Each member's number of true values of a boolean array (members × 1, whole numbers):
    ``np.count_nonzero(x, axis=1, keepdims=True)`` without its call overhead (for one member,
    ``np.count_nonzero`` of the whole array, its fastest form)."""
    if x.shape[0] == 1 and x.dtype == np.bool_:
        out = np.empty((1, 1), dtype=np.intp)
        out[0, 0] = _COUNT_NONZERO(x)
        return out
    return np.add.reduce(x, axis=-1, keepdims=True, dtype=np.intp)


#: How many distinct (function, members' values) results :func:`each` keeps: a cache size,
#: not a rule of the model.
MAPPED_CACHE_SIZE = 512


#: ``ndarray.any()``'s own reduction, called without its Python wrapper.
_ANY = np.logical_or.reduce


def anyof(x: Any) -> bool:
    """Whether ``x`` holds for any member: a Python bool (a test of a parameter every member
    shares) as it is, or whether any element of an array is true (``x.any()`` without its
    Python wrapper: a one-member month calls this often), or whether a plain number is
    non-zero (as an array of it would be)."""
    if x is True or x is False:
        return x
    if isinstance(x, np.ndarray):
        return bool(_ANY(x, None))
    return bool(x)


#: ``ndarray.all()``'s own reduction, called without its Python wrapper.
_ALL = np.logical_and.reduce


def allof(x: np.ndarray) -> bool:
    """Whether every element of ``x`` is true (``x.all()`` without its Python wrapper)."""
    return bool(_ALL(x, None))


@lru_cache(maxsize=MAPPED_CACHE_SIZE)
def _mapped(f: Callable[[float], float], data: bytes, shape: tuple[int, ...]) -> np.ndarray:
    values = np.frombuffer(data, dtype=np.float64)
    out = np.array([f(v) for v in values.tolist()], dtype=np.float64).reshape(shape)
    out.flags.writeable = False
    return out


def each(f: Callable[[float], Any], x: Any) -> Any:
    """``f(x)`` for a parameter's value ``x``, or ``f`` of every member's value when the
    members differ (a column of members × 1).

    A transcendental function of a parameter (``math.exp(-1 / months)``) is computed by the same
    function, value by value, for every member as for a single run, so its last bit never
    depends on how many members there are (results are cached: parameters do not change while
    an ensemble runs).
    """
    if isinstance(x, np.ndarray):
        x = np.ascontiguousarray(x, dtype=np.float64)
        return _mapped(f, x.tobytes(), x.shape)
    return f(x)


@lru_cache(maxsize=MAPPED_CACHE_SIZE)
def _filled(value: float, shape: tuple[int, ...]) -> np.ndarray:
    out = np.full(shape, value)
    out.flags.writeable = False
    return out


def as_shape(x: Any, shape: tuple[int, ...]) -> np.ndarray:
    """A parameter's value ``x`` (one number, or members × 1) as an array of ``shape``.

    An exponent given so makes ``np.power`` take the same loop for one member as for many (a
    scalar exponent may take another, with other last bits). The array is read-only (arrays
    of one number are cached: parameters do not change while a model runs).
    """
    if isinstance(x, np.ndarray):
        return np.broadcast_to(x, shape).copy()
    return _filled(x, shape)


class ModelContext(Protocol):
    """What a family reads from its model (the model itself satisfies this).

    ``p`` holds each parameter as one value when all members share it, else as a column of
    members × 1 (only number parameters may differ between members); ``digital`` likewise;
    ``rngs`` holds each member's numpy generator (``rngs[0] is rng`` in a one-member model).
    """

    p: Params
    steps: int
    digital: float
    members: int
    rng: np.random.Generator
    rngs: list[np.random.Generator]
    random: random.Random


class Column:
    """A per-agent attribute backed by one element of a family array.

    Args:
        doc: What the value means (with its unit).
        read: Turns the stored element into the Python value shown (default: ``.item()``).
        write: Turns an assigned value into the stored element (default: as given).
        readonly: Refuse assignment (for values derived from other arrays).
        refresh: Name of a family method to call after an assignment (to update state derived
            from this array).
    """

    def __init__(self, doc: str, read: Callable[[Any], Any] | None = None,
                 write: Callable[[Any], Any] | None = None, readonly: bool = False,
                 refresh: str | None = None) -> None:
        self.__doc__ = doc
        self._read = read
        self._write = write
        self._readonly = readonly
        self._refresh = refresh
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, agent: ArrayAgent | None, owner: type | None = None) -> Any:
        if agent is None:
            return self
        value = getattr(agent.family, self.name)[0, agent.idx]
        return self._read(value) if self._read else value.item()

    def __set__(self, agent: ArrayAgent, value: Any) -> None:
        if self._readonly:
            raise AttributeError(f"{type(agent).__name__}.{self.name} is derived from other "
                                 "state and cannot be set")
        stored = self._write(value) if self._write else value
        getattr(agent.family, self.name)[0, agent.idx] = stored
        if self._refresh:
            getattr(agent.family, self._refresh)()


class ArrayAgent(Agent):
    """A Mesa agent whose state is element ``idx`` of its family's arrays.

    Attributes:
        idx: The agent's index in its family.
    """

    #: Name of the model attribute that holds this agent's family (``"mgr"`` for managers).
    family_attr: ClassVar[str] = ""

    def __init__(self, model: Any, idx: int) -> None:
        """Register the agent with Mesa and bind it to element ``idx`` of its family."""
        super().__init__(model)
        self.idx = idx

    @property
    def family(self) -> AgentFamily:
        """The population this agent belongs to."""
        return getattr(self.model, self.family_attr)

    def step(self) -> None:
        """Agents act as a family: refuse a per-agent step instead of silently doing nothing."""
        raise TypeError(
            f"{type(self).__name__} agents act together: their family's phase methods update "
            f"every agent at once inside model.step(); call model.step() instead")


class AgentFamily:
    """A population of one agent type: numpy arrays of members × agents.

    Subclasses declare their arrays in ``__init__`` for one member (shape 1 × agents, drawn from
    that member's generators exactly as a single run draws them) and their phase methods; the
    model calls the phase methods in its fixed order. :meth:`stack` joins the families of
    several members built that way into one.
    """

    def __init__(self, model: ModelContext, size: int) -> None:
        """Bind the family to its model.

        Args:
            model: The model (parameters, clock and random generators).
            size: Number of agents in the family (per member).
        """
        self.model = model
        self.size = size
        self.members = 1
        self.shape = (1, size)

    def __len__(self) -> int:
        return self.size

    def zeros(self, dtype: type = float) -> np.ndarray:
        """A new array of zeros, members × agents."""
        return np.zeros(self.shape, dtype=dtype)

    @classmethod
    def stack(cls, model: ModelContext, families: list[AgentFamily]) -> AgentFamily:
        """The families of several one-member builds as one family of their members.

        Every array is joined along the member axis; everything else (names, indices shared by
        all) is taken from the first member's family, apart from what :meth:`_stack_more` joins.
        """
        first = families[0]
        joined = cls.__new__(cls)
        for name, value in vars(first).items():
            if isinstance(value, np.ndarray) and value.ndim == 2 and value.shape[0] == 1:
                value = np.concatenate([vars(f)[name] for f in families], axis=0)
            joined.__dict__[name] = value
        joined.model = model
        joined.members = len(families)
        joined.shape = (len(families), first.size)
        joined._stack_more(families)
        return joined

    def _stack_more(self, families: list[AgentFamily]) -> None:
        """Join what is not an array of members × agents (subclasses override)."""

    @staticmethod
    def per(index: np.ndarray, values: np.ndarray, n: int,
            flat: np.ndarray | None = None) -> np.ndarray:
        """Sum ``values`` (members × agents) into ``n`` bins per member by ``index`` (members ×
        agents, each in 0..n-1; e.g. institutions' work per centre): members × n.

        One ``np.bincount`` over indices offset by member adds each bin's values in the agents'
        order, as the bincount of that member alone does (``flat``: those offset indices,
        when the caller keeps them).
        """
        m = index.shape[0]
        if m == 1:
            return np.bincount(index[0], values[0], n)[np.newaxis]
        if flat is None:
            flat = (index + (np.arange(m) * n)[:, np.newaxis]).ravel()
        return np.bincount(flat, values.ravel(), m * n).reshape(m, n)
