"""Errors raised for bad input: each names what is wrong and what is allowed."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class SimInputError(ValueError):
    """Base class for every user-input error of the package."""


class ParameterError(SimInputError):
    """A parameter name, type or value that is not allowed."""


class ScenarioError(SimInputError):
    """A scenario name or scenario file that cannot be used."""


def closest(name: str, allowed: Iterable[str]) -> str | None:
    """Return the allowed name closest to ``name``, or None when nothing is close.

    Args:
        name: The name the user wrote.
        allowed: The valid names.

    Returns:
        The best match by ``difflib`` similarity (cutoff 0.6), or None.
    """
    matches = difflib.get_close_matches(name, list(allowed), n=1, cutoff=0.6)
    return matches[0] if matches else None


def unknown_name_message(kind: str, name: str, allowed: Iterable[str]) -> str:
    """Build the message for an unknown name, with a suggestion where one is close."""
    allowed = sorted(allowed)
    guess = closest(name, allowed)
    hint = f" Did you mean '{guess}'?" if guess else ""
    return f"unknown {kind} '{name}'.{hint} Allowed: {', '.join(allowed)}."
