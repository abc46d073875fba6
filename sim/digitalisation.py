"""Digitalisation: the share of the task's work removed by new IT and rule changes.

KL's report (004, section 4.1.7 and its potentials table) assumes digitalisation removes 50 % of
the work that remains after the scale gain; about 17 % of that gain needs no rule change and
comes early, about 83 % needs the state to change rules and registers first. Each part ramps in
linearly over the IT roll-out time (a stated assumption: new IT takes 6 months to 3 years).
"""

from __future__ import annotations

from sim.params import Params


def ramp(months_since_start: float, ramp_months: int) -> float:
    """Linear ramp from 0 (at the start) to 1 (after ``ramp_months``); 0 before the start."""
    return min(max(months_since_start / ramp_months, 0.0), 1.0)


def digital_reduction(month: int, p: Params) -> float:
    """Share of the task's work removed by digitalisation in ``month`` (1-based).

    ``G * (e * ramp(t - s) + (1 - e) * R * ramp(t - s - delay))`` with G the full gain,
    e the early share, s the start month, R 1 if the state changes the rules, else 0.
    """
    since = month - p.digital_start_month
    early = p.digital_early_share * ramp(since, p.digital_ramp_months)
    late = 0.0
    if p.rule_changes:
        late = (1.0 - p.digital_early_share) * ramp(since - p.rule_change_delay_months,
                                                    p.digital_ramp_months)
    return p.digital_gain_share * (early + late)


def full_digital_reduction(p: Params) -> float:
    """The reduction once everything the parameters allow has arrived."""
    share = p.digital_early_share + (1.0 - p.digital_early_share) * float(p.rule_changes)
    return p.digital_gain_share * share
