"""Count crashes over random VALID parameter sets (a measurement script, not a test).

    python -m tests.badinput.random_valid [--sets 2100] [--seed 1]

Draws every parameter from its spec in ``sim.params.specs()`` — a fifth of the draws at the
lower bound, a fifth at the upper bound, some a hair inside a bound, the rest uniform (whole
numbers log-uniform over wide ranges) — and runs each set for its horizon. To keep the count
to minutes, ``n_institutions`` is capped at 500 and ``months`` at 36 (the property tests in
``tests/test_properties.py`` draw the full ranges). Prints the crashes grouped by error.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from typing import Any

import numpy as np

CAPS = {"n_institutions": 500, "months": 36}


def draw(spec: Any, rng: np.random.Generator) -> Any:
    """One valid value of a parameter."""
    if spec.kind == "bool":
        return bool(rng.integers(2))
    if spec.kind == "choice":
        return str(rng.choice(list(spec.choices)))
    lo, hi = spec.minimum, min(spec.maximum, CAPS.get(spec.name, spec.maximum))
    u = rng.random()
    if u < 0.2:
        value = lo
    elif u < 0.4:
        value = hi
    elif u < 0.5 and spec.kind == "float":
        value = (np.nextafter(lo, hi) if rng.random() < 0.5 else np.nextafter(hi, lo))
    elif spec.kind == "int" and hi / max(lo, 1) > 100:
        value = math.exp(rng.uniform(math.log(max(lo, 1)), math.log(hi + 1)))
    else:
        value = rng.uniform(lo, hi)
    return int(min(max(round(value), lo), hi)) if spec.kind == "int" else float(value)


def draw_set(rng: np.random.Generator) -> dict[str, Any]:
    from sim.params import specs

    values = {s.name: draw(s, rng) for s in specs()}
    if values.get("institution_source") == "dk_municipalities_2012":
        values["n_institutions"] = 98
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=2100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from sim.params import make_params
    from sim.runner import simulate

    rng = np.random.default_rng(args.seed)
    crashes: Counter[str] = Counter()
    examples: dict[str, dict[str, Any]] = {}
    refused = 0
    for i in range(args.sets):
        values = draw_set(rng)
        try:
            params = make_params(values)
        except ValueError:
            refused += 1
            continue
        try:
            arrays, _ = simulate(params, i)
        except Exception as exc:
            key = f"{type(exc).__name__}: {str(exc)[:80]}"
            crashes[key] += 1
            examples.setdefault(key, values)
    total = sum(crashes.values())
    print(f"{args.sets} random valid sets: {total} crashed, {refused} refused by validation")
    for key, n in crashes.most_common():
        ex = examples[key]
        hint = {k: ex[k] for k in ("n_institutions", "network", "network_degree",
                                   "network_rewiring", "network_within_group", "n_groups")}
        print(f"  {n:5d}  {key}\n         e.g. {hint}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
