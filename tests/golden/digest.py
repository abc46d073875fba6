"""Golden digests of shipped scenarios' monthly series: a refactor must keep them bit for bit.

``python -m tests.golden.digest`` prints the current digests as JSON; write them to
``tests/golden/digests.json`` only when a change to the model's behaviour is intended (and say
so in the commit message).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from sim import run

#: Scenarios and seeds whose series are pinned.
CASES: tuple[tuple[str, int], ...] = (
    ("default", 1), ("default", 7), ("statens_administration", 3),
    ("udbetaling_danmark", 2), ("kl_model_1b", 5), ("statens_it", 4), ("workshop", 1),
)
DIGESTS_FILE = Path(__file__).with_name("digests.json")


#: Significant digits each value is written with before hashing. numpy's sums take different
#: SIMD paths on different processors (the same code gave different last bits on an AMD EPYC
#: than where the digests were first recorded), so the digest pins six significant digits:
#: any change in behaviour moves them, a processor's rounding does not.
DIGITS = 6


def digest(scenario: str, seed: int) -> str:
    """SHA-256 of every recorded column (sorted by name; each value to :data:`DIGITS`
    significant digits)."""
    arrays = run(scenario, seed=seed).arrays
    h = hashlib.sha256()
    for name in sorted(arrays):
        h.update(name.encode())
        values = np.asarray(arrays[name], dtype=np.float64).tolist()
        h.update(",".join(f"{v:.{DIGITS}g}" for v in values).encode())
    return h.hexdigest()


def current() -> dict[str, str]:
    """Digests of every case as ``{"scenario@seed": digest}``."""
    return {f"{name}@{seed}": digest(name, seed) for name, seed in CASES}


if __name__ == "__main__":
    json.dump(current(), sys.stdout, indent=1)
    sys.stdout.write("\n")
