"""Speed of one run against Mesa's own floor, and how it scales with the institution count.

Prints, for the default scenario (100 institutions, 120 months): the median run time with its
spread (interquartile range), agent-steps per second, and the ratio to the floor — a Mesa model
with the same number of agents and steps whose agents do nothing, measured in the same process.
Model and floor runs alternate, so both see the same machine load; the ratio is the median of
the paired ratios. Then the median run time at 10, 100 and 1,000 institutions.

``--band`` times the app's uncertainty band for the default (20 replications, the columns it
shows, one ensemble pass, then its quantiles) against the same 20 runs one by one, after
asserting that they give the same series. ``--band-modes`` times that band in its two modes,
alternating: *seeds only* (the parameters as set) and *seeds and parameters* (posterior draw k
with seed k; ``sim_app.session.predictive``), each from the parameters to the quantiles.

``--against DIR`` times ``sim.run('default')`` here and in another checkout, after asserting that
both give the same KPIs for the same seeds.

Usage: python benchmarks/bench_model.py [--repeats N] [--members 1,10,100,1000]
       [--only-ensembles] [--band] [--band-modes] [--against DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from mesa import Agent, Model

from sim.ensemble import run_members
from sim.model import SharedServiceModel
from sim.runner import simulate
from sim.scenarios import load_scenario
from sim.seeds import replication_seeds


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
    ap.add_argument("--members", default="1,10,100,1000",
                    help="ensemble sizes, comma-separated ('' to skip)")
    ap.add_argument("--only-ensembles", action="store_true")
    ap.add_argument("--against", type=Path, help="another checkout to time a single run in")
    ap.add_argument("--band", action="store_true", help="the app's 20-replication band")
    ap.add_argument("--band-modes", action="store_true",
                    help="the app's band: seeds only against seeds and parameters")
    args = ap.parse_args()
    levels = [int(x) for x in args.members.split(",") if x]
    if args.against:
        against(args.against, max(3, args.repeats // 3))
    if args.band:
        band(args.repeats)
    if args.band_modes:
        band_modes(args.repeats)
    if args.only_ensembles:
        ensembles(levels, args.repeats, 120)
        return
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
    ensembles(levels, args.repeats, months)


class EmptyModel(Model):
    """Mesa's floor for one member: a model with no agents whose step does nothing."""

    def __init__(self, months: int, rng: int) -> None:
        super().__init__(rng=rng)
        self.months = months

    def step(self) -> None:
        if self.steps >= self.months:
            self.running = False


def cpu_and_wall(fn: Callable[[], object]) -> tuple[float, float, object]:
    c0, w0 = time.process_time(), time.perf_counter()
    out = fn()
    return time.process_time() - c0, time.perf_counter() - w0, out


