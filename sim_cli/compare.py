"""Compare two policies on the same dice: paired runs, one seed per replication for both arms.

Both arms use the same replication seeds (common random numbers), so the difference between
them is the policy, not the luck of the draw. Seeds come from ``SeedSequence(master).spawn``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.arguments import check_params, check_seeds
from sim.ensemble import iter_members
from sim.errors import ParameterError
from sim.institutions import InstitutionTable
from sim.kpis import KPIs
from sim.params import Params


@dataclass(frozen=True)
class Comparison:
    """Medians of every KPI for arms A and B and of their paired difference (B − A)."""

    seeds: list[int]
    median_a: dict[str, float | None]
    median_b: dict[str, float | None]
    median_diff: dict[str, float | None]


def _median(values: list[float | int | None]) -> float | None:
    """Median where a run that never reaches a KPI counts as +inf; None if most never do."""
    arr = np.array([np.inf if v is None else float(v) for v in values])
    m = float(np.median(arr))
    return None if np.isinf(m) else m


def compare(a: Params, b: Params, seeds: list[int],
            institutions: tuple[InstitutionTable | None, InstitutionTable | None] = (None, None)
            ) -> Comparison:
    """Run both arms on each seed and summarise.

    ``institutions`` gives each arm's own institutions (``sim.institutions``), if any.

    Raises:
        sim.errors.ParameterError: ``a`` or ``b`` not a valid Params, arms of different
            horizons, or ``seeds`` not a non-empty list of whole numbers ≥ 0.
    """
    check_params(a, "a")
    check_params(b, "b")
    if a.months != b.months:
        raise ParameterError(f"a runs {a.months} months and b {b.months} months: paired "
                             "differences need the same horizon; allowed: one horizon for both")
    seeds = check_seeds(seeds)
    table_a, table_b = institutions
    # each arm's runs are the members of one ensemble (each its single run, bit for bit; only
    # the KPIs' columns recorded, which never changes a KPI)
    runs_a: list[KPIs] = [m.kpis for m in iter_members(a, seeds, (), institutions=table_a)]
    runs_b: list[KPIs] = [m.kpis for m in iter_members(b, seeds, (), institutions=table_b)]
    med_a, med_b, diff = {}, {}, {}
    for key in KPIs.keys():
        va = [getattr(k, key) for k in runs_a]
        vb = [getattr(k, key) for k in runs_b]
        med_a[key], med_b[key] = _median(va), _median(vb)
        pairs = [y - x for x, y in zip(va, vb, strict=True) if x is not None and y is not None]
        diff[key] = float(np.median(pairs)) if len(pairs) * 2 > len(seeds) else None
    return Comparison(seeds=seeds, median_a=med_a, median_b=med_b, median_diff=diff)
