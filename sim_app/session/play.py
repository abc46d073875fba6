"""Play, step and the month shown: the session's live-play methods (a part of
:class:`sim_app.session.state.Session`).

The month shown is a field of the session's state like any other; only the chart widgets and
the KPI cards read it (each holds the whole run and cuts it in the browser), so a month of
live play renders those few leaves and nothing else.
"""

from __future__ import annotations

import time

from sim_app.session.story import pauses_by_month
from sim_app.text.scenarios import StoryPause


class SessionPlay:
    """Stepping through the run, story pauses, playing and the month shown."""

    def _show(self, month: int, **changes) -> None:
        """Show ``month`` (the room's participants follow the projector)."""
        t0 = time.perf_counter()
        with self.lock:
            self._update(month=month, **changes)
            room = self.room
            if room is not None and self.state.peek().mode == "room":
                room.set_shown_month(month)
        self.timings["tick"] = time.perf_counter() - t0

    def step(self) -> bool:
        """Show one more month. Returns False at the end of the horizon."""
        with self.lock:
            if self.month >= self.run.horizon:
                return False
            self._show(self.month + 1, story_pause=None)
        return True

    def step_back(self) -> bool:
        """Show one month less. Returns False at month 0."""
        with self.lock:
            if self.month <= 0:
                return False
            self._show(self.month - 1, story_pause=None)
        return True

    def go_to(self, month: int) -> None:
        """Show ``month`` (clipped to the horizon), paused."""
        with self.lock:
            self._show(max(0, min(int(month), self.run.horizon)), playing=False,
                       story_pause=None)

    def story_pauses(self) -> dict[int, StoryPause]:
        """Month -> story pause on the current run."""
        return pauses_by_month(self.extras.story, self.events(), self.run.horizon)

    def stop_for_story(self) -> bool:
        """At a story pause (and story mode on): stop play and show it. Returns whether."""
        if not self.state.peek().story_on:
            return False
        pause = self.story_pauses().get(self.month)
        if pause is None:
            return False
        self._update(playing=False, story_pause=pause)
        return True

    def set_story(self, pauses: tuple[StoryPause, ...]) -> None:
        """Replace the story pauses (they are saved with the scenario file)."""
        from dataclasses import replace

        with self.lock:
            s = self.state.peek().settings
            self._update(settings=replace(s, extras=s.extras.with_story(tuple(pauses))))

    def set_story_on(self, on: bool) -> None:
        """Whether play stops at the story pauses."""
        self._update(story_on=bool(on))

    def reset(self) -> None:
        """Back to month 0, ready to play the story."""
        self._show(0, playing=False, story_pause=None)

    def to_end(self) -> None:
        """Show the whole horizon."""
        self._show(self.run.horizon, playing=False, story_pause=None)

    def play(self) -> None:
        room = self.room
        if room is not None and room.current_round is not None:
            self.room_close_round()  # "continue" closes the round the room is in
        with self.lock:
            month = 0 if self.month >= self.run.horizon else self.month
            self._show(month, story_pause=None, playing=True)

    def pause(self) -> None:
        self._update(playing=False)

    def toggle_play(self) -> None:
        """Space bar: play or pause."""
        if self.state.peek().playing:
            self.pause()
        else:
            self.play()

    def set_speed(self, speed: float) -> None:
        """Months per second of live play."""
        self._update(speed=float(speed))
