"""Every case of the bad-input corpus is refused with one clear line (or, for valid input that
used to crash, runs), with no traceback and with every existing file left as it was."""

from __future__ import annotations

import pytest

from tests.badinput.corpus import CASES, HUGE_ECHO, Case, run_case


def _marks(case: Case) -> list[pytest.MarkDecorator]:
    if case.owner:
        return [pytest.mark.xfail(reason=f"{case.owner} owns this option; its fix lands there",
                                  strict=False)]
    return []


def test_the_corpus_covers_every_surface_and_is_large_enough():
    surfaces = {c.surface for c in CASES}
    assert surfaces == {"cli", "scenario", "sweep", "calibration", "api"}
    assert len([c for c in CASES if not c.owner]) >= 220


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=_marks(c)) for c in CASES])
def test_bad_input_case(case: Case, tmp_path):
    outcome = run_case(case, tmp_path)
    assert outcome.exception == "" or case.code == 2 and case.surface == "api", (
        f"an exception escaped: {outcome.exception}")
    assert "Traceback" not in outcome.err
    assert outcome.code == case.code, outcome.message or outcome.out[-500:]
    # existing files byte-identical (and same mode, links still links), nothing half-written
    assert outcome.changed == []
    if case.code == 0:
        return
    message = outcome.message.strip()
    assert len(message.splitlines()) == 1, message
    for fragment in case.expect:
        assert fragment.lower() in message.lower(), (fragment, message)
    assert not HUGE_ECHO.search(message), message
