"""The structure of a sweep file (pydantic), and structure errors in plain words.

Only the shape is checked here (keys, types, simple bounds); what the values mean for the
model (parameter names, ranges, what a design can sample) is checked in
:mod:`sim_sweep.resolve`. The format is documented in ``experiments/README.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim_sweep.errors import SweepFileError

DESIGNS = ("grid", "points", "lhs", "sobol", "morris")
SAMPLED = ("lhs", "sobol", "morris")
DISTRIBUTIONS = ("uniform", "triangular", "truncnormal", "loguniform")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VarySpec(_Strict):
    """How one parameter varies: ``levels``, or a ``range`` (with ``steps`` for a grid)."""

    levels: list[bool | int | float | str] | None = None
    range: tuple[float, float] | None = None
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
    scatter: tuple[str, str] | None = None
    color: str | None = None
    num_resamples: int = Field(100, ge=10, le=100_000)
    conf_level: float = Field(0.95, gt=0, lt=1)
    #: KPI -> "max" or "min": which way is better (regret of the [cases] policies).
    objectives: dict[str, Literal["max", "min"]] = {}
    #: Conditions a policy should meet, e.g. "cumulative_net_benefit_end_mdkk >= 0".
    satisficing: list[str] = []


class SweepSpec(_Strict):
    """The structure of a sweep file."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)
    description: str = ""
    scenario: str | list[str] = "default"
    design: Literal["grid", "points", "lhs", "sobol", "morris"]
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


def structure_error(path: Path | None, exc: ValidationError) -> SweepFileError:
    """The first structural problem of a sweep file, as one :class:`SweepFileError`."""
    first = exc.errors()[0]
    loc = tuple(first.get("loc") or ())
    key = _loc_key(loc)
    if first.get("type") == "extra_forbidden":
        msg = f"unknown key '{loc[-1]}'. Allowed keys here: {', '.join(allowed_keys(loc))}."
        key = _loc_key(loc[:-1]) if len(loc) > 1 else ""
    elif first.get("type") == "missing":
        msg = f"required key '{loc[-1]}' is missing."
    else:
        msg = f"{first.get('msg')} (got {first.get('input')!r})"
    more = len(exc.errors()) - 1
    if more:
        msg += f" (and {more} more problem{'s' if more > 1 else ''})"
    return SweepFileError(path, key, msg)
