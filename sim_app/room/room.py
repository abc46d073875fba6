"""A participatory room: participants play the managers, the model plays everyone else.

The facilitator opens a room on a scenario and seed. Participants take one institution (and
its manager) each, by name; the model's ``mgr.play`` / ``mgr.decide`` (``sim.agents.manager``)
take their decisions, managers nobody plays follow the model's rules. Decisions are made in
rounds: at a round's month the room collects each participant's calls (join now or wait,
keep / build / dismantle shadow staff, escalate a complaint); closing the round applies each
participant's last call exactly once and the model runs on.

Between rounds nothing is decided from outside, so the months until the next round are
already fixed: after each round the room forks its model (``model.fork()``) and runs the copy
to the horizon. That path (history + projection) is what the projector plays, with the same
machinery as any other run; when play reaches the next round's month the room steps its own
model there (the same months, bit for bit) and opens the round.

Every claim and round is appended to the room's file (JSON lines, ``sim_app.room.file``), so
a workshop can be replayed exactly (same parameters, seed and decisions) and studied.
"""

from __future__ import annotations

import secrets
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from sim.institutions import InstitutionTable
from sim.params import Params
from sim.runner import Stepper
from sim_app.room import file as room_file
from sim_app.room.facilitators import Facilitators
from sim_app.room.rounds import SHADOW_CHOICES, Decision, RoomError, Round
from sim_app.room.seats import SeatError, Seats
from sim_app.session.runs import RunData, run_data

__all__ = ["SHADOW_CHOICES", "Decision", "Room", "RoomError", "Round"]

#: Agent arrays kept for every month of a room's path (network view, participants' pages).
ROOM_SNAPSHOT = ("mgr.trust", "inst.shadow_fte", "inst.phase", "inst.service",
                 "inst.local_fte")


