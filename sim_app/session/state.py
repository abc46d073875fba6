"""Per-browser-session state: the settings, the current run, the month shown, the baseline.

The page creates one :class:`Session` per browser session (``solara.use_memo`` inside the
page component), so one participant's slider never moves another's run. The session holds
one immutable :class:`~sim_app.session.store.SessionState` in a Solara reactive variable and
is its only writer: every method builds the next state and replaces the whole value once.
Components read the fields they draw through the ``solara.toestand.Ref`` attributes below and call
methods; results computed on threads (play, the band, the room's news) come back through the
same methods.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any

import solara
from solara.toestand import Ref

from sim.errors import SimInputError
from sim.institutions import InstitutionTable
from sim.params import Params, defaults, make_params, spec_map
from sim.population import params_for
from sim.scenarios import Scenario, load_scenario
from sim_app.session.choices import parse_seed, shipped_scenarios  # noqa: F401  (re-exported)
from sim_app.session.io import SessionIO
from sim_app.session.modes import SessionModes
from sim_app.session.own import SessionInstitutions
from sim_app.session.play import SessionPlay
from sim_app.session.predictive import SessionPredictive
from sim_app.session.runs import RunData, simulate
from sim_app.session.store import SessionState, Settings, Shown, frozen_map
from sim_app.session.undo import Snapshot, pushed
from sim_app.session.views import SessionViews
from sim_app.text import scenarios as scenario_texts
from sim_app.text.fmt import short
from sim_app.text.scenarios import ScenarioExtras

#: Series the uncertainty band is drawn for.
BAND_KEYS = ("realised_gain", "cumulative_net_benefit", "service_level", "shadow_fte")


def _params(values: Any, table: InstitutionTable | None) -> Params:
    """The run's parameters: the values, and what an uploaded file fixes."""
    return make_params(values) if table is None else params_for(table, values)


