"""Robustness of policies across a sweep's uncertainty: regret, satisficing, paired differences.

The policies are the levels of the sweep's ``[cases]`` factors (every combination when there
are several); a *world* is everything else a run depends on — the varied parameters, the
scenario, and the replication (whose seed is the same for every policy under common random
numbers, ``seeds = "common"``). In each world every policy was run, so:

* **regret** of a policy in a world is how far its KPI falls short of the best policy's there
  (``[analysis] objectives`` says whether more or less is better); reported as the maximum,
  90th percentile and mean over worlds (Savage's minimax regret, as in robust decision
  making);
* **satisficing** is the share of worlds in which a policy meets every condition of
  ``[analysis] satisficing`` (e.g. ``"cumulative_net_benefit_end_mdkk >= 0"``; the domain
  criterion);
* **paired differences**: each policy minus the first level, world by world (paired on the
  same seeds; with ``per_point`` seeds the pairs share no random numbers and the note says so).

Intervals respect the design: the worlds of one *future* (a design point's factors, without
the replication) share it, so with at least :data:`MIN_FUTURES` futures the interval is a
percentile bootstrap over futures (each drawn with all its replications). With fewer, it is a
t-interval (Wilson for shares) over the worlds, which assumes they are independent draws; the
``interval`` column says which one a row has.

Time-to-event KPIs (:mod:`sim_sweep.survival`) are censored, not dropped: in an objective a
run that does not reach the figure by the horizon counts as the horizon (its regret is then a
lower bound); in a condition it counts as later than any month.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from sim_sweep import survival
from sim_sweep.discover import Condition, parse_condition
from sim_sweep.sweep import Sweep
from sim_sweep.worker import CASE_PREFIX, PARAM_PREFIX, SCENARIO

#: Fewest futures for a bootstrap over futures; below, intervals over worlds say what they assume.
MIN_FUTURES = 10


@dataclass
class Robustness:
    """Tables of the robustness analysis (empty when the sweep has no ``[cases]``)."""

    regret: pd.DataFrame = field(default_factory=pd.DataFrame)
    satisficing: pd.DataFrame = field(default_factory=pd.DataFrame)
    paired: pd.DataFrame = field(default_factory=pd.DataFrame)
    policies: list[str] = field(default_factory=list)
    worlds: int = 0
    futures: int = 0


def worlds_and_policies(runs: pd.DataFrame, sweep: Sweep) -> tuple[pd.DataFrame, list[str]]:
    """Runs with a ``policy``, a ``future`` (the point's factors) and a ``world`` (future and
    replication) column."""
    pcols = [CASE_PREFIX + f for f in sweep.cases]
    fcols = [PARAM_PREFIX + n for n in sweep.varied] + [SCENARIO]
    df = runs.copy()
    df["policy"] = df[pcols].astype(str).agg(" / ".join, axis=1)
    present = [c for c in fcols if c in df]
    df["future"] = (df[present].astype(str).agg("|".join, axis=1) if present
                    else pd.Series("all", index=df.index))
    # A posterior design's draws have their own seeds, shared by the policies: the seed names
    # the world (two draws of one particle are one future but two worlds).
    by = "seed" if sweep.spec.design == "posterior" else "replication"
    df["world"] = df["future"] + "|" + df[by].astype(str)
    levels = [list(sweep.cases[f]) for f in sweep.cases]
    order = [" / ".join(combo) for combo in _product(levels)]
    return df, [p for p in order if p in set(df["policy"])]


def _product(levels: list[list[str]]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [()]
    for lv in levels:
        out = [(*o, v) for o in out for v in lv]
    return out


def robustness(runs: pd.DataFrame, sweep: Sweep, kpis: list[str],
               notes: list[str]) -> Robustness:
    """Regret, satisficing and paired differences of the ``[cases]`` policies."""
    if not sweep.cases:
        return Robustness()
    a = sweep.spec.analysis
    df, policies = worlds_and_policies(runs, sweep)
    res = Robustness(policies=policies, worlds=int(df["world"].nunique()),
                     futures=int(df["future"].nunique()))
    if len(policies) < 2:
        return res
    if sweep.spec.seeds != "common":
        notes.append("Paired differences: seeds = \"per_point\" gives each policy its own "
                     "random numbers, so the pairs share no seeds; intervals are wider than "
                     "under common random numbers.")
    seed = sweep.spec.master_seed % 2**32
    res.paired = paired_differences(df, policies, kpis, a.conf_level, a.num_resamples, seed)
    horizon = (df[PARAM_PREFIX + survival.HORIZON].to_numpy(dtype=float)
               if PARAM_PREFIX + survival.HORIZON in df else np.full(len(df), np.nan))
    rows = []
    for kpi, direction in a.objectives.items():
        if survival.is_censored_kpi(kpi):  # not reached: the horizon (regret: a lower bound)
            df = df.assign(**{kpi: survival.restricted(df[kpi].to_numpy(), horizon)})
        wide = df.pivot_table(index="world", columns="policy", values=kpi, aggfunc="first")
        wide = wide[policies].dropna()
        if wide.empty:
            continue
        best = wide.max(axis=1) if direction == "max" else wide.min(axis=1)
        regret = (best.to_numpy()[:, None] - wide.to_numpy()) * (1 if direction == "max"
                                                                   else -1)
        for j, p in enumerate(policies):
            r = regret[:, j]
            rows.append({"policy": p, "kpi": kpi, "better": direction,
                         "mean": float(wide[p].mean()), "max_regret": float(r.max()),
                         "p90_regret": float(np.quantile(r, 0.9)),
                         "mean_regret": float(r.mean()),
                         "best_in_share_of_worlds": float((r == 0).mean()),
                         "worlds": len(r)})
    res.regret = pd.DataFrame(rows)
    conds = [parse_condition(c, kpis=list(runs.columns)) for c in a.satisficing]
    if conds:
        res.satisficing = satisficing(runs_with_worlds(runs, df), policies, conds, a.conf_level,
                                      a.num_resamples, seed)
    return res


def runs_with_worlds(runs: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """``df``'s policy, future and world columns on the runs' own KPI values."""
    return runs.assign(policy=df["policy"], future=df["future"], world=df["world"])


def _futures(df: pd.DataFrame, policies: list[str]) -> list[np.ndarray]:
    """Row positions of each future (with all its worlds) in ``df``."""
    codes, _ = pd.factorize(df["future"])
    return [np.nonzero(codes == j)[0] for j in range(codes.max() + 1)] if len(codes) else []


def _bootstrap(values: np.ndarray, groups: list[np.ndarray], stat, conf: float,
               resamples: int, seed: int) -> tuple[float, float]:
    """Percentile bootstrap of ``stat(values[rows])`` over groups drawn with replacement."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(resamples):
        pick = rng.integers(0, len(groups), len(groups))
        idx = np.concatenate([groups[j] for j in pick])
        v = values[idx]
        v = v[~np.isnan(v)] if v.dtype.kind == "f" else v
        if v.size:
            out.append(stat(v))
    lo, hi = np.quantile(np.asarray(out), [0.5 - conf / 2, 0.5 + conf / 2])
    return float(lo), float(hi)


