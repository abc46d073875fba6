"""Property-based tests over sweep files drawn from the one parameter definition.

Any sweep file built from values the definition allows (``sim.params.specs()``: grid levels,
ranges and sampled designs over any parameters) is accepted, and its factors are exactly what
the file says. Any such file with one key given a value of the wrong type (a number as text,
a switch as a number, ``2.0`` for a whole number, ...) is refused with one line naming the
file, the key and what is allowed: nothing is coerced. The strategies read the specs, so a
parameter added to ``sim/params.py`` is drawn here without a change to this file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.errors import SimInputError
from sim.params import ParamSpec, make_params, specs
from sim_sweep.errors import SweepFileError
from sim_sweep.spec import parse_sweep

CHECKS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
WHERE = Path("drawn.toml")
NUMERIC = [s for s in specs() if s.kind in ("int", "float")]


def allowed_alone(spec: ParamSpec, value: Any) -> bool:
    """Whether the definition accepts ``value`` with every other parameter at its default
    (some parameters constrain each other, e.g. a real population's size)."""
    try:
        make_params({spec.name: value})
    except SimInputError:
        return False
    return True


def level(spec: ParamSpec) -> st.SearchStrategy[Any]:
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "choice":
        return st.sampled_from(spec.choices or ())
    if spec.kind == "int":
        return st.integers(int(spec.minimum), int(min(spec.maximum, spec.minimum + 1000)))
    return st.floats(spec.minimum, spec.maximum, allow_nan=False, allow_infinity=False)


@st.composite
def grid_table(draw: Any, spec: ParamSpec) -> dict[str, Any]:
    """A ``[vary.<name>]`` table of a grid: levels, or a range with steps."""
    if spec.kind in ("int", "float") and draw(st.booleans()):
        lo, hi = sorted(draw(st.lists(level(spec), min_size=2, max_size=2, unique=True)))
        return {"range": [lo, hi], "steps": draw(st.integers(2, 5))}
    values = draw(st.lists(level(spec).filter(lambda v: allowed_alone(spec, v)), min_size=1,
                           max_size=4, unique_by=repr))
    return {"levels": values}


@st.composite
def sweep_doc(draw: Any) -> dict[str, Any]:
    """A valid sweep file (as a dict): a grid over any parameters, or a sampled design over
    numeric ones."""
    design = draw(st.sampled_from(["grid", "grid", "lhs", "sobol"]))
    pool = specs() if design == "grid" else NUMERIC
    chosen = draw(st.lists(st.sampled_from(pool), min_size=2 if design == "sobol" else 1,
                           max_size=3, unique_by=lambda s: s.name))
    doc: dict[str, Any] = {"name": "drawn", "design": design,
                           "master_seed": draw(st.integers(0, 2**63 - 1)),
                           "replications": draw(st.integers(1, 50)), "vary": {}}
    for spec in chosen:
        if design == "grid":
            doc["vary"][spec.name] = draw(grid_table(spec))
        else:
            lo, hi = sorted(draw(st.lists(level(spec), min_size=2, max_size=2, unique=True)))
            doc["vary"][spec.name] = {"range": [lo, hi]}
    if design != "grid":
        doc["sampler"] = {"n": 2 ** draw(st.integers(0, 4))}
    return doc


@CHECKS
@given(sweep_doc())
def test_a_sweep_file_of_allowed_values_is_accepted_as_written(doc):
    sweep = parse_sweep(tomli_w.dumps(doc), WHERE)
    assert [f.name for f in sweep.factors] == list(doc["vary"])
    for f in sweep.factors:
        table = doc["vary"][f.name]
        if "levels" in table:
            assert list(f.levels) == table["levels"]  # as written: no coercion
            assert all(type(a) is type(b) for a, b in zip(f.levels, table["levels"],
                                                          strict=True))
        else:
            assert (f.low, f.high) == tuple(float(v) for v in table["range"])


#: (where in the file, a wrong value) pairs; every one must be refused.
WRONG = st.sampled_from([
    (("replications",), "3"), (("replications",), 2.0), (("replications",), True),
    (("master_seed",), 7.0), (("master_seed",), "7"), (("master_seed",), False),
    (("name",), 5), (("design",), 1), (("seeds",), True),
    (("sampler", "n"), 4.0), (("sampler", "n"), "4"),
    (("execution", "workers"), "2"), (("execution", "batch_size"), 1.5),
    (("keep", "series"), 3), (("keep", "every"), True),
    (("analysis", "conf_level"), "0.9"), (("analysis", "num_resamples"), 100.0),
    (("vary", "*", "steps"), 3.0), (("vary", "*", "range"), ["0.1", "0.9"]),
    (("vary", "*", "range"), [False, True]), (("vary", "*", "levels"), "0.5"),
])


@CHECKS
@given(sweep_doc(), WRONG)
def test_a_wrong_type_anywhere_is_refused_in_one_line_naming_the_key(doc, wrong):
    where, value = wrong
    if where[0] == "vary":
        name = next(iter(doc["vary"]))
        where = ("vary", name, where[2])
        doc["vary"][name].pop("levels" if where[2] == "range" else "", None)
    table = doc
    for key in where[:-1]:
        table = table.setdefault(key, {})
    table[where[-1]] = value
    try:
        parse_sweep(tomli_w.dumps(doc), WHERE)
    except SweepFileError as exc:
        msg = str(exc)
    else:
        raise AssertionError(f"{where} = {value!r} was accepted")
    assert len(msg.splitlines()) == 1, msg
    assert msg.startswith(f"{WHERE}: "), msg
    assert where[-1] in msg, (where, msg)
    assert "allowed" in msg.lower(), msg
