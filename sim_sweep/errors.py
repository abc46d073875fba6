"""Errors of the sweep engine: each names the file, the key and what is allowed."""

from __future__ import annotations

from pathlib import Path

from sim.errors import SimInputError


class SweepError(SimInputError):
    """A sweep that cannot start or continue (bad file, bad folder, missing executor).

    A :class:`sim.errors.SimInputError` (and so a ``ValueError``): code that catches the
    model's input errors catches the sweep engine's too, each with the one line ``sim sweep``
    and ``sim analyze`` print.
    """


class SweepFileError(SweepError):
    """A sweep file that is malformed or asks for something impossible.

    The message always starts with the file and the key, e.g.
    ``experiments/x.toml: [vary.dialogue_effort]: range [0, 2] ...``.
    """

    def __init__(self, path: str | Path | None, key: str, message: str) -> None:
        self.path = str(path) if path is not None else "<sweep>"
        self.key = key
        self.detail = message
        super().__init__(f"{self.path}: {format_key(key)}{message}")


TABLES = ("fixed", "vary", "cases", "sampler", "keep", "execution", "analysis")


def format_key(key: str) -> str:
    """``vary.x.steps`` → ``[vary.x] steps: ``; ``sampler.n`` → ``[sampler] n: ``."""
    if not key:
        return ""
    parts = key.split(".")
    if parts[0] in ("vary", "cases") and len(parts) >= 2:
        table, rest = ".".join(parts[:2]), parts[2:]
    elif parts[0] in TABLES:
        table, rest = parts[0], parts[1:]
    else:
        return f"{key}: "
    return f"[{table}]" + (" " + ".".join(rest) if rest else "") + ": "
