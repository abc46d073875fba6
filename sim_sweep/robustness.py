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
  ``[analysis] satisficing`` (e.g. ``"cumulative_net_benefit_end_mdkk >= 0"``), with a Wilson
  interval (the domain criterion);
* **paired differences**: each policy minus the first level, world by world, with a
  t-interval at ``[analysis] conf_level`` (paired on the same seeds; with ``per_point`` seeds
  the pairs share no random numbers and the note says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from sim_sweep.discover import Condition, parse_condition
from sim_sweep.sweep import Sweep
from sim_sweep.worker import CASE_PREFIX, PARAM_PREFIX, SCENARIO


@dataclass
class Robustness:
    """Tables of the robustness analysis (empty when the sweep has no ``[cases]``)."""

    regret: pd.DataFrame = field(default_factory=pd.DataFrame)
    satisficing: pd.DataFrame = field(default_factory=pd.DataFrame)
    paired: pd.DataFrame = field(default_factory=pd.DataFrame)
    policies: list[str] = field(default_factory=list)
    worlds: int = 0


def worlds_and_policies(runs: pd.DataFrame, sweep: Sweep) -> tuple[pd.DataFrame, list[str]]:
    """Runs with a ``policy`` and a ``world`` column."""
    pcols = [CASE_PREFIX + f for f in sweep.cases]
    wcols = [PARAM_PREFIX + f.name for f in sweep.factors] + [SCENARIO, "replication"]
    df = runs.copy()
    df["policy"] = df[pcols].astype(str).agg(" / ".join, axis=1)
    df["world"] = df[[c for c in wcols if c in df]].astype(str).agg("|".join, axis=1)
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
    res = Robustness(policies=policies, worlds=int(df["world"].nunique()))
    if len(policies) < 2:
        return res
    if sweep.spec.seeds != "common":
        notes.append("Paired differences: seeds = \"per_point\" gives each policy its own "
                     "random numbers, so the pairs share no seeds; intervals are wider than "
                     "under common random numbers.")
    res.paired = paired_differences(df, policies, kpis, a.conf_level)
    rows = []
    for kpi, direction in a.objectives.items():
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
        res.satisficing = satisficing(df, policies, conds, a.conf_level)
    return res


def paired_differences(df: pd.DataFrame, policies: list[str], kpis: list[str],
                       conf: float) -> pd.DataFrame:
    """Each policy minus the first, world by world: mean, t-interval, n."""
    ref = policies[0]
    rows = []
    for kpi in kpis:
        wide = df.pivot_table(index="world", columns="policy", values=kpi, aggfunc="first")
        for p in policies[1:]:
            if p not in wide or ref not in wide:
                continue
            d = (wide[p] - wide[ref]).dropna().to_numpy(dtype=float)
            if d.size < 2:
                continue
            mean = float(d.mean())
            se = float(d.std(ddof=1) / np.sqrt(d.size))
            h = float(stats.t.ppf(0.5 + conf / 2, d.size - 1) * se) if se > 0 else 0.0
            rows.append({"kpi": kpi, "policy": p, "minus": ref, "mean_difference": mean,
                         "ci_low": mean - h, "ci_high": mean + h, "conf_level": conf,
                         "pairs": int(d.size)})
    return pd.DataFrame(rows)


def satisficing(df: pd.DataFrame, policies: list[str], conds: list[Condition],
                conf: float) -> pd.DataFrame:
    """Share of worlds in which each policy meets every condition (Wilson interval)."""
    ok = np.ones(len(df), dtype=bool)
    for c in conds:
        ok &= c.holds(df[c.kpi].to_numpy(dtype=float))
    df = df.assign(_ok=ok)
    z = stats.norm.ppf(0.5 + conf / 2)
    rows = []
    for p in policies:
        sub = df[df["policy"] == p]
        n, k = len(sub), int(sub["_ok"].sum())
        if not n:
            continue
        phat = k / n
        centre = (phat + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        rows.append({"policy": p, "conditions": " and ".join(map(str, conds)),
                     "share_of_worlds": phat, "ci_low": max(0.0, centre - half),
                     "ci_high": min(1.0, centre + half), "conf_level": conf, "worlds": n})
    return pd.DataFrame(rows)
