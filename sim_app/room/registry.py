"""The rooms open on this server, by code: open one, find one, close one.

Shared on purpose (``ROOMS``): a room is its participants' common run, every session and route
of the server process finds it by its code.
"""

from __future__ import annotations

import secrets
import threading

from sim.params import Params
from sim_app.room import file as room_file
from sim_app.room.room import Room, RoomError

#: Room codes: short, no look-alike letters or digits (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 4


def new_code(taken: set[str]) -> str:
    """A fresh room code (not random in the model's sense: an identifier, not a draw)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


ROOMS: dict[str, Room] = {}
_ROOMS_LOCK = threading.Lock()


def open_room(params: Params, seed: int, scenario: str, round_every: int, lang: str = "en",
              store: bool = True) -> Room:
    """Open a new room with a fresh code (its file in ``room_file.rooms_dir()``)."""
    with _ROOMS_LOCK:
        code = new_code(set(ROOMS))
        path = room_file.new_path(code) if store else None
        room = Room(code, params, seed, scenario, round_every, path, lang)
        ROOMS[code] = room
        return room


def get_room(code: str) -> Room:
    room = ROOMS.get(str(code).strip().upper())
    if room is None:
        raise RoomError(f"no room {code!r} on this server: check the code on the screen")
    return room


def close_room(code: str) -> None:
    with _ROOMS_LOCK:
        ROOMS.pop(code, None)
