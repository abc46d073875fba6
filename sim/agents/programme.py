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

import numpy as np
from mesa import Agent

from sim.agents.family import anyof

RUNNING, PAUSED, RESCOPED, ENDED = 0, 1, 2, 3
STATUS_NAMES = ("running", "paused", "re-scoped", "ended")
#: The owner's monthly actions (codes returned by :meth:`ProgrammeOwner.review`).
NONE, PAUSE, RESUME, RESCOPE, END = 0, 1, 2, 3, 4
ACTIONS = ("", "pause", "resume", "re-scope", "end")


class Decision(NamedTuple):
    """One decision of the programme owner."""

    month: int
    action: str
    reason: str


class ProgrammeOwner(Agent):
    """The owner of the reform programme (one per member; one Mesa agent for all of them).

    Attributes:
        status: RUNNING, PAUSED, RESCOPED or ENDED, per member (members × 1; a re-scoped
            programme that is also paused shows PAUSED until the pause ends).
        rescoped, ended: Whether the programme has been re-scoped or ended (final), per member.
        months_complaining: Consecutive months with complaints at or above the pause share.
        decisions: The first member's decisions, with their month and reason, in order
            (:meth:`decisions_of` for any member).
    """

    def __init__(self, model: Any) -> None:
        """Create the owner of ``model``'s programme."""
        super().__init__(model)
        shape = (model.members, 1)
        self.status = np.full(shape, RUNNING, dtype=np.int64)
        self.rescoped = np.zeros(shape, dtype=bool)
        self.ended = np.zeros(shape, dtype=bool)
        self.months_complaining = np.zeros(shape, dtype=np.int64)
        self._decisions: list[list[Decision]] = [[] for _ in range(model.members)]
        #: No member counts complaints, is paused or has ended: a month under every limit is
        #: quiet, and a one-member review of it compares three plain numbers.
        self._calm = True

    @property
    def decisions(self) -> list[Decision]:
        """The (first) member's decisions, in order."""
        return self._decisions[0]

    def decisions_of(self, member: int) -> list[Decision]:
        """Member ``member``'s decisions, in order."""
        return self._decisions[member]

    @property
    def paused(self) -> np.ndarray:
        """Whether the roll-out is paused this month, per member (members × 1)."""
        return self.status == PAUSED

    def review(self, complaint_share: Any, exit_share: Any, net_loss_years: Any
               ) -> np.ndarray | None:
        """Review last month's figures and decide, for every member.

        Args:
            complaint_share: Share of live institutions badly served last month.
            exit_share: Share of all institutions that have left the centre.
            net_loss_years: Cumulative net loss in years of the task's former budget (≤ 0
                while the reform is ahead).

            Each is members × 1, or for a one-member model a Python number.

        Returns:
            This month's action per member (members × 1, an index into :data:`ACTIONS`:
            none, pause, resume, re-scope, end), or None when no member acts.
        """
        p = self.model.p
        if not p.programme_review:
            return None
        if not isinstance(complaint_share, np.ndarray):
            if (self._calm and complaint_share < p.pause_complaint_share
                    and exit_share < p.end_exit_share
                    and net_loss_years < p.rescope_overspend_years):
                return None  # a quiet month of a calm programme
            complaint_share, exit_share, net_loss_years = (
                np.full((1, 1), x, dtype=float)
                for x in (complaint_share, exit_share, net_loss_years))
        action = self._review(complaint_share, exit_share, net_loss_years)
        self._calm = not (anyof(self.months_complaining) or anyof(self.status == PAUSED)
                          or anyof(self.ended))
        return action

    def _review(self, complaint_share: np.ndarray, exit_share: np.ndarray,
                net_loss_years: np.ndarray) -> np.ndarray | None:
        p = self.model.p
        active = ~self.ended
        if not anyof(active):
            return None
        if (not anyof(self.months_complaining)
                and not anyof(self.status == PAUSED)
                and ((exit_share < p.end_exit_share)
                     & (net_loss_years < p.rescope_overspend_years)
                     & (complaint_share < p.pause_complaint_share)).all()):
            return None  # no limit reached, nothing to count or resume: the month is quiet
        month = self.model.steps
        end = active & (exit_share >= p.end_exit_share)
        rest = active & ~end
        rescope = rest & ~self.rescoped & (net_loss_years >= p.rescope_overspend_years)
        rest &= ~rescope
        complaining = complaint_share >= p.pause_complaint_share
        self.months_complaining = np.where(rest, np.where(complaining,
                                                          self.months_complaining + 1, 0),
                                           self.months_complaining)
        pause = rest & (self.status != PAUSED) & (self.months_complaining
                                                  >= p.response_delay_months)
        resume = rest & ~pause & (self.status == PAUSED) & ~complaining
        if not (anyof(end) or anyof(rescope) or anyof(pause) or anyof(resume)):
            return None
        self.ended |= end
        self.rescoped |= rescope
        status = np.where(end, ENDED, self.status)
        status = np.where(rescope, RESCOPED, status)
        status = np.where(pause, PAUSED, status)
        self.status = np.where(resume, np.where(self.rescoped, RESCOPED, RUNNING), status)
        action = (end * END + rescope * RESCOPE + pause * PAUSE + resume * RESUME)
        for k in np.flatnonzero(action[:, 0]):
            self._record(int(k), month, int(action[k, 0]), float(complaint_share[k, 0]),
                         float(exit_share[k, 0]), float(net_loss_years[k, 0]))
        return action

    def _record(self, k: int, month: int, action: int, complaint_share: float,
                exit_share: float, net_loss_years: float) -> None:
        p = self.model.p

        def of(value: Any) -> float:
            return float(value[k, 0]) if isinstance(value, np.ndarray) else value

        if action == END:
            reason = (f"{exit_share:.0%} of the institutions have left "
                      f"(limit {of(p.end_exit_share):.0%})")
        elif action == RESCOPE:
            reason = (f"the net loss is {net_loss_years:.2f} years of the former "
                      f"budget (limit {of(p.rescope_overspend_years):g})")
        elif action == PAUSE:
            reason = (f"{complaint_share:.0%} of the live institutions badly served "
                      f"for {int(self.months_complaining[k, 0])} months (limit "
                      f"{of(p.pause_complaint_share):.0%})")
        else:
            reason = "complaints fell below the limit"
        self._decisions[k].append(Decision(month, ACTIONS[action], reason))

    def step(self) -> None:
        """The owner acts inside ``model.step()`` (its :meth:`review` phase), never alone."""
        raise TypeError("the programme owner reviews inside model.step(); call model.step()")
