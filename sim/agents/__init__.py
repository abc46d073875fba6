"""The model's agent families: institutions, their local managers, the centres and the
programme owner.

Each family owns its state as numpy arrays and its phase methods; each agent is a writable Mesa
view onto its element of those arrays (:mod:`sim.agents.family`).
"""

from sim.agents.centre import CentreFamily, SharedServiceCentre
from sim.agents.institution import Institution, InstitutionFamily
from sim.agents.manager import LocalManager, ManagerFamily
from sim.agents.programme import ProgrammeOwner

__all__ = [
    "CentreFamily", "Institution", "InstitutionFamily", "LocalManager", "ManagerFamily",
    "ProgrammeOwner", "SharedServiceCentre",
]
