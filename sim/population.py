"""Who takes part: institution sizes, their groups (regions) and their centre.

Synthetic institutions have lognormal sizes (a stated assumption: public bodies are skewed in
size). The Danish municipalities are sized by their 1 January 2012 population, read from the
bundled copy of Statistics Denmark's FOLK1A (see ``data/PROVENANCE.md``). A team's own
institutions come from a file (:class:`sim.institutions.InstitutionTable`): their names, groups
and staff are taken as they are, and the parameters the file fixes (:func:`fixed_by`) are set
from it (:func:`params_for`), so a run from a file is a run of those parameters.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from sim.errors import ParameterError
from sim.institutions import InstitutionFileError, InstitutionTable
from sim.params import Params, make_params, spec_map

if TYPE_CHECKING:
    from sim.agents.institution import InstitutionFamily
    from sim.agents.manager import ManagerFamily


@dataclass(frozen=True)
class Population:
    """Static description of the institutions of one run."""

    names: tuple[str, ...]
    baseline_fte: np.ndarray  # FTE on the pooled tasks before the reform
    group: np.ndarray  # group (region) index per institution
    group_names: tuple[str, ...]
    centre: np.ndarray  # centre index per institution


@cache
def municipalities() -> tuple[tuple[str, str, int], ...]:
    """Return (name, region, population 2012) for the 98 Danish municipalities."""
    text = resources.files("sim.data").joinpath("dk_municipalities_2012.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple((r["name"], r["region"], int(r["population"])) for r in rows)


def assign_centres(group: np.ndarray, n_groups: int, n_centres: int) -> np.ndarray:
    """Assign each institution to a centre by its group (region).

    Groups are dealt to centres in turn (group g → centre g mod n_centres). Where there are more
    centres than groups, the surplus centres would stay empty, so institutions are then dealt
    out by index instead.
    """
    if n_centres <= n_groups:
        return (group % n_centres).astype(np.int64)
    return (np.arange(group.size) % n_centres).astype(np.int64)


def institution_names(p: Params) -> tuple[str, ...]:
    """The institutions' names: the Danish municipalities by name, synthetic ones numbered."""
    if p.institution_source == "dk_municipalities_2012":
        return tuple(r[0] for r in municipalities())
    return tuple(f"Institution {i + 1}" for i in range(p.n_institutions))


def fixed_by(table: InstitutionTable) -> dict[str, object]:
    """The parameters an institutions file fixes, with their values from the file.

    Count, total staff and groups always; with a ``wave`` column also the roll-out (one wave:
    a big bang) and the number of waves. ``institution_source`` stays as it is (the file
    replaces whatever it would draw).
    """
    fixed: dict[str, object] = {"n_institutions": len(table),
                                "baseline_fte_total": table.total_fte,
                                "n_groups": len(table.group_names)}
    if table.wave is not None:
        n_waves = max(table.wave)
        fixed["rollout"] = "waves" if n_waves > 1 else "big_bang"
        if n_waves > 1:
            fixed["n_waves"] = n_waves
    return fixed


def params_for(table: InstitutionTable, base: Mapping[str, object],
               explicit: Mapping[str, object] | None = None) -> Params:
    """Validated parameters for a run of ``table``: ``base`` (a scenario's values), then
    ``explicit`` (values a person gave for this run), then what the file fixes.

    A scenario's own value of a parameter the file fixes gives way to the file's; a value
    given explicitly must agree with it.

    Raises:
        ParameterError: when ``explicit`` sets a parameter the file fixes to another value
            (one line naming the parameter, both values and the file), or a bad value.
        InstitutionFileError: a file whose staff add up to more or less than the model allows
            in all, or with more groups than it allows.
    """
    fixed = fixed_by(table)
    def number(x: float) -> str:
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.6g}"

    for name, what, unit in (("baseline_fte_total", "the staff add up to", " FTE"),
                             ("n_groups", "the groups number", " groups")):
        spec = spec_map()[name]
        value = float(fixed[name])  # type: ignore[arg-type]
        if not spec.minimum <= value <= spec.maximum:  # type: ignore[operator]
            raise InstitutionFileError(
                f"{table.source}: {what} {number(value)}; allowed: {number(spec.minimum)} to "
                f"{number(spec.maximum)}{unit} in all (the model's '{name}')")
    explicit = dict(explicit or {})
    for name, value in explicit.items():
        if name in fixed and value != fixed[name]:
            raise ParameterError(
                f"parameter '{name}' = {value!r} is fixed by the institutions file "
                f"{table.source} (to {fixed[name]!r}); allowed: leave it out, or change the "
                "file")
    checked = {**base, **explicit, **fixed}
    if checked.get("institution_source") == "dk_municipalities_2012":
        checked["institution_source"] = "synthetic"  # the file replaces the municipalities
    return make_params(checked)


