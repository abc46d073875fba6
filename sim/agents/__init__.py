"""The model's agent families: institutions, their local managers and the centres."""

from sim.agents.centre import SharedServiceCentre
from sim.agents.institution import Institution
from sim.agents.manager import LocalManager

__all__ = ["Institution", "LocalManager", "SharedServiceCentre"]
