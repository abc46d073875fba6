"""Read a calibration file and check what it means for the model.

:func:`load_calibration` reads the TOML (:mod:`sim.textfiles`), checks its structure
(:mod:`sim_calibrate.schema`) and then its meaning: every prior names a parameter (or a derived
input, :data:`DERIVED`) with a range inside what the parameter definition allows, every target
a shipped scenario, a known statistic with exactly the arguments it needs, a recorded column or
a KPI, and an observed value or range. The first problem is one
:class:`~sim_calibrate.errors.CalibrationFileError` naming the file and the key.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.errors import SimInputError, unknown_name_message
from sim.kpis import KPIs
from sim.params import Params, spec_map
from sim.recorder import COLUMNS
from sim.scenarios import Scenario, load_scenario, shipped_names
from sim.textfiles import parse_toml, read_text
from sim_calibrate.errors import CalibrationFileError
from sim_calibrate.schema import CalibrationSpec, PriorSpec, TargetSpec, structure_error
from sim_calibrate.statistics import ARGS as ARG_KEYS
from sim_calibrate.statistics import STATISTICS

#: Inputs that are not parameters but are turned into one per scenario: name → (parameter it
#: sets, lowest, highest, what it means).
DERIVED: dict[str, tuple[str, float, float, str]] = {
    "frontier_months": (
        "learning_reference_months", 1.0, 240.0,
        "months of full volume until the centre reaches its frontier productivity; turned into "
        "learning_reference_months with the drawn progress ratio and the scenario's initial "
        "and frontier productivity: T / ((frontier / initial)^(1/b) − 1), b = −log2(ratio)"),
}

Variant = tuple[str, tuple[tuple[str, Any], ...]]


@dataclass(frozen=True)
class Prior:
    """A uniform prior over a plausible range."""

    name: str
    low: float
    high: float
    why: str
    whole: bool
    scenarios: tuple[str, ...]

    def applies_to(self, scenario: str) -> bool:
        return not self.scenarios or scenario in self.scenarios


@dataclass(frozen=True)
class Target:
    """One target: a statistic of one variant's runs, an observed value or range, its use."""

    spec: TargetSpec
    variant: Variant

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def fit(self) -> bool:
        return self.spec.use == "fit"

    @property
    def args(self) -> dict[str, Any]:
        return {k: getattr(self.spec, k) for k in ARG_KEYS if getattr(self.spec, k) is not None}

    @property
    def bounds(self) -> tuple[float, float]:
        """The observed range (a point is a range of one value)."""
        if self.spec.range is not None:
            return float(self.spec.range[0]), float(self.spec.range[1])
        return float(self.spec.observed), float(self.spec.observed)  # type: ignore[arg-type]

    def describe_observed(self) -> str:
        lo, hi = self.bounds
        return f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"


@dataclass(frozen=True)
class Calibration:
    """A checked calibration file."""

    spec: CalibrationSpec
    path: Path | None
    text: str
    priors: tuple[Prior, ...]
    targets: tuple[Target, ...]

    @property
    def name(self) -> str:
        return self.spec.name

    @cached_property
    def file_hash(self) -> str:
        """SHA-256 of the file's text (the posterior's provenance)."""
        return hashlib.sha256(self.text.encode()).hexdigest()

    @cached_property
    def identity(self) -> str:
        """SHA-256 of what the history depends on: the file without its stopping rules
        (``[abc]`` ``generations``, ``min_epsilon``, ``min_acceptance_rate``,
        ``predictive_draws``), so a history can be continued for more generations."""
        data = self.spec.model_dump()
        for key in ("generations", "min_epsilon", "min_acceptance_rate", "predictive_draws"):
            data["abc"].pop(key)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()

    @property
    def fit_targets(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.fit)

    @property
    def check_targets(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if not t.fit)

    def variants(self, fit_only: bool = False) -> tuple[Variant, ...]:
        """The scenario variants the targets need, each run once per draw."""
        targets = self.fit_targets if fit_only else self.targets
        return tuple(dict.fromkeys(t.variant for t in targets))

    def params(self, variant: Variant, draw: Mapping[str, float]) -> Params:
        """The parameters of one variant at one draw: the scenario, the variant's values,
        then the drawn values of the priors that apply to the scenario."""
        scenario, values = variant
        sc = load_scenario(scenario)
        base = sc.params(dict(values))
        drawn = {p.name: (int(round(draw[p.name])) if p.whole else float(draw[p.name]))
                 for p in self.priors if p.applies_to(scenario) and p.name in draw}
        drawn = _derive(base, drawn)
        return sc.params({**dict(values), **drawn})


def _derive(base: Params, drawn: dict[str, Any]) -> dict[str, Any]:
    """Turn derived inputs (:data:`DERIVED`) into the parameters they set."""
    out = dict(drawn)
    if "frontier_months" in out:
        months = out.pop("frontier_months")
        ratio_p = out.get("progress_ratio", base.progress_ratio)
        b = -math.log2(ratio_p)
        ratio = (max(base.frontier_productivity, base.initial_productivity)
                 / base.initial_productivity)
        if ratio > 1.0 and b > 0:
            spec = spec_map()["learning_reference_months"]
            value = months / (ratio ** (1.0 / b) - 1.0)
            out["learning_reference_months"] = min(max(value, spec.minimum), spec.maximum)
    return out


def load_calibration(path: str | Path) -> Calibration:
    """Read and check a calibration file.

    Raises:
        sim.errors.InputFileError: the file cannot be read as UTF-8 TOML.
        CalibrationFileError: the first structural or semantic problem, naming file and key.
    """
    path = Path(path)
    text = read_text(path, "calibration file")
    data = parse_toml(text, f"calibration file '{path}'")
    return check_calibration(data, path, text)


