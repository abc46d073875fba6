"""The structure of a sweep file (pydantic, strict), and structure errors in plain words.

Only the shape is checked here (keys, types, simple bounds); what the values mean for the
model (parameter names, ranges, what a design can sample, which keys apply to it) is checked
in :mod:`sim_sweep.resolve`. The format is documented in ``experiments/README.md``.

Types are strict, as in scenario files: nothing is coerced. A whole number is a TOML integer
(not ``2.0``, ``true`` or ``"2"``), a number an integer or a float (not ``"0.9"`` or
``true``), a switch ``true`` or ``false`` (not ``0`` or ``"yes"``), text a quoted string.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.errors import shown, unknown_name_message
from sim_sweep.errors import SweepFileError

DESIGNS = ("grid", "points", "lhs", "sobol", "morris", "posterior")
#: Designs that sample ranges of numbers (SALib).
SAMPLED = ("lhs", "sobol", "morris")
#: Designs whose points are samples rather than chosen levels (the report summarises them).
RANDOM = (*SAMPLED, "posterior")
DISTRIBUTIONS = ("uniform", "triangular", "truncnormal", "loguniform")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


#: ``[low, high]``: two numbers (TOML has no tuples; a strict tuple would refuse a TOML array).
Pair = Annotated[list[int | float], Field(min_length=2, max_length=2)]


class VarySpec(_Strict):
    """How one parameter varies: ``levels``, or a ``range`` (with ``steps`` for a grid)."""

    levels: list[bool | int | float | str] | None = None
    range: Pair | None = None
    steps: int | None = Field(None, ge=2, le=100_000)
    distribution: Literal["uniform", "triangular", "truncnormal", "loguniform"] = "uniform"
    mode: float | None = None
    mean: float | None = None
    sd: float | None = Field(None, gt=0)


class SamplerSpec(_Strict):
    """Options of the design's sampler."""

    n: int | None = Field(None, ge=1, le=10_000_000)
    second_order: bool = False
    scramble: bool = True
    trajectories: int = Field(10, ge=2, le=100_000)
    levels: int = Field(4, ge=2, le=1000)
    file: str | None = None
    seed: int | None = Field(None, ge=0)
    #: Design ``posterior``: a shipped posterior's name or a ``.parquet`` path (relative to the
    #: sweep file); default: the base scenario's ``posterior``, else ``default``.
    posterior: str | None = None


class KeepSpec(_Strict):
    """What is stored per run besides the KPIs."""

    series: Literal["none", "all"] | list[str] = "none"
    every: int = Field(1, ge=1, le=600)


class ExecutionSpec(_Strict):
    """Defaults for the command line's execution options."""

    batch_size: int = Field(0, ge=0, le=1_000_000)
    workers: int | None = Field(None, ge=1, le=100_000)
    #: Sweeps with more runs than this need ``--yes`` (a guard against a mistyped design).
    confirm_above: int = Field(100_000, ge=1)


class AnalysisSpec(_Strict):
    """What ``sim analyze`` charts."""

    kpis: list[str] | None = None
    scatter: Annotated[list[str], Field(min_length=2, max_length=2)] | None = None
    color: str | None = None
    num_resamples: int = Field(100, ge=10, le=100_000)
    conf_level: float = Field(0.95, gt=0, lt=1)
    #: KPI -> "max" or "min": which way is better (regret of the [cases] policies).
    objectives: dict[str, Literal["max", "min"]] = {}
    #: Conditions a policy should meet, e.g. "cumulative_net_benefit_end_mdkk >= 0".
    satisficing: list[str] = []
    #: KPI -> the half-width its interval per design point should have (in its unit), for the
    #: replications guidance (default: 5 % of the magnitude of its mean).
    precision: dict[str, Annotated[float, Field(gt=0, allow_inf_nan=False)]] = {}


class SweepSpec(_Strict):
    """The structure of a sweep file."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)
    description: str = ""
    scenario: str | list[str] = "default"
    design: Literal["grid", "points", "lhs", "sobol", "morris", "posterior"]
    replications: int = Field(1, ge=1, le=1_000_000)
    master_seed: int = Field(ge=0, le=2**63 - 1)
    seeds: Literal["common", "per_point"] = "common"
    output: str | None = None
    fixed: dict[str, bool | int | float | str] = {}
    vary: dict[str, VarySpec] = {}
    cases: dict[str, dict[str, dict[str, bool | int | float | str]]] = {}
    sampler: SamplerSpec = SamplerSpec()
    keep: KeepSpec = KeepSpec()
    execution: ExecutionSpec = ExecutionSpec()
    analysis: AnalysisSpec = AnalysisSpec()


_TABLES: dict[str, type[BaseModel]] = {
    "sampler": SamplerSpec, "keep": KeepSpec, "execution": ExecutionSpec,
    "analysis": AnalysisSpec,
}


def _loc_key(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


def allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the table that holds the key at ``loc``."""
    if len(loc) == 1:
        return list(SweepSpec.model_fields)
    if loc[0] == "vary":
        return list(VarySpec.model_fields)
    model = _TABLES.get(str(loc[0]))
    return list(model.model_fields) if model else []


