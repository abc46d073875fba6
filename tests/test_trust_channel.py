"""Trust is decisive, and the rates the calibration leaves open act where the evidence says.

The calibration leaves ``trust_learning_rate`` and ``loss_aversion`` at their priors, and across
those priors they move the default's break-even by about a month. These tests pin down that
this is how the mechanism works, not a broken link (``docs/calibration.md``, "What the evidence
pins down"):

- the managers' trust itself decides the shadow staff and with them the break-even;
- the trust the later waves go live with (``initial_trust``) moves the break-even;
- loss aversion matters where many managers see bad service at once (a big bang);
- own experience decides exits under voluntary adoption.

Each compares paired runs (the same seeds) at the ends of the calibration's prior ranges
(``calibration/default.toml``).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import sim
from sim.agents.manager import ManagerFamily

SEEDS = (1, 2, 3, 4)


def kpis(overrides: dict[str, Any] | None = None) -> list[Any]:
    """The default scenario's KPIs for each seed."""
    return [sim.run("default", seed=s, overrides=overrides).kpis for s in SEEDS]


def held_at(level: float) -> Callable[..., None]:
    """A trust update that leaves every manager's trust at ``level`` after the month's update,
    so the shadow, rework and adoption rules read that trust; the rest runs as usual."""
    update = ManagerFamily.update_trust

    def fixed(self: ManagerFamily, *args: Any) -> None:
        update(self, *args)
        self.trust = np.full_like(self.trust, level)

    return fixed


def test_trust_itself_decides_shadow_staff_and_break_even(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.setattr(ManagerFamily, "update_trust", held_at(0.3))
    low = kpis()
    monkeypatch.setattr(ManagerFamily, "update_trust", held_at(0.9))
    high = kpis()
    for lo, hi in zip(low, high, strict=True):
        assert lo.break_even_month is not None and hi.break_even_month is not None
        assert lo.break_even_month >= hi.break_even_month + 20
        assert lo.shadow_fte_peak >= 2 * hi.shadow_fte_peak


def test_the_trust_later_waves_go_live_with_moves_break_even() -> None:
    doubtful = kpis({"initial_trust": 0.3})
    willing = kpis({"initial_trust": 0.7})
    gaps = [d.break_even_month - w.break_even_month
            for d, w in zip(doubtful, willing, strict=True)]
    assert min(gaps) > 0
    assert statistics.median(gaps) >= 3


def test_loss_aversion_costs_trust_and_months_when_many_see_bad_service() -> None:
    mild = kpis({"rollout": "big_bang", "loss_aversion": 2.0})
    averse = kpis({"rollout": "big_bang", "loss_aversion": 3.0})
    for m, a in zip(mild, averse, strict=True):
        assert a.trust_min < m.trust_min - 0.02
        assert a.break_even_month >= m.break_even_month
    assert statistics.median(a.break_even_month - m.break_even_month
                             for m, a in zip(mild, averse, strict=True)) >= 1


def test_own_experience_decides_exits_under_voluntary_adoption() -> None:
    def exits(rate: float) -> list[int]:
        runs = [sim.run("default", seed=s, overrides={"adoption": "voluntary",
                                                      "trust_learning_rate": rate})
                for s in SEEDS]
        return [int(r.timeseries["n_left"].iloc[-1]) for r in runs]

    unmoved, learning = exits(0.0), exits(1.0)
    assert max(unmoved) < min(learning)
    assert min(learning) >= 10
