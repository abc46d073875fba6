"""The set-up finds a Python >= 3.12 itself, or says clearly that there is none."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "find-python.sh"


def _run(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, env=env)


def test_finds_an_explicit_interpreter(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHON": sys.executable}
    out = _run(env)
    assert out.returncode == 0
    found = out.stdout.strip()
    version = subprocess.run([found, "-c", "import sys; print(sys.version_info[:2] >= (3, 12))"],
                             capture_output=True, text=True).stdout.strip()
    assert version == "True"


def test_without_a_new_enough_python_it_fails_with_a_clear_message(tmp_path):
    # No pyenv (empty HOME), and a PATH holding only a fake python3 that is too old.
    bindir = tmp_path / "bin"
    bindir.mkdir()
    fake = bindir / "python3"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    env = {"PATH": f"{bindir}:/bin", "HOME": str(tmp_path)}
    out = _run(env)
    assert out.returncode == 1
    assert "no Python >= 3.12 found" in out.stderr and "PYTHON=" in out.stderr


def test_the_script_is_what_the_makefile_uses():
    makefile = (SCRIPT.parents[1] / "Makefile").read_text()
    assert "scripts/find-python.sh" in makefile
    assert os.access(SCRIPT, os.X_OK)