def paired_differences(df: pd.DataFrame, policies: list[str], kpis: list[str],
                       conf: float, resamples: int = 100, seed: int = 0) -> pd.DataFrame:
    """Each policy minus the first, world by world: mean, interval (see the module), n."""
    ref = policies[0]
    rows = []
    for kpi in kpis:
        vals = df[kpi].astype(float)
        if survival.is_censored_kpi(kpi):  # differences of months need both reached
            vals = vals.where(np.isfinite(vals))
        wide = df.assign(_v=vals).pivot_table(index="world", columns="policy", values="_v",
                                              aggfunc="first")
        future = df.drop_duplicates("world").set_index("world")["future"]
        for p in policies[1:]:
            if p not in wide or ref not in wide:
                continue
            diff = (wide[p] - wide[ref]).dropna()
            d = diff.to_numpy(dtype=float)
            if d.size < 2:
                continue
            mean = float(d.mean())
            fut = future.reindex(diff.index)
            groups = _futures(fut.to_frame("future"), policies)
            if len(groups) >= MIN_FUTURES:
                lo, hi = _bootstrap(d, groups, np.mean, conf, resamples, seed)
                how = f"bootstrap over {len(groups)} futures"
            else:
                se = float(d.std(ddof=1) / np.sqrt(d.size))
                h = float(stats.t.ppf(0.5 + conf / 2, d.size - 1) * se) if se > 0 else 0.0
                lo, hi = mean - h, mean + h
                how = f"t over {d.size} pairs, assumed independent"
            rows.append({"kpi": kpi, "policy": p, "minus": ref, "mean_difference": mean,
                         "ci_low": lo, "ci_high": hi, "conf_level": conf,
                         "pairs": int(d.size), "interval": how})
    return pd.DataFrame(rows)


def satisficing(df: pd.DataFrame, policies: list[str], conds: list[Condition],
                conf: float, resamples: int = 100, seed: int = 0) -> pd.DataFrame:
    """Share of worlds in which each policy meets every condition, with its interval (a
    bootstrap over futures, or Wilson's over worlds assumed independent)."""
    ok = np.ones(len(df), dtype=bool)
    for c in conds:
        ok &= c.holds(survival.ranked(df[c.kpi].to_numpy(dtype=float), c.kpi))
    df = df.assign(_ok=ok)
    z = stats.norm.ppf(0.5 + conf / 2)
    rows = []
    for p in policies:
        sub = df[df["policy"] == p].reset_index(drop=True)
        n, k = len(sub), int(sub["_ok"].sum())
        if not n:
            continue
        phat = k / n
        groups = _futures(sub, policies)
        if len(groups) >= MIN_FUTURES:
            lo, hi = _bootstrap(sub["_ok"].to_numpy(dtype=float), groups, np.mean, conf,
                                resamples, seed)
            how = f"bootstrap over {len(groups)} futures"
        else:
            centre = (phat + z * z / (2 * n)) / (1 + z * z / n)
            half = z * np.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / (1 + z * z / n)
            lo, hi = max(0.0, centre - half), min(1.0, centre + half)
            how = f"Wilson over {n} worlds, assumed independent"
        rows.append({"policy": p, "conditions": " and ".join(map(str, conds)),
                     "share_of_worlds": phat, "ci_low": lo, "ci_high": hi, "conf_level": conf,
                     "worlds": n, "interval": how})
    return pd.DataFrame(rows)
