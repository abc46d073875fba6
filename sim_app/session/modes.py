"""A session's views, room (participatory mode), fork at "now" and compare: a mixin of
``Session``.

In the room view the session shows the room's path (``Room.path()``: history plus the
projection to the horizon) with the usual player; play stops at each round's month and opens
the round. The debrief pins the run with every manager on the model's rules (same seed) as the
baseline. In the fork view the session shows the run forked at a month with a policy, against
the original path as the baseline.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sim_app.room.facilitators import current_browser
from sim_app.room.registry import close_room, open_room
from sim_app.room.room import Room
from sim_app.session.fork import fork_run
from sim_app.session.options import option_names
from sim_app.session.runs import RunData, simulate
from sim_app.session.store import RoomNews, SessionState, Shown, frozen_map
from sim_app.text.i18n import tr


def room_news(room: Room) -> RoomNews:
    """What the room panel (who plays, a round open, rounds held, the end) and the status line
    (the round's tally, the end, the next round) show of ``room`` now."""
    status = {**room.aggregate(), "over": room.over, "next": room.next_round_month(),
              "months": int(room.params.months)}
    return RoomNews(room=room, status=frozen_map(status), version=room.version,
                    shape=(tuple(sorted(room.claims.items())),
                           room.current_round is not None, len(room.rounds), room.over))


class SessionModes:
    """Room, fork and baseline state of a session (needs Session's state and writers)."""

    # ------------------------------------------------------------------ reading
    @property
    def room(self) -> Room | None:
        return self.state.peek().room.room

    @property
    def debrief(self) -> bool:
        return self.state.peek().shown.debrief

    @property
    def fork_info(self) -> dict[str, Any] | None:
        info = self.state.peek().shown.fork_info
        return dict(info) if info is not None else None

    # ------------------------------------------------------------------ views
    def set_mode(self, mode: str) -> None:
        """Switch the view (explore, projector, room, fork). The room view shows the room's
        path; leaving it (or the fork view) shows the settings' own run again."""
        with self.lock:
            st = self.state.peek()
            old = st.mode
            st = st.with_(mode=mode, playing=False)
            if old == "fork" and mode != "fork" and st.shown.fork_info is not None:
                st = st.with_(shown=Shown(run=st.shown.baseline))
            if mode == "room" and st.room.room is not None:
                st = self._in_room(st, st.room.room)
            elif old == "room" and mode != "room":
                st = self._rerun(st.with_(shown=Shown(run=st.shown.run)), st.settings,
                                 to_end=True)
            self._put(st)

    def set_extra_view(self, extra: str) -> None:
        """The projector's third chart: none, network, trust or shadow."""
        self._update(extra_view=extra)

    def set_diff_metric(self, metric: str) -> None:
        """The series the difference chart shows."""
        self._update(diff_metric=metric)

    def set_origin(self, origin: str) -> None:
        """The page's origin as the browser reports it (the room's join link)."""
        if origin != self.state.peek().origin:
            self._update(origin=origin)

    # ------------------------------------------------------------------ room
    def open_room(self, round_every: int) -> Room:
        """Open a room; this browser runs it (``sim_app.room.facilitators``)."""
        room = open_room(self.params, self.seed, self.scenario.name, round_every,
                         lang=self.state.peek().lang, institutions=self.institutions)
        room.facilitators.add(current_browser())
        self.attach_room(room)
        return room

    def facilitator_link(self, origin: str) -> str:
        """A one-time address that lets another device run this room (shown on request)."""
        room = self.room
        if room is None:
            return ""
        query = urlencode({"room": room.code, "view": "room",
                           "handoff": room.facilitators.new_link_secret()})
        return f"{origin.rstrip('/')}/?{query}"

    def _in_room(self, st: SessionState, room: Room) -> SessionState:
        return st.with_(room=room_news(room),
                        shown=Shown(run=room.path()), month=room.shown_month, playing=False)

    def attach_room(self, room: Room) -> None:
        """Show the room's path (the projector plays it; play stops at rounds)."""
        with self.lock:
            self._put(self._in_room(self.state.peek(), room))

    def room_sync(self) -> None:
        """Take the room's news: its latest path (a round closed, a claim), who plays, the
        round and its tally (the room's watcher calls this from its thread)."""
        with self.lock:
            st = self.state.peek()
            room = st.room.room
            if room is None or st.mode != "room":
                return
            if room.version == st.room.version:
                return
            run = room.path()
            st = st.with_(room=room_news(room))
            if run is not st.shown.run:
                st = st.with_(shown=self._debriefed(room, run) if st.shown.debrief
                              else Shown(run=run))
            self._put(st)

    def room_stop(self) -> bool:
        """During play: at the next round's month, pause and open the round."""
        room = self.room
        if room is None or self.state.peek().mode != "room":
            return False
        nxt = room.next_round_month()
        if nxt is None or self.month < nxt or room.current_round is not None:
            return False
        self.room_open_round()
        return True

    def room_open_round(self) -> None:
        room = self.room
        if room is not None:
            with self.lock:
                room.open_round(self.month)
                st = self.state.peek()
                self._put(st.with_(playing=False, room=room_news(room)))

    def room_release(self, idx: int | None) -> None:
        """Free institution ``idx`` of the room (its phone's token stops working)."""
        room = self.room
        if room is not None and idx is not None:
            room.release(int(idx))
            self.room_sync()

    def room_close_round(self) -> None:
        room = self.room
        if room is not None:
            room.close_round()
            self.room_sync()

    def _debriefed(self, room: Room, run: RunData) -> Shown:
        return Shown(run=run, baseline=simulate(room.params, room.seed, room.institutions),
                     debrief=True,
                     baseline_label=tr("rules_run", self.state.peek().lang))

    def room_debrief(self) -> None:
        """The room's path against the same run with every manager on the rules."""
        room = self.room
        if room is not None:
            with self.lock:
                st = self.state.peek()
                self._put(st.with_(shown=self._debriefed(room, st.shown.run)))

    def leave_room(self) -> None:
        """Leave the room and end it (its phones are told; its file stays)."""
        if self.room is not None:
            close_room(self.room.code)
        with self.lock:
            st = self.state.peek()
            self._put(self._rerun(st.with_(room=RoomNews(), shown=Shown(run=st.shown.run)),
                                  st.settings))

    # ------------------------------------------------------------------ fork
    def make_fork(self, policy: dict[str, float]) -> None:
        """Fork the original path at the month shown with ``policy``."""
        with self.lock:
            st = self.state.peek()
            month = st.month
            original = st.shown.run if st.shown.fork_info is None else st.shown.baseline
            run = fork_run(original.params, st.settings.seed, month, policy,
                           original.institutions)
            shown = Shown(run=run, baseline=original,
                          baseline_label=tr("original_path", st.lang),
                          fork_info=frozen_map({"month": month, "policy": dict(policy)}))
            self._put(st.with_(shown=shown, month=month, playing=False))

    def clear_fork(self) -> None:
        with self.lock:
            st = self.state.peek()
            if st.shown.fork_info is not None:
                self._put(st.with_(shown=Shown(run=st.shown.baseline)))

    def mode_labels(self) -> dict[str, Any]:
        """Names of the two paths and where their difference starts, for the charts."""
        st = self.state.peek()
        lang, info = st.lang, st.shown.fork_info
        if info is not None:
            return {"run_name": tr("fork_path", lang), "baseline_name": tr("original_path", lang),
                    "diff_from": info["month"] + 1,
                    "diff_title": tr("ch_diff_fork", lang, m=info["month"])}
        if st.shown.debrief:
            return {"run_name": tr("room_path", lang), "baseline_name": tr("rules_run", lang),
                    "diff_title": tr("ch_diff_room", lang)}
        if st.shown.baseline is not None:  # two options: named by what tells them apart
            run, base = option_names(st.settings.values, st.shown.baseline_values, lang,
                                     tr("opt_current", lang), st.shown.baseline_label)
            return {"run_name": run, "baseline_name": base,
                    "diff_title": tr("ch_diff_named", lang, a=run, b=base)}
        return {}

    # ------------------------------------------------------------------ compare
    def pin_baseline(self) -> None:
        """Pin the current run as the baseline; later runs overlay it (same seed)."""
        with self.lock:
            st = self.state.peek()
            self._put(st.with_(shown=st.shown.with_(
                baseline=st.shown.run, baseline_values=st.settings.values,
                baseline_label=self.scenario_title(), diff_band=None, diff_band_done=0)))

    def unpin_baseline(self) -> None:
        with self.lock:
            st = self.state.peek()
            self._put(st.with_(shown=st.shown.with_(baseline=None, baseline_values=None,
                                                    diff_band=None, diff_band_done=0)))

    # ------------------------------------------------------------------ the band
    def take_band(self, run: RunData, band: dict, n: int, plan: Any = None,
                  kpis: tuple | None = None) -> bool:
        """The band computed (on a thread) for ``run`` from the replications ``plan``
        (``sim_app.session.predictive``; their KPIs ``kpis``); dropped if another run is
        shown by now or another mode is asked for. Returns whether it was taken."""
        with self.lock:
            st = self.state.peek()
            if st.shown.run is not run or (plan is not None
                                           and plan.mode != self.band_mode()[0]):
                return False
            self._put(st.with_(shown=st.shown.with_(band=band, band_done=n, band_plan=plan,
                                                    band_kpis=kpis)))
        return True

    def take_diff_band(self, run: RunData, baseline: RunData, band: dict, n: int,
                       plan: Any = None) -> bool:
        """The paired band of ``run`` − ``baseline`` (``sim_app.session.options``); dropped
        if either is no longer shown or another mode is asked for. Returns whether it was
        taken."""
        with self.lock:
            st = self.state.peek()
            if st.shown.run is not run or st.shown.baseline is not baseline or (
                    plan is not None and plan.mode != self.band_mode()[0]):
                return False
            self._put(st.with_(shown=st.shown.with_(diff_band=band, diff_band_done=n)))
        return True