def check_table(p: Params, table: InstitutionTable) -> None:
    """Raise ParameterError when ``p`` does not hold what the file fixes (see :func:`params_for`)."""
    for name, value in fixed_by(table).items():
        if getattr(p, name) != value:
            raise ParameterError(
                f"parameter '{name}' = {getattr(p, name)!r} does not match the institutions "
                f"file {table.source} ({value!r}); allowed: the parameters of "
                "sim.population.params_for(table, ...)")


def _from_table(p: Params, table: InstitutionTable) -> Population:
    """The file's institutions; groups are numbered in alphabetical order, as the
    municipalities' regions are, so the same institutions give the same run either way."""
    group_names = tuple(sorted(table.group_names))
    index = {g: k for k, g in enumerate(group_names)}
    group = np.array([index[g] for g in table.groups], dtype=np.int64)
    baseline = np.array(table.fte, dtype=float)
    centre = assign_centres(group, len(group_names), p.n_centres)
    return Population(table.names, baseline, group, group_names, centre)


def build_population(p: Params, rng: np.random.Generator,
                     table: InstitutionTable | None = None) -> Population:
    """Create the institutions of a run from the parameters and the model's generator, or
    from an institutions file (``table``; then ``p`` must hold what it fixes, and no random
    number is drawn here)."""
    if table is not None:
        check_table(p, table)
        return _from_table(p, table)
    if p.institution_source == "dk_municipalities_2012":
        rows = municipalities()
        group_names = tuple(sorted({r[1] for r in rows}))
        group = np.array([group_names.index(r[1]) for r in rows], dtype=np.int64)
        weight = np.array([r[2] for r in rows], dtype=float)
    else:
        n = p.n_institutions
        group_names = tuple(f"Group {g + 1}" for g in range(p.n_groups))
        group = rng.integers(0, p.n_groups, size=n)
        weight = rng.lognormal(mean=0.0, sigma=p.size_dispersion, size=n)
    baseline = p.baseline_fte_total * weight / weight.sum()
    centre = assign_centres(group, len(group_names), p.n_centres)
    return Population(institution_names(p), baseline, group, group_names, centre)


def own_columns(table: InstitutionTable, inst: InstitutionFamily, mgr: ManagerFamily,
                prior_months: float) -> None:
    """Put a file's optional columns in place of the draws they replace (when the model is
    built, before the centres plan on the institutions' work).

    * ``cost_per_fte``: its ratio to the staff-weighted mean becomes the institution's own
      cost per case relative to the average (``inst.unit_cost``), i.e. a team's differences in
      cost per FTE are read as differences in cost per case (a stated assumption: the file
      says nothing about cases per FTE); the centre's work is recomputed from it.
    * ``initial_trust``: each manager's first view, held as ``prior_months`` of evidence.
    * ``control_need``: each manager's need to keep control locally.
    """
    from sim.agents.institution import case_work
    from sim.agents.manager import first_reputation

    if table.cost_per_fte is not None:
        cost = np.array(table.cost_per_fte, dtype=float)
        inst.unit_cost = cost / (np.dot(cost, inst.baseline_fte) / inst.baseline_fte.sum())
        inst.moved_work = case_work(inst.moved_fte, inst.unit_cost)
    if table.initial_trust is not None:
        mgr.first_view = np.array(table.initial_trust, dtype=float)
        mgr.trust, mgr.evidence = first_reputation(mgr.first_view, prior_months)
    if table.control_need is not None:
        mgr.control_need = np.array(table.control_need, dtype=float)