class Session(SessionInstitutions, SessionIO, SessionModes, SessionPlay, SessionPredictive,
              SessionViews):
    """Everything one browser session sees and changes."""

    def __init__(self, scenario: str = "default", seed: int = 1) -> None:
        self.lock = threading.RLock()
        self.n_band_seeds = 20
        self.sweep_run = None  # a sweep's stored run opened live (sim_app.session.sweeprun)
        self.timings: dict[str, float] = {}
        self._timeline: tuple[RunData, list] | None = None
        self._events: tuple[RunData, dict] | None = None
        sc = load_scenario(scenario)
        settings = Settings(scenario=sc, extras=scenario_texts.shipped_extras(sc.name),
                            values=frozen_map({**defaults(), **sc.overrides}), seed=int(seed))
        run = simulate(make_params(settings.values), settings.seed)
        self.timings["simulate"] = run.sim_seconds
        self.state = solara.reactive(SessionState(settings=settings, shown=Shown(run=run),
                                                  month=run.horizon))
        # what components read (each re-renders only when its field is replaced)
        f = self.state.fields
        self.settings = Ref(f.settings)
        self.shown = Ref(f.shown)
        self.month_shown = Ref(f.month)
        self.playing = Ref(f.playing)
        self.story_shown = Ref(f.story_pause)
        self.lang = Ref(f.lang)
        self.mode = Ref(f.mode)
        self.extra_view = Ref(f.extra_view)
        self.story_on = Ref(f.story_on)
        self.speed = Ref(f.speed)
        self.diff_metric = Ref(f.diff_metric)
        self.room_shape = Ref(f.room.shape)  # the room panel: who plays, the round
        self.room_attached = Ref(f.room.room)  # the room this page runs (or None)
        self.room_status = Ref(f.room.status)  # the status line: every decision
        self.origin = Ref(f.origin)

    # ------------------------------------------------------------------ the one writer
    def _put(self, state: SessionState) -> None:
        """Replace the state (every method's last step; one render pass)."""
        with self.lock:
            self.state.set(state)

    def _update(self, **changes: Any) -> None:
        with self.lock:
            self.state.set(self.state.peek().with_(**changes))

    # ------------------------------------------------------------------ reading (no render)
    @property
    def scenario(self) -> Scenario:
        return self.state.peek().settings.scenario

    @property
    def extras(self) -> ScenarioExtras:
        return self.state.peek().settings.extras

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.state.peek().settings.values)

    @property
    def seed(self) -> int:
        return self.state.peek().settings.seed

    @property
    def field_errors(self) -> dict[str, str]:
        return dict(self.state.peek().settings.field_errors)

    @property
    def run(self) -> RunData:
        return self.state.peek().shown.run

    @property
    def baseline(self) -> RunData | None:
        return self.state.peek().shown.baseline

    @property
    def baseline_label(self) -> str:
        return self.state.peek().shown.baseline_label

    @property
    def band(self):
        return self.state.peek().shown.band

    @property
    def month(self) -> int:
        return self.state.peek().month

    @property
    def url_errors(self) -> list[str]:
        return list(self.state.peek().url_errors)

    @property
    def params(self) -> Params:
        return self.run.params

    @property
    def big(self) -> bool:
        """The projector's large type (projector and room views)."""
        return self.state.peek().mode in ("projector", "room")

    def last_change(self) -> Snapshot | None:
        """What Undo would put back (None: nothing)."""
        undo = self.state.peek().settings.undo
        return undo[-1] if undo else None

    def scenario_title(self, lang: str | None = None) -> str:
        st = self.state.peek()
        return scenario_texts.title(st.settings.scenario, st.settings.extras, lang or st.lang)

    def changed_from_scenario(self) -> set[str]:
        """Names whose current value differs from the chosen scenario's."""
        s = self.state.peek().settings
        ref = {**defaults(), **s.scenario.overrides}
        return {k for k, v in s.values.items() if ref.get(k) != v}

    # ------------------------------------------------------------------ settings
    def _remember(self, s: Settings, what: str) -> tuple[Snapshot, ...]:
        return pushed(s.undo, Snapshot(scenario=s.scenario, extras=s.extras, values=s.values,
                                       seed=s.seed, what=what, institutions=s.institutions))

    def undo(self) -> bool:
        """Put back the settings the last change replaced. Returns False if none is left."""
        with self.lock:
            st = self.state.peek()
            if not st.settings.undo:
                return False
            snap = st.settings.undo[-1]
            settings = Settings(scenario=snap.scenario, extras=snap.extras, values=snap.values,
                                seed=snap.seed, undo=st.settings.undo[:-1],
                                institutions=snap.institutions)
            self._put(self._rerun(st, settings))
        return True

    def forget_undo(self) -> None:
        """Start with nothing to undo (a page set up from its address)."""
        st = self.state.peek()
        self._put(st.with_(settings=replace(st.settings, undo=())))

    def apply_values(self, values: dict[str, Any]) -> list[str]:
        """Set several parameters at once (an address's); returns the ones refused, each as
        the model's one-line message. One re-simulation."""
        errors: list[str] = []
        with self.lock:
            st = self.state.peek()
            current = dict(st.settings.values)
            candidate = {**current, **values}
            try:
                make_params(candidate)
            except SimInputError:
                candidate = current
                for name, value in values.items():
                    try:
                        make_params({**candidate, name: value})
                    except SimInputError as exc:
                        errors.append(str(exc))
                        continue
                    candidate[name] = value
            settings = replace(st.settings, values=frozen_map(candidate))
            self._put(self._rerun(st, settings, to_end=True))
        return errors

    def choose_scenario(self, name_or_scenario: str | Scenario,
                        extras: ScenarioExtras | None = None) -> None:
        """Load a scenario's values into every control and re-simulate.

        A scenario that carries a seed (a saved setting) sets the seed too; one without keeps
        the current seed. A pinned baseline is re-run with a new seed (same dice for both).
        """
        sc = (name_or_scenario if isinstance(name_or_scenario, Scenario)
              else load_scenario(name_or_scenario))
        extras = scenario_texts.shipped_extras(sc.name) if extras is None else extras
        with self.lock:
            st = self.state.peek()
            seed = int(sc.seed) if sc.seed is not None else st.settings.seed
            settings = Settings(scenario=sc, extras=extras, seed=seed,
                                values=frozen_map({**defaults(), **sc.overrides}),
                                undo=self._remember(st.settings, self.scenario_title()))
            self._put(self._rerun(st.with_(playing=False), settings, to_end=True))

    def set_value(self, name: str, value: Any) -> bool:
        """Change one parameter; re-simulate if the whole set is valid. Returns success."""
        spec = spec_map()[name]
        if spec.kind == "int" and value is not None:
            value = int(round(float(value)))
        elif spec.kind == "float" and value is not None:
            value = float(value)
        with self.lock:
            st = self.state.peek()
            s = st.settings
            candidate = {**s.values, name: value}
            try:
                params = (make_params(candidate) if s.institutions is None
                          else params_for(s.institutions, s.values, {name: value}))
            except SimInputError as exc:
                errors = frozen_map({**s.field_errors, name: str(exc)})
                self._put(st.with_(settings=replace(s, field_errors=errors)))
                return False
            errors = frozen_map({k: e for k, e in s.field_errors.items() if k != name})
            what = f"{spec.label} {short(s.values[name])} → {short(value)}"
            settings = Settings(scenario=s.scenario, extras=s.extras, seed=s.seed,
                                values=frozen_map(candidate), field_errors=errors,
                                undo=self._remember(s, what), institutions=s.institutions)
            self._put(self._rerun(st, settings, params=params))
        return True

    def reset_to_scenario(self) -> None:
        """Undo every change made since the scenario was chosen."""
        self.choose_scenario(self.scenario, self.extras)

    def set_seed(self, seed: int) -> None:
        """Change the seed; a pinned baseline is re-run with it too (same dice for both)."""
        with self.lock:
            st = self.state.peek()
            s = st.settings
            settings = replace(s, seed=int(seed),
                               undo=self._remember(s, f"seed {s.seed} → {int(seed)}"))
            self._put(self._rerun(st, settings))

    def set_lang(self, lang: str) -> None:
        self._update(lang=lang)

    def note_url_errors(self, errors: list[str]) -> None:
        """The address's entries that were ignored (shown in one line above the page)."""
        self._update(url_errors=tuple(errors))

    # ------------------------------------------------------------------ running
    def _rerun(self, st: SessionState, settings: Settings, params: Params | None = None,
               to_end: bool = False) -> SessionState:
        """``st`` with ``settings`` and their run over the full horizon (the month shown kept
        if a story is under way); a pinned baseline follows the seed and the horizon."""
        t0 = time.perf_counter()
        params = params or _params(settings.values, settings.institutions)
        sh = st.shown
        baseline, base_values = sh.baseline, sh.baseline_values
        if sh.fork_info is not None:  # a new setting: the fork's original is gone
            baseline = base_values = None
        if baseline is not None and (settings.seed != st.settings.seed
                                     or baseline.params.months != params.months):
            baseline = (None if base_values is None else simulate(
                make_params({**base_values, "months": params.months}), settings.seed))
        run = simulate(params, settings.seed, settings.institutions)
        story = not to_end and 0 < st.month < sh.run.horizon
        month = min(st.month, run.horizon) if story else run.horizon
        self.timings["simulate"] = time.perf_counter() - t0
        shown = Shown(run=run, baseline=baseline, baseline_label=sh.baseline_label,
                      baseline_values=base_values if baseline is not None else None,
                      debrief=sh.debrief)
        return st.with_(settings=settings, shown=shown, month=month, story_pause=None)
