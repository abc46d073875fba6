"""Errors of ``sim calibrate``: each names the file, the key and what is allowed."""

from __future__ import annotations

from pathlib import Path

from sim.errors import SimInputError


class CalibrationError(SimInputError):
    """A calibration that cannot start or continue (bad file, foreign history, no pyabc)."""


class CalibrationFileError(CalibrationError):
    """A calibration file that is malformed or asks for something the model does not have.

    The message starts with the file and the key, e.g.
    ``calibration/x.toml: [priors.trust] range: ...``.
    """

    def __init__(self, path: str | Path | None, key: str, message: str) -> None:
        self.path = str(path) if path is not None else "<calibration>"
        self.key = key
        self.detail = message
        where = f"{key}: " if key else ""
        super().__init__(f"{self.path}: {where}{message}")
