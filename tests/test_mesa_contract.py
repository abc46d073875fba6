"""Mesa's contract: ``run_model`` is Mesa's own loop, ``steps`` and ``time`` are Mesa's clock,
and the model package uses only Mesa's public API (so a new Mesa release within the pin cannot
break it through an internal that changed)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import mesa
import numpy as np
from mesa import Model

import sim
from sim import make_params
from sim.model import SharedServiceModel

PARAMS = make_params({"months": 60, "n_institutions": 40, "shadow_enforcement": 0.5})
PACKAGES = ("sim", "sim_app", "sim_sweep", "sim_cli", "sim_calibrate")
ROOT = Path(sim.__file__).resolve().parents[1]


def _mesa_loop(model: SharedServiceModel) -> SharedServiceModel:
    while model.running:
        model.step()
    return model


def test_run_model_is_mesas_own():
    assert SharedServiceModel.run_model is Model.run_model


def test_run_model_and_mesas_loop_give_the_same_run_time_and_steps():
    for months_first in (0, 7):
        a, b = (SharedServiceModel(PARAMS, rng=9) for _ in range(2))
        for _ in range(months_first):
            a.step()
            b.step()
        _mesa_loop(a)
        b.run_model()
        assert np.array_equal(a.recorder.data, b.recorder.data, equal_nan=True)
        assert (a.steps, a.time, a.running) == (b.steps, b.time, b.running) == (60, 60.0, False)
        b.run_model()  # at the horizon: nothing more to run
        assert (b.steps, b.time) == (60, 60.0)


def test_run_for_the_horizon_is_the_same_run():
    a, b = (SharedServiceModel(PARAMS, rng=4) for _ in range(2))
    a.run_model()
    b.run_for(PARAMS.months)
    assert np.array_equal(a.recorder.data, b.recorder.data, equal_nan=True)
    assert (a.steps, a.time) == (b.steps, b.time) == (60, 60.0)


def test_events_a_user_schedules_fire_in_their_order():
    seen: list[tuple[str, float, int]] = []
    model = SharedServiceModel(PARAMS, rng=9)

    def note() -> None:
        seen.append(("event", model.time, model.steps))

    model.schedule_event(note, at=12.5)
    model.run_model()
    assert seen == [("event", 12.5, 12)]
    plain = _mesa_loop(SharedServiceModel(PARAMS, rng=9))
    assert np.array_equal(model.recorder.data, plain.recorder.data, equal_nan=True)
    assert model.steps == 60


def _private_mesa_names() -> set[str]:
    """Every private name Mesa defines: the attributes of a model and of its events, its
    modules' top-level names and their classes' members (dunder names excepted)."""
    model = Model(rng=0)
    names = set(vars(model)) | set(dir(Model))

    def nothing() -> None:
        """An event's action (Mesa holds it by a weak reference)."""

    for made in (model.schedule_event(nothing, at=1.0),  # an Event, then an EventGenerator
                 model.schedule_recurring(nothing, mesa.time.Schedule(interval=1.0))):
        names |= set(vars(made)) if hasattr(made, "__dict__") else set()
        names |= set(getattr(type(made), "__slots__", ()))
    for info in pkgutil.walk_packages(mesa.__path__, "mesa."):
        if any(part in info.name for part in ("visualization", "examples", "experimental")):
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception:  # an optional extra not installed
            continue
        for name, value in vars(module).items():
            names.add(name)
            if isinstance(value, type) and value.__module__.startswith("mesa"):
                names.update(vars(value))
    return {n for n in names if n.startswith("_") and not n.endswith("__")}


def test_our_code_uses_no_private_name_of_mesa():
    private = _private_mesa_names()
    assert {"_event_list", "_default_schedule", "_do_step", "_schedule_next", "_current_event",
            "_execution_count"} <= private
    own = {n for p in PACKAGES for f in (ROOT / p).rglob("*.py")
           for node in ast.walk(ast.parse(f.read_text("utf-8")))
           if isinstance(node, ast.FunctionDef | ast.ClassDef) for n in [node.name]}
    found = []
    for package in PACKAGES:
        for f in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(f.read_text("utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mesa"):
                    found += [f"{f.relative_to(ROOT)}:{node.lineno} imports {a.name}"
                              for a in node.names if a.name.startswith("_")]
                    if "._" in f".{node.module}":
                        found.append(f"{f.relative_to(ROOT)}:{node.lineno} from {node.module}")
                elif (isinstance(node, ast.Attribute) and node.attr in private
                      and node.attr not in own):
                    found.append(f"{f.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert found == [], f"private names of Mesa used: {found}"
