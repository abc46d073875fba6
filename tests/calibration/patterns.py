"""The pattern book (P1–P6) as model outputs, over plausible behavioural uncertainty.

"Plausible uncertainty" (``../shared/patterns.md``) is a Latin hypercube over the behavioural
parameters, each across the range the evidence leaves open (:data:`PLAUSIBLE`, with the reason
for each range), around every realistic shipped scenario (:data:`REALISTIC`), each run over ten
years from the decision. The same draws (SciPy's ``qmc.LatinHypercube`` with a fixed seed) and
replication seeds are used by the tests and by ``python -m tests.calibration.report``, so the
docs show what the tests assert.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np
from scipy.stats import qmc

from sim.runner import simulate
from sim.scenarios import load_scenario
from sim.seeds import replication_seeds

#: Plausible ranges of the behavioural parameters: (low, high, why).
PLAUSIBLE: dict[str, tuple[float, float, str]] = {
    "initial_trust": (0.3, 0.7, "managers start from doubt to cautious goodwill (000, box 1.2)"),
    "trust_memory_months": (12.0, 48.0, "reputations remember one to four years"),
    "loss_aversion": (2.0, 3.0, "bad months weigh 2–3 times good ones (design.md)"),
    "trust_learning_rate": (0.5, 1.5, "a good month is worth half to one and a half months"),
    "dialogue_trust_rate": (0.25, 1.0, "dialogue is worth a quarter to one good month"),
    "peer_influence": (0.02, 0.2, "managers close 2–20 % of the gap to peers' views a month"),
    "control_need_mean": (0.3, 0.7, "middle of the 0–1 scale, either way"),
    "shadow_max_share": (0.1, 0.3, "a distrustful unit duplicates a tenth to a third"),
    "shadow_dismantle_months": (12.0, 36.0, "RR 14/2018: double work lasts years"),
    "progress_ratio": (0.85, 0.95, "Wright's law for clerical work"),
    "golive_dip": (0.1, 0.4, "KL names a temporary loss but no size (004, 3.4.2)"),
    "transfer_share": (0.4, 0.7, "Udbetaling Danmark took about 0.55 of the staff"),
    "redeployment_months": (6.0, 24.0, "vacancies open at roughly natural turnover"),
    "hiring_capacity": (0.05, 0.2, "a twentieth to a fifth of the full staff a month"),
    "response_delay_months": (2.0, 6.0, "a failure is seen within one or two quarters"),
    "novice_productivity": (0.5, 0.8, "a new hire does half to most of the work"),
    "training_months": (3.0, 12.0, "a quarter to a year with a mentor"),
    "frontier_months": (9.0, 36.0, "months of full volume to the frontier: the joint Danish "
                        "fit gives about 11 at the default progress ratio, SA's chart up to "
                        "three years; turned into learning_reference_months with the drawn "
                        "progress ratio"),
}
#: Parameters drawn as whole numbers.
WHOLE = frozenset({"response_delay_months"})

#: The realistic shipped scenarios the patterns are read around (not the workshop's).
REALISTIC: tuple[str, ...] = ("default", "udbetaling_danmark", "kl_model_1a", "kl_model_1b",
                              "kl_model_2", "oesc_payroll", "statens_administration",
                              "statens_it")
#: Draws per scenario and the seed of the Latin hypercube.
N_DRAWS = 24
LHS_SEED = 20_261_203
#: Horizon of every pattern run: ten years from the decision.
HORIZON = 120

Run = dict[str, np.ndarray]


def draws(n: int = N_DRAWS, seed: int = LHS_SEED) -> list[dict[str, Any]]:
    """``n`` Latin-hypercube draws over :data:`PLAUSIBLE`."""
    names = list(PLAUSIBLE)
    unit = qmc.LatinHypercube(d=len(names), seed=seed).random(n)
    lo = np.array([PLAUSIBLE[k][0] for k in names])
    hi = np.array([PLAUSIBLE[k][1] for k in names])
    values = qmc.scale(unit, lo, hi)
    out = []
    for row in values:
        d: dict[str, Any] = {}
        for k, v in zip(names, row, strict=True):
            d[k] = int(round(v)) if k in WHOLE else float(v)
        out.append(d)
    return out


def learning_inputs(base: Any, draw: dict[str, Any]) -> dict[str, Any]:
    """A draw as model parameters: the time to the frontier becomes Wright's law's first unit
    for the drawn progress ratio, the scenario's initial productivity and frontier
    (``T / ((frontier / initial)^(1/b) − 1)``, ``b = −log2(progress ratio)``), within the
    parameter's range."""
    out = dict(draw)
    months = out.pop("frontier_months")
    b = -math.log2(out["progress_ratio"])
    ratio = max(base.frontier_productivity, base.initial_productivity) / base.initial_productivity
    if ratio > 1.0:
        out["learning_reference_months"] = min(max(months / (ratio ** (1.0 / b) - 1.0), 0.1), 60.0)
    return out


