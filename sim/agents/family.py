"""What every agent family shares: a population that owns its arrays, and writable per-agent views.

A *family* (institutions, managers, centres) holds its state as numpy arrays, one element per
agent, and owns the phase methods that update the whole population at once (the shape of the
``mesa-frames`` extension, on numpy). Each agent is still a Mesa :class:`~mesa.Agent`, found in
``model.agents``; its attributes are :class:`Column` descriptors that read and write its element
of the family's arrays, so ``model.managers[3].trust = 0.05`` changes the array the next step
reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import numpy as np
from mesa import Agent

if TYPE_CHECKING:
    import random

    from sim.params import Params


def bounded(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """``x`` clipped to [lo, hi] (the same values as ``np.clip``, without its call overhead)."""
    return np.minimum(np.maximum(x, lo), hi)


class ModelContext(Protocol):
    """What a family reads from its model (the model itself satisfies this)."""

    p: Params
    steps: int
    digital: float
    rng: np.random.Generator
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
        value = getattr(agent.family, self.name)[agent.idx]
        return self._read(value) if self._read else value.item()

    def __set__(self, agent: ArrayAgent, value: Any) -> None:
        if self._readonly:
            raise AttributeError(f"{type(agent).__name__}.{self.name} is derived from other "
                                 "state and cannot be set")
        stored = self._write(value) if self._write else value
        getattr(agent.family, self.name)[agent.idx] = stored
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
    """A population of one agent type: numpy arrays, one element per agent.

    Subclasses declare their arrays in ``__init__`` and their phase methods; the model calls the
    phase methods in its fixed order.
    """

    def __init__(self, model: ModelContext, size: int) -> None:
        """Bind the family to its model.

        Args:
            model: The model (parameters, clock and random generators).
            size: Number of agents in the family.
        """
        self.model = model
        self.size = size

    def __len__(self) -> int:
        return self.size

    @staticmethod
    def per(index: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
        """Sum ``values`` into ``n`` bins by ``index`` (e.g. institutions' work per centre)."""
        return np.bincount(index, values, n)
