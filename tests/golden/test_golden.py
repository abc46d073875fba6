"""The shipped scenarios' monthly series match their recorded digests bit for bit."""

from __future__ import annotations

import json

import pytest

from tests.golden.digest import CASES, DIGESTS_FILE, digest

EXPECTED = json.loads(DIGESTS_FILE.read_text())


def test_every_case_has_a_recorded_digest():
    assert sorted(EXPECTED) == sorted(f"{n}@{s}" for n, s in CASES)


@pytest.mark.parametrize(("scenario", "seed"), CASES)
def test_series_match_golden_digest(scenario, seed):
    assert digest(scenario, seed) == EXPECTED[f"{scenario}@{seed}"], (
        f"{scenario} seed {seed}: the monthly series changed. If intended, re-record with "
        "`python -m tests.golden.digest > tests/golden/digests.json`.")