def check_calibration(data: Mapping[str, Any], path: Path | None = None,
                      text: str = "") -> Calibration:
    """Check a parsed calibration file (see :func:`load_calibration`)."""
    try:
        spec = CalibrationSpec.model_validate(dict(data))
    except ValidationError as exc:
        raise structure_error(path, exc) from None
    if not spec.priors:
        raise CalibrationFileError(path, "[priors]", "is empty; allowed: at least one "
                                   "behavioural parameter with its plausible range")
    if not spec.targets:
        raise CalibrationFileError(path, "targets", "is empty; allowed: at least one "
                                   "[[targets]] table")
    priors = tuple(_prior(path, name, p) for name, p in spec.priors.items())
    names = [t.name for t in spec.targets]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise CalibrationFileError(path, f"[[targets]] number {i + 1} name",
                                       f"'{name}' is used twice; allowed: a name of its own")
    targets = tuple(_target(path, i, t) for i, t in enumerate(spec.targets))
    if not any(t.fit for t in targets):
        raise CalibrationFileError(path, "targets", "has no target with use = \"fit\"; "
                                   "allowed: at least one target to fit (the rest checks)")
    cal = Calibration(spec, path, text, priors, targets)
    for p in priors:
        if p.scenarios and not any(p.applies_to(t.variant[0]) for t in targets):
            raise CalibrationFileError(path, f"[priors.{p.name}] scenarios", "names no "
                                       "scenario a target runs; allowed: "
                                       + ", ".join(sorted({t.variant[0] for t in targets})))
    _check_corners(cal)
    return cal


def _prior(path: Path | None, name: str, p: PriorSpec) -> Prior:
    key = f"[priors.{name}]"
    smap = spec_map()
    if name in DERIVED:
        _, lo_ok, hi_ok, _ = DERIVED[name]
        whole = False
    elif name in smap:
        s = smap[name]
        if s.kind not in ("int", "float"):
            raise CalibrationFileError(path, key, f"parameter '{name}' is {s.describe_allowed()}"
                                       "; allowed: a numeric parameter (a prior is a range)")
        lo_ok, hi_ok, whole = s.minimum, s.maximum, s.kind == "int"
    else:
        raise CalibrationFileError(path, key, unknown_name_message(
            "parameter", name, [*smap, *DERIVED]))
    lo, hi = (float(v) for v in p.range)
    if not lo < hi:
        raise CalibrationFileError(path, f"{key} range", f"[{lo:g}, {hi:g}] is not allowed; "
                                   "allowed: [low, high] with low < high")
    if lo < lo_ok or hi > hi_ok:
        raise CalibrationFileError(path, f"{key} range", f"[{lo:g}, {hi:g}] is outside what "
                                   f"'{name}' allows; allowed: within {lo_ok:g} to {hi_ok:g}")
    for s in p.scenarios:
        if s not in shipped_names():
            raise CalibrationFileError(path, f"{key} scenarios", unknown_name_message(
                "scenario", s, shipped_names()))
    return Prior(name, lo, hi, p.why, whole, tuple(p.scenarios))


def _target(path: Path | None, i: int, t: TargetSpec) -> Target:
    key = f"[[targets]] number {i + 1} ('{t.name}')"
    if t.scenario not in shipped_names():
        raise CalibrationFileError(path, f"{key} scenario", unknown_name_message(
            "scenario", t.scenario, shipped_names()))
    sc: Scenario = load_scenario(t.scenario)
    try:
        sc.params(dict(t.set))
    except SimInputError as exc:
        raise CalibrationFileError(path, f"{key} set", str(exc)) from None
    if t.statistic not in STATISTICS:
        raise CalibrationFileError(path, f"{key} statistic", unknown_name_message(
            "statistic", t.statistic, STATISTICS))
    needs = STATISTICS[t.statistic].needs
    for arg in ARG_KEYS:
        given = getattr(t, arg) is not None
        if arg in needs and not given:
            raise CalibrationFileError(path, key, f"statistic '{t.statistic}' needs '{arg}'; "
                                       f"allowed: {', '.join(needs) or 'no arguments'}")
        if given and arg not in needs:
            raise CalibrationFileError(path, f"{key} {arg}", f"is not used by statistic "
                                       f"'{t.statistic}'; allowed: "
                                       f"{', '.join(needs) or 'no arguments'}")
    if t.column is not None and t.column not in COLUMNS:
        raise CalibrationFileError(path, f"{key} column", unknown_name_message(
            "column", t.column, COLUMNS))
    if t.kpi is not None and t.kpi not in KPIs.keys():
        raise CalibrationFileError(path, f"{key} kpi", unknown_name_message(
            "KPI", t.kpi, KPIs.keys()))
    if (t.observed is None) == (t.range is None):
        raise CalibrationFileError(path, key, "needs exactly one of 'observed' (a value) and "
                                   "'range' ([low, high])")
    if t.range is not None and not t.range[0] <= t.range[1]:
        raise CalibrationFileError(path, f"{key} range", f"{list(t.range)} is not allowed; "
                                   "allowed: [low, high] with low ≤ high")
    return Target(t, (t.scenario, tuple(sorted(t.set.items()))))


def _check_corners(cal: Calibration) -> None:
    """Every variant must accept the priors' lowest and highest values (each prior alone)."""
    for variant in cal.variants():
        for p in cal.priors:
            if not p.applies_to(variant[0]):
                continue
            for value in (p.low, p.high):
                try:
                    cal.params(variant, {p.name: value})
                except SimInputError as exc:
                    raise CalibrationFileError(
                        cal.path, f"[priors.{p.name}] range",
                        f"{value:g} cannot run scenario '{variant[0]}' ({exc})") from None
