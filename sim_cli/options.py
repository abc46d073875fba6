"""Option parsing for the ``sim`` command: one-line errors and strictly typed option values.

Every error argparse reports goes out as one line, ``sim run: error: ... (see 'sim run
--help')``, exit status 2. Option values are read like the parameter they set: ``--months``
as the ``months`` parameter, ``--seed`` as a whole number ≥ 0, ``--set NAME=VALUE`` through
``sim.params.parse_value`` (strict: ``true``/``false`` for a switch, a whole number for a
whole-number parameter).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from sim.errors import ParameterError, shown
from sim.params import parse_value

_WHOLE = re.compile(r"\+?[0-9]+")

#: Largest number of paired seeds ``sim compare`` runs (two runs each).
MAX_COMPARE_SEEDS = 100_000


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (its sub-parsers are of this class too)."""

    def error(self, message: str) -> NoReturn:
        """Print ``PROG: error: MESSAGE (see 'PROG --help')`` and exit with status 2."""
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def seed_value(text: str) -> int:
    """An argparse type: a seed, a whole number ≥ 0."""
    if not _WHOLE.fullmatch(text.strip()) or len(text.strip()) > 40:
        raise argparse.ArgumentTypeError(f"{shown(text)} is not allowed; allowed: a whole "
                                         "number ≥ 0")
    return int(text)


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``."""
    def parse(text: str) -> int:
        value = int(text) if _WHOLE.fullmatch(text.strip()) and len(text) < 40 else None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{shown(text)} is not allowed; allowed: a whole "
                                             f"number from {low:,} to {high:,}")
        return value
    parse.__name__ = "whole number"
    return parse


def parameter_value(name: str) -> Callable[[str], Any]:
    """An argparse type: a value of parameter ``name``, read as ``--set`` reads it."""
    def parse(text: str) -> Any:
        try:
            return parse_value(name, text)
        except ParameterError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    parse.__name__ = name
    return parse


def parse_sets(items: Sequence[str] | None, option: str = "--set") -> dict[str, Any]:
    """Parse ``NAME=VALUE`` items into typed parameter values.

    Raises:
        ParameterError: for an item without ``=`` or a name, an unknown name, a value of the
            wrong type, or a name given twice.
    """
    values: dict[str, Any] = {}
    for item in items or ():
        name, eq, text = item.partition("=")
        name = name.strip()
        if not eq or not name:
            raise ParameterError(f"{option} expects NAME=VALUE (e.g. dialogue_effort=0.8), "
                                 f"got {shown(item)}")
        if name in values:
            raise ParameterError(f"{option} sets '{name}' twice; allowed: each name once")
        values[name] = parse_value(name, text)
    return values


def horizon(sets: dict[str, Any], months: int | None, option: str = "--set") -> int | None:
    """The ``--months`` value, refusing a different ``months`` in ``sets``.

    Raises:
        ParameterError: when both give the horizon and disagree.
    """
    if months is not None and "months" in sets and sets["months"] != months:
        raise ParameterError(f"--months {months} and {option} months={sets['months']} both set "
                             "the horizon; allowed: one of them (or the same value)")
    return months
