"""Fork at "now": pause at month m, change a policy, and draw the path from m against the
original.

The model is run to month m, copied with ``model.fork()`` (random generators included), the
policy is applied to the copy only and the copy runs on to the horizon. The original path is
the run already on screen (same parameters, same seed), so up to month m both are one and the
same and from m on the difference is the policy, not the dice. Continuing a copy with no
change reproduces the original bit for bit (tested).

Policies (each from month m on):

* ``dialogue``       the centre's dialogue effort set to a value (0–1);
* ``shadow_cuts``    shadow functions enforced down: the largest shadow function any manager
                     keeps is cut to a share of the moved work (0 = none);
* ``pause_rollout``  institutions still waiting go live this many months later;
* ``centre_staff``   this many FTE added to the centre(s) at once (spread over centres by
                     their share of the moved work).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.agents.institution import WAITING
from sim.errors import ParameterError
from sim.institutions import InstitutionTable
from sim.model import SharedServiceModel
from sim.params import Params, spec_map
from sim.runner import Stepper
from sim_app.session.runs import SNAPSHOT, RunData, run_data

#: Policies that set a parameter from month m on: policy -> parameter (its range and unit are
#: the parameter definition's; it must be declared changeable mid-run).
PARAMETER_POLICIES: dict[str, str] = {"dialogue": "dialogue_effort",
                                      "shadow_cuts": "shadow_max_share"}
#: Levers that are not parameters (they act on the running model): lever -> (range, unit).
LEVERS: dict[str, tuple[float, float, str]] = {
    "pause_rollout": (0.0, 60.0, "months"),
    "centre_staff": (0.0, 5000.0, "FTE"),
}


def _policies() -> dict[str, tuple[float, float, str]]:
    specs = spec_map()
    out = {}
    for policy, name in PARAMETER_POLICIES.items():
        spec = specs[name]
        if not spec.mid_run or spec.minimum is None or spec.maximum is None:
            raise RuntimeError(f"fork policy {policy}: parameter {name} must be a number that "
                               "may change mid-run")
        out[policy] = (float(spec.minimum), float(spec.maximum), spec.unit)
    return {**out, **LEVERS}


#: Policy -> (allowed range, unit); the fork panel's controls.
POLICIES: dict[str, tuple[float, float, str]] = _policies()


def check_policy(policy: Mapping[str, float]) -> None:
    """One line for a policy that is not allowed."""
    for key, value in policy.items():
        if key not in POLICIES:
            raise ParameterError(f"unknown policy '{key}'; allowed: {', '.join(POLICIES)}")
        lo, hi, unit = POLICIES[key]
        if not lo <= float(value) <= hi:
            raise ParameterError(f"policy {key} = {value} is not allowed; allowed: "
                                 f"{lo:g} – {hi:g} {unit}")


def apply_policy(model: SharedServiceModel, policy: Mapping[str, float]) -> None:
    """Change ``model`` (a fork) from its next month on."""
    check_policy(policy)
    if "dialogue" in policy:
        model.with_params(dialogue_effort=float(policy["dialogue"]))
    if "shadow_cuts" in policy:
        model.with_params(shadow_max_share=min(float(policy["shadow_cuts"]),
                                               model.p.shadow_max_share))
    if policy.get("pause_rollout"):
        inst = model.inst
        waiting = inst.phase == WAITING
        inst.eligible_month = np.where(waiting, inst.eligible_month
                                       + int(round(float(policy["pause_rollout"]))),
                                       inst.eligible_month)
    if policy.get("centre_staff"):
        ctr = model.ctr
        share = ctr.full_work / max(float(ctr.full_work.sum()), 1e-12)
        ctr.staff = ctr.staff + float(policy["centre_staff"]) * share


def fork_run(params: Params, seed: int, month: int,
             policy: Mapping[str, float] | None = None,
             institutions: InstitutionTable | None = None) -> RunData:
    """The run that forks from ``params``/``seed`` (and a file's ``institutions``) at
    ``month`` with ``policy`` applied."""
    t0 = time.perf_counter()
    month = max(0, min(int(month), int(params.months)))
    run = Stepper.start(params, seed, SNAPSHOT, institutions=institutions).until(month).fork()
    if policy:
        apply_policy(run.model, policy)
    return run_data(run.finish(), seed, t0, institutions=institutions)


def describe(policy: Mapping[str, Any], lang: str) -> str:
    """The policy in a few words (chart legends, the summary)."""
    from sim_app.text.fmt import short
    from sim_app.text.i18n import tr

    return ", ".join(f"{tr('pol_' + k, lang)} {short(v, lang)}" for k, v in policy.items())
