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
    values: Any  # a read-only mapping of every parameter's value
    seed: int
    what: str
    institutions: Any = None  # sim.institutions.InstitutionTable of an uploaded file, or None


def pushed(stack: tuple[Snapshot, ...], snap: Snapshot) -> tuple[Snapshot, ...]:
    """``stack`` with ``snap`` on top (the last :data:`DEPTH` snapshots, newest last)."""
    return (*stack, snap)[-DEPTH:]
