"""A session's state as immutable values: what the page shows is one :class:`SessionState`.

The session (``sim_app.session.state.Session``) holds one ``SessionState`` in a Solara reactive
variable and is its only writer: each of its methods builds the next state and replaces the
whole value once (so a change is one render pass, with no batching). Components read the
fields they draw through ``solara.toestand.Ref`` (``session.settings``, ``session.shown``,
``session.month_shown``, …): a component re-renders when a field it read is replaced, and
only then. Live play replaces ``month`` alone, so only the chart widgets and the KPI cards,
which read it, render for each month.

Every value here is frozen and compared by identity (``eq=False``: a run's arrays have no
cheap equality), so replacing a value is what tells the page it changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from sim.institutions import InstitutionTable
from sim.scenarios import Scenario
from sim_app.session.runs import RunData
from sim_app.session.undo import Snapshot
from sim_app.text.scenarios import ScenarioExtras, StoryPause

EMPTY: Mapping[str, Any] = MappingProxyType({})


def frozen_map(d: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """A read-only copy of ``d`` (an empty one for None)."""
    return MappingProxyType(dict(d)) if d else EMPTY


@dataclass(frozen=True, eq=False)
class Settings:
    """What the controls show: the scenario, every parameter's value, the seed, the values
    the model refused (name -> its message) and what Undo puts back (newest last)."""

    scenario: Scenario
    extras: ScenarioExtras
    values: Mapping[str, Any]
    seed: int
    field_errors: Mapping[str, str] = EMPTY
    undo: tuple[Snapshot, ...] = ()
    institutions: InstitutionTable | None = None  # an uploaded file's (in memory only)


@dataclass(frozen=True, eq=False)
class Shown:
    """What the charts and cards draw: the run, the baseline beside it, the band behind it,
    and what the two paths are (a fork at a month, or a room's debrief)."""

    run: RunData
    baseline: RunData | None = None
    baseline_values: Mapping[str, Any] | None = None
    baseline_label: str = ""
    band: Mapping[str, tuple[Any, Any]] | None = None
    band_done: int = 0
    band_plan: Any = None  # sim_app.session.predictive.BandPlan: what the band includes
    band_kpis: tuple | None = None  # each replication's KPIs (``sim.kpis.KPIs``) at the end
    diff_band: Mapping[str, tuple[Any, Any, Any]] | None = None  # paired, against baseline
    diff_band_done: int = 0
    fork_info: Mapping[str, Any] | None = None
    debrief: bool = False

    def with_(self, **changes: Any) -> Shown:
        return replace(self, **changes)


@dataclass(frozen=True, eq=False)
class RoomNews:
    """The room this session runs and what its panel and status line last saw: ``shape``
    ((institution, name) of each player, round open, rounds held, over) redraws the panel, ``status`` (the room's
    aggregate, its end and next round) the status line; ``version`` is the room's."""

    room: Any = None  # sim_app.room.room.Room
    shape: tuple = ()
    status: Mapping[str, Any] = EMPTY
    version: int = -1


@dataclass(frozen=True, eq=False)
class SessionState:
    """Everything one browser session shows."""

    settings: Settings
    shown: Shown
    month: int  # months shown (0 .. the run's horizon)
    playing: bool = False
    story_pause: StoryPause | None = None  # the pause play stopped at
    lang: str = "en"
    mode: str = "explore"  # explore | projector | room | fork
    extra_view: str = "none"  # projector's third chart: none | network | trust | shadow
    story_on: bool = True
    speed: float = 12.0  # months per second
    diff_metric: str = "cumulative_net_benefit"
    uncertainty: str = "params"  # the band asked for: params (seeds and parameters) | seeds
    room: RoomNews = field(default_factory=RoomNews)
    origin: str = ""  # the page's origin (the room's join link)
    url_errors: tuple[str, ...] = ()

    def with_(self, **changes: Any) -> SessionState:
        return replace(self, **changes)
