"""The trust channel in the default scenario: trust is decisive, its rates are not identified.

Prints, for the default scenario, medians over seeds with the lowest and highest seed in
brackets:

(a) break-even month and peak shadow staff with every manager's trust held fixed at several
    levels (the shadow, rework and adoption rules read that trust; everything else runs as
    usual);
(b) the break-even month at the two ends of each trust parameter's prior range, read from
    ``calibration/default.toml`` (the parameters of the ``trust`` group in ``sim/params.py``
    that the calibration gives a prior), the others at their defaults;
(c) the same for ``trust_learning_rate`` and ``loss_aversion`` under a big-bang roll-out, with
    the lowest mean trust, and under voluntary adoption, with the institutions that left.

Why (docs/calibration.md, "Why the trust rates stay open"): the learning rate scales both the
first wave's dip (bad evidence when trust weighs most) and the good evidence afterwards (when it
weighs little), so its effects offset; loss aversion acts only in that dip. Where many
managers see bad service at once (a big bang) both matter. The assertions behind these figures
are in ``tests/test_trust_channel.py``.

Usage: python experiments/trust_channel.py [--seeds N] [--calibration FILE]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

import sim
from sim.agents.manager import ManagerFamily
from sim.params import specs
from sim_calibrate.spec import Prior, load_calibration

SCENARIO = "default"
PINNED_LEVELS = (0.3, 0.45, 0.6, 0.75, 0.9, 1.0)
#: The two rates the calibration leaves at their priors, varied again under other roll-outs.
UNIDENTIFIED = ("trust_learning_rate", "loss_aversion")
DEFAULT_CALIBRATION = Path(__file__).resolve().parent.parent / "calibration" / "default.toml"


@contextmanager
def trust_held_at(level: float) -> Iterator[None]:
    """Hold every manager's trust at ``level`` after each month's trust update.

    The month's update still runs (its side effects, e.g. the evidence weights, are kept); only
    the trust the rest of the month reads is replaced. The patch is undone on exit, so the
    model itself is unchanged.
    """
    update = ManagerFamily.update_trust

    def fixed(self: ManagerFamily, *args: Any) -> None:
        update(self, *args)
        self.trust = np.full_like(self.trust, level)

    ManagerFamily.update_trust = fixed  # type: ignore[method-assign]
    try:
        yield
    finally:
        ManagerFamily.update_trust = update  # type: ignore[method-assign]


def runs(seeds: int, overrides: dict[str, Any] | None = None) -> list[sim.Result]:
    """The default scenario, once per seed 1..``seeds``."""
    return [sim.run(SCENARIO, seed=s, overrides=overrides) for s in range(1, seeds + 1)]


def summary(values: Sequence[float | None]) -> str:
    """Median [lowest–highest]; a run that never breaks even counts as 'never'."""
    xs = [np.inf if v is None else float(v) for v in values]

    def fmt(x: float) -> str:
        return "never" if np.isinf(x) else f"{x:.3g}"

    return f"{fmt(statistics.median(xs))} [{fmt(min(xs))}–{fmt(max(xs))}]"


def break_even(rs: list[sim.Result]) -> str:
    return summary([r.kpis.break_even_month for r in rs])


def trust_priors(calibration: Path) -> list[Prior]:
    """The calibration's priors on the parameters of the ``trust`` group, in file order."""
    trust = {s.name for s in specs() if s.group == "trust"}
    return [p for p in load_calibration(calibration).priors
            if p.name in trust and p.applies_to(SCENARIO)]


def ends(prior: Prior) -> tuple[float, float]:
    """The two ends of a prior's range, as the parameter's type wants them."""
    cast: Callable[[float], float] = int if prior.whole else float
    return cast(prior.low), cast(prior.high)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="The trust channel in the default scenario: break-even and shadow staff "
                    "with trust held fixed, and at the ends of the trust parameters' priors.")
    parser.add_argument("--seeds", type=int, default=8,
                        help="seeds per setting, 1..N (default 8; medians with the range)")
    parser.add_argument("--calibration", type=Path, default=DEFAULT_CALIBRATION,
                        help="calibration file whose priors give the ranges "
                             "(default calibration/default.toml)")
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error(f"--seeds: {args.seeds} is not allowed; allowed: a whole number from 1")
    try:
        priors = trust_priors(args.calibration)
    except sim.SimInputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    by_name = {p.name: p for p in priors}
    n = args.seeds
    print(f"{SCENARIO} scenario, seeds 1..{n}: median [lowest–highest seed]\n")

    print("(a) trust held fixed")
    print(f"  {'trust':>6}  {'break-even month':<22}  peak shadow staff (FTE)")
    for level in PINNED_LEVELS:
        with trust_held_at(level):
            rs = runs(n)
        print(f"  {level:>6.2f}  {break_even(rs):<22}  "
              f"{summary([r.kpis.shadow_fte_peak for r in rs])}")

    print(f"\n(b) break-even month at the ends of the trust group's priors "
          f"({args.calibration.name}; the others at their defaults)")
    for p in priors:
        low, high = ends(p)
        print(f"  {p.name:<24} {low:>5g}: {break_even(runs(n, {p.name: low})):<20} "
              f"{high:>5g}: {break_even(runs(n, {p.name: high}))}")

    print("\n(c) the rates the evidence leaves open, where many see bad service")
    for name in UNIDENTIFIED:
        if name not in by_name:
            continue
        low, high = ends(by_name[name])
        for end in (low, high):
            big = runs(n, {"rollout": "big_bang", name: end})
            vol = runs(n, {"adoption": "voluntary", name: end})
            print(f"  {name:<20} {end:>4g}  big bang: break-even {break_even(big):<18} "
                  f"lowest trust {summary([r.kpis.trust_min for r in big]):<18} "
                  f"voluntary: left {summary([r.timeseries['n_left'].iloc[-1] for r in vol])}")
    vol0 = runs(n, {"adoption": "voluntary", "trust_learning_rate": 0.0})
    print(f"  trust_learning_rate     0  voluntary: left "
          f"{summary([r.timeseries['n_left'].iloc[-1] for r in vol0])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
