"""A parameter declared to apply only under some choices (``_p(applies=...)``; the app greys
it out elsewhere) has no effect elsewhere: any value of it gives a bit-identical run."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.params import Params, spec_map
from sim.runner import simulate

CONDITIONAL = sorted(s.name for s in spec_map().values() if s.applies)


def test_the_conditions_name_real_choices():
    specs = spec_map()
    assert {"n_waves", "wave_interval_months", "wave_order", "adoption_trust_threshold",
            "join_notice_months", "network_degree", "network_rewiring",
            "network_within_group", "size_dispersion"} <= set(CONDITIONAL)
    for name in CONDITIONAL:
        for other, allowed in specs[name].applies:
            assert set(allowed) < set(specs[other].choices), (name, other)


def _value(spec, draw):
    if spec.kind == "choice":
        return draw(st.sampled_from(spec.choices))
    if spec.kind == "int":
        return draw(st.integers(int(spec.minimum), int(min(spec.maximum, 60))))
    return draw(st.floats(spec.minimum, spec.maximum, allow_nan=False))


@st.composite
def _case(draw):
    """A setting where the parameter does not apply, and another value of it."""
    specs = spec_map()
    spec = specs[draw(st.sampled_from(CONDITIONAL))]
    values = {"months": 30, "n_institutions": draw(st.integers(8, 30)),
              "rollout": draw(st.sampled_from(specs["rollout"].choices)),
              "adoption": draw(st.sampled_from(specs["adoption"].choices)),
              "network": draw(st.sampled_from(specs["network"].choices)),
              "exit_when_mandatory": draw(st.booleans()),
              "failure_response": draw(st.sampled_from(specs["failure_response"].choices))}
    other, allowed = spec.applies[0]
    values[other] = draw(st.sampled_from([c for c in specs[other].choices if c not in allowed]))
    if values.get("institution_source") == "dk_municipalities_2012":
        values["n_institutions"] = 98
    return spec, values, _value(spec, draw), _value(spec, draw), draw(st.integers(0, 2**31))


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(_case())
def test_a_parameter_that_does_not_apply_changes_nothing(case):
    spec, values, a, b, seed = case
    assert not spec.applies_to({**Params().model_dump(), **values})
    run_a, _ = simulate(Params(**{**values, spec.name: a}), seed)
    run_b, _ = simulate(Params(**{**values, spec.name: b}), seed)
    for k in run_a:
        np.testing.assert_array_equal(run_a[k], run_b[k], err_msg=f"{spec.name} {k}")
