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


class InputFileError(SimInputError):
    """A file the user named that cannot be read as text (folder, binary, wrong encoding...).

    Attributes:
        where: The file as named in the message (``scenario file 'x.toml'``).
        problem: What is wrong and what is allowed (``is UTF-16 text; allowed: UTF-8``).
    """

    def __init__(self, where: str, problem: str) -> None:
        self.where, self.problem = where, problem
        super().__init__(f"{where} {problem}")


def shown(value: object, limit: int = 40) -> str:
    """A value as a message shows it: ``repr``, but a huge number or text cut to size.

    A 309-digit integer is shown as ``a 309-digit number``; a float in ``g`` form
    (``1e+308``); text longer than ``limit`` characters is cut with an ellipsis.
    """
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        digits = len(str(abs(value))) if abs(value) < 10**4300 else None
        if digits is None or digits > 15:
            sign = "-" if value < 0 else ""
            return f"{sign}a {digits or 'more than 4300'}-digit number"
        return repr(value)
    if isinstance(value, float):
        return f"{value:g}" if abs(value) >= 1e15 else repr(value)
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def closest(name: str, allowed: Iterable[str]) -> str | None:
    """Return the allowed name closest to ``name``, or None when nothing is close.

    Args:
        name: The name the user wrote.
        allowed: The valid names.

    Returns:
        The name that differs only in case, else the best match by ``difflib`` similarity
        of the lower-cased names (cutoff 0.6), or None.
    """
    allowed = list(allowed)
    if name in allowed:
        return name
    by_lower = {a.lower(): a for a in allowed}
    if name.lower() in by_lower:  # DIALOGUE_EFFORT -> dialogue_effort
        return by_lower[name.lower()]
    matches = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[matches[0]] if matches else None


def unknown_name_message(kind: str, name: str, allowed: Iterable[str]) -> str:
    """Build the message for an unknown name, with a suggestion where one is close."""
    allowed = sorted(allowed)
    guess = closest(name, allowed)
    hint = f" Did you mean '{guess}'?" if guess else ""
    return f"unknown {kind} {shown(name)}.{hint} Allowed: {', '.join(allowed)}."
