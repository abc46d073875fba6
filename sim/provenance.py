"""Provenance of a result folder: what produced it, so a reader can check and repeat it.

One record (a plain JSON-ready dict) per command that writes results: the date (UTC), the
command line, the working folder, Python and the versions of the libraries the results rest
on, the platform, the model's version, the project's git commit when the code runs from a git
checkout, and the full SHA-256 hashes of the inputs the caller names. Sweeps
(``sim sweep``/``sim analyze``) and calibrations write it as ``provenance.json`` beside their
results and show it in their reports.

>>> rec = collect(model_version="0.1.0", hashes={"sweep file": text_sha256("x")})
>>> sorted(rec)[:3]
['command', 'cwd', 'date']
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shlex
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

#: The distributions whose versions a result's provenance lists (by their package names).
LIBRARIES = ("numpy", "scipy", "pandas", "pyarrow", "Mesa", "networkx", "SALib",
             "ema_workbench", "pyabc", "scikit-learn", "matplotlib", "pydantic")

#: The name of the provenance file in a result folder.
FILENAME = "provenance.json"


def library_versions(names: Sequence[str] = LIBRARIES) -> dict[str, str | None]:
    """Installed version of each distribution (``None``: not installed)."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def text_sha256(text: str | bytes) -> str:
    """Full SHA-256 (64 hex digits) of text (UTF-8) or bytes."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str | Path) -> str:
    """Full SHA-256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def git_commit(where: Path | None = None) -> str | None:
    """The project's git commit (with ``+dirty`` for uncommitted changes), or None when the
    code does not run from a git checkout or git is not installed."""
    root = where or Path(__file__).resolve().parent.parent
    if not (root / ".git").exists():
        return None
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True,
                               timeout=5, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("+dirty" if dirty else "") if head else None


def collect(model_version: str = "", hashes: dict[str, str] | None = None,
            command: Sequence[str] | None = None) -> dict[str, Any]:
    """The provenance record of a command run now.

    Args:
        model_version: The model's version as the results record it (e.g.
            ``sim_sweep.runids.model_version()``).
        hashes: Inputs by what they are -> their full SHA-256 (``text_sha256``,
            ``file_sha256``).
        command: The command line (default: this process's ``sys.argv``).
    """
    argv = list(sys.argv if command is None else command)
    if argv:
        argv[0] = Path(argv[0]).name or argv[0]
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": shlex.join(argv),
        "cwd": os.getcwd(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "machine": platform.machine(),
        "libraries": library_versions(),
        "model_version": model_version,
        "git_commit": git_commit(),
        "hashes": dict(hashes or {}),
    }


def write(folder: str | Path, record: dict[str, Any], name: str = FILENAME) -> Path:
    """Write ``record`` as ``folder/name`` (JSON), whole or not at all (a hidden temporary
    file renamed into place)."""
    path = Path(folder) / name
    tmp = path.with_name(f".{name}.tmp")
    tmp.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def read(folder: str | Path, name: str = FILENAME) -> dict[str, Any] | None:
    """The provenance record in ``folder`` (None when there is none or it is not a record)."""
    try:
        rec = json.loads((Path(folder) / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return rec if isinstance(rec, dict) else None


def lines(record: dict[str, Any]) -> list[tuple[str, str]]:
    """The record as (label, value) rows for a report, libraries in one row."""
    libs = record.get("libraries") or {}
    rows = [("date (UTC)", str(record.get("date", "?"))),
            ("command", str(record.get("command", "?"))),
            ("Python", str(record.get("python", "?"))),
            ("platform", str(record.get("platform", "?"))),
            ("model version", str(record.get("model_version") or "?")),
            ("git commit", str(record.get("git_commit") or "not a git checkout")),
            ("libraries", ", ".join(f"{k} {v}" for k, v in libs.items() if v))]
    rows += [(f"SHA-256 of {k}", str(v)) for k, v in (record.get("hashes") or {}).items()]
    return rows
