"""Costs and gains, as pure functions of the state (mio. kr.; annual rates unless noted).

- baseline cost = baseline FTE × cost per FTE + the institutions' own IT cost on the task;
- running cost = (local + shadow + centre FTE + local time off the books) × cost per FTE + IT
  running (from the first go-live) + dialogue (effort × its full cost) + the own IT cost of the
  institutions not yet served (share weighted by baseline FTE: contracts end with the notice
  period) + the cost of late work (bounded per case) and the emergency premium;
- transition cost (a line within the running cost) = the staff paid twice while the work moves:
  local surplus awaiting release and centre staff hired ahead of their wave;
- realised annual gain = baseline cost − running cost;
- one-off costs: establishment and IT investment spread evenly over the preparation, onboarding
  per FTE hired into or transferred to a centre, severance per FTE made redundant, relocation;
- cumulative net benefit = Σ (realised gain / 12 − one-off costs of the month).
The business case's plan: learning reaches ``target_productivity`` along a linear path over
the planned learning time (``planned_productivity``); the staff budget follows that path.
The business-case potential is what the plan promises at steady state: every institution live,
learning complete, all digitalisation the parameters allow, no shadow functions.
"""

from __future__ import annotations

import numpy as np

from sim.digitalisation import full_digital_reduction
from sim.members import maximum, minimum, per_member
from sim.params import Params


def target_productivity(scale_gain_share: float) -> float:
    """Planned work per FTE when learning is complete: ``1 / (1 - scale_gain_share)``."""
    return 1.0 / (1.0 - scale_gain_share)


def planned_productivity(months_live: float, target: float, planned_months: int) -> float:
    """The business case's path: from local productivity (1) to ``target`` linearly."""
    frac = minimum(maximum(months_live / planned_months, 0.0), 1.0)
    return 1.0 + (target - 1.0) * frac


def potential_gain(p: Params, moved_work: float, local_work: float,
                   reduction: float | None = None) -> float:
    """The business case's annual gain at steady state (mio. kr./year): the scale gain plus
    the digitalisation gain of work ``reduction`` (None: all the digitalisation the parameters
    allow; the share the plan dates by a month gives the gain due by then)."""
    d = full_digital_reduction(p) if reduction is None else reduction
    planned_fte = (local_work + moved_work / target_productivity(p.scale_gain_share)) * (1 - d)
    return (p.fte_cost_mdkk * (moved_work + local_work - planned_fte) - p.it_running_cost_mdkk
            + p.local_it_cost_mdkk)


def running_cost(p: Params, local_fte: float, shadow_fte: float, centre_fte: float,
                 it_live: bool, own_it_share: float = 1.0, *, backlog: float = 0.0,
                 processed: float = 0.0, off_books_fte: float = 0.0,
                 emergency_fte: float = 0.0) -> float:
    """Annual running cost now (mio. kr./year).

    ``own_it_share`` is the share (by baseline FTE) of institutions still paying for their own
    IT on the task (1 before the reform, 0 once all are served). Poor service costs money
    (:func:`failure_cost`), and local time off the books (``off_books_fte``: the centre's
    errors corrected locally, work taken back, informal shadow work) costs like staff.
    """
    staff = (local_fte + shadow_fte + centre_fte + off_books_fte) * p.fte_cost_mdkk
    it = per_member(it_live, p.it_running_cost_mdkk, 0.0)
    own_it = p.local_it_cost_mdkk * own_it_share
    failure = failure_cost(p, backlog, processed, emergency_fte)
    return staff + it + own_it + p.dialogue_effort * p.dialogue_cost_mdkk + failure


def delay_cost_work(p: Params, backlog: float, processed: float) -> float:
    """The work waiting whose delay costs money this month (FTE-months).

    A case costs its delay for at most ``delay_cost_cap_months`` (then it is paid or no longer
    chased): at throughput ``processed``, the cases waiting longer than that are
    ``backlog − processed × cap``, and they cost nothing more, so the costly part is
    ``min(backlog, processed × cap)``. With nothing processed, every waiting case is still
    within its first month and costs.
    """
    return per_member(processed <= 0.0, backlog,
                      minimum(backlog, processed * p.delay_cost_cap_months))


def failure_cost(p: Params, backlog: float, processed: float, emergency_fte: float) -> float:
    """Annual cost of poor service (mio. kr./year): each FTE-month of costly waiting work
    costs ``backlog_cost_share`` of an FTE-month a month (late payments, chasing, complaints;
    :func:`delay_cost_work`), and emergency staff cost ``emergency_cost_premium`` more than
    ordinary staff."""
    return (p.backlog_cost_share * delay_cost_work(p, backlog, processed)
            + p.emergency_cost_premium * emergency_fte) * p.fte_cost_mdkk


def transition_cost(p: Params, surplus_fte: float, ahead_fte: float) -> float:
    """Annual cost of running both organisations (mio. kr./year): local surplus staff still
    paid while their work is at the centre, and centre staff hired ahead of their wave."""
    return (surplus_fte + ahead_fte) * p.fte_cost_mdkk


def preparation_cost(p: Params, month: int) -> float:
    """Establishment and IT investment paid this month (spread over the preparation)."""
    spread = max(p.preparation_months, 1)
    if month > spread:
        return 0.0
    return (p.establishment_cost_mdkk + p.it_investment_mdkk) / spread


def one_off_cost(p: Params, month: int, onboarded_fte: float, redundant_fte: float,
                 rebaselines: int = 0) -> float:
    """All one-off costs paid this month (mio. kr.)."""
    cost = preparation_cost(p, month) + rebaselines * p.rebaseline_cost_mdkk
    cost += onboarded_fte * p.onboarding_cost_per_fte_mdkk
    cost += redundant_fte * p.severance_cost_per_fte_mdkk
    if month == p.relocation_month:
        cost += p.relocation_cost_mdkk
    return cost


def break_even_month(cumulative: np.ndarray) -> int | None:
    """First month from which the cumulative net benefit stays ≥ 0 (None if it ends < 0)."""
    if cumulative.size == 0 or cumulative[-1] < 0:
        return None
    negative = np.flatnonzero(cumulative < 0)
    return 1 if negative.size == 0 else int(negative[-1]) + 2