@cache
def ensemble(scenario: str, n: int = N_DRAWS) -> tuple[tuple[Run, Any], ...]:
    """Runs of ``scenario`` at each draw (one replication seed per draw), ten years long."""
    seeds = replication_seeds(LHS_SEED, n)
    sc = load_scenario(scenario)
    out = []
    for d, seed in zip(draws(n), seeds, strict=True):
        params = sc.params(learning_inputs(sc.params(), d) | {"months": HORIZON})
        out.append(simulate(params, seed))
    return tuple(out)


def pooled(n: int = N_DRAWS) -> list[tuple[str, Run, Any]]:
    """Every realistic scenario's runs, pooled: (scenario, arrays, KPIs)."""
    return [(name, arrays, kpis) for name in REALISTIC for arrays, kpis in ensemble(name, n)]


def break_even_years(kpis: Any) -> float:
    """Years from the decision to break-even (inf when not within the horizon)."""
    m = kpis.break_even_month
    return np.inf if m is None else m / 12.0


def p1(n: int = N_DRAWS) -> dict[str, float]:
    """P1: break-even over plausible uncertainty, pooled over the realistic scenarios."""
    runs = pooled(n)
    years = np.array([break_even_years(k) for _, _, k in runs])
    cum = np.array([a["cumulative_net_benefit"][23] for _, a, _ in runs])
    return {
        "runs": float(years.size),
        "share_negative_at_2y": float(np.mean(cum < 0)),
        "p10_years": float(np.percentile(years, 10)),
        "median_years": float(np.median(years)),
        "share_never": float(np.mean(~np.isfinite(years))),
    }


def p2(n: int = N_DRAWS) -> dict[str, float]:
    """P2: the share of the gain realised in year five (against the scale gain and against the
    full potential), pooled over the realistic scenarios whose scale gain is positive."""
    scale, full = [], []
    for _, _, k in pooled(n):
        if k.realised_scale_share_y5 is not None and k.potential_gain_mdkk > 0:
            scale.append(k.realised_scale_share_y5)
            full.append(k.realised_share_y5)
    s, f = np.array(scale), np.array(full)
    return {
        "runs": float(s.size),
        "median_scale": float(np.median(s)), "share_scale_90": float(np.mean(s >= 0.9)),
        "share_scale_below_25": float(np.mean(s < 0.25)),
        "median_full": float(np.median(f)),
    }


def _golive_span(arrays: Run) -> tuple[int, int]:
    """Indices (0-based) of the first and the last month with a new go-live."""
    live = arrays["share_served"]
    new = np.flatnonzero(np.diff(np.concatenate([[0.0], live])) > 0)
    return int(new[0]), int(new[-1])


def transition_dip(arrays: Run, target: float) -> dict[str, float]:
    """The service dip of the transition: from the first go-live to a year after the last.

    Returns the lowest service, the longest extra wait (weeks), the months with service below
    95 % and the months from the last go-live until service stays at ``target`` or above.
    """
    first, last = _golive_span(arrays)
    window = slice(first, min(last + 13, arrays["service_level"].size))
    service = arrays["service_level"][window]
    below = np.flatnonzero(arrays["service_level"][last:] < target)
    return {
        "min_service": float(np.nanmin(service)),
        "max_wait": float(np.max(arrays["wait_weeks"][window])),
        "months_below_95": float(np.sum(service < 0.95)),
        "recovered_after": float(below[-1] + 1) if below.size else 0.0,
    }


#: Scenarios whose transition is not overlaid by a relocation (P3 reads the transition alone).
TRANSITION_ONLY: tuple[str, ...] = tuple(s for s in REALISTIC if s != "statens_administration")


def p3(n: int = N_DRAWS) -> dict[str, float]:
    """P3: depth and length of the transition's dip, pooled over :data:`TRANSITION_ONLY`."""
    rows = []
    for name in TRANSITION_ONLY:
        target = load_scenario(name).params().service_target
        rows += [transition_dip(a, target) for a, _ in ensemble(name, n)]
    get = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    return {
        "runs": float(len(rows)),
        "median_min_service": float(np.median(get["min_service"])),
        "share_halved": float(np.mean(get["min_service"] < 0.5)),
        "median_max_wait_weeks": float(np.median(get["max_wait"])),
        "median_months_below_95": float(np.median(get["months_below_95"])),
        "median_recovered_after": float(np.median(get["recovered_after"])),
        "share_recovered_within_12": float(np.mean(get["recovered_after"] <= 12)),
    }
