"""Per-browser-session state: the settings, the current run, the month shown, the baseline.

The page creates one :class:`Session` per browser session (``solara.use_memo`` inside the
page component), so one participant's slider never moves another's run. Components subscribe
to the session's reactive counters: ``settings_rev`` (controls, scenario, compare panel),
``view_rev`` (what the charts and KPI cards hold: run, baseline, band, language) and
``band_rev`` (the uncertainty band).

The month shown is not a reactive value: a render pass walks the whole widget tree (about
15–35 ms with the controls open), too slow for every month of live play. The charts and the
KPI cards hold the whole run and register their widgets with the session
(:meth:`Session.attach_month_widget`); :meth:`Session.show_month` sets each widget's
``month`` trait directly, a message of a few bytes per widget.
"""

from __future__ import annotations

import contextlib
import threading
import time
import weakref
from collections.abc import Iterator
from typing import Any

import numpy as np
import solara

from sim.errors import SimInputError
from sim.params import Params, defaults, make_params, spec_map
from sim.scenarios import Scenario, load_scenario
from sim_app.session.batching import batched as _batched
from sim_app.session.choices import parse_seed, shipped_scenarios  # noqa: F401  (re-exported)
from sim_app.session.io import SessionIO
from sim_app.session.modes import SessionModes
from sim_app.session.play import SessionPlay
from sim_app.session.runs import RunData, simulate
from sim_app.session.undo import Snapshot, UndoStack
from sim_app.session.url import build_query
from sim_app.session.views import SessionViews
from sim_app.text import scenarios as scenario_texts
from sim_app.text.fmt import short
from sim_app.text.scenarios import ScenarioExtras

#: Series the uncertainty band is drawn for.
BAND_KEYS = ("realised_gain", "cumulative_net_benefit", "service_level", "shadow_fte")

