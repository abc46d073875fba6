"""Per-agent state held as numpy arrays (structure of arrays).

The Mesa agents (``sim.agents``) are thin views onto these arrays: the model's monthly phases
update whole populations at once with numpy, which keeps the step fast enough for sweeps of
thousands of runs and for live play in the app.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WAITING, TRANSITION, SERVED = 0, 1, 2
PHASE_NAMES = ("waiting", "in transition", "served")


@dataclass
class InstitutionArrays:
    """State of every institution, index i = institution i."""

    baseline_fte: np.ndarray  # staff on the task before the reform
    moved_work: np.ndarray  # FTE-months per month of work that moves to the centre
    local_work: np.ndarray  # FTE-months per month that legitimately stays local
    group: np.ndarray
    centre: np.ndarray
    eligible_month: np.ndarray  # month of its wave (1-based)
    phase: np.ndarray  # WAITING, TRANSITION or SERVED
    golive_month: np.ndarray  # month it went live (0 = not yet)
    kept_fte: np.ndarray  # staff on the work that legitimately stays local
    redundant_fte: np.ndarray  # surplus staff under notice
    attrition_fte: np.ndarray  # surplus staff redeployed until they leave naturally
    shadow_fte: np.ndarray  # staff doing work the centre is meant to do
    service: np.ndarray  # service level experienced this month (NaN if not live)

    @property
    def local_fte(self) -> np.ndarray:
        """Non-shadow local staff: kept plus surplus awaiting release."""
        return self.kept_fte + self.redundant_fte + self.attrition_fte

    @property
    def live(self) -> np.ndarray:
        """Mask of institutions whose work has moved to a centre."""
        return self.phase != WAITING


@dataclass
class ManagerArrays:
    """State of every local manager, index i = manager of institution i."""

    trust: np.ndarray
    control_need: np.ndarray


@dataclass
class CentreArrays:
    """State of every shared-service centre, index c = centre c."""

    full_work: np.ndarray  # monthly work of all its institutions at baseline productivity
    staff: np.ndarray
    experience: np.ndarray  # cumulative processed work (Wright's law volume)
    disruption: np.ndarray  # share of productivity lost to recent go-lives
    backlog: np.ndarray
    productivity: np.ndarray  # effective work per FTE-month this month
    service: np.ndarray  # share of due work done this month
    first_golive: np.ndarray  # month of its first go-live (0 = none yet)
