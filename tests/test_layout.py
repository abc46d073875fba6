"""Data flows one way: the model package imports neither the sweep engine, the CLI nor the app."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CHECK = """
import importlib, pkgutil, sys
import sim
for m in pkgutil.walk_packages(sim.__path__, "sim."):
    if m.name != "sim.__main__":
        importlib.import_module(m.name)
bad = sorted(n for n in sys.modules if n.split(".")[0] in ("sim_sweep", "sim_cli", "sim_app",
                                                          "solara"))
print(",".join(bad))
"""


def test_model_package_imports_no_engine_cli_or_app():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "", f"sim imports {out.stdout.strip()}"


APP = Path(__file__).resolve().parents[1] / "sim_app"
#: The app's feature folders (docs/app.md, "Where things are").
FEATURES = ("session", "views", "room", "charts", "text", "export")
MAX_LINES = 300


def _app_modules() -> dict[str, Path]:
    return {".".join(p.relative_to(APP.parent).with_suffix("").parts): p
            for p in sorted(APP.rglob("*.py"))}


def test_no_app_module_is_over_300_lines():
    long = {name: n for name, p in _app_modules().items()
            if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"over {MAX_LINES} lines: {long}"


def test_the_app_is_organised_by_feature():
    top = sorted(p.name for p in APP.glob("*.py"))
    assert top == ["__init__.py", "serving.py"], f"modules outside a feature folder: {top}"
    assert sorted(p.name for p in APP.iterdir() if p.is_dir() and p.name != "__pycache__") \
        == sorted((*FEATURES, "assets"))


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The app modules ``path`` imports when it is loaded (top level, not inside functions)."""
    out = set()
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m in modules}


def test_no_import_cycle_in_the_app():
    modules = _app_modules()
    graph = {name: _imports(path, set(modules)) - {name} for name, path in modules.items()}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            raise AssertionError("import cycle: " + " -> ".join([*path[path.index(name):], name]))
        if name in done:
            return
        for dep in sorted(graph[name]):
            visit(dep, [*path, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


# ---------------------------------------------------------------------- one-way data flow
#: Where the session's state lives and is written: the session's own methods.
SESSION = APP / "session"


def _trees() -> dict[str, ast.Module]:
    return {name: ast.parse(p.read_text("utf-8")) for name, p in _app_modules().items()}


def _where(name: str, node: ast.AST) -> str:
    return f"{name}:{getattr(node, 'lineno', '?')}"


def test_no_revision_counter_in_the_app():
    """State reaches components as values, not as counters to read and throw away: no
    ``x.value += 1``, no name ending in ``_rev``, no ``_ = x.value``."""
    found = []
    for name, tree in _trees().items():
        for node in ast.walk(tree):
            if (isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Attribute)
                    and node.target.attr == "value"):
                found.append(f"{_where(name, node)} counts with .value +=")
            elif isinstance(node, (ast.Name, ast.Attribute)):
                ident = node.id if isinstance(node, ast.Name) else node.attr
                if ident.endswith("_rev") or ident.endswith("_revision"):
                    found.append(f"{_where(name, node)} {ident}")
            elif (isinstance(node, ast.Assign) and len(node.targets) == 1
                  and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "_"
                  and isinstance(node.value, ast.Attribute) and node.value.attr == "value"):
                found.append(f"{_where(name, node)} reads a value to throw it away")
            elif (isinstance(node, ast.Expr) and isinstance(node.value, ast.Attribute)
                  and node.value.attr == "value"):
                found.append(f"{_where(name, node)} reads a value to throw it away")
    assert found == [], f"revision counters: {found}"


def test_only_the_session_writes_reactive_state():
    """Components render from state and call the session's methods: no module outside
    ``sim_app/session`` assigns a reactive's ``.value`` or calls (or hands out) a reactive's
    ``.set``; the session keeps no registry of widgets to set by hand."""
    found = []
    for name, tree in _trees().items():
        in_session = name.startswith("sim_app.session.")
        for node in ast.walk(tree):
            targets = (node.targets if isinstance(node, ast.Assign)
                       else [node.target] if isinstance(node, ast.AugAssign) else [])
            for t in targets:
                own = isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) \
                    and t.value.id == "self"  # an object's own attribute, not a reactive's
                if isinstance(t, ast.Attribute) and t.attr == "value" and not in_session \
                        and not own:
                    found.append(f"{_where(name, node)} assigns .value")
            if (isinstance(node, ast.Attribute) and node.attr == "set"
                    and isinstance(node.value, ast.Attribute) and not in_session):
                found.append(f"{_where(name, node)} uses {ast.unparse(node)}")
            if in_session and isinstance(node, ast.Attribute) and node.attr in (
                    "get_widget", "observe", "hold_sync"):
                found.append(f"{_where(name, node)} reaches for a widget ({node.attr})")
    assert found == [], f"state written outside the session: {found}"


def test_no_import_of_reacton_internals():
    """Batching and rendering go through Solara's public API, not reacton's render context."""
    found = []
    for name, tree in _trees().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [f"{_where(name, node)} import {a.name}" for a in node.names
                          if a.name.split(".")[0] == "reacton"]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] \
                    == "reacton":
                found.append(f"{_where(name, node)} from {node.module} import …")
            elif isinstance(node, ast.Attribute) and node.attr in (
                    "get_render_context", "_render_context"):
                found.append(f"{_where(name, node)} {node.attr}")
    assert found == [], f"reacton internals: {found}"


def test_the_session_state_is_frozen():
    """The state the session replaces is immutable values (frozen dataclasses)."""
    import dataclasses

    from sim_app.session import store

    for cls in (store.SessionState, store.Settings, store.Shown, store.RoomNews):
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen, cls