class Session(SessionIO, SessionModes, SessionPlay, SessionViews):
    """Everything one browser session sees and changes."""

    def __init__(self, scenario: str = "default", seed: int = 1) -> None:
        self.lock = threading.RLock()
        self.settings_rev = solara.reactive(0)
        self.view_rev = solara.reactive(0)
        self.band_rev = solara.reactive(0)
        self.lang = solara.reactive("en")
        self.mode = solara.reactive("explore")  # explore | projector | room | fork
        self.extra_view = solara.reactive("none")  # projector: none | network | trust | shadow
        self.story_on = solara.reactive(True)
        self.story_shown = solara.reactive(None)  # the StoryPause play stopped at, or None
        self.room_rev = solara.reactive(0)  # the room's players or round changed
        self.room_tally = solara.reactive(0)  # any news from the room (its status line)
        self.origin = solara.reactive("")  # the page's origin (the room's join link)
        self.playing = solara.reactive(False)
        self.speed = solara.reactive(12.0)  # months per second
        self.diff_metric = solara.reactive("cumulative_net_benefit")
        self.message = solara.reactive("")  # last import/export message
        self.error = solara.reactive("")
        self.n_band_seeds = 20
        self.scenario: Scenario = load_scenario(scenario)
        self.extras: ScenarioExtras = scenario_texts.shipped_extras(self.scenario.name)
        self.undo_stack = UndoStack()
        self.values: dict[str, Any] = {**defaults(), **self.scenario.overrides}
        self.seed = int(seed)
        self.field_errors: dict[str, str] = {}
        self.url_errors: list[str] = []
        self.run: RunData = simulate(make_params(self.values), self.seed)
        self.month = self.run.horizon
        self.baseline: RunData | None = None
        self.baseline_values: dict[str, Any] | None = None
        self.baseline_label = ""
        self.band: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
        self.band_done = 0
        self.timings: dict[str, float] = {"simulate": self.run.sim_seconds}
        self._month_widgets: dict[str, Any] = {}
        self._render_context: weakref.ref | None = None
        self._timeline: tuple[RunData, list[dict]] | None = None
        self._events: tuple[RunData, dict] | None = None

    # ------------------------------------------------------------------ settings
    @property
    def params(self) -> Params:
        return self.run.params

    @property
    def big(self) -> bool:
        """The projector's large type (projector and room views)."""
        return self.mode.value in ("projector", "room")

    def scenario_title(self, lang: str | None = None) -> str:
        return scenario_texts.title(self.scenario, self.extras, lang or self.lang.value)

    def _snapshot(self, what: str) -> Snapshot:
        return Snapshot(scenario=self.scenario, extras=self.extras, values=dict(self.values),
                        seed=self.seed, what=what)

    @_batched
    def undo(self) -> bool:
        """Put back the settings the last change replaced. Returns False if none is left."""
        snap = self.undo_stack.pop()
        if snap is None:
            return False
        with self.lock:
            seed_changed = snap.seed != self.seed
            self.scenario, self.extras = snap.scenario, snap.extras
            self.values, self.seed = dict(snap.values), snap.seed
            self.field_errors = {}
            if seed_changed and self.baseline_values is not None:
                self.baseline = simulate(make_params(self.baseline_values), self.seed)
            self._recompute()
        self._bump_settings()
        return True

    @_batched
    def set_mode(self, mode: str) -> None:
        """Switch the view (explore, projector, room, fork). The room view shows the room's
        path; leaving it (or the fork view) shows the settings' own run again."""
        old = self.mode.value
        self.playing.value = False
        self.mode.value = mode
        if old == "fork" and mode != "fork":
            self.clear_fork()
        if mode == "room" and self.room is not None:
            self.attach_room(self.room)
        elif old == "room" and mode != "room":
            with self.lock:
                self.baseline, self.debrief = None, False
                self._recompute(to_end=True)
        self._bump_view()

    def apply_values(self, values: dict[str, Any]) -> list[str]:
        """Set several parameters at once (an address's); returns the ones refused, each as
        the model's one-line message. One re-simulation."""
        errors: list[str] = []
        candidate = {**self.values, **values}
        try:
            make_params(candidate)
        except SimInputError:
            candidate = dict(self.values)
            for name, value in values.items():
                try:
                    make_params({**candidate, name: value})
                except SimInputError as exc:
                    errors.append(str(exc))
                    continue
                candidate[name] = value
        with self.lock:
            self.values = candidate
            self._recompute(to_end=True)
        return errors

    def url_query(self) -> str:
        """The page address's query for the current settings (``sim_app.session.url``)."""
        shipped = self.scenario.name if self.scenario.name in {
            s.name for s in shipped_scenarios()} else None
        ref = {**defaults(), **(self.scenario.overrides if shipped else {})}
        changed = {k: v for k, v in self.values.items() if ref.get(k) != v}
        room = (self.room.code, self.room.key) if self.room is not None else None
        return build_query(shipped, changed, self.seed, self.lang.value, self.mode.value, room)

    def changed_from_scenario(self) -> set[str]:
        """Names whose current value differs from the chosen scenario's."""
        ref = {**defaults(), **self.scenario.overrides}
        return {k for k, v in self.values.items() if ref.get(k) != v}

    # ------------------------------------------------------------------ rendering
    def bind_render_context(self, rc: Any) -> None:
        """The page's render context (reacton), so one change renders once (see ``batch``)."""
        self._render_context = weakref.ref(rc) if rc is not None else None

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group several reactive changes into one render pass.

        A change of settings bumps up to three counters (view, band, settings); each would be
        a render pass over the whole widget tree. Inside this block reacton only notes that
        a render is needed and renders once at the end.
        """
        rc = self._render_context() if self._render_context is not None else None
        if rc is None:
            yield
            return
        with rc:
            yield

    @_batched
    def choose_scenario(self, name_or_scenario: str | Scenario,
                        extras: ScenarioExtras | None = None) -> None:
        """Load a scenario's values into every control and re-simulate.

        A scenario that carries a seed (a saved setting) sets the seed too; one without keeps
        the current seed. A pinned baseline is re-run with a new seed (same dice for both).
        """
        sc = (name_or_scenario if isinstance(name_or_scenario, Scenario)
              else load_scenario(name_or_scenario))
        self._choose(sc, scenario_texts.shipped_extras(sc.name) if extras is None else extras)

    def _choose(self, sc: Scenario, extras: ScenarioExtras) -> None:
        with self.lock:
            self.undo_stack.push(self._snapshot(self.scenario_title()))
            self.scenario, self.extras = sc, extras
            self.values = {**defaults(), **sc.overrides}
            self.field_errors = {}
            if sc.seed is not None and int(sc.seed) != self.seed:
                self.seed = int(sc.seed)
                if self.baseline_values is not None:
                    self.baseline = simulate(make_params(self.baseline_values), self.seed)
            self.playing.value = False
            self._recompute(to_end=True)
        self._bump_settings()

    @_batched
    def set_value(self, name: str, value: Any) -> bool:
        """Change one parameter; re-simulate if the whole set is valid. Returns success."""
        spec = spec_map()[name]
        if spec.kind == "int" and value is not None:
            value = int(round(float(value)))
        elif spec.kind == "float" and value is not None:
            value = float(value)
        candidate = {**self.values, name: value}
        try:
            params = make_params(candidate)
        except SimInputError as exc:
            self.field_errors[name] = str(exc)
            self._bump_settings()
            return False
        with self.lock:
            self.undo_stack.push(self._snapshot(
                f"{spec.label} {short(self.values[name])} → {short(value)}"))
            self.field_errors.pop(name, None)
            self.values = candidate
            self._recompute(params=params)
        self._bump_settings()
        return True

    def reset_to_scenario(self) -> None:
        """Undo every change made since the scenario was chosen."""
        self.choose_scenario(self.scenario, self.extras)

    @_batched
    def set_seed(self, seed: int) -> None:
        """Change the seed; a pinned baseline is re-run with it too (same dice for both)."""
        with self.lock:
            self.undo_stack.push(self._snapshot(f"seed {self.seed} → {int(seed)}"))
            self.seed = int(seed)
            if self.baseline_values is not None:
                self.baseline = simulate(make_params(self.baseline_values), self.seed)
            self._recompute()
        self._bump_settings()

    @_batched
    def set_lang(self, lang: str) -> None:
        self.lang.value = lang
        self._bump_view()

    # ------------------------------------------------------------------ running
    def _recompute(self, params: Params | None = None, to_end: bool = False) -> None:
        """Re-simulate the full horizon; keep the month shown if a story is under way."""
        t0 = time.perf_counter()
        params = params or make_params(self.values)
        if self.fork_info is not None:  # a new setting: the fork's original is gone
            self.fork_info, self.baseline = None, None
        old_horizon = self.run.horizon if hasattr(self, "run") else 0
        story = not to_end and 0 < self.month < old_horizon
        if self.baseline is not None and self.baseline.params.months != params.months:
            self.baseline = simulate(
                make_params({**(self.baseline_values or {}), "months": params.months}), self.seed)
        self.run = simulate(params, self.seed)
        self.month = min(self.month, self.run.horizon) if story else self.run.horizon
        if self.month == 0 and not story and not to_end:
            self.month = self.run.horizon
        self.band = None
        self.band_done = 0
        self.story_shown.value = None
        self.timings["simulate"] = time.perf_counter() - t0
        self._bump_view()
        self.band_rev.value += 1

    # ------------------------------------------------------------------ signals
    def _bump_view(self) -> None:
        self.view_rev.value += 1

    def _bump_settings(self) -> None:
        self.settings_rev.value += 1
