"""The programme owner: the ministry or KL board above the centre that can stop a reform.

Nobody in a real reform watches only the centre: a programme board reads the complaints, the
exits and the money, and pauses, re-scopes or ends the programme when they pass its limits
(000, box 1.2: "without strong management focus the result risks being more bureaucracy
without value"). The owner reviews once a month, on last month's figures, before the roll-out:

- **pause** while at least ``pause_complaint_share`` of the live institutions have been badly
  served (a full tolerance below their expectation) for ``response_delay_months`` months in a
  row: no institution goes live; the roll-out resumes when complaints fall below the share;
- **re-scope** once the cumulative net loss reaches ``rescope_overspend_years`` of the task's
  former annual budget: the institutions still waiting are dropped from the programme;
- **end** once ``end_exit_share`` of the institutions have left: every institution takes the
  task back.

Re-scoping and ending are final. Every decision is kept with its month and reason
(:attr:`ProgrammeOwner.decisions`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from mesa import Agent

RUNNING, PAUSED, RESCOPED, ENDED = 0, 1, 2, 3
STATUS_NAMES = ("running", "paused", "re-scoped", "ended")


class Decision(NamedTuple):
    """One decision of the programme owner."""

    month: int
    action: str
    reason: str


class ProgrammeOwner(Agent):
    """The owner of the reform programme (one per model).

    Attributes:
        status: RUNNING, PAUSED, RESCOPED or ENDED (a re-scoped programme that is also paused
            shows PAUSED until the pause ends).
        rescoped, ended: Whether the programme has been re-scoped or ended (final).
        months_complaining: Consecutive months with complaints at or above the pause share.
        decisions: Every decision, with its month and reason, in order.
    """

    def __init__(self, model: Any) -> None:
        """Create the owner of ``model``'s programme."""
        super().__init__(model)
        self.status = RUNNING
        self.rescoped = False
        self.ended = False
        self.months_complaining = 0
        self.decisions: list[Decision] = []

    @property
    def paused(self) -> bool:
        """Whether the roll-out is paused this month."""
        return self.status == PAUSED

    def review(self, complaint_share: float, exit_share: float, net_loss_years: float) -> str:
        """Review last month's figures and decide.

        Args:
            complaint_share: Share of live institutions badly served last month.
            exit_share: Share of all institutions that have left the centre.
            net_loss_years: Cumulative net loss in years of the task's former budget (≤ 0
                while the reform is ahead).

        Returns:
            This month's action: ``""`` (none), ``"pause"``, ``"resume"``, ``"re-scope"`` or
            ``"end"``.
        """
        p = self.model.p
        if not p.programme_review or self.ended:
            return ""
        month = self.model.steps
        if exit_share >= p.end_exit_share:
            self.ended = True
            self.status = ENDED
            return self._decide(month, "end", f"{exit_share:.0%} of the institutions have left "
                                f"(limit {p.end_exit_share:.0%})")
        if not self.rescoped and net_loss_years >= p.rescope_overspend_years:
            self.rescoped = True
            self.status = RESCOPED
            return self._decide(month, "re-scope",
                                f"the net loss is {net_loss_years:.2f} years of the former "
                                f"budget (limit {p.rescope_overspend_years:g})")
        complaining = complaint_share >= p.pause_complaint_share
        self.months_complaining = self.months_complaining + 1 if complaining else 0
        if self.status != PAUSED and self.months_complaining >= p.response_delay_months:
            self.status = PAUSED
            return self._decide(month, "pause",
                                f"{complaint_share:.0%} of the live institutions badly served "
                                f"for {self.months_complaining} months (limit "
                                f"{p.pause_complaint_share:.0%})")
        if self.status == PAUSED and not complaining:
            self.status = RESCOPED if self.rescoped else RUNNING
            return self._decide(month, "resume", "complaints fell below the limit")
        return ""

    def _decide(self, month: int, action: str, reason: str) -> str:
        self.decisions.append(Decision(month, action, reason))
        return action

    def step(self) -> None:
        """The owner acts inside ``model.step()`` (its :meth:`review` phase), never alone."""
        raise TypeError("the programme owner reviews inside model.step(); call model.step()")