class Room:
    """One workshop's shared run. Thread-safe: every public method takes the room's lock."""

    def __init__(self, code: str, params: Params, seed: int, scenario: str,
                 round_every: int, path: Path | None, lang: str = "en",
                 institutions: InstitutionTable | None = None) -> None:
        self.code = code
        self.institutions = institutions  # a team's own (an upload), else the model's
        self.params, self.seed, self.scenario = params, int(seed), scenario
        self.round_every = int(round_every)
        self.lang = lang
        self.key = secrets.token_urlsafe(16)  # for scripts (the facilitator route), never shown
        self.facilitators = Facilitators()  # the browsers that run it (sim_app.room.facilitators)
        self.lock = threading.RLock()
        self.stepper = Stepper.start(params, self.seed, ROOM_SNAPSHOT,
                                     institutions=institutions)
        self.model = self.stepper.model
        self.names: tuple[str, ...] = tuple(self.model.names)
        self.seats = Seats(self.names)  # who plays which institution (sim_app.room.seats)
        self.claims = self.seats.by_idx  # institution -> participant's name
        self.tokens = self.seats.tokens  # participant's token -> institution
        self.last_active = time.monotonic()  # a request or a round (rooms idle too long end)
        self.rounds: list[Round] = []
        self.version = 0  # bumped on every change participants should see
        self.shown_month = 0  # the month the projector shows (participants follow it)
        self.finished = False
        self.created = time.time()
        self.file = path
        self._initial = self.stepper.initial
        self._stale = False
        self.run: RunData = self._project()
        if path is not None:
            room_file.write_header(path, self)

    # ------------------------------------------------------------------ participants
    @property
    def month(self) -> int:
        """Months the room's own model has simulated (the last round's month)."""
        return int(self.model.steps)

    @property
    def current_round(self) -> Round | None:
        return self.rounds[-1] if self.rounds and self.rounds[-1].open else None

    def free(self) -> list[int]:
        with self.lock:
            return [i for i in range(len(self.names)) if i not in self.claims]

    def claim(self, idx: int, name: str, holder: str | None = None) -> str:
        """Participant ``name`` takes institution ``idx``; returns their token.

        ``holder``: the token the phone already holds, if any (a phone plays one institution).
        ``name`` is checked by the room's routes (``sim_app.room.requests.name``).
        """
        with self.lock:
            try:
                self.seats.check_take(idx, name, holder)
            except SeatError as exc:
                raise RoomError(str(exc)) from None
            if self.current_round is None:  # played from the month the room has reached
                self._step_to(self.shown_month)
            token = self.seats.take(idx, name)
            self.model.mgr.play(idx)
            self._changed({"type": "claim", "month": self.month, "idx": idx,
                           "institution": self.names[idx], "name": name})
            return token

    def release(self, idx: int) -> bool:
        """Free institution ``idx`` (its phone's token stops working; its manager follows the
        model's rules again, its call in an open round is dropped); whether it was taken."""
        with self.lock:
            if not self.seats.free(idx):
                return False
            if self.current_round is None:
                self._step_to(self.shown_month)
            else:
                self.current_round.decisions.pop(idx, None)
            self.model.mgr.release(idx)
            self._changed({"type": "release", "month": self.month, "idx": idx,
                           "institution": self.names[idx]})
            return True

    def _changed(self, record: dict[str, Any]) -> None:
        """After a claim or release: the path is redone, phones reload, the file records it."""
        self._stale = True
        self.version += 1
        if self.file is not None:
            room_file.append(self.file, record)

    def who(self, token: str) -> int:
        with self.lock:
            try:
                return self.seats.who(token)
            except SeatError as exc:
                raise RoomError(str(exc)) from None

    def decide(self, token: str, round_number: int, join: bool | None, shadow: str,
               escalate: bool) -> Decision:
        """Record a participant's calls for the open round (a resend replaces them)."""
        if shadow not in SHADOW_CHOICES:
            raise RoomError(f"shadow = {shadow!r} is not allowed; allowed: "
                            + ", ".join(SHADOW_CHOICES))
        with self.lock:
            idx = self.who(token)
            rnd = self.current_round
            if rnd is None or rnd.number != int(round_number):
                raise RoomError("this round is closed; wait for the next one")
            old = rnd.decisions.get(idx)
            d = Decision(join=None if join is None else bool(join), shadow=shadow,
                         escalate=bool(escalate), sent=(old.sent if old else 0) + 1)
            rnd.decisions[idx] = d
            if old is None or old.to_dict() != d.to_dict():
                self.version += 1  # a resend of the same calls changes no phone's page
            return d

    # ------------------------------------------------------------------ rounds
    def next_round_month(self) -> int | None:
        """The month the next round falls on (None: rounds only when the facilitator asks)."""
        if self.round_every <= 0:
            return None
        m = self.month + self.round_every
        return m if m < self.params.months else None

    def open_round(self, month: int | None = None) -> Round:
        """Step the room's model to ``month`` (default: the month shown) and open a round."""
        with self.lock:
            if self.current_round is not None:
                return self.current_round
            target = self.shown_month if month is None else int(month)
            if target < self.month:
                raise RoomError(f"the room is at month {self.month}; a round cannot go back "
                                f"to month {target}")
            self._step_to(target)
            rnd = Round(number=len(self.rounds) + 1, month=self.month)
            self.rounds.append(rnd)
            self.version += 1
            return rnd

    def close_round(self) -> Round | None:
        """Apply every participant's last call once, store the round, project the path."""
        with self.lock:
            rnd = self.current_round
            if rnd is None:
                return None
            mgr = self.model.mgr
            for idx, d in sorted(rnd.decisions.items()):
                mgr.decide(idx, join=d.join, shadow=d.shadow, escalate=d.escalate)
            rnd.open = False
            if self.file is not None:
                room_file.append(self.file, {
                    "type": "round", "round": rnd.number, "month": rnd.month,
                    "decisions": {str(i): d.to_dict() for i, d in sorted(rnd.decisions.items())},
                    "sent": {str(i): d.sent for i, d in sorted(rnd.decisions.items())}})
            self.run = self._project()
            self._stale = False
            self.version += 1
            return rnd

    @property
    def over(self) -> bool:
        """Finished by the facilitator, or shown to the horizon with no round open: every
        screen (status line, phones) then says the room is over."""
        return self.finished or (self.current_round is None
                                 and self.shown_month >= int(self.params.months))

    def finish(self) -> None:
        with self.lock:
            self.close_round()
            self.finished = True
            self.version += 1

    def set_shown_month(self, month: int) -> None:
        """The projector's month (participants' pages show their institution then)."""
        if month != self.shown_month:
            self.shown_month = int(month)
            self.version += 1

    # ------------------------------------------------------------------ the path
    def path(self) -> RunData:
        """The room's path: history, then the projection from the room's month (redone if
        a claim changed who is played since)."""
        with self.lock:
            if self._stale:
                self.run = self._project()
                self._stale = False
            return self.run

    def _step_to(self, month: int) -> None:
        self.stepper.until(min(month, self.params.months))

    def _project(self) -> RunData:
        """History so far + a fork of the model run to the horizon."""
        t0 = time.perf_counter()
        fork = self.stepper.fork().finish()
        self.snapshots = fork.snapshots
        return run_data(fork, self.seed, t0)

    # ------------------------------------------------------------------ views
    def institution_at(self, idx: int, month: int) -> dict[str, Any]:
        """One institution's service, staff cost and trust at ``month`` of the room's path."""
        p = self.params
        if month <= 0:
            trust, shadow, phase = self._initial["mgr.trust"][idx], 0.0, 0
            service, local = float("nan"), float(self._initial["inst.local_fte"][idx])
        else:
            s, m = self.snapshots, month - 1
            trust, shadow = s["mgr.trust"][m][idx], s["inst.shadow_fte"][m][idx]
            phase, service = int(s["inst.phase"][m][idx]), s["inst.service"][m][idx]
            local = s["inst.local_fte"][m][idx]
        base = float(self._initial["inst.local_fte"][idx])
        return {"trust": round(float(trust), 3),
                "service": None if np.isnan(service) else round(float(service), 3),
                "shadow_fte": round(float(shadow), 2), "phase": int(phase),
                "cost": round((float(local) + float(shadow)) * p.fte_cost_mdkk, 2),
                "cost_before": round(base * p.fte_cost_mdkk, 2)}

    def aggregate(self) -> dict[str, Any]:
        """What the projector shows about the room: who plays, who decided this round."""
        with self.lock:
            rnd = self.current_round
            played = sorted(self.claims)
            decided = sorted(rnd.decisions) if rnd else []
            counts = {c: 0 for c in SHADOW_CHOICES}
            joins = escalations = 0
            for d in (rnd.decisions.values() if rnd else ()):
                counts[d.shadow] += 1
                joins += bool(d.join)
                escalations += d.escalate
            return {"code": self.code, "players": len(played),
                    "institutions": len(self.names), "round": rnd.number if rnd else None,
                    "round_month": rnd.month if rnd else None, "decided": len(decided),
                    "shadow": counts, "joins": joins, "escalations": escalations,
                    "rounds_done": sum(1 for r in self.rounds if not r.open)}


#: Open rooms of this server process, by code (a room is shared by its participants).
