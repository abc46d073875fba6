"""A session's room (participatory mode) and fork at "now": a mixin of ``Session``.

In the room view the session shows the room's path (``Room.path()``: history plus the
projection to the horizon) with the usual player; play stops at each round's month and opens
the round. The debrief pins the run with every manager on the model's rules (same seed) as the
baseline. In the fork view the session shows the run forked at a month with a policy, against
the original path as the baseline.
"""

from __future__ import annotations

from typing import Any

from sim.params import make_params
from sim_app.room.registry import close_room, open_room
from sim_app.room.room import Room
from sim_app.session.batching import batched as _batched
from sim_app.session.fork import fork_run
from sim_app.session.runs import simulate
from sim_app.text.i18n import tr


class SessionModes:
    """Room and fork state of a session (needs Session's run, month, baseline, batch…)."""

    room: Room | None = None
    debrief: bool = False
    fork_info: dict[str, Any] | None = None  # {"month", "policy"} of the fork shown

    # ------------------------------------------------------------------ room
    def open_room(self, round_every: int) -> Room:
        room = open_room(self.params, self.seed, self.scenario.name, round_every,
                         lang=self.lang.value)
        self.attach_room(room)
        return room

    def attach_room(self, room: Room) -> None:
        """Show the room's path (the projector plays it; play stops at rounds)."""
        with self.batch():
            with self.lock:
                self.room, self.debrief, self.fork_info = room, False, None
                self.baseline = self.baseline_values = None
                self.run = room.path()
                self.month = room.shown_month
                self.playing.value = False
            self._bump_view()
            self._bump_settings()

    def room_sync(self) -> None:
        """Show the room's latest path if it changed (a round closed, a claim)."""
        room = self.room
        if room is None or self.mode.value != "room":
            return
        run = room.path()
        if run is not self.run:
            with self.batch():
                with self.lock:
                    self.run = run
                    if self.debrief:
                        self.room_debrief()
                self._bump_view()

    def room_stop(self) -> bool:
        """During play: at the next round's month, pause and open the round."""
        room = self.room
        if room is None or self.mode.value != "room":
            return False
        nxt = room.next_round_month()
        if nxt is None or self.month < nxt or room.current_round is not None:
            return False
        with self.batch():
            self.playing.value = False
            room.open_round(self.month)
            self._bump_settings()
        return True

    def room_open_round(self) -> None:
        if self.room is not None:
            self.playing.value = False
            self.room.open_round(self.month)
            self._bump_settings()

    def room_close_round(self) -> None:
        if self.room is not None:
            self.room.close_round()
            self.room_sync()
            self._bump_settings()

    def room_debrief(self) -> None:
        """The room's path against the same run with every manager on the rules."""
        room = self.room
        if room is None:
            return
        with self.lock:
            self.baseline = simulate(room.params, room.seed)
            self.baseline_values = None
            self.baseline_label = tr("rules_run", self.lang.value)
            self.debrief = True
        self._bump_view()
        self._bump_settings()

    def leave_room(self) -> None:
        """Leave the room and end it (its phones are told; its file stays)."""
        if self.room is not None:
            close_room(self.room.code)
        with self.batch():
            with self.lock:
                self.room, self.debrief = None, False
                self.baseline = None
                self._recompute(params=make_params(self.values))
            self._bump_settings()

    # ------------------------------------------------------------------ fork
    def make_fork(self, policy: dict[str, float]) -> None:
        """Fork the original path at the month shown with ``policy``."""
        with self.batch():
            with self.lock:
                month = self.month
                if self.fork_info is None:
                    original = self.run
                else:
                    original = self.baseline
                self.run = fork_run(original.params, self.seed, month, policy)
                self.baseline, self.baseline_values = original, None
                self.baseline_label = tr("original_path", self.lang.value)
                self.fork_info = {"month": month, "policy": dict(policy)}
                self.band = None
                self.month = month
                self.playing.value = False
            self._bump_view()
            self._bump_settings()

    def clear_fork(self) -> None:
        if self.fork_info is None:
            return
        with self.batch():
            with self.lock:
                self.run = self.baseline
                self.baseline = None
                self.fork_info = None
            self._bump_view()
            self._bump_settings()

    def mode_labels(self) -> dict[str, Any]:
        """Names of the two paths and where their difference starts, for the charts."""
        lang = self.lang.value
        if self.fork_info is not None:
            return {"run_name": tr("fork_path", lang), "baseline_name": tr("original_path", lang),
                    "diff_from": self.fork_info["month"] + 1,
                    "diff_title": tr("ch_diff_fork", lang, m=self.fork_info["month"])}
        if self.debrief:
            return {"run_name": tr("room_path", lang), "baseline_name": tr("rules_run", lang),
                    "diff_title": tr("ch_diff_room", lang)}
        return {}

    # ------------------------------------------------------------------ compare
    @_batched
    def pin_baseline(self) -> None:
        """Pin the current run as the baseline; later runs overlay it (same seed)."""
        with self.lock:
            self.baseline = self.run
            self.baseline_values = dict(self.values)
            self.baseline_label = self.scenario_title()
        self._bump_settings()
        self._bump_view()

    @_batched
    def unpin_baseline(self) -> None:
        with self.lock:
            self.baseline = None
            self.baseline_values = None
        self._bump_settings()
        self._bump_view()
