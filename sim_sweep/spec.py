"""Read a sweep file (TOML) into a validated :class:`Sweep`, before any run starts.

Three steps, one module each: the structure (:mod:`sim_sweep.schema`, pydantic), its meaning
against the model (:mod:`sim_sweep.resolve`: scenarios, cases, parameters, series, KPIs) and
what the design points are made of (:mod:`sim_sweep.points`). Every problem raises
:class:`SweepFileError` naming the file, the key and what is allowed. The format is documented
in ``experiments/README.md``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from sim.errors import InputFileError
from sim.textfiles import parse_toml, read_text
from sim_sweep.errors import SweepFileError
from sim_sweep.resolve import resolve
from sim_sweep.schema import SweepSpec, structure_error
from sim_sweep.sweep import Factor, Sweep

__all__ = ["Factor", "Sweep", "SweepSpec", "load_sweep", "parse_sweep"]


def load_sweep(path: str | Path) -> Sweep:
    """Read, parse and validate a sweep file.

    Raises:
        SweepFileError: malformed TOML, unknown keys or parameters, values or ranges outside
            what the model allows, or a design that cannot sample the parameters given.
    """
    p = Path(path)
    try:
        text = read_text(p, "sweep file")  # folder, device, encoding, binary: one clear line
    except InputFileError as exc:
        raise SweepFileError(p, "", f"the file {exc.problem}") from None
    return parse_sweep(text, p)


def parse_sweep(text: str, path: Path | None = None) -> Sweep:
    """Parse and validate sweep-file text (``path`` names it in messages, resolves files)."""
    try:
        data = parse_toml(text, "the file")  # also: nesting too deep for the TOML reader
    except InputFileError as exc:
        raise SweepFileError(path, "", str(exc)) from None
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise structure_error(path, exc) from None
    return resolve(spec, path, text)
