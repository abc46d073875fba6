"""The transition's trajectory for every shipped scenario: the figures a strategy team reads.

For each shipped scenario, medians over seeds (with the lowest and highest seed in brackets):
break-even month, the deepest service dip (service level and extra weeks of waiting), staff on
the task at its peak as a share of the baseline, and mean trust at its lowest and at the end.

Usage: python scripts/trajectory_report.py [--seeds N] [--scenario NAME ...]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np

from sim.runner import simulate
from sim.scenarios import load_scenario, shipped_names
from sim.seeds import replication_seeds

Run = dict[str, np.ndarray]


def _break_even(r: Run) -> float:
    cum = r["cumulative_net_benefit"]
    if cum[-1] < 0:
        return np.nan
    neg = np.flatnonzero(cum < 0)
    return 1.0 if neg.size == 0 else float(neg[-1] + 2)


FIGURES: dict[str, tuple[str, Callable[[Run], float]]] = {
    "break_even": ("break-even month", _break_even),
    "min_service": ("deepest service", lambda r: float(np.nanmin(r["service_level"]))),
    "max_wait": ("peak extra wait (weeks)", lambda r: float(np.nanmax(r["wait_weeks"]))),
    "peak_staff": ("peak staff / baseline", lambda r: float(np.max(r["staff_share"]))),
    "trust_low": ("lowest mean trust", lambda r: float(np.min(r["trust_mean"]))),
    "trust_end": ("trust at the end", lambda r: float(r["trust_mean"][-1])),
}


def _fmt(values: list[float]) -> str:
    arr = np.asarray(values, dtype=float)
    never = int(np.isnan(arr).sum())
    seen = arr[~np.isnan(arr)]
    if seen.size == 0:
        return "never"
    text = f"{np.median(seen):.3g} ({seen.min():.3g}–{seen.max():.3g})"
    return text + (f", never in {never}" if never else "")


def report(names: list[str], n_seeds: int) -> str:
    """The table as Markdown."""
    head = "| scenario | " + " | ".join(label for label, _ in FIGURES.values()) + " |"
    lines = [head, "|" + "---|" * (len(FIGURES) + 1)]
    for name in names:
        params = load_scenario(name).params()
        runs = [simulate(params, s)[0] for s in replication_seeds(0, n_seeds)]
        cells = [_fmt([fn(r) for r in runs]) for _, fn in FIGURES.values()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--scenario", nargs="*", default=None)
    a = ap.parse_args()
    print(report(a.scenario or shipped_names(), a.seeds))


if __name__ == "__main__":
    main()
