"""Read and validate a sweep file (TOML) into a :class:`Sweep`, before any run starts.

Structure is checked by pydantic (:class:`SweepSpec`); meaning (parameter names, ranges,
what each design can sample) against the model's one parameter definition,
``sim.params.specs()``. Every problem raises :class:`SweepFileError` naming the file, the key
and what is allowed. The format is documented in ``experiments/README.md``.
"""

from __future__ import annotations

import csv
import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim_sweep.errors import SweepFileError
from sim_sweep.runids import canonical_json

DESIGNS = ("grid", "points", "lhs", "sobol", "morris")
SAMPLED = ("lhs", "sobol", "morris")
DISTRIBUTIONS = ("uniform", "triangular", "truncnormal", "loguniform")

#: KPI keys of ``sim.kpis.KPIs.to_dict()`` (checked against the model when it is importable).
KPI_KEYS = (
    "break_even_month", "months_to_50pct_gain", "months_to_90pct_gain", "realised_share_y3",
    "realised_share_y5", "realised_share_end", "potential_gain_mdkk", "realised_gain_end_mdkk",
    "cumulative_net_benefit_end_mdkk", "min_service_level", "months_service_below_95pct",
    "shadow_fte_peak", "shadow_fte_end", "trust_end", "share_institutions_served",
)

#: Monthly series columns (docs/api.md), used to check ``keep.series`` before any run.
SERIES_COLUMNS = (
    "month", "year", "n_waiting", "n_transition", "n_served", "share_served", "local_fte",
    "shadow_fte", "centre_fte", "total_fte", "hires_fte", "leavers_fte", "transfers_fte",
    "demand", "processed", "backlog", "productivity", "work_per_fte", "service_level",
    "trust_mean", "trust_p10", "trust_p90", "digital_reduction", "baseline_cost", "running_cost",
    "realised_gain", "potential_gain", "one_off_cost", "cumulative_net_benefit",
)


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


class AnalysisSpec(_Strict):
    """What ``sim analyze`` charts."""

    kpis: list[str] | None = None
    scatter: tuple[str, str] | None = None
    color: str | None = None
    num_resamples: int = Field(100, ge=10, le=100_000)
    conf_level: float = Field(0.95, gt=0, lt=1)


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


@dataclass(frozen=True)
class Factor:
    """One varied parameter, resolved against the model's parameter spec."""

    name: str
    kind: str  # int | float | bool | choice
    levels: tuple[Any, ...] | None  # grid levels (explicit or from range/steps)
    low: float | None
    high: float | None
    distribution: str
    dist_args: tuple[float, ...]  # SALib 'bounds' entry for this factor


@dataclass
class Sweep:
    """A validated sweep: the file's spec plus everything resolved from the model."""

    spec: SweepSpec
    path: Path | None
    text: str
    base: dict[str, Any]  # (first) scenario's overrides + fixed
    factors: list[Factor]
    points_rows: list[dict[str, Any]] | None = None  # design 'points' only
    points_bytes: bytes = b""
    #: scenario name -> its overrides (several when ``scenario`` is a list)
    scenarios: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: case factor -> level name -> parameter values (``[cases.<factor>]``)
    cases: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    @property
    def case_names(self) -> list[str]:
        """Grid factors that are named bundles: ``scenario`` (a list) and ``[cases.*]``."""
        names = ["scenario"] if len(self.scenarios) > 1 else []
        return names + list(self.cases)

    def point_mapping(self, row: dict[str, Any]) -> dict[str, Any]:
        """The parameter values of one design point: scenario, fixed, cases, varied."""
        if len(self.scenarios) > 1:
            values = dict(self.scenarios[row["scenario"]])
        else:
            values = dict(next(iter(self.scenarios.values()), {}))
        values.update(self.spec.fixed)
        for name, levels in self.cases.items():
            values.update(levels[row[name]])
        values.update({k: v for k, v in row.items()
                       if k != "scenario" and k not in self.cases})
        return values

    @property
    def where(self) -> str:
        return str(self.path) if self.path else "<sweep>"

    @property
    def names(self) -> list[str]:
        """Design columns: case factors first, then varied parameters."""
        if self.points_rows is not None:
            return list(self.points_rows[0]) if self.points_rows else []
        return self.case_names + [f.name for f in self.factors]

    def output_dir(self, override: str | Path | None = None) -> Path:
        """The output folder: ``override``, the file's ``output`` or ``results/<name>``."""
        out = override or self.spec.output or f"results/{self.spec.name}"
        return Path(out).expanduser().resolve()

    @property
    def spec_hash(self) -> str:
        """Hash of what defines the design (normalised spec, base parameters, points file)."""
        h = hashlib.sha256()
        h.update(canonical_json(self.spec.model_dump(mode="json")).encode())
        h.update(canonical_json({"scenarios": self.scenarios, "cases": self.cases,
                                 "base": self.base}).encode())
        h.update(self.points_bytes)
        return h.hexdigest()[:16]

    def problem(self) -> dict[str, Any]:
        """The SALib problem dict (sampled designs only)."""
        dists = {"uniform": "unif", "triangular": "triang", "truncnormal": "truncnorm",
                 "loguniform": "logunif"}
        return {
            "num_vars": len(self.factors),
            "names": [f.name for f in self.factors],
            "bounds": [list(f.dist_args) for f in self.factors],
            "dists": [dists[f.distribution] for f in self.factors],
        }

    @property
    def design_seed(self) -> int:
        s = self.spec.sampler.seed
        return int(self.spec.master_seed if s is None else s) % 2**32


