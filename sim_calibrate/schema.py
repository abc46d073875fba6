"""The structure of a calibration file (pydantic, strict), and structure errors in plain words.

Only the shape is checked here (keys, types, simple bounds); what the values mean for the model
(parameter names and their allowed ranges, scenarios, columns, KPIs, statistics) is checked in
:mod:`sim_calibrate.spec`. The format is documented in ``docs/calibration.md``.

Types are strict, as in scenario and sweep files: nothing is coerced (a whole number is a TOML
integer, a number an integer or a float, text a quoted string).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.errors import unknown_name_message
from sim_calibrate.errors import CalibrationFileError
from sim_sweep.schema import _trim_loc, _what

#: ``[low, high]``: two numbers.
Pair = Annotated[list[int | float], Field(min_length=2, max_length=2)]
#: Parameter values a target's variant sets on top of its scenario.
Values = dict[str, bool | int | float | str]

#: How a check target's statistic is summarised over the posterior predictive draws.
OVER_DRAWS = ("median", "mean", "p10", "p90")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class PriorSpec(_Strict):
    """One behavioural parameter's prior: uniform over a stated plausible range."""

    range: Pair
    why: str = Field(min_length=1)
    #: Only these scenarios take the drawn value (others keep their own); empty: every one.
    scenarios: list[str] = []


class TargetSpec(_Strict):
    """One target: a summary statistic of model output, what was observed, and its source."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)
    label: str = ""
    scenario: str
    set: Values = {}
    statistic: str
    column: str | None = None
    kpi: str | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    month: int | None = Field(None, ge=1, le=600)
    months: int | None = Field(None, ge=1, le=600)
    level: float | None = None
    observed: float | None = None
    range: Pair | None = None
    tolerance: float = Field(gt=0)
    #: Value used when a run never reaches the figure (e.g. never breaks even); none: a miss.
    never: float | None = None
    source: str = Field(min_length=1)
    use: Literal["fit", "check"]
    over_draws: Literal["median", "mean", "p10", "p90"] = "median"
    note: str = ""


class AbcSpec(_Strict):
    """The ABC-SMC settings (pyabc)."""

    population_size: int = Field(ge=10, le=100_000)
    generations: int = Field(ge=1, le=100)
    #: Each generation's threshold: this quantile of the last generation's distances.
    epsilon_quantile: float = Field(0.5, gt=0, lt=1)
    #: Stop early when the threshold falls to this (distance in tolerance units).
    min_epsilon: float = Field(0.0, ge=0)
    #: Stop early when fewer than this share of simulations is accepted.
    min_acceptance_rate: float = Field(0.0, ge=0, lt=1)
    #: Posterior predictive draws for the checks (resampled by weight).
    predictive_draws: int = Field(100, ge=10, le=100_000)
    #: Scaling of the proposal kernel's covariance (pyabc's MultivariateNormalTransition):
    #: wider kernels keep the importance weights even over many parameters (the effective
    #: sample size up) at the cost of acceptance.
    kernel_scaling: float = Field(1.0, ge=0.1, le=10.0)
    #: The proposal kernel: ``per_parameter`` perturbs each parameter from its own weighted
    #: one-dimensional kernel density, reflected at the prior's bounds
    #: (:class:`sim_calibrate.kernel.ReflectedKernel`); ``joint`` from one multivariate
    #: Gaussian kernel density over all of them (pyabc's MultivariateNormalTransition). With
    #: many parameters the joint density's importance weights degenerate
    #: (docs/calibration.md, "The proposal kernel").
    kernel: Literal["per_parameter", "joint"] = "per_parameter"


class CalibrationSpec(_Strict):
    """The structure of a calibration file."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)
    description: str = ""
    seed: int = Field(ge=0, le=2**63 - 1)
    abc: AbcSpec
    priors: dict[str, PriorSpec]
    targets: list[TargetSpec]


_TABLES: dict[str, type[BaseModel]] = {"abc": AbcSpec, "priors": PriorSpec,
                                       "targets": TargetSpec}


def allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the table that holds the key at ``loc``."""
    if len(loc) == 1:
        return list(CalibrationSpec.model_fields)
    model = _TABLES.get(str(loc[0]))
    return list(model.model_fields) if model else []


def _key(loc: tuple[Any, ...]) -> str:
    """``('targets', 2, 'year')`` → ``[[targets]] 3 year``; ``('priors', 'x', 'range')`` →
    ``[priors.x] range``."""
    if not loc:
        return ""
    if loc[0] == "targets" and len(loc) >= 2 and isinstance(loc[1], int):
        rest = ".".join(str(p) for p in loc[2:] if isinstance(p, str))
        return f"[[targets]] number {loc[1] + 1}" + (f" {rest}" if rest else "")
    if loc[0] == "priors" and len(loc) >= 2:
        rest = ".".join(str(p) for p in loc[2:] if isinstance(p, str))
        return f"[priors.{loc[1]}]" + (f" {rest}" if rest else "")
    if loc[0] == "abc":
        rest = ".".join(str(p) for p in loc[1:])
        return "[abc]" + (f" {rest}" if rest else "")
    return ".".join(str(p) for p in loc)


def structure_error(path: Path | None, exc: ValidationError) -> CalibrationFileError:
    """The first structural problem of a calibration file, as one error naming file and key."""
    errors = exc.errors()
    first = errors[0]
    loc = tuple(first.get("loc") or ())
    where = _trim_loc(loc)
    same = [e for e in errors if _trim_loc(tuple(e.get("loc") or ())) == where]
    places = len({_trim_loc(tuple(e.get("loc") or ())) for e in errors})
    if first.get("type") == "extra_forbidden":
        table = loc[:-1]
        if len(table) >= 2 and table[0] in ("priors", "targets"):
            allowed = list((PriorSpec if table[0] == "priors" else TargetSpec).model_fields)
        else:
            allowed = allowed_keys(loc)
        msg = unknown_name_message("key", str(loc[-1]), allowed)
        key = _key(table)
    elif first.get("type") == "missing":
        msg = f"required key '{loc[-1]}' is missing."
        key = _key(loc[:-1])
    else:
        key = _key(where)
        msg = _what(same, str(where[-1]) if where else "")
    if places > 1:
        msg += f" (and {places - 1} more problem{'s' if places > 2 else ''})"
    return CalibrationFileError(path, key, msg)
