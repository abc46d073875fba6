"""The rooms open on this server, by code: open one, find one, close one.

Shared on purpose (``ROOMS``): a room is its participants' common run, every session and route
of the server process finds it by its code.
"""

from __future__ import annotations

import secrets
import threading
import time

from sim.institutions import InstitutionTable
from sim.params import Params
from sim_app.room import file as room_file
from sim_app.room.room import Room, RoomError

#: Room codes: no look-alike letters or digits (0/O, 1/I/L); six of 31 characters give
#: 887 million codes, and look-ups of codes that name no room are rate-limited per address
#: (``sim_app.room.limits.MISSES``), so finding a room by guessing takes lifetimes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
#: A room nobody has asked anything for this long ends (its file stays).
IDLE_SECONDS = 6 * 3600


def new_code(taken: set[str]) -> str:
    """A fresh room code (not random in the model's sense: an identifier, not a draw)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


class RoomEnded(RoomError):
    """The room of a code has ended (closed by its facilitator, or idle)."""


ROOMS: dict[str, Room] = {}
#: Codes of rooms that ended on this server (a phone asking is told so, not "no room").
ENDED: set[str] = set()
_ROOMS_LOCK = threading.Lock()


def open_room(params: Params, seed: int, scenario: str, round_every: int, lang: str = "en",
              store: bool = True, institutions: InstitutionTable | None = None) -> Room:
    """Open a new room with a fresh code (its file in ``room_file.rooms_dir()``), on a team's
    own ``institutions`` if given (the room then shows their names)."""
    close_idle()
    with _ROOMS_LOCK:
        code = new_code(set(ROOMS) | ENDED)
        path = room_file.new_path(code) if store else None
        room = Room(code, params, seed, scenario, round_every, path, lang, institutions)
        ROOMS[code] = room
        return room


def get_room(code: str) -> Room:
    """The open room of ``code``.

    Raises:
        RoomError: no such room, or it has ended (idle rooms end first).
    """
    close_idle()
    code = str(code).strip().upper()
    room = ROOMS.get(code)
    if room is None:
        if code in ENDED:
            raise RoomEnded(f"the room {code} has ended; the facilitator can open a new one")
        raise RoomError(f"no room {code!r} on this server: check the code on the screen")
    return room


def close_room(code: str) -> None:
    """End a room: its routes answer that it has ended; its file stays."""
    with _ROOMS_LOCK:
        if ROOMS.pop(code, None) is not None:
            ENDED.add(code)


def close_idle(now: float | None = None) -> list[str]:
    """End every room idle for :data:`IDLE_SECONDS`; the codes ended."""
    now = time.monotonic() if now is None else now
    idle = [c for c, r in list(ROOMS.items()) if now - r.last_active >= IDLE_SECONDS]
    for code in idle:
        close_room(code)
    return idle
