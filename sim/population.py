"""Who takes part: institution sizes, their groups (regions) and their centre.

Synthetic institutions have lognormal sizes (a stated assumption: public bodies are skewed in
size). The Danish municipalities are sized by their 1 January 2012 population, read from the
bundled copy of Statistics Denmark's FOLK1A (see ``data/PROVENANCE.md``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from sim.params import Params


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


def build_population(p: Params, rng: np.random.Generator) -> Population:
    """Create the institutions of a run from the parameters and the model's generator."""
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
