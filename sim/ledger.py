"""The reform's books: the month's running cost, realised gain, one-off costs and the running
total of the net benefit (the equations are the pure functions of :mod:`sim.economics`)."""

from __future__ import annotations

import numpy as np

from sim import economics
from sim.agents.family import per_member_values, rowsum
from sim.params import Params
from sim.units import MONTHS_PER_YEAR


class Ledger:
    """Costs and gains of every member, closed once a month (each figure members × 1, or a
    Python number in a one-member model: ``sim.agents.family.per_member_values``).

    Attributes:
        baseline_cost: Annual cost of the task before the reform (mio. kr./year).
        potential_gain: The business case's annual gain at steady state (mio. kr./year).
        potential_due_gain: The part of it due this month: the scale gain and the
            digitalisation the plan dates by now (mio. kr./year).
        local_fte, shadow_fte, centre_fte: This month's staff totals (FTE) the costs rest on.
        workaround_fte: Local time spent on the centre's errors (FTE-equivalent).
        informal_fte: Shadow work cut by order that goes on informally (FTE-equivalent).
        takeback_fte: Local time spent doing the centre's work again (FTE-equivalent).
        failure_cost: The part of the running cost due to poor service (mio. kr./year).
        transition_cost: The part of the running cost paid twice while the work moves
            (mio. kr./year).
        running_cost, realised_gain: This month's annual rates (mio. kr./year).
        one_off_cost: One-off costs paid this month (mio. kr.).
        cumulative_net_benefit: Σ (realised gain / 12 − one-off costs) so far (mio. kr.).
    """

    def __init__(self, p: Params, baseline_fte: np.ndarray, moved_work: np.ndarray,
                 local_work: np.ndarray) -> None:
        """Open the books for institutions with these baseline staff and work."""
        self.baseline_cost = per_member_values(rowsum(baseline_fte) * p.fte_cost_mdkk
                                               + p.local_it_cost_mdkk)
        moved = per_member_values(rowsum(moved_work))
        local = per_member_values(rowsum(local_work))
        self.potential_gain = economics.potential_gain(p, moved, local)
        self._moved, self._local = moved, local
        self.potential_due_gain = economics.potential_gain(p, moved, local, 0.0)
        zero = per_member_values(np.zeros(rowsum(baseline_fte).shape))
        self.local_fte = self.shadow_fte = self.centre_fte = self.workaround_fte = zero
        self.informal_fte = self.takeback_fte = zero
        self.failure_cost = zero
        self.transition_cost = zero
        self.running_cost = zero
        self.realised_gain = zero
        self.one_off_cost = zero
        self.cumulative_net_benefit = zero

    def close_month(self, p: Params, month: int, *, local_fte: float, shadow_fte: float,
                    centre_fte: float, it_live: bool, own_it_share: float,
                    onboarded_fte: float, redundant_fte: float, backlog: float = 0.0,
                    processed: float = 0.0, workaround_fte: float = 0.0,
                    informal_fte: float = 0.0, takeback_fte: float = 0.0,
                    surplus_fte: float = 0.0, ahead_fte: float = 0.0,
                    emergency_fte: float = 0.0, rebaselines: int = 0,
                    digital: float = 0.0) -> None:
        """Book month ``month`` under parameters ``p``: running and one-off costs, the gain,
        the net benefit; ``digital`` is the share of work digitalisation removes by now."""
        self.potential_due_gain = economics.potential_gain(p, self._moved, self._local, digital)
        self.local_fte, self.shadow_fte, self.centre_fte = local_fte, shadow_fte, centre_fte
        self.workaround_fte = workaround_fte
        self.informal_fte, self.takeback_fte = informal_fte, takeback_fte
        self.failure_cost = economics.failure_cost(p, backlog, processed, emergency_fte)
        self.transition_cost = economics.transition_cost(p, surplus_fte, ahead_fte)
        self.running_cost = economics.running_cost(
            p, local_fte, shadow_fte, centre_fte, it_live, own_it_share, backlog=backlog,
            processed=processed, off_books_fte=workaround_fte + informal_fte + takeback_fte,
            emergency_fte=emergency_fte)
        self.realised_gain = self.baseline_cost - self.running_cost
        self.one_off_cost = economics.one_off_cost(p, month, onboarded_fte, redundant_fte,
                                                   rebaselines)
        self.cumulative_net_benefit = (self.cumulative_net_benefit
                                       + (self.realised_gain / MONTHS_PER_YEAR - self.one_off_cost))
