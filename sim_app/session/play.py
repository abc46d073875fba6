"""Play, step and the month shown: the session's live-play methods (a part of
:class:`sim_app.session.state.Session`)."""

from __future__ import annotations

import time
from typing import Any

from sim_app.session.batching import batched as _batched
from sim_app.session.story import pauses_by_month
from sim_app.text.scenarios import StoryPause


class SessionPlay:
    """Stepping through the run, story pauses, playing and the month shown."""

    def step(self) -> bool:
        """Show one more month. Returns False at the end of the horizon."""
        with self.lock:
            if self.month >= self.run.horizon:
                return False
            self.month += 1
            if self.story_shown.value is not None:
                self.story_shown.value = None
        self.show_month()
        return True

    def step_back(self) -> bool:
        """Show one month less. Returns False at month 0."""
        with self.lock:
            if self.month <= 0:
                return False
            self.month -= 1
            self.story_shown.value = None
        self.show_month()
        return True

    def story_pauses(self) -> dict[int, StoryPause]:
        """Month -> story pause on the current run."""
        return pauses_by_month(self.extras.story, self.events(), self.run.horizon)

    def stop_for_story(self) -> bool:
        """At a story pause (and story mode on): stop play and show it. Returns whether."""
        if not self.story_on.value:
            return False
        pause = self.story_pauses().get(self.month)
        if pause is None:
            return False
        with self.batch():
            self.playing.value = False
            self.story_shown.value = pause
        return True

    @_batched
    def set_story(self, pauses: tuple[StoryPause, ...]) -> None:
        """Replace the story pauses (they are saved with the scenario file)."""
        with self.lock:
            self.extras = self.extras.with_story(tuple(pauses))
        self._bump_settings()

    def reset(self) -> None:
        """Back to month 0, ready to play the story."""
        with self.lock:
            self.playing.value = False
            self.story_shown.value = None
            self.month = 0
        self.show_month()

    def to_end(self) -> None:
        """Show the whole horizon."""
        with self.lock:
            self.playing.value = False
            self.story_shown.value = None
            self.month = self.run.horizon
        self.show_month()

    def play(self) -> None:
        if self.room is not None and self.room.current_round is not None:
            self.room_close_round()  # "continue" closes the round the room is in
        if self.month >= self.run.horizon:
            self.month = 0
            self.show_month()
        self.story_shown.value = None
        self.playing.value = True

    def toggle_play(self) -> None:
        """Space bar: play or pause."""
        if self.playing.value:
            self.pause()
        else:
            self.play()

    # ------------------------------------------------------------------ month shown
    def attach_month_widget(self, name: str, widget: Any) -> None:
        """Register a widget with a ``month`` trait (a chart, the KPI cards)."""
        self._month_widgets[name] = widget

    def detach_month_widget(self, name: str, widget: Any) -> None:
        if self._month_widgets.get(name) is widget:
            del self._month_widgets[name]

    def show_month(self) -> None:
        """Tell every registered widget the month shown (no render pass)."""
        t0 = time.perf_counter()
        m = self.month
        for widget in list(self._month_widgets.values()):
            widget.month = m
        if self.room is not None and self.mode.value == "room":
            self.room.set_shown_month(m)
        self.timings["tick"] = time.perf_counter() - t0

    def pause(self) -> None:
        self.playing.value = False
