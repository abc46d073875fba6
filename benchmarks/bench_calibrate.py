"""Cost of a calibration draw: one at a time against in batches, on the shipped calibration.

Draws ``--draws`` parameter sets uniformly from the priors of ``calibration/default.toml``, then
times (CPU seconds, this process) the fitted targets' statistics of every draw computed one draw
at a time (``Simulator.__call__``: the draw's scenario variants as one ensemble) and all draws in
one batch (``Simulator.many``: every draw's variants as members of ensembles, what the
calibration's sampler does). Both arms compute exactly the same statistics of the same draws
with the same seeds; the script asserts they are equal before it prints a ratio. Repeats
alternate the arms and report medians with their range.

Usage: python benchmarks/bench_calibrate.py [--draws 64] [--repeats 3] [--file FILE]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from pathlib import Path

import numpy as np

from sim_calibrate.simulate import Simulator
from sim_calibrate.spec import load_calibration

ROOT = Path(__file__).resolve().parent.parent


def _same(a: list[dict[str, float]], b: list[dict[str, float]]) -> bool:
    return all(x.keys() == y.keys() and all(
        x[k] == y[k] or (math.isnan(x[k]) and math.isnan(y[k])) for k in x)
        for x, y in zip(a, b, strict=True))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--file", type=Path, default=ROOT / "calibration" / "default.toml")
    a = ap.parse_args()
    cal = load_calibration(a.file)
    rng = np.random.default_rng(np.random.SeedSequence([cal.spec.seed, 99]))
    draws = [{p.name: float(rng.integers(p.low, p.high + 1)) if p.whole
              else float(rng.uniform(p.low, p.high)) for p in cal.priors}
             for _ in range(a.draws)]
    sim = Simulator(cal)
    times: dict[str, list[float]] = {"one at a time": [], "batch": []}
    results: dict[str, list[dict[str, float]]] = {}
    for _ in range(a.repeats):
        t = time.process_time()
        results["one at a time"] = [sim(d) for d in draws]
        times["one at a time"].append(time.process_time() - t)
        t = time.process_time()
        results["batch"] = sim.many(draws)
        times["batch"].append(time.process_time() - t)
    assert _same(results["one at a time"], results["batch"]), "the arms' statistics differ"
    print(f"{a.draws} draws of {cal.name} ({len(cal.variants(True))} scenario variants each), "
          f"{a.repeats} repeats, CPU seconds per draw: median (min-max)")
    for arm, ts in times.items():
        per = [x / a.draws for x in ts]
        print(f"  {arm:>14}: {statistics.median(per):.3f} ({min(per):.3f}-{max(per):.3f})")
    ratio = statistics.median(x / y for x, y in zip(times["one at a time"], times["batch"],
                                                      strict=True))
    print(f"  batch is {ratio:.1f}x the throughput (median of paired ratios); statistics equal")


if __name__ == "__main__":
    main()
