"""Data flows one way: the model package imports neither the sweep engine, the CLI nor the app."""

from __future__ import annotations

import subprocess
import sys

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
