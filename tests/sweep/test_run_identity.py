"""Run identity hashes exactly the code that computes results: editing the command line, its
writers and plots, provenance or a scenario file leaves every run id as it was; editing the
model, its agents, its KPIs or the data it reads gives new ones."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

import sim
from sim_sweep.fingerprint import code_fingerprint, fingerprint, result_files
from sim_sweep.runids import model_version

SIM = Path(sim.__file__).resolve().parent
ROOT = SIM.parent
#: The model package's modules that compute no result (the fingerprint leaves them out).
NOT_RESULTS = {"__main__.py", "citation.py", "data/__init__.py",
               "oserrors.py", "provenance.py", "seeds.py"}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's ``sim`` and ``sim_cli`` packages, copied once for this module's tests."""
    top = tmp_path_factory.mktemp("tree")
    for name in ("sim", "sim_cli"):
        shutil.copytree(ROOT / name, top / name, ignore=shutil.ignore_patterns("__pycache__"))
    return top


@pytest.fixture
def edit(tree: Path):
    """Edit files of the copy (appending a comment); each is restored after the test."""
    saved: dict[Path, bytes | None] = {}

    def change(name: str, text: bytes = b"\n# edited\n") -> Path:
        path = tree / name
        saved.setdefault(path, path.read_bytes() if path.exists() else None)
        path.write_bytes(path.read_bytes() + text if path.exists() else text)
        return path

    yield change
    for path, data in saved.items():
        if data is None:
            path.unlink()
        else:
            path.write_bytes(data)


def _fp(package: Path) -> str:
    return fingerprint(result_files(package), package)


def test_the_fingerprint_is_the_result_files_of_the_model_package():
    files = {p.relative_to(SIM).as_posix() for p in result_files(SIM)}
    assert {"model.py", "runner.py", "kpis.py", "recorder.py", "params.py", "population.py",
            "network.py", "data/dk_municipalities_2012.csv"} <= files
    assert {f"agents/{p.name}" for p in (SIM / "agents").glob("*.py")} <= files
    every = {p.relative_to(SIM).as_posix() for p in SIM.rglob("*.py")
             if "__pycache__" not in p.parts}
    assert every - files == NOT_RESULTS, "a module of sim outside the fingerprint: decide " \
        "whether it computes results (import it from the model) or belongs elsewhere"
    assert model_version() == f"{sim.MODEL_VERSION}+src.{code_fingerprint()}"
    assert code_fingerprint() == _fp(SIM)


def test_every_module_that_runs_the_model_is_fingerprinted():
    """A module of ``sim`` that imports the model (a new way to run it) is in the fingerprint."""
    files = set(result_files(SIM))
    for path in SIM.rglob("*.py"):
        names = {n.module for n in ast.walk(ast.parse(path.read_text("utf-8")))
                 if isinstance(n, ast.ImportFrom)}
        if {"sim.model", "sim.runner"} & names:
            assert path in files, path


@pytest.mark.parametrize("edited", [
    "sim_cli/outputs.py", "sim_cli/plotting.py", "sim_cli/compare.py", "sim_cli/main.py",
    "sim/provenance.py", "sim/oserrors.py", "sim/citation.py", "sim/seeds.py",
    "sim/scenarios/default.toml", "sim/data/PROVENANCE.md",
    "sim/data/institutions_template.csv"])
def test_editing_what_computes_no_result_keeps_the_fingerprint(tree, edit, edited):
    before = _fp(tree / "sim")
    assert before == code_fingerprint()  # the copy hashes as the repository does
    edit(edited)
    assert _fp(tree / "sim") == before


@pytest.mark.parametrize("edited", [
    "sim/model.py", "sim/agents/centre.py", "sim/agents/__init__.py", "sim/kpis.py",
    "sim/recorder.py", "sim/runner.py", "sim/economics.py", "sim/params.py",
    "sim/data/dk_municipalities_2012.csv"])
def test_editing_what_computes_results_changes_the_fingerprint(tree, edit, edited):
    before = _fp(tree / "sim")
    assert before == code_fingerprint()
    edit(edited)
    assert _fp(tree / "sim") != before


def test_a_new_module_the_model_imports_joins_the_fingerprint(tree, edit):
    package = tree / "sim"
    before = _fp(package)
    edit("sim/newphase.py", b"RATE = 0.5\n")
    assert _fp(package) == before  # imported by nothing: part of no result
    model = package / "model.py"
    text = model.read_text("utf-8")
    assert "from mesa import Model\n" in text
    edit("sim/model.py", b"")
    model.write_text(text.replace("from mesa import Model\n",
                                  "from mesa import Model\n\nfrom sim.newphase import RATE\n"))
    assert package / "newphase.py" in result_files(package)
    changed = _fp(package)
    edit("sim/newphase.py", b"RATE = 0.6\n")
    assert _fp(package) != changed


def test_a_root_that_is_not_a_module_is_refused():
    with pytest.raises(ValueError, match="sim.nowhere is not a module"):
        result_files(SIM, ("sim.nowhere",))
