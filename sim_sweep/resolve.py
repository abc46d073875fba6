"""Resolve a sweep file's structure against the model: scenarios, cases, parameters.

Every name and value is checked against the model's one parameter definition
(``sim.params.specs()``), its series columns (``sim.recorder.COLUMNS``) and its KPI keys
(``sim.kpis.KPIs.keys()``), so parameters, columns and KPIs added to the model are accepted
here without any change. Every problem raises :class:`SweepFileError` naming the file, the key
and what is allowed.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from sim.errors import SimInputError, unknown_name_message
from sim.kpis import KPIs
from sim.params import ParamSpec, make_params, spec_map
from sim.recorder import COLUMNS
from sim.scenarios import Scenario, load_scenario, looks_like_path
from sim_sweep.discover import DiscoveryError, parse_condition
from sim_sweep.errors import SweepFileError
from sim_sweep.points import check_design, dist_args, grid_levels
from sim_sweep.schema import SAMPLED, SweepSpec, VarySpec
from sim_sweep.sweep import Factor, Sweep


def resolve(spec: SweepSpec, path: Path | None, text: str) -> Sweep:
    """Check a structurally valid spec against the model; return the resolved sweep."""
    smap = spec_map()
    loaded = load_scenarios(spec, path)
    scenarios = {name: dict(scen.overrides) for name, scen in loaded.items()}

    for name in spec.fixed:
        if name not in smap:
            raise SweepFileError(path, "fixed", unknown_name_message("parameter", name, smap))
    for scen in scenarios.values():
        try:
            make_params({**scen, **spec.fixed})
        except SimInputError as exc:
            raise SweepFileError(path, "fixed", str(exc)) from None
    base = {**next(iter(scenarios.values())), **spec.fixed}
    cases = check_cases(spec, path, smap)

    factors: list[Factor] = []
    for name, vs in spec.vary.items():
        key = f"vary.{name}"
        if name not in smap:
            raise SweepFileError(path, key, unknown_name_message("parameter", name, smap))
        if name in spec.fixed:
            raise SweepFileError(path, key, f"'{name}' is also in [fixed]; remove it from one.")
        factors.append(factor(spec, path, key, smap[name], vs))

    inapplicable_keys(spec, path)
    sweep = Sweep(spec=spec, path=path, text=text, base=base, factors=factors,
                  scenarios=scenarios, cases=cases)
    check_design(sweep, smap)
    if spec.design == "posterior":
        from sim_sweep.draws import read_draws  # the calibration's modules: only when drawn

        sweep.draws = read_draws(sweep, loaded, smap)
    check_keep(sweep)
    check_analysis(sweep)
    return sweep


def load_scenarios(spec: SweepSpec, path: Path | None) -> dict[str, Scenario]:
    """Each named scenario (files relative to the sweep file), by the name the file gives."""
    names = [spec.scenario] if isinstance(spec.scenario, str) else list(spec.scenario)
    if not names:
        raise SweepFileError(path, "scenario", "empty list: name at least one scenario.")
    if len(set(names)) != len(names):
        raise SweepFileError(path, "scenario", f"a scenario is named twice: {names}.")
    out: dict[str, Scenario] = {}
    for name in names:
        ref = name
        # A bare name is a shipped scenario's (never a local file of that name); a path (a
        # folder separator or a .toml suffix) is relative to the sweep file, wherever the
        # command runs.
        if looks_like_path(name) and path is not None and not Path(name).is_absolute():
            ref = str(path.parent / name)
        try:
            scen = load_scenario(ref)
        except (SimInputError, OSError, ValueError) as exc:
            raise SweepFileError(path, "scenario", str(exc)) from None
        if scen.institutions is not None:
            raise SweepFileError(path, "scenario", f"'{name}' names an institutions file; a "
                                 "sweep runs the parameters alone, so it cannot take one yet "
                                 "(allowed: a scenario without 'institutions'; run a team's "
                                 "own institutions with sim run or sim compare --institutions)")
        out[name] = scen
    return out


def check_cases(spec: SweepSpec, path: Path | None,
                smap: dict[str, ParamSpec]) -> dict[str, dict[str, dict[str, Any]]]:
    """``[cases.<factor>]``: named levels (policies), each setting several parameters; a grid
    holds them as factors, any other design is crossed with them."""
    for case_factor, levels in spec.cases.items():
        key = f"cases.{case_factor}"
        if case_factor in smap or case_factor == "scenario" or case_factor in spec.vary:
            raise SweepFileError(path, key, f"'{case_factor}' names a parameter or 'scenario'; "
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


def factor(spec: SweepSpec, path: Path | None, key: str, ps: ParamSpec,
           vs: VarySpec) -> Factor:
    """One ``[vary.<parameter>]`` table, checked against the parameter and the design."""
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
        levels = tuple(check_level(path, key, ps, v) for v in vs.levels)
        if len(set(map(repr, levels))) != len(levels):
            raise SweepFileError(path, key, f"levels repeat a value: {list(vs.levels)}.")
    else:
        assert vs.range is not None
        if ps.kind not in ("int", "float"):
            raise SweepFileError(path, key, f"'{ps.name}' is a {ps.kind} parameter: give "
                                 f"'levels' ({allowed}), not a range.")
        if ps.kind == "int" and not all(isinstance(v, int) for v in vs.range):
            raise SweepFileError(path, key, f"range {list(vs.range)} is not allowed for the "
                                 f"whole-number parameter '{ps.name}'; allowed: whole-number "
                                 f"ends ({allowed}).")
        low, high = float(vs.range[0]), float(vs.range[1])
        if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
            raise SweepFileError(path, key, f"range {list(vs.range)} must be [low, high] "
                                 "with low < high.")
        if (ps.minimum is not None and low < ps.minimum) or (
                ps.maximum is not None and high > ps.maximum):
            raise SweepFileError(path, key, f"range {list(vs.range)} is outside what "
                                 f"'{ps.name}' allows: {allowed}.")
        if spec.design in LEVELLED:
            if vs.steps is None:
                raise SweepFileError(path, key, f"design '{spec.design}' with a range needs "
                                     "'steps' (number of levels, >= 2).")
            levels = grid_levels(ps, low, high, vs.steps)
        elif vs.steps is not None:
            raise SweepFileError(path, key, f"'steps' applies to designs 'grid' and "
                                 f"'posterior', not "
                                 f"'{spec.design}'.")
    if vs.distribution != "uniform" and not sampled:
        raise SweepFileError(path, key, f"'distribution' applies to designs "
                             f"{', '.join(SAMPLED)}, not '{spec.design}'.")
    inapplicable_vary_keys(spec, path, key, vs)
    bounds: tuple[float, ...] = ()
    if low is not None and high is not None:
        bounds = dist_args(path, key, vs, low, high)
    return Factor(name=ps.name, kind=ps.kind, levels=levels, low=low, high=high,
                  distribution=vs.distribution, dist_args=bounds)


#: Designs whose ``[vary]`` tables are grid levels (a posterior design crosses them with
#: its draws).
LEVELLED = ("grid", "posterior")
#: Keys of ``[vary.<parameter>]`` that apply only with one distribution.
DISTRIBUTION_KEYS = {"mode": ("triangular",), "mean": ("truncnormal",), "sd": ("truncnormal",)}
#: Keys of ``[sampler]`` that apply only to some designs (``file`` is checked with the design).
SAMPLER_KEYS = {"n": ("lhs", "sobol", "posterior"), "second_order": ("sobol",),
                "scramble": ("sobol",), "trajectories": ("morris",), "levels": ("morris",),
                "seed": (*SAMPLED, "posterior"), "posterior": ("posterior",)}


def inapplicable_vary_keys(spec: SweepSpec, path: Path | None, key: str, vs: VarySpec) -> None:
    """Refuse keys of a ``[vary]`` table that the design or distribution would ignore."""
    for name, dists in DISTRIBUTION_KEYS.items():
        if name in vs.model_fields_set and vs.distribution not in dists:
            raise SweepFileError(path, key, f"'{name}' applies to distribution "
                                 f"{' or '.join(repr(d) for d in dists)}, not "
                                 f"'{vs.distribution}'; remove it (or set distribution).")


def inapplicable_keys(spec: SweepSpec, path: Path | None) -> None:
    """Refuse ``[sampler]`` and ``[keep]`` keys that this sweep's design would ignore."""
    given = spec.sampler.model_fields_set
    for name, designs in SAMPLER_KEYS.items():
        if name in given and spec.design not in designs:
            if name == "n" and spec.design == "morris":
                continue  # refused with its own message (morris counts trajectories)
            raise SweepFileError(path, f"sampler.{name}", f"'{name}' applies to design "
                                 f"{' or '.join(repr(d) for d in designs)}, not "
                                 f"'{spec.design}'; remove it.")
    if "every" in spec.keep.model_fields_set and spec.keep.series == "none":
        raise SweepFileError(path, "keep.every", "'every' applies when series are kept "
                             "(series = \"all\" or a list of columns), not with "
                             "series = \"none\"; remove it.")


