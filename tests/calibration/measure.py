"""Shared helpers for the calibration tests and the calibration report.

Every figure a test checks is computed here once, so ``docs/calibration.md`` (written from
``python -m tests.calibration.report``) shows exactly what the tests assert.

Seeds: ``numpy.random.SeedSequence(CALIBRATION_ENTROPY).spawn(N_SEEDS)``, each child turned into
one 32-bit integer seed for :func:`sim.runner.simulate`. The list is fixed, so a tolerance that
passes today passes tomorrow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import numpy as np

from sim.runner import simulate
from sim.scenarios import load_scenario

#: Entropy of the calibration seed sequence (any fixed number; written down for reproducibility).
CALIBRATION_ENTROPY = 20_240_611
#: Seeds per calibration case (the issue asks for a median over at least 20).
N_SEEDS = 24

Run = dict[str, np.ndarray]


def calibration_seeds(n: int = N_SEEDS) -> list[int]:
    """The ``n`` replication seeds, spawned from :data:`CALIBRATION_ENTROPY`."""
    children = np.random.SeedSequence(CALIBRATION_ENTROPY).spawn(n)
    return [int(c.generate_state(1)[0]) for c in children]


@cache
def _runs(scenario: str, overrides: tuple[tuple[str, Any], ...], n: int) -> tuple[Run, ...]:
    params = load_scenario(scenario).params(dict(overrides))
    return tuple(simulate(params, seed)[0] for seed in calibration_seeds(n))


def runs(scenario: str, overrides: Mapping[str, Any] | None = None,
         n: int = N_SEEDS) -> tuple[Run, ...]:
    """Run a shipped scenario (plus overrides) over the calibration seeds; cached per process."""
    return _runs(scenario, tuple(sorted((overrides or {}).items())), n)


def summary(values: list[float]) -> dict[str, float]:
    """Median and the 10–90 % range of a figure over seeds."""
    arr = np.asarray(values, dtype=float)
    return {"median": float(np.median(arr)), "p10": float(np.percentile(arr, 10)),
            "p90": float(np.percentile(arr, 90))}


def over_seeds(rs: tuple[Run, ...], figure: Callable[[Run], float]) -> dict[str, float]:
    """Apply ``figure`` to every run and summarise."""
    return summary([figure(r) for r in rs])


def year_mean(r: Run, column: str, year: int) -> float:
    """Mean of a monthly column over one calendar year (months whose ``year`` starts with it)."""
    mask = np.floor(r["year"] + 1e-9) == year
    if not mask.any():
        raise ValueError(f"the run does not cover {year}")
    return float(np.nanmean(r[column][mask]))


def last_months_mean(r: Run, column: str, months: int = 12) -> float:
    """Mean of a column over the last ``months`` of the run (the long-run level)."""
    return float(np.nanmean(r[column][-months:]))


def first_golive_month(r: Run) -> int:
    """First month (1-based) with an institution live."""
    live = np.flatnonzero(r["share_served"] > 0)
    return int(live[0]) + 1


def first_month_at_least(r: Run, column: str, level: float, after: int = 0) -> int | None:
    """First month (1-based, > ``after``) in which ``column`` reaches ``level``."""
    hit = np.flatnonzero((r[column] >= level) & (r["month"] > after))
    return int(hit[0]) + 1 if hit.size else None


def params(scenario: str, overrides: Mapping[str, Any] | None = None):
    """The validated parameters of a shipped scenario (plus overrides)."""
    return load_scenario(scenario).params(dict(overrides or {}))


# --- the figures the calibration checks --------------------------------------------------

#: KL's published long-run potentials (004, section 4.4), mio. kr. a year, (min, max), keyed by
#: rule_changes (False = current rules, True = with the state's rule changes).
KL_RANGES: dict[str, dict[bool, tuple[float, float]]] = {
    "kl_model_1a": {False: (179.0, 380.0), True: (554.0, 680.0)},
    "kl_model_1b": {False: (98.0, 315.0), True: (510.0, 645.0)},
    "kl_model_2": {False: (148.0, 177.0), True: (545.0, 574.0)},
}


def sa_efficiency_2014(r: Run) -> float:
    """Statens Administration: work per centre FTE, 2014 average (× the agencies' before)."""
    return year_mean(r, "work_per_fte", 2014)


def sa_saving_2014(r: Run) -> float:
    """Statens Administration: realised annual saving, 2014 average (mio. kr./year)."""
    return year_mean(r, "realised_gain", 2014)


def udk_saving_2015(r: Run) -> float:
    """Udbetaling Danmark: realised annual saving, 2015 average (mio. kr./year)."""
    return year_mean(r, "realised_gain", 2015)


def udk_first_year_gain(r: Run) -> float:
    """Mean realised gain over the 12 months from the first go-live (mio. kr./year)."""
    g = first_golive_month(r)
    return float(np.mean(r["realised_gain"][g - 1:g + 11]))


def udk_months_to_two_thirds(r: Run) -> float:
    """Months from the first go-live until the gain first reaches 2/3 of its 2015 level."""
    g = first_golive_month(r)
    hit = first_month_at_least(r, "realised_gain", 2 / 3 * udk_saving_2015(r), after=g)
    return float("inf") if hit is None else float(hit - g)


def long_run_gain(r: Run) -> float:
    """The long-run annual gain: mean of the last 12 months (mio. kr./year)."""
    return last_months_mean(r, "realised_gain", 12)


def max_gain_in_preparation(r: Run) -> float:
    """The largest realised gain in any month before the first go-live."""
    return float(np.max(r["realised_gain"][: first_golive_month(r) - 1]))


def months_to_centre_staff_settled(r: Run) -> float:
    """Months from the first go-live until the centres' staff settle: from then on they stay
    within 5 % of their long-run level (mean of the last 12 months)."""
    g = first_golive_month(r)
    level = last_months_mean(r, "centre_fte", 12)
    outside = np.flatnonzero(np.abs(r["centre_fte"] - level) > 0.05 * level)
    return float(outside[-1] + 2 - g)


def work_per_fte_two_years_after_start(r: Run) -> float:
    """Work per centre FTE 24 months after the first go-live."""
    return float(r["work_per_fte"][first_golive_month(r) - 1 + 24])


# --- the Danish audit office's after-the-fact evidence (domain.md) --------------------------

#: Udbetaling Danmark's housing-benefit change (domain.md): the variant that maps it. The dip's
#: size is estimated from the reported rise from about 7 to about 10 weeks (a grid of 0.30,
#: 0.35, 0.40, 0.45 gave 2.3, 3.2, 4.2, 5.2 weeks); the recovery time is the check.
UDK_HOUSING_CHANGE = {"task_change_month": 49, "task_change_dip": 0.35}
#: Statens Administration's relocation with only about 1 in 4 staff moving (18/2017).
SA_QUARTER_MOVE = {"relocation_staff_loss": 0.75}
#: The relocation month of the Statens Administration scenario (July 2016).
SA_QUARTER_MOVE_MONTH = 115


def oesc_realised_share_2011(r: Run) -> float:
    """ØSC: realised saving in 2011 over the business case's 54.3 mio. kr. (≈ the potential)."""
    return year_mean(r, "realised_gain", 2011) / float(r["potential_gain"][0])


def oesc_errors_first_year_over_later(r: Run) -> float:
    """ØSC: the error rate in the year after the first go-live over that of 2011."""
    g = first_golive_month(r)
    first = float(np.mean(r["error_rate"][g - 1:g + 11]))
    return first / max(year_mean(r, "error_rate", 2011), 1e-12)


def oesc_double_work_2011(r: Run) -> float:
    """ØSC: FTE doing the centre's work twice in 2011 (shadow staff plus error workarounds)."""
    return year_mean(r, "shadow_fte", 2011) + year_mean(r, "workaround_fte", 2011)


def sa_double_work_2018(r: Run) -> float:
    """Statens Administration: shadow staff in 2018, ten years after the first pooling (FTE)."""
    return year_mean(r, "shadow_fte", 2018)


def sa_months_production_below_before_move(r: Run) -> float:
    """Months after the relocation in which work per FTE stays below its level in the year
    before the move (the production lost while new staff are hired and trained)."""
    move = SA_QUARTER_MOVE_MONTH
    before = float(np.mean(r["work_per_fte"][move - 13:move - 1]))
    after = r["work_per_fte"][move - 1:]
    below = np.flatnonzero(after < 0.98 * before)
    return float(below[-1] + 1) if below.size else 0.0



def udk_wait_rise_weeks(r: Run) -> float:
    """Udbetaling Danmark: the largest extra waiting time after the housing-benefit change."""
    start = UDK_HOUSING_CHANGE["task_change_month"] - 1
    return float(np.max(r["wait_weeks"][start:]))


def udk_months_to_recover(r: Run) -> float:
    """Months from the change until the extra waiting time is back under half a week."""
    start = UDK_HOUSING_CHANGE["task_change_month"] - 1
    w = r["wait_weeks"][start:]
    peak = int(np.argmax(w))
    back = np.flatnonzero(w[peak:] < 0.5)
    return float(peak + back[0]) if back.size else float("inf")


def udk_share_paying_more_2015(r: Run) -> float:
    """Udbetaling Danmark: share of municipalities paying more than their own former cost."""
    return year_mean(r, "share_paying_more", 2015)


def statens_it_realised_share_end(r: Run) -> float:
    """Statens It: realised gain over the plan's potential at the end of the run."""
    return float(r["realised_gain"][-1] / r["potential_gain"][0])


def udk_highest_price_ratio_2015(r: Run) -> float:
    """Udbetaling Danmark: the highest price over own former cost among municipalities, 2015."""
    return year_mean(r, "price_ratio_max", 2015)
