"""A room's decision rounds: what a participant may call, and the calls of one round."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["SHADOW_CHOICES", "Decision", "Round", "RoomError"]


class RoomError(ValueError):
    """Something a participant or facilitator asked for that the room cannot do (one line)."""


SHADOW_CHOICES = ("keep", "build", "dismantle")


@dataclass
class Decision:
    """One participant's calls in one round (the last one sent counts)."""

    join: bool | None = None
    shadow: str = "keep"
    escalate: bool = False
    sent: int = 0  # how many times this participant sent a decision this round

    def to_dict(self) -> dict[str, Any]:
        return {"join": self.join, "shadow": self.shadow, "escalate": self.escalate}


@dataclass
class Round:
    """A decision round at one month."""

    number: int
    month: int
    decisions: dict[int, Decision] = field(default_factory=dict)
    open: bool = True
