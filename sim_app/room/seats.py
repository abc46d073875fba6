"""Who plays which institution in a room: one institution per phone, names unique, seats freed.

A participant's phone holds a token (the server hands it out on a claim); the token is the
participant. A phone that holds a seat cannot take a second one; a seat is freed by its phone
or by the facilitator. Names are checked for the room: unique (compared without case and
Unicode's compatibility forms, so "ALICE" and "Alice" are one name), and a refusal never says
who holds an institution.
"""

from __future__ import annotations

import secrets
import unicodedata


class SeatError(ValueError):
    """A claim or release the room's seats refuse (one line)."""


def name_key(name: str) -> str:
    """How two names are compared: NFKC, without case, runs of spaces as one."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class Seats:
    """The room's seats: institution -> participant's name, token -> institution.

    Not thread-safe on its own: the room calls it under its lock.

    Attributes:
        names: The institutions' names, by index.
        by_idx: Participant's name by institution taken.
        tokens: Institution by participant's token.
    """

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.by_idx: dict[int, str] = {}
        self.tokens: dict[str, int] = {}

    def check_take(self, idx: int, name: str, holder: str | None = None) -> None:
        """Refuse a claim of ``idx`` by ``name`` (from a phone holding ``holder``) that the
        room cannot grant.

        Raises:
            SeatError: no such institution, the phone already plays one, the institution is
                taken (without saying by whom), or the name is already used in the room.
        """
        if not 0 <= idx < len(self.names):
            raise SeatError(f"no institution {idx}; allowed: 0–{len(self.names) - 1}")
        if holder is not None and holder in self.tokens:
            mine = self.names[self.tokens[holder]]
            raise SeatError(f"this phone already plays {mine}; leave it first to take another")
        if idx in self.by_idx:
            raise SeatError(f"{self.names[idx]} is already taken; choose another institution")
        key = name_key(name)
        if any(name_key(n) == key for n in self.by_idx.values()):
            raise SeatError(f"the name {name!r} is already used in this room; allowed: a name "
                            "nobody here uses (add an initial)")

    def take(self, idx: int, name: str) -> str:
        """Give ``idx`` to ``name`` (after :meth:`check_take`); return the new token."""
        token = secrets.token_urlsafe(12)
        self.by_idx[idx] = name
        self.tokens[token] = idx
        return token

    def who(self, token: str) -> int:
        """The institution a token plays.

        Raises:
            SeatError: the token plays nothing (never joined, or its seat was freed).
        """
        idx = self.tokens.get(token)
        if idx is None:
            raise SeatError("unknown participant: join the room again")
        return idx

    def free(self, idx: int) -> bool:
        """Free institution ``idx`` (its token stops working); whether it was taken."""
        if idx not in self.by_idx:
            return False
        del self.by_idx[idx]
        for token in [t for t, i in self.tokens.items() if i == idx]:
            del self.tokens[token]
        return True
