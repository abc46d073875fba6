"""Undo, one change at a time: each change of settings remembers what it replaced."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Changes remembered per session.
DEPTH = 50


@dataclass(frozen=True)
class Snapshot:
    """The settings a change replaced, and a few words on what the change was."""

    scenario: Any  # sim.scenarios.Scenario
    extras: Any  # sim_app.text.scenarios.ScenarioExtras
    values: dict[str, Any]
    seed: int
    what: str


class UndoStack:
    """The last :data:`DEPTH` snapshots, newest last."""

    def __init__(self) -> None:
        self._items: list[Snapshot] = []

    def push(self, snap: Snapshot) -> None:
        self._items.append(snap)
        del self._items[:-DEPTH]

    def pop(self) -> Snapshot | None:
        return self._items.pop() if self._items else None

    def peek(self) -> Snapshot | None:
        return self._items[-1] if self._items else None

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