def _loc_key(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


def _structure_error(path: Path | None, exc: ValidationError) -> SweepFileError:
    first = exc.errors()[0]
    loc = tuple(first.get("loc") or ())
    key = _loc_key(loc)
    if first.get("type") == "extra_forbidden":
        allowed = _allowed_keys(loc)
        msg = f"unknown key '{loc[-1]}'. Allowed keys here: {', '.join(allowed)}."
        key = _loc_key(loc[:-1]) if len(loc) > 1 else ""
    elif first.get("type") == "missing":
        msg = f"required key '{loc[-1]}' is missing."
    else:
        msg = f"{first.get('msg')} (got {first.get('input')!r})"
    more = len(exc.errors()) - 1
    if more:
        msg += f" (and {more} more problem{'s' if more > 1 else ''})"
    return SweepFileError(path, key, msg)


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    models: dict[str, type[BaseModel]] = {
        "sampler": SamplerSpec, "keep": KeepSpec, "execution": ExecutionSpec,
        "analysis": AnalysisSpec,
    }
    if len(loc) == 1:
        return list(SweepSpec.model_fields)
    if loc[0] == "vary":
        return list(VarySpec.model_fields)
    model = models.get(str(loc[0]))
    return list(model.model_fields) if model else []


def load_sweep(path: str | Path) -> Sweep:
    """Read, parse and validate a sweep file.

    Raises:
        SweepFileError: malformed TOML, unknown keys or parameters, values or ranges outside
            what the model allows, or a design that cannot sample the parameters given.
    """
    from sim.errors import InputFileError
    from sim.textfiles import read_text

    p = Path(path)
    try:
        text = read_text(p, "sweep file")
    except InputFileError as exc:
        raise SweepFileError(p, "", f"the file {exc.problem}") from None
    return parse_sweep(text, p)


def parse_sweep(text: str, path: Path | None = None) -> Sweep:
    """Parse and validate sweep-file text (``path`` names it in messages, resolves files)."""
    from sim.errors import InputFileError
    from sim.textfiles import parse_toml

    try:
        data = parse_toml(text, "the file")
    except InputFileError as exc:
        raise SweepFileError(path, "", str(exc)) from None
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise _structure_error(path, exc) from None
    return _resolve(spec, path, text)


def _scenario_overrides(spec: SweepSpec, path: Path | None) -> dict[str, dict[str, Any]]:
    from sim.errors import SimInputError
    from sim.scenarios import load_scenario

    names = [spec.scenario] if isinstance(spec.scenario, str) else list(spec.scenario)
    if not names:
        raise SweepFileError(path, "scenario", "empty list: name at least one scenario.")
    if len(set(names)) != len(names):
        raise SweepFileError(path, "scenario", f"a scenario is named twice: {names}.")
    if len(names) > 1 and spec.design != "grid":
        raise SweepFileError(path, "scenario", f"a list of scenarios is a grid factor; design "
                             f"'{spec.design}' cannot sample it. Use design 'grid', or one "
                             "scenario per sweep file.")
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        ref = name
        if name.endswith(".toml") and path is not None and not Path(name).is_absolute():
            candidate = path.parent / name
            if candidate.exists():
                ref = str(candidate)
        try:
            scen = load_scenario(ref)
        except (SimInputError, OSError, ValueError) as exc:
            raise SweepFileError(path, "scenario", str(exc)) from None
        out[name] = dict(scen.overrides)
    return out


def _resolve(spec: SweepSpec, path: Path | None, text: str) -> Sweep:
    from sim.errors import SimInputError, unknown_name_message
    from sim.params import make_params, spec_map

    smap = spec_map()
    scenarios = _scenario_overrides(spec, path)

    for name in spec.fixed:
        if name not in smap:
            raise SweepFileError(path, "fixed", unknown_name_message("parameter", name, smap))
    for scen in scenarios.values():
        try:
            make_params({**scen, **spec.fixed})
        except SimInputError as exc:
            raise SweepFileError(path, "fixed", str(exc)) from None
    base = {**next(iter(scenarios.values())), **spec.fixed}
    cases = _check_cases(spec, path, smap)

    factors: list[Factor] = []
    for name, vs in spec.vary.items():
        key = f"vary.{name}"
        if name not in smap:
            raise SweepFileError(path, key, unknown_name_message("parameter", name, smap))
        if name in spec.fixed:
            raise SweepFileError(path, key, f"'{name}' is also in [fixed]; remove it from one.")
        factors.append(_factor(spec, path, key, smap[name], vs))

    sweep = Sweep(spec=spec, path=path, text=text, base=base, factors=factors,
                  scenarios=scenarios, cases=cases)
    _check_design(sweep, smap)
    _check_keep(sweep)
    _check_analysis(sweep, smap)
    return sweep


def _check_cases(spec: SweepSpec, path: Path | None,
                 smap: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """``[cases.<factor>]``: named levels, each setting several parameters (grid only)."""
    from sim.errors import SimInputError, unknown_name_message
    from sim.params import make_params

    for factor, levels in spec.cases.items():
        key = f"cases.{factor}"
        if spec.design != "grid":
            raise SweepFileError(path, key, f"case factors are grid factors; design "
                                 f"'{spec.design}' cannot sample them. Use design 'grid'.")
        if factor in smap or factor == "scenario" or factor in spec.vary:
            raise SweepFileError(path, key, f"'{factor}' names a parameter or 'scenario'; "
                                 "give the case factor another name (e.g. 'strategy').")
        if not levels:
            raise SweepFileError(path, key, "no levels: add e.g. "
                                 "big_bang = { rollout = \"big_bang\" }.")
        for level, values in levels.items():
            lkey = f"{key}.{level}"
            for name in values:
                if name not in smap:
                    raise SweepFileError(path, lkey,
                                         unknown_name_message("parameter", name, smap))
                if name in spec.fixed or name in spec.vary:
                    raise SweepFileError(path, lkey, f"'{name}' is also in "
                                         f"{'[fixed]' if name in spec.fixed else '[vary]'}; "
                                         "set it in one place only.")
            try:
                make_params(dict(values))
            except SimInputError as exc:
                raise SweepFileError(path, lkey, str(exc)) from None
    return {f: {lv: dict(v) for lv, v in levels.items()} for f, levels in spec.cases.items()}


def _factor(spec: SweepSpec, path: Path | None, key: str, ps: Any, vs: VarySpec) -> Factor:
    allowed = ps.describe_allowed()
    if (vs.levels is None) == (vs.range is None):
        raise SweepFileError(path, key, "give exactly one of 'levels = [...]' or "
                             "'range = [low, high]'.")
    sampled = spec.design in SAMPLED
    if sampled and ps.kind in ("bool", "choice"):
        raise SweepFileError(
            path, key,
            f"design '{spec.design}' cannot sample the {ps.kind} parameter '{ps.name}' "
            f"({allowed}). Allowed here: int or float parameters. Put it in [fixed], "
            "or use design 'grid' or 'points'.")
    if spec.design == "points":
        raise SweepFileError(path, key, "design 'points' takes its points from "
                             "[sampler] file; remove the [vary] tables.")
    levels: tuple[Any, ...] | None = None
    low = high = None
    if vs.levels is not None:
        if sampled:
            raise SweepFileError(path, key, f"design '{spec.design}' samples ranges, not "
                                 "levels: write 'range = [low, high]'.")
        if not vs.levels:
            raise SweepFileError(path, key, "levels is empty.")
        levels = tuple(_check_level(path, key, ps, v) for v in vs.levels)
        if len(set(map(repr, levels))) != len(levels):
            raise SweepFileError(path, key, f"levels repeat a value: {list(vs.levels)}.")
    else:
        assert vs.range is not None
        if ps.kind not in ("int", "float"):
            raise SweepFileError(path, key, f"'{ps.name}' is a {ps.kind} parameter: give "
                                 f"'levels' ({allowed}), not a range.")
        low, high = float(vs.range[0]), float(vs.range[1])
        if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
            raise SweepFileError(path, key, f"range {list(vs.range)} must be [low, high] "
                                 "with low < high.")
        if (ps.minimum is not None and low < ps.minimum) or (
                ps.maximum is not None and high > ps.maximum):
            raise SweepFileError(path, key, f"range {list(vs.range)} is outside what "
                                 f"'{ps.name}' allows: {allowed}.")
        if spec.design == "grid":
            if vs.steps is None:
                raise SweepFileError(path, key, "design 'grid' with a range needs "
                                     "'steps' (number of levels, >= 2).")
            import numpy as np

            vals = np.linspace(low, high, vs.steps)
            if ps.kind == "int":
                ints = sorted({int(round(v)) for v in vals})
                levels = tuple(ints)
            else:
                levels = tuple(float(f"{v:.12g}") for v in vals)  # 0.6, not 0.6000000000000001
        elif vs.steps is not None:
            raise SweepFileError(path, key, f"'steps' applies to design 'grid', not "
                                 f"'{spec.design}'.")
    if vs.distribution != "uniform" and not sampled:
        raise SweepFileError(path, key, f"'distribution' applies to designs "
                             f"{', '.join(SAMPLED)}, not '{spec.design}'.")
    dist_args: tuple[float, ...] = ()
    if low is not None and high is not None:
        dist_args = _dist_args(path, key, vs, low, high)
    return Factor(name=ps.name, kind=ps.kind, levels=levels, low=low, high=high,
                  distribution=vs.distribution, dist_args=dist_args)


def _dist_args(path: Path | None, key: str, vs: VarySpec, low: float,
               high: float) -> tuple[float, ...]:
    d = vs.distribution
    if d == "uniform":
        return (low, high)
    if d == "loguniform":
        if low <= 0:
            raise SweepFileError(path, key, "distribution 'loguniform' needs low > 0.")
        return (low, high)
    if d == "triangular":
        if vs.mode is None or not low <= vs.mode <= high:
            raise SweepFileError(path, key, "distribution 'triangular' needs 'mode' "
                                 f"(the peak) within the range [{low:g}, {high:g}].")
        return (low, high, (vs.mode - low) / (high - low) if vs.mode < high else 0.999999)
    # truncnormal
    if vs.mean is None or vs.sd is None:
        raise SweepFileError(path, key, "distribution 'truncnormal' needs 'mean' and 'sd' "
                             "(truncated to the range).")
    return (low, high, float(vs.mean), float(vs.sd))


def _check_level(path: Path | None, key: str, ps: Any, value: Any) -> Any:
    from sim.errors import SimInputError
    from sim.params import make_params

    bad = SweepFileError(path, key, f"level {value!r} is not allowed for '{ps.name}'; "
                         f"allowed: {ps.describe_allowed()}.")
    if ps.kind == "bool" and not isinstance(value, bool):
        raise bad
    if ps.kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise bad
    if ps.kind == "float" and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise bad
    if ps.kind == "float":
        value = float(value)
    if ps.kind == "choice" and not isinstance(value, str):
        raise bad
    try:
        make_params({ps.name: value})
    except SimInputError:
        raise bad from None
    return value


def _check_design(sweep: Sweep, smap: dict[str, Any]) -> None:
    spec, path = sweep.spec, sweep.path
    s = spec.sampler
    if spec.design == "points":
        if sweep.cases or len(sweep.scenarios) > 1:
            raise SweepFileError(path, "design", "design 'points' takes every factor from "
                                 "its CSV file: remove [cases] and the scenario list.")
        if not s.file:
            raise SweepFileError(path, "sampler.file", "design 'points' needs "
                                 "'file' = a CSV file with one column per parameter.")
        sweep.points_rows, sweep.points_bytes = _read_points(sweep, smap)
        return
    if s.file:
        raise SweepFileError(path, "sampler.file", f"'file' applies to design 'points', not "
                             f"'{spec.design}'.")
    if not sweep.factors and spec.design != "grid":
        raise SweepFileError(path, "vary", f"design '{spec.design}' needs at least one "
                             "[vary.<parameter>] table.")
    if spec.design == "grid":
        return
    if spec.design in ("lhs", "sobol") and s.n is None:
        raise SweepFileError(path, "sampler.n", f"design '{spec.design}' needs 'n' "
                             "(number of samples; a power of two for sobol).")
    if spec.design == "sobol":
        assert s.n is not None
        if s.n & (s.n - 1):
            raise SweepFileError(path, "sampler.n", f"design 'sobol' needs n to be a power of "
                                 f"two (got {s.n}; e.g. {1 << (s.n.bit_length() - 1)} or "
                                 f"{1 << s.n.bit_length()}).")
        if len(sweep.factors) < 2:
            raise SweepFileError(path, "vary", "design 'sobol' needs at least two varied "
                                 "parameters.")
    if spec.design == "morris" and s.n is not None:
        raise SweepFileError(path, "sampler.n", "design 'morris' counts 'trajectories', "
                             "not 'n'.")


def _read_points(sweep: Sweep, smap: dict[str, Any]) -> tuple[list[dict[str, Any]], bytes]:
    from sim.errors import SimInputError, unknown_name_message
    from sim.params import make_params

    path = sweep.path
    key = "sampler.file"
    file = Path(sweep.spec.sampler.file or "")
    if not file.is_absolute() and path is not None:
        file = path.parent / file
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise SweepFileError(path, key, f"cannot read points file {file}: "
                             f"{exc.strerror}") from None
    from sim.textfiles import decode

    try:
        text = decode(raw, f"points file {file}")
    except SimInputError as exc:
        raise SweepFileError(path, key, str(exc)) from None
    reader = csv.DictReader(text.splitlines())
    cols = reader.fieldnames or []
    if not cols:
        raise SweepFileError(path, key, f"points file {file} has no header row.")
    for c in cols:
        if c not in smap:
            raise SweepFileError(path, key, f"points file {file}: column "
                                 + unknown_name_message("parameter", c, smap))
        if c in sweep.spec.fixed:
            raise SweepFileError(path, key, f"points file {file}: column '{c}' is also in "
                                 "[fixed]; remove it from one.")
    from sim.params import parse_value

    rows: list[dict[str, Any]] = []
    for i, rec in enumerate(reader, start=2):
        try:
            row = {c: parse_value(c, rec[c] or "") for c in cols}
            make_params(sweep.point_mapping(row))
        except SimInputError as exc:
            raise SweepFileError(path, key, f"points file {file}, line {i}: {exc}") from None
        rows.append(row)
    if not rows:
        raise SweepFileError(path, key, f"points file {file} has no points.")
    return rows, raw


def series_columns() -> tuple[str, ...]:
    """The model's monthly series columns (``sim.recorder.COLUMNS`` when available)."""
    try:
        from sim.recorder import COLUMNS

        return tuple(COLUMNS)
    except ImportError:  # pragma: no cover - older model
        return SERIES_COLUMNS


def kpi_keys() -> tuple[str, ...]:
    """The model's KPI names (``sim.kpis.KPIs.keys()`` when available)."""
    try:
        from sim.kpis import KPIs

        return tuple(KPIs.keys())
    except (ImportError, AttributeError):  # pragma: no cover - older model
        return KPI_KEYS


def _check_keep(sweep: Sweep) -> None:
    series = sweep.spec.keep.series
    if isinstance(series, list):
        if not series:
            raise SweepFileError(sweep.path, "keep.series", "empty list: write "
                                 "\"none\", \"all\" or a list of columns.")
        known = set(series_columns())
        for c in series:
            if c not in known:
                from sim.errors import unknown_name_message

                raise SweepFileError(sweep.path, "keep.series",
                                     unknown_name_message("series column", c, known))


def _check_analysis(sweep: Sweep, smap: dict[str, Any]) -> None:
    from sim.errors import unknown_name_message

    a = sweep.spec.analysis
    for k in (a.kpis or []) + ([a.color] if a.color else []):
        if k not in kpi_keys():
            raise SweepFileError(sweep.path, "analysis",
                                 unknown_name_message("KPI", k, kpi_keys()))
    if a.scatter:
        names = sweep.names
        for n in a.scatter:
            if n not in names:
                raise SweepFileError(sweep.path, "analysis.scatter",
                                     f"'{n}' is not a varied parameter; allowed: "
                                     f"{', '.join(names) or '(none varied)'}.")
