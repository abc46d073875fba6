"""Speed of one run against Mesa's own floor, and how it scales with the institution count.

Prints, for the default scenario (100 institutions, 120 months): the median run time with its
spread (interquartile range), agent-steps per second, and the ratio to the floor — a Mesa model
with the same number of agents and steps whose agents do nothing, measured in the same process.
Model and floor runs alternate, so both see the same machine load; the ratio is the median of
the paired ratios. Then the median run time at 10, 100 and 1,000 institutions. Then ensembles:
CPU time per member when 1, 10, 100 and 1,000 members of the default scenario are stepped in one
pass (``sim.ensemble.run_members``) against single runs of the same seeds in the same process
(``sim.runner.simulate``), after checking that every member's KPIs equal its single run's, and
against Mesa's floor per run.

Usage: python benchmarks/bench_model.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
from mesa import Agent, Model

from sim.ensemble import run_members
from sim.model import SharedServiceModel
from sim.runner import simulate
from sim.scenarios import load_scenario


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


def timed(fn: Callable[[int], object], seed: int) -> float:
    t0 = time.perf_counter()
    fn(seed)
    return time.perf_counter() - t0


def spread(xs: list[float]) -> str:
    q = statistics.quantiles(xs, n=4)
    return f"IQR {q[0] * 1000:.1f}–{q[2] * 1000:.1f} ms"


def model_run(n: int, months: int) -> tuple[Callable[[int], object], int]:
    """A run of the default scenario with ``n`` institutions; returns (run, agent count)."""
    params = load_scenario("default").params({"n_institutions": n}, months)
    probe = SharedServiceModel(params, rng=1)
    n_agents = len(probe.agents)

    def go(seed: int) -> None:
        model = SharedServiceModel(params, rng=seed + 1)
        model.run_model()
        assert model.steps == months and len(model.agents) == n_agents

    return go, n_agents


def floor_run(n_agents: int, months: int) -> Callable[[int], object]:
    def go(seed: int) -> None:
        m = FloorModel(n_agents, rng=seed + 1)
        for _ in range(months):
            m.step()
        assert m.steps == months and len(m.agents) == n_agents  # the same agents and months

    return go


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    months = 120
    run, n_agents = model_run(100, months)
    floor = floor_run(n_agents, months)
    run(0)  # warm-up (imports, caches)
    floor(0)
    t_model, t_floor = [], []
    for i in range(args.repeats):  # alternate, so both arms see the same load
        t_model.append(timed(run, i))
        t_floor.append(timed(floor, i))
    ratios = [m / f for m, f in zip(t_model, t_floor, strict=True)]
    med_m, med_f = statistics.median(t_model), statistics.median(t_floor)
    agent_steps = n_agents * months
    print(f"default scenario: 100 institutions, {months} months, {n_agents} agents, "
          f"{args.repeats} alternating pairs")
    print(f"  model run          {med_m * 1000:8.1f} ms  ({spread(t_model)})  "
          f"{agent_steps / med_m:12,.0f} agent-steps/s")
    print(f"  Mesa floor         {med_f * 1000:8.1f} ms  ({spread(t_floor)})  "
          f"{agent_steps / med_f:12,.0f} agent-steps/s  ({n_agents} idle agents)")
    q = statistics.quantiles(ratios, n=4)
    print(f"  ratio model/floor  {statistics.median(ratios):8.2f} ×  "
          f"(IQR {q[0]:.2f}–{q[2]:.2f} ×; goal: ≤ 5 ×)")
    print("\nscaling with institutions (median run time, 120 months)")
    previous = None
    for n in (10, 100, 1000):
        go, _ = model_run(n, months)
        ts = [timed(go, i) for i in range(max(3, args.repeats // 2))]
        t = statistics.median(ts)
        growth = f"  × {t / previous:5.2f} for 10 × institutions" if previous else ""
        print(f"  {n:5d} institutions {t * 1000:8.1f} ms ({spread(ts)}){growth}")
        previous = t
    members_per_pass(months, args.repeats, floor)


def same_kpis(a: dict[str, float], b: dict[str, float]) -> bool:
    """Equal KPIs (a figure not reached, NaN, equals NaN)."""
    return a.keys() == b.keys() and all(
        np.array_equal(np.float64(a[k]), np.float64(b[k]), equal_nan=True) for k in a)


def members_per_pass(months: int, repeats: int, floor: Callable[[int], object]) -> None:
    """CPU time per member, one pass of ``m`` members against ``m`` single runs (and Mesa's
    floor: one idle model of the default's agents and months, CPU time per run)."""
    params = load_scenario("default").params(None, months)
    floor_cpu = []
    for i in range(repeats):
        c0 = time.process_time()
        floor(i)
        floor_cpu.append(time.process_time() - c0)
    floor_per_run = statistics.median(floor_cpu)
    print(f"\nensembles: default scenario, {months} months; CPU seconds per member "
          "(medians; ratio = the median of paired ratios, single/pass)")
    for m in (1, 10, 100, 1000):
        seeds = list(range(1, m + 1))
        reps = repeats if m <= 10 else (3 if m <= 100 else 1)
        t_pass, t_single = [], []
        for _ in range(reps):
            c0 = time.process_time()
            members = run_members(params, seeds, chunk=m)
            t_pass.append((time.process_time() - c0) / m)
            c0 = time.process_time()
            singles = [simulate(params, s)[1] for s in seeds]
            t_single.append((time.process_time() - c0) / m)
            assert len(members) == len(singles) == m
            assert all(same_kpis(x.kpis.to_dict(), y.to_dict())
                       for x, y in zip(members, singles, strict=True)), "a member differs"
        ratios = [s / p for s, p in zip(t_single, t_pass, strict=True)]
        print(f"  {m:5d} members  pass {statistics.median(t_pass) * 1000:7.2f} ms/member  "
              f"single {statistics.median(t_single) * 1000:7.2f} ms/run  "
              f"× {statistics.median(ratios):5.1f} throughput per core  "
              f"({min(ratios):.1f}–{max(ratios):.1f} over {reps})  "
              f"pass/floor {statistics.median(t_pass) / floor_per_run:5.2f}")


if __name__ == "__main__":
    main()
