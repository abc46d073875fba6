"""What a session can be set to: the shipped scenarios and a seed typed into a field."""

from __future__ import annotations

from typing import Any

from sim.scenarios import Scenario, list_scenarios

_SCENARIOS: list[Scenario] | None = None


def shipped_scenarios() -> list[Scenario]:
    """The shipped scenarios (read-only data, loaded once per process)."""
    global _SCENARIOS
    if _SCENARIOS is None:
        _SCENARIOS = list_scenarios()
    return _SCENARIOS


def parse_seed(text: Any) -> int:
    """A seed from a text field (they arrive as str): a whole number ≥ 0."""
    value = int(str(text).strip())
    if value < 0:
        raise ValueError("negative seed")
    return value
