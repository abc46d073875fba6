"""On a fresh machine without Debian's chromium the browser test is skipped with a visible
reason; in CI (``SIM_REQUIRE_BROWSER=1``, set by ``.ci/run``) the same situation fails."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REASON = "needs Debian's chromium and npm"


def _pytest_browser_test(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k != "SIM_REQUIRE_BROWSER"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         "-p", "tests.app.chromium_missing", "tests/app/test_browser.py"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**clean, "PYTHONPATH": str(ROOT), **env})


def test_without_chromium_the_browser_test_is_skipped_with_its_reason():
    out = _pytest_browser_test()
    assert out.returncode == 0, out.stdout + out.stderr
    assert re.search(r"\b\d+ skipped", out.stdout) and "passed" not in out.stdout
    assert REASON in out.stdout
    assert "error" not in out.stdout.lower()


def test_in_ci_a_missing_chromium_fails_the_browser_test():
    out = _pytest_browser_test(SIM_REQUIRE_BROWSER="1")
    assert out.returncode != 0
    assert REASON in out.stdout
