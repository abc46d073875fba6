"""Errors of the sweep engine: each names the file, the key and what is allowed."""

from __future__ import annotations

from pathlib import Path


class SweepError(ValueError):
    """A sweep that cannot start or continue (bad file, bad folder, missing executor)."""


class SweepFileError(SweepError):
    """A sweep file that is malformed or asks for something impossible.

    The message always starts with the file and the key, e.g.
    ``experiments/x.toml: [vary.dialogue_effort] range [0, 2] ...``.
    """

    def __init__(self, path: str | Path | None, key: str, message: str) -> None:
        self.path = str(path) if path is not None else "<sweep>"
        self.key = key
        self.detail = message
        where = f"[{key}] " if key else ""
        super().__init__(f"{self.path}: {where}{message}")
