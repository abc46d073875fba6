"""Agent-based simulation of shared-service reforms in the public sector."""

from sim.errors import ParameterError, ScenarioError, SimInputError
from sim.kpis import KPIs
from sim.params import Params, make_params, specs
from sim.runner import Result, Runs, run, run_many, simulate
from sim.scenarios import Scenario, list_scenarios, load_scenario, save_scenario

__version__ = "0.1.0"
#: Changes whenever the model's equations change (part of every sweep run's identity).
MODEL_VERSION = "0.1.0"

__all__ = [
    "KPIs", "MODEL_VERSION", "ParameterError", "Params", "Result", "Runs", "Scenario",
    "ScenarioError", "SimInputError", "list_scenarios", "load_scenario", "make_params", "run",
    "run_many", "save_scenario", "simulate", "specs",
]
