"""Property-based tests over sweep files drawn from the one parameter definition.

Any sweep file built from values the definition allows (``sim.params.specs()``: grid levels,
ranges and sampled designs over any parameters) is accepted, and its factors are exactly what
the file says; written to disk it passes ``sim sweep --check`` (every point validated, a pilot
of the real model) and runs (a first batch stored). Any such file with one key given a value
of the wrong type (a number as text, a switch as a number, ``2.0`` for a whole number, ...),
an unknown or misspelt key or parameter, a key its design or distribution does not use, or a
value outside what the parameter allows is refused by ``sim sweep`` with one line naming the
file, the key and what is allowed, exit status 2 and no folder: nothing is coerced or
ignored. The strategies read the specs, so a parameter added to ``sim/params.py`` is drawn
here without a change to this file.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.errors import SimInputError
from sim.params import ParamSpec, make_params, specs
from sim_cli.main import main
from sim_sweep.engine import run_sweep
from sim_sweep.errors import SweepFileError
from sim_sweep.spec import load_sweep, parse_sweep
from sim_sweep.testing import fake_simulate

CHECKS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
#: Fewer examples where each runs the model (``--check``'s pilot) or the engine.
RUNS = settings(max_examples=15, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
WHERE = Path("drawn.toml")
NUMERIC = [s for s in specs() if s.kind in ("int", "float")]
#: Where a drawn file that runs keeps its runs small: the most a size parameter is drawn to.
SMALL_SIZES = {"months": 24, "n_institutions": 30}


def allowed_alone(spec: ParamSpec, value: Any) -> bool:
    """Whether the definition accepts ``value`` with every other parameter at its default
    (some parameters constrain each other, e.g. a real population's size)."""
    try:
        make_params({spec.name: value})
    except SimInputError:
        return False
    return True


def level(spec: ParamSpec, small: bool = False) -> st.SearchStrategy[Any]:
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "choice":
        return st.sampled_from(spec.choices or ())
    if spec.kind == "int":
        top = min(spec.maximum, spec.minimum + 1000)
        if small and spec.name in SMALL_SIZES:
            top = min(top, SMALL_SIZES[spec.name])
        return st.integers(int(spec.minimum), int(top))
    return st.floats(spec.minimum, spec.maximum, allow_nan=False, allow_infinity=False)


@st.composite
def grid_table(draw: Any, spec: ParamSpec, small: bool = False) -> dict[str, Any]:
    """A ``[vary.<name>]`` table of a grid: levels, or a range with steps."""
    if spec.kind in ("int", "float") and draw(st.booleans()):
        lo, hi = sorted(draw(st.lists(level(spec, small), min_size=2, max_size=2,
                                      unique=True)))
        return {"range": [lo, hi], "steps": draw(st.integers(2, 5))}
    values = draw(st.lists(level(spec, small).filter(lambda v: allowed_alone(spec, v)),
                           min_size=1, max_size=4, unique_by=repr))
    return {"levels": values}


@st.composite
def sweep_doc(draw: Any, small: bool = False) -> dict[str, Any]:
    """A valid sweep file (as a dict): a grid over any parameters, or a sampled design over
    numeric ones. ``small``: size parameters drawn small, the rest held small in [fixed]
    (for files that are run)."""
    design = draw(st.sampled_from(["grid", "grid", "lhs", "sobol"]))
    pool = specs() if design == "grid" else NUMERIC
    chosen = draw(st.lists(st.sampled_from(pool), min_size=2 if design == "sobol" else 1,
                           max_size=3, unique_by=lambda s: s.name))
    doc: dict[str, Any] = {"name": "drawn", "design": design,
                           "master_seed": draw(st.integers(0, 2**63 - 1)),
                           "replications": draw(st.integers(1, 3 if small else 50)),
                           "vary": {}}
    for spec in chosen:
        if design == "grid":
            doc["vary"][spec.name] = draw(grid_table(spec, small))
        else:
            lo, hi = sorted(draw(st.lists(level(spec, small), min_size=2, max_size=2,
                                          unique=True)))
            doc["vary"][spec.name] = {"range": [lo, hi]}
    if design != "grid":
        doc["sampler"] = {"n": 2 ** draw(st.integers(0, 2 if small else 4))}
    if small:
        doc["fixed"] = {k: v for k, v in SMALL_SIZES.items() if k not in doc["vary"]}
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


def quietly(argv: list[str]) -> tuple[int, str]:
    """``sim ARGV`` in-process: (exit code, standard error)."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


@RUNS
@given(sweep_doc(small=True))
def test_a_drawn_sweep_file_passes_check_and_runs(doc):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "drawn.toml"
        doc["output"] = str(Path(tmp) / "out")
        path.write_text(tomli_w.dumps(doc), encoding="utf-8")
        code, err = quietly(["sweep", str(path), "--check"])  # the real model's pilot
        assert code == 0, err
        assert not (Path(tmp) / "out").exists()
        res = run_sweep(load_sweep(path), kind="serial", progress=False, run_fn=fake_simulate,
                        batch_size=4, max_batches=1)
        assert res.done == min(4, res.total) and res.failed == 0


def _mutations(doc: dict[str, Any], name: str) -> list[tuple[str, tuple[str, ...]]]:
    """Ways to break a valid sweep file (applied to a copy of ``doc``): what to change, as a
    TOML snippet appended or a rename, and the words the message must hold."""
    vary = doc["vary"][name]
    grid = doc["design"] == "grid"
    out: list[tuple[str, tuple[str, ...]]] = [
        ("top:replication", ("replication", "did you mean 'replications'")),
        (f"vary:{name}:stpes", ("stpes", "allowed")),
        (f"rename:{name}", (f"{name}x", "did you mean")),
        ("table:sampler:scrambel", ("scrambel", "did you mean 'scramble'")),
        (f"vary:{name}:mode", ("'mode'", "triangular")),
    ]
    if grid:
        out += [("table:sampler:n", ("[sampler] n", "'lhs' or 'sobol'")),
                (f"vary:{name}:distribution", ("'distribution'", "not 'grid'"))]
        if "levels" in vary and specs_by_name()[name].kind in ("int", "float"):
            out.append((f"level-above:{name}", (f"[vary.{name}]", "allowed")))
    else:
        out += [(f"vary:{name}:steps", ("'steps'", "'grid'")),
                (f"range-above:{name}", (f"[vary.{name}]", "allow"))]
    return out


def specs_by_name() -> dict[str, ParamSpec]:
    return {s.name: s for s in specs()}


def mutate(doc: dict[str, Any], how: str) -> None:
    kind, _, rest = how.partition(":")
    if kind == "top":
        doc[rest] = doc.pop(rest + "s")
    elif kind == "vary":
        name, key = rest.split(":")
        doc["vary"][name][key] = {"stpes": 3, "mode": 0.5, "steps": 3,
                                  "distribution": "triangular"}[key]
    elif kind == "rename":
        doc["vary"][rest + "x"] = doc["vary"].pop(rest)
    elif kind == "table":
        table, key = rest.split(":")
        doc.setdefault(table, {})[key] = {"scrambel": True, "n": 8}[key]
    elif kind == "level-above":
        spec = specs_by_name()[rest]
        doc["vary"][rest]["levels"].append(spec.maximum + 1)
    else:  # range-above
        spec = specs_by_name()[rest]
        doc["vary"][rest]["range"][1] = spec.maximum + 1


@st.composite
def mutated_doc(draw: Any) -> tuple[dict[str, Any], str, tuple[str, ...]]:
    doc = draw(sweep_doc(small=True))
    name = draw(st.sampled_from(sorted(doc["vary"])))
    how, words = draw(st.sampled_from(_mutations(doc, name)))
    mutate(doc, how)
    return doc, how, words


@RUNS
@given(mutated_doc())
def test_a_mutated_sweep_file_is_refused_by_sim_sweep_in_one_line(drawn):
    doc, how, words = drawn
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "drawn.toml"
        doc["output"] = str(Path(tmp) / "out")
        path.write_text(tomli_w.dumps(doc), encoding="utf-8")
        for argv in (["sweep", str(path), "--check"],
                     ["sweep", str(path), "--executor", "serial", "--no-progress"]):
            code, err = quietly(argv)
            assert code == 2, (how, err)
            assert len(err.strip().splitlines()) == 1, (how, err)
            assert str(path) in err, (how, err)
            for w in words:
                assert w.lower() in err.lower(), (how, w, err)
            assert not (Path(tmp) / "out").exists()
