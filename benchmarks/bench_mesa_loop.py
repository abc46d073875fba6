"""What Mesa's own event loop costs a run: ``run_model`` against a bare loop of the same months.

``SharedServiceModel.run_model`` is Mesa's public loop (``Model.run_model``: ``step()`` until
``running`` is False; each ``step()`` pops and reschedules the monthly event of Mesa's event
list). This script measures what that bookkeeping costs against two other ways of stepping the
same model through the same months:

- ``run_for``: Mesa's public ``Model.run_for(months)`` (one pass of the event loop);
- ``bare``: a plain loop that sets ``time`` and ``steps`` and calls the model's own phases
  (``SharedServiceModel.step``) with no event list at all — the floor for any loop.

Every arm builds the model from the same scenario and seed and runs the default horizon; the
script asserts that every arm ends at the same month with the same KPIs and recorded series
before it prints a ratio. Arms run in rotating order, so all see the same machine load; times
are process CPU time (robust to other processes on the machine) of the whole run (build and
months), and each ratio is the median of the per-round ratios against ``bare``, with its
interquartile range.

Usage: python benchmarks/bench_mesa_loop.py [--repeats N] [--months M]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
from mesa import Model

from sim.kpis import compute_kpis
from sim.model import SharedServiceModel
from sim.params import Params
from sim.scenarios import load_scenario


def _bare(model: SharedServiceModel) -> None:
    """The months stepped with no event list: ``time``, ``steps``, then the model's phases."""
    while model.running:
        model.time += 1
        model.steps += 1
        SharedServiceModel.step(model)


def _run_model(model: SharedServiceModel) -> None:
    assert type(model).run_model is Model.run_model  # Mesa's own loop, not an override
    model.run_model()


def _run_for(model: SharedServiceModel) -> None:
    model.run_for(model.p.months - model.steps)


ARMS: dict[str, Callable[[SharedServiceModel], None]] = {
    "bare": _bare, "run_model": _run_model, "run_for": _run_for}


def one_run(params: Params, seed: int, arm: str) -> tuple[float, tuple]:
    """CPU seconds of one whole run (build and months), and what it computed."""
    t0 = time.process_time()
    model = SharedServiceModel(params, rng=seed)
    ARMS[arm](model)
    cpu = time.process_time() - t0
    series = model.recorder.arrays()
    return cpu, (model.steps, model.time, compute_kpis(series).to_dict(), series)


def _same(a: tuple, b: tuple) -> bool:
    """The same month, time, KPIs and every recorded column, bit for bit."""
    steps_a, time_a, kpis_a, series_a = a
    steps_b, time_b, kpis_b, series_b = b
    return (steps_a == steps_b and time_a == time_b and kpis_a.keys() == kpis_b.keys()
            and all(kpis_a[k] == kpis_b[k] or kpis_a[k] != kpis_a[k] and kpis_b[k] != kpis_b[k]
                    for k in kpis_a)
            and series_a.keys() == series_b.keys()
            and all(np.array_equal(series_a[k], series_b[k], equal_nan=True) for k in series_a))


class EmptyMonths(Model):
    """A model whose month does nothing but stop at the horizon: the loop alone."""

    def __init__(self, months: int) -> None:
        super().__init__(rng=0)
        self.months = months

    def step(self) -> None:
        if self.steps >= self.months:
            self.running = False


def loop_cost(months: int, rounds: int) -> dict[str, list[float]]:
    """CPU µs per month of each loop around an empty month (``run_model`` and ``bare``)."""
    out: dict[str, list[float]] = {"run_model": [], "bare": []}
    for _ in range(rounds):
        for arm in out:
            model = EmptyMonths(months)
            t0 = time.process_time()
            if arm == "run_model":
                model.run_model()
            else:
                while model.running:
                    model.time += 1
                    model.steps += 1
                    EmptyMonths.step(model)
            out[arm].append((time.process_time() - t0) / months * 1e6)
            assert model.steps == months and model.time == months
    return out


def iqr(xs: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(xs, n=4)
    return q[0], q[2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=30, help="rounds (each runs every arm)")
    ap.add_argument("--months", type=int, default=120)
    args = ap.parse_args()
    params = load_scenario("default").params({}, args.months)
    for arm in ARMS:  # warm-up (imports, caches)
        one_run(params, 0, arm)
    cpu: dict[str, list[float]] = {arm: [] for arm in ARMS}
    names = list(ARMS)
    for i in range(args.repeats):
        seed = i + 1
        order = names[i % len(names):] + names[:i % len(names)]  # rotate the order
        out = {}
        for arm in order:
            cpu[arm].append((r := one_run(params, seed, arm))[0])
            out[arm] = r[1]
        for arm in names:  # every arm did exactly the same work
            assert _same(out[arm], out["bare"]), f"{arm} differs from bare at seed {seed}"
            assert out[arm][0] == args.months, f"{arm} stopped at {out[arm][0]}"
    load = os.getloadavg()[0]
    print(f"default scenario, {args.months} months, {args.repeats} rounds of "
          f"{len(names)} arms (rotating order); CPU time per run; load average {load:.2f}")
    print("every arm: the same months, time and KPIs (asserted)")
    for arm in names:
        lo, hi = iqr(cpu[arm])
        ratios = [a / b for a, b in zip(cpu[arm], cpu["bare"], strict=True)]
        rlo, rhi = iqr(ratios)
        print(f"  {arm:10s} {statistics.median(cpu[arm]) * 1000:7.2f} ms "
              f"(IQR {lo * 1000:.2f}–{hi * 1000:.2f})   × bare {statistics.median(ratios):.3f} "
              f"(IQR {rlo:.3f}–{rhi:.3f})")
    per_month = loop_cost(args.months, 20 * args.repeats)
    print(f"the loop alone around an empty month ({20 * args.repeats} rounds):")
    for arm, xs in per_month.items():
        lo, hi = iqr(xs)
        print(f"  {arm:10s} {statistics.median(xs):7.2f} µs a month (IQR {lo:.2f}–{hi:.2f}), "
              f"{statistics.median(xs) * args.months / 1000:.2f} ms a run of {args.months} months")


if __name__ == "__main__":
    main()