#: What each pydantic type error allows, in the words of the rest of the program.
_ALLOWED = {
    "int_type": "a whole number (e.g. 3; not 3.0, true or \"3\")",
    "int_from_float": "a whole number (e.g. 3; not 3.0)",
    "float_type": "a number (e.g. 0.5; not \"0.5\" or true)",
    "bool_type": "true or false (not 0, 1 or \"yes\")",
    "string_type": "text in quotes",
    "list_type": "a list [...]",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "finite_number": "a finite number (not nan or inf)",
}


#: Lists whose length is fixed: key -> number of items.
_LENGTHS = {"range": "exactly 2 items: [low, high]", "scatter": "exactly 2 items: [x, y]"}


def _what(errors: list[dict[str, Any]], key: str) -> str:
    """What is wrong at one location and what is allowed, in one sentence.

    ``errors`` are pydantic's errors at that location (one per member of a union such as
    ``int | float``: their allowed types are joined).
    """
    first = errors[0]
    kind = str(first.get("type"))
    value = first.get("input")
    kinds = list(dict.fromkeys(str(e.get("type")) for e in errors))
    if all(k in _ALLOWED for k in kinds):
        if set(kinds) <= {"int_type", "float_type"} and len(kinds) == 2:
            allowed = _ALLOWED["float_type"]
        else:
            allowed = " or ".join(_ALLOWED[k] for k in kinds)
        return f"{shown(value)} is not allowed; allowed: {allowed}."
    if kind in ("too_short", "too_long"):
        size = _LENGTHS.get(key.rsplit(".", 1)[-1], "another number of items")
        return f"{shown(value)} is not allowed; allowed: a list of {size}."
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        ctx = first.get("ctx", {})
        words = {"greater_than": "above", "greater_than_equal": "at least",
                 "less_than": "below", "less_than_equal": "at most"}[kind]
        bound = next(iter(ctx.values()), "")
        return f"{shown(value)} is not allowed; allowed: a number {words} {bound}."
    if kind == "literal_error":
        return f"{shown(value)} is not allowed; allowed: {first.get('ctx', {}).get('expected')}."
    return f"{shown(value)} is not allowed: {first.get('msg')}."


def structure_error(path: Path | None, exc: ValidationError) -> SweepFileError:
    """The first structural problem of a sweep file, as one :class:`SweepFileError`.

    The message names the file, the table and the key, what is wrong and what is allowed
    (for an unknown key: the closest allowed one, and all of them).
    """
    errors = exc.errors()
    first = errors[0]
    loc = tuple(first.get("loc") or ())

    def where(e: dict[str, Any]) -> tuple[Any, ...]:  # location without union-member tags
        return tuple(p for p in _trim_loc(tuple(e.get("loc") or ())))

    same = [e for e in errors if where(e) == where(first)]
    places = len({where(e) for e in errors})
    if first.get("type") == "extra_forbidden":
        msg = unknown_name_message("key", str(loc[-1]), allowed_keys(loc))
        key = _loc_key(loc[:-1]) if len(loc) > 1 else ""
    elif first.get("type") == "missing":
        msg = f"required key '{loc[-1]}' is missing."
        key = _loc_key(loc)
    else:
        # ('vary', 'x', 'range', 0, 'float') -> key 'vary.x.range', item 1 of the list
        trimmed = where(first)
        key = _loc_key(tuple(p for p in trimmed if isinstance(p, str)))
        items = [p for p in trimmed if isinstance(p, int)]
        item = f"item {items[-1] + 1}: " if items else ""
        msg = item + _what(same, key)
    if places > 1:
        msg += f" (and {places - 1} more problem{'s' if places > 2 else ''})"
    return SweepFileError(path, key, msg)


def _trim_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's union-member tags (``int``, ``float``, ``list[...]``) from a location."""
    return tuple(p for i, p in enumerate(loc)
                 if not (i >= 1 and isinstance(p, str)
                         and (p in ("int", "float", "bool", "str") or "[" in p)))
