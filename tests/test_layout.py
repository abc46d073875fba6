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
