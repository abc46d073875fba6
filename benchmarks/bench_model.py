"""Speed of one run against Mesa's own floor, and how it scales with the institution count.

Prints, for the default scenario (100 institutions, 120 months): the median run time over
several runs, agent-steps per second, and the ratio to the floor — a Mesa model with the same
number of agents and steps whose agents do nothing, measured in the same process. Then the
median run time at 10, 100 and 1,000 institutions and the growth factor per tenfold.

Usage: python benchmarks/bench_model.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from mesa import Agent, Model

from sim import make_params
from sim.model import SharedServiceModel


class IdleAgent(Agent):
    """An agent that does nothing."""

    def step(self) -> None:
        """Do nothing."""


class FloorModel(Model):
    """Mesa's floor: n idle agents activated every step."""

    def __init__(self, n_agents: int, rng: int) -> None:
        super().__init__(rng=rng)
        for _ in range(n_agents):
            IdleAgent(self)

    def step(self) -> None:
        self.agents.do("step")


def median_time(fn, repeats: int) -> float:
    times = []
    for i in range(repeats):
        t0 = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run_model(n: int, months: int):
    params = make_params(n_institutions=n, months=months)

    def go(seed: int) -> None:
        SharedServiceModel(params, rng=seed + 1).run()

    return go


def run_floor(n_agents: int, months: int):
    def go(seed: int) -> None:
        m = FloorModel(n_agents, rng=seed + 1)
        for _ in range(months):
            m.step()

    return go


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    months = 120
    run_model(100, months)(0)  # warm-up (imports, caches)
    print(f"default scenario: 100 institutions, {months} months, median of {args.repeats} runs")
    n_agents = 2 * 100 + 1
    t_model = median_time(run_model(100, months), args.repeats)
    t_floor = median_time(run_floor(n_agents, months), args.repeats)
    agent_steps = n_agents * months
    print(f"  model run          {t_model * 1000:8.1f} ms   "
          f"{agent_steps / t_model:12,.0f} agent-steps/s")
    print(f"  Mesa floor         {t_floor * 1000:8.1f} ms   "
          f"{agent_steps / t_floor:12,.0f} agent-steps/s  ({n_agents} idle agents)")
    print(f"  ratio model/floor  {t_model / t_floor:8.2f} ×   (goal: ≤ 10 ×)")
    print("\nscaling with institutions (median run time, 120 months)")
    previous = None
    for n in (10, 100, 1000):
        t = median_time(run_model(n, months), max(3, args.repeats // 2))
        growth = f"  × {t / previous:5.2f} for 10 × institutions" if previous else ""
        print(f"  {n:5d} institutions {t * 1000:8.1f} ms{growth}")
        previous = t


if __name__ == "__main__":
    main()