def ensembles(levels: list[int], repeats: int, months: int) -> None:
    """Time per member of an ensemble against single runs of the same seeds and Mesa's floor."""
    params = load_scenario("default").params(None, months)
    record = ()  # the KPIs' columns only, as a sweep records them
    simulate(params, 0, record=record)  # warm-up
    run_members(params, [0, 1], record=record)

    def floor() -> None:
        m = EmptyModel(months, rng=1)
        m.run_model()
        assert m.steps == months  # the same months as a member

    floor_cpu = statistics.median(cpu_and_wall(floor)[0] for _ in range(200))
    print(f"\nensembles: default scenario, {months} months, KPIs' columns recorded; CPU time "
          f"per member (wall in brackets); Mesa floor (empty model, {months} steps): "
          f"{floor_cpu * 1e6:.0f} µs")
    for n in levels:
        seeds = replication_seeds(2026, n)
        rounds = max(1, min(repeats, 3000 // n))
        single_cpu, ens_cpu, single_wall, ens_wall = [], [], [], []
        for r in range(rounds):  # alternate the arms (order rotates), so both see the same load
            arms = ["single", "ensemble"] if r % 2 == 0 else ["ensemble", "single"]
            for arm in arms:
                if arm == "single":
                    c, w, singles = cpu_and_wall(
                        lambda seeds=seeds: [simulate(params, s, record=record)[1]
                                             for s in seeds])
                    single_cpu.append(c / n)
                    single_wall.append(w / n)
                else:
                    c, w, members = cpu_and_wall(
                        lambda seeds=seeds: run_members(params, seeds, record=record))
                    ens_cpu.append(c / n)
                    ens_wall.append(w / n)
            assert [m.seed for m in members] == seeds  # the same runs in both arms
            for m, k in zip(members, singles, strict=True):
                assert m.kpis.to_dict() == k.to_dict(), (n, m.seed)
        ratios = [a / b for a, b in zip(single_cpu, ens_cpu, strict=True)]
        sc, ec = statistics.median(single_cpu), statistics.median(ens_cpu)
        print(f"  {n:5d} members ({rounds} rounds, KPIs equal bit for bit: asserted): "
              f"single {sc * 1000:7.2f} ms ({statistics.median(single_wall) * 1000:.2f}), "
              f"ensemble {ec * 1000:7.2f} ms ({statistics.median(ens_wall) * 1000:.2f}) "
              f"per member; throughput × {statistics.median(ratios):.1f} "
              f"(range {min(ratios):.1f}–{max(ratios):.1f}); "
              f"member / floor × {ec / floor_cpu:.1f}")


def band(repeats: int) -> None:
    """The app's band of the default: 20 replications as one ensemble pass, and its quantiles
    (``sim_app.session.uncertainty``), against the same 20 runs one by one."""
    from sim_app.session.state import BAND_KEYS
    from sim_app.session.uncertainty import band_runs, band_seeds, quantile_band

    params = load_scenario("default").params(None, None)
    n, seed = 20, 1
    runs = list(band_runs(params, seed, n, BAND_KEYS))  # warm-up, and the series to check
    singles = [simulate(params, s, record=BAND_KEYS)[0] for s in band_seeds(seed, n)]
    for got, want in zip(runs, singles, strict=True):  # the same runs in both arms
        for k in BAND_KEYS:
            assert np.array_equal(got[k], want[k], equal_nan=True), k
    ens_cpu, ens_wall, one_cpu = [], [], []
    for _ in range(repeats):
        c, w, _ = cpu_and_wall(lambda: quantile_band(list(band_runs(params, seed, n,
                                                                        BAND_KEYS))))
        ens_cpu.append(c)
        ens_wall.append(w)
        c, _, _ = cpu_and_wall(lambda: quantile_band(
            [simulate(params, s, record=BAND_KEYS)[0] for s in band_seeds(seed, n)]))
        one_cpu.append(c)
    print(f"\napp band of the default ({n} replications, series equal to single runs: "
          f"asserted), {repeats} rounds: CPU {statistics.median(ens_cpu) * 1000:.0f} ms "
          f"(range {min(ens_cpu) * 1000:.0f}–{max(ens_cpu) * 1000:.0f}), wall "
          f"{statistics.median(ens_wall) * 1000:.0f} ms (range {min(ens_wall) * 1000:.0f}–"
          f"{max(ens_wall) * 1000:.0f}); the same runs one by one: CPU "
          f"{statistics.median(one_cpu) * 1000:.0f} ms (× "
          f"{statistics.median(one_cpu) / statistics.median(ens_cpu):.1f}); goal ≤ 100 ms")


def band_modes(repeats: int) -> None:
    """The app's band of the default in its two modes, alternating round by round: *seeds
    only* (20 seeds, the parameters as set: one ensemble pass) and *seeds and parameters*
    (draw k of the shipped posterior with seed k; members whose whole-number parameters
    differ are stepped in separate passes), each timed from the parameters to the quantiles,
    the draws included."""
    from sim.ensemble import shape_key
    from sim_app.session.predictive import PARAMS, SEEDS, plan
    from sim_app.session.state import BAND_KEYS
    from sim_app.session.uncertainty import band_runs, quantile_band

    sc = load_scenario("default")
    params = sc.params(None, None)
    n, seed = 20, 1

    def one(mode: str) -> dict:
        p = plan(sc, params, seed, n, None, mode)
        assert p.mode == mode, (p.mode, mode)
        return quantile_band(list(band_runs(p.params, seed, n, BAND_KEYS)))

    for mode in (SEEDS, PARAMS):  # warm-up (the posterior read once, imports)
        one(mode)
    passes = len({shape_key(p) for p in plan(sc, params, seed, n, None, PARAMS).params})
    cpu: dict[str, list[float]] = {SEEDS: [], PARAMS: []}
    wall: dict[str, list[float]] = {SEEDS: [], PARAMS: []}
    for _ in range(repeats):
        for mode in (SEEDS, PARAMS):
            c, w, _ = cpu_and_wall(lambda mode=mode: one(mode))
            cpu[mode].append(c)
            wall[mode].append(w)
    print(f"\napp band of the default by mode ({n} replications, {repeats} rounds alternating;"
          f" seeds and parameters: {passes} ensemble passes for the draws' shapes):")
    for mode, name in ((SEEDS, "seeds only"), (PARAMS, "seeds and parameters")):
        c, w = sorted(cpu[mode]), sorted(wall[mode])
        print(f"  {name:21s} CPU {statistics.median(c) * 1000:5.0f} ms (range "
              f"{c[0] * 1000:.0f}–{c[-1] * 1000:.0f}), wall {statistics.median(w) * 1000:5.0f} ms"
              f" (range {w[0] * 1000:.0f}–{w[-1] * 1000:.0f})")
    ratio = [a / b for a, b in zip(cpu[PARAMS], cpu[SEEDS], strict=True)]
    print(f"  seeds and parameters / seeds only: CPU × {statistics.median(ratio):.2f} "
          f"(range {min(ratio):.2f}–{max(ratio):.2f})")


_CHILD = """
import json, statistics, sys, time
import sim
sim.run("default", seed=0)
ts, kpis = [], []
for i in range(int(sys.argv[1])):
    c = time.process_time(); r = sim.run("default", seed=i + 1); ts.append(time.process_time() - c)
    kpis.append(r.kpis.to_dict())
print(json.dumps({"file": sim.__file__, "cpu": statistics.median(ts), "kpis": kpis}))
"""


def same_kpis(a: list[dict], b: list[dict]) -> bool:
    """The same KPIs up to the last bits of rounding (another checkout may sum in another
    order: the mean service of the live institutions once summed only the live ones)."""
    def close(x: object, y: object) -> bool:
        if isinstance(x, float) and isinstance(y, float):
            return math.isclose(x, y, rel_tol=1e-12) or (math.isnan(x) and math.isnan(y))
        return x == y

    return len(a) == len(b) and all(
        r.keys() == s.keys() and all(close(r[k], s[k]) for k in r) for r, s in zip(a, b, strict=True))


def against(other: Path, repeats: int) -> None:
    """``sim.run("default")``'s CPU time here and in checkout ``other``, alternating."""
    here = Path(__file__).resolve().parent.parent
    times: dict[Path, list[float]] = {here: [], other: []}
    kpis: dict[Path, object] = {}
    for r in range(repeats):
        for root in ([here, other] if r % 2 == 0 else [other, here]):
            py = root / ".venv" / "bin" / "python"
            out = subprocess.run([str(py if py.exists() else sys.executable), "-c", _CHILD,
                                  "5"], cwd=root, capture_output=True, text=True, check=True)
            got = json.loads(out.stdout.strip().splitlines()[-1])
            assert Path(got["file"]).resolve().is_relative_to(root.resolve()), got
            times[root].append(got["cpu"])
            kpis[root] = got["kpis"]
    assert same_kpis(kpis[here], kpis[other]), "the checkouts give other KPIs for the same seeds"
    h, o = statistics.median(times[here]), statistics.median(times[other])
    ratios = sorted(x / y for x, y in zip(times[here], times[other], strict=True))
    print(f"\nsingle run sim.run('default'), CPU time, median of {repeats} processes × 5 runs "
          "(KPIs equal in both checkouts up to rounding, 1e-12: asserted):")
    print(f"  this checkout {h * 1000:7.1f} ms (range {min(times[here]) * 1000:.1f}–"
          f"{max(times[here]) * 1000:.1f})")
    print(f"  {other}  {o * 1000:7.1f} ms (range {min(times[other]) * 1000:.1f}–"
          f"{max(times[other]) * 1000:.1f})")
    print(f"  this / other × {h / o:.2f}; paired by round × {statistics.median(ratios):.2f} "
          f"(range {ratios[0]:.2f}–{ratios[-1]:.2f})")


if __name__ == "__main__":
    main()
