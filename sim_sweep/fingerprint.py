"""Which files decide a run's results, and their hash (part of every run's identity).

The model package holds the code that computes results and a few modules that do not
(provenance, file and OS error messages, replication seeds, citation, ``python -m sim``); the
command line with its writers and plots, the sweep engine and the app are other packages. The
fingerprint hashes exactly the first kind, found by following imports from the modules that
run a model (:data:`RESULT_ROOTS`), so editing anything else leaves every run id as it was.
"""

from __future__ import annotations

import ast
import functools
import hashlib
from pathlib import Path

import sim

#: The modules that compute a run's results (build, step, record, KPIs). The fingerprint hashes
#: them and every module of the model package they import, directly or not.
RESULT_ROOTS = ("sim.runner",)


def _module_file(package: Path, name: str) -> Path | None:
    """The source file of module ``name`` (dotted, its first part the package's name)."""
    parts = name.split(".")[1:]
    inner = package.joinpath(*parts)
    candidates = [inner.with_suffix(".py"), inner / "__init__.py"] if parts \
        else [inner / "__init__.py"]
    return next((c for c in candidates if c.is_file()), None)


def _scan(package: Path, name: str, path: Path) -> tuple[set[str], set[str]]:
    """The package's modules that module ``name`` imports (at any depth of its code, with the
    packages Python executes on the way: ``a.b.c`` runs ``a/b/__init__.py``), and its strings."""
    top = package.name
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]
    modules: set[str] = set()
    strings: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.add(node.value)
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package, up level - 1
                anchor = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for target in targets:
            parts = target.split(".")
            if parts[0] == top:
                modules.update(m for i in range(1, len(parts) + 1)
                               if _module_file(package, m := ".".join(parts[:i])))
    return modules, strings


def result_files(package: Path, roots: tuple[str, ...] = RESULT_ROOTS) -> list[Path]:
    """The files whose content decides a run's results: the source of ``roots`` and of every
    module of ``package`` they import (following imports inside functions too, and the
    packages' ``__init__.py`` on the way), and the data files in the package's ``data/``
    folder that this code names (by file name or stem, as a string in the source).

    Raises:
        ValueError: a root that is not a module of ``package``.
    """
    todo, files, strings, seen = list(roots), set(), set(), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _module_file(package, name)
        if path is None:
            raise ValueError(f"{name} is not a module of {package}")
        files.add(path)
        modules, found = _scan(package, name, path)
        strings |= found
        todo.extend(modules - seen)
    data = package / "data"
    if data.is_dir():
        files |= {p for p in data.iterdir()
                  if p.is_file() and p.suffix != ".py" and (p.name in strings or p.stem in strings)}
    return sorted(files)


def fingerprint(files: list[Path], root: Path) -> str:
    """12 hex digits of sha256 over ``files``' paths (relative to ``root``) and contents."""
    h = hashlib.sha256()
    for p in sorted(files):
        h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:12]


@functools.cache
def code_fingerprint() -> str:
    """Fingerprint of the model's code: :func:`result_files` of the ``sim`` package (scenario
    files enter a run through its parameters, which the run id hashes)."""
    package = Path(sim.__file__).resolve().parent
    return fingerprint(result_files(package), package)
