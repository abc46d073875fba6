"""Option parsing for the ``sim`` command: one-line errors and strictly typed option values.

Every error argparse reports goes out as one line, ``sim run: error: ... (see 'sim run
--help')``, exit status 2. Option values are read like the parameter they set: ``--months``
as the ``months`` parameter, ``--seed`` as a whole number ≥ 0, ``--set NAME=VALUE`` through
``sim.params.parse_value`` (strict: ``true``/``false`` for a switch, a whole number for a
whole-number parameter).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from sim.arguments import parse_whole
from sim.errors import ParameterError, shown
from sim.params import parse_value

#: Largest number of paired seeds ``sim compare`` runs (two runs each).
MAX_COMPARE_SEEDS = 100_000


class Once(argparse.Action):
    """Store an option's value, refusing the option when it is given a second time.

    argparse keeps the last of ``--seed 1 --seed 2`` without a word; a person who typed both
    meant one of them, so the command stops and says which option was repeated.
    """

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        seen: set[str] = namespace.__dict__.setdefault("_given_once", set())
        if self.dest in seen:
            parser.error(f"{'/'.join(self.option_strings)} is given twice; allowed: once")
        seen.add(self.dest)
        setattr(namespace, self.dest, values)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (its sub-parsers are of this class too).

    Every option that takes one value is stored with :class:`Once`: given twice, it is
    refused (repeatable options say so with ``action="append"``).
    """

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        """Add an argument; a one-value option (``--seed N``) may be given only once."""
        if args and args[0].startswith("-") and kwargs.get("action") in (None, "store"):
            kwargs["action"] = Once
        return super().add_argument(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        """Print ``PROG: error: MESSAGE (see 'PROG --help')`` and exit with status 2."""
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def seed_value(text: str) -> int:
    """An argparse type: a seed, a whole number ≥ 0 (ASCII digits only, ``sim.arguments``)."""
    try:
        return parse_whole(text, "", 0)
    except ParameterError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``."""
    def parse(text: str) -> int:
        try:
            return parse_whole(text, "", low, high)
        except ParameterError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
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