def check_level(path: Path | None, key: str, ps: ParamSpec, value: Any) -> Any:
    """One grid level, strictly of the parameter's type (as in scenario files: ``2.0`` is not
    a whole number, ``0`` not a switch, ``"0.5"`` not a number)."""
    bad = SweepFileError(path, key, f"level {value!r} is not allowed for '{ps.name}'; "
                         f"allowed: {ps.describe_allowed()}.")
    if ps.kind == "bool" and not isinstance(value, bool):
        raise bad
    if ps.kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
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


def check_keep(sweep: Sweep) -> None:
    """``[keep] series`` names recorded columns (``sim.recorder.COLUMNS``)."""
    series = sweep.spec.keep.series
    if isinstance(series, list):
        if not series:
            raise SweepFileError(sweep.path, "keep.series", "empty list: write "
                                 "\"none\", \"all\" or a list of columns.")
        twice = sorted({c for c in series if series.count(c) > 1})
        if twice:
            raise SweepFileError(sweep.path, "keep.series", f"'{twice[0]}' is named twice; "
                                 "allowed: each column once.")
        for c in series:
            if c not in COLUMNS:
                raise SweepFileError(sweep.path, "keep.series",
                                     unknown_name_message("series column", c, COLUMNS))


def check_analysis(sweep: Sweep) -> None:
    """``[analysis]`` names KPIs (``sim.kpis.KPIs.keys()``) and varied parameters."""
    a = sweep.spec.analysis
    keys = KPIs.keys()
    for k in (a.kpis or []) + ([a.color] if a.color else []) + list(a.objectives):
        if k not in keys:
            raise SweepFileError(sweep.path, "analysis", unknown_name_message("KPI", k, keys))
    for k in a.precision:
        if k not in keys:
            raise SweepFileError(sweep.path, "analysis.precision",
                                 unknown_name_message("KPI", k, keys))
    for text in a.satisficing:
        try:
            parse_condition(text, keys)
        except DiscoveryError as exc:
            raise SweepFileError(sweep.path, "analysis.satisficing",
                                 str(exc).replace("--discover", "condition")) from None
    if (a.objectives or a.satisficing) and not sweep.cases:
        raise SweepFileError(sweep.path, "analysis", "objectives and satisficing compare the "
                             "policies of [cases.<factor>]; this sweep has none.")
    if a.precision and sweep.spec.replications < 2:
        raise SweepFileError(sweep.path, "analysis.precision", "'precision' sets the "
                             "interval the replications guidance aims at; it needs at least "
                             "2 replications (replications = 1 here).")
    if a.scatter:
        names = sweep.names
        for n in a.scatter:
            if n not in names:
                raise SweepFileError(sweep.path, "analysis.scatter",
                                     f"'{n}' is not a varied parameter; allowed: "
                                     f"{', '.join(names) or '(none varied)'}.")
