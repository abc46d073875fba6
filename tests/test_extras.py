"""The optional extras the docs and messages name exist in pyproject.toml, and every package
they pin is pinned in requirements.lock (so ``make setup`` installs it)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMED = re.compile(r"sharedsim\[([a-z0-9_-]+)\]|optional extra `([a-z0-9_-]+)`")


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def test_every_extra_named_in_docs_and_messages_exists():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    files = [ROOT / "README.md", *ROOT.glob("docs/*.md"), *ROOT.glob("experiments/*.md"),
             *ROOT.glob("sim*/**/*.py")]
    named = {a or b for f in files for a, b in NAMED.findall(f.read_text(encoding="utf-8"))}
    assert {"calibrate", "discovery", "cluster"} <= named
    assert named <= set(extras), named - set(extras)


def test_exact_pins_of_the_extras_are_in_the_lock():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    lock = _lock()
    for name in ("calibrate", "discovery"):
        for req in extras[name]:
            package, version = req.split("==")
            assert lock.get(package.lower().replace("_", "-")) == version, req
