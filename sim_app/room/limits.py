"""How often one client may ask the room for something: sliding-window rate limits.

A room on a shared Wi-Fi meets people who script requests: one client took all 100
institutions in a second, scanned room codes at 1,700 guesses a second, and sent 500 decisions
a second (each made every phone download the room again). Each limit below counts one kind of
request per client (its address, or its token) over a window and refuses the rest with 429
until the window has moved on. The numbers leave a person tapping as fast as they can far
below them.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class RateLimit:
    """At most ``events`` per ``seconds`` for each key (thread-safe).

    Attributes:
        events: Requests allowed per window.
        seconds: The window's length.
        what: What is limited, for the refusal's one line.
    """

    events: int
    seconds: float
    what: str
    _seen: dict[str, deque[float]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one request of ``key``; whether it is within the limit (a refused one is
        not counted)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._seen.setdefault(key, deque())
            while times and now - times[0] >= self.seconds:
                times.popleft()
            if len(times) >= self.events * scale():
                return False
            times.append(now)
            if len(self._seen) > MAX_KEYS:  # forget keys quiet for a window: bounded memory
                for old in [k for k, t in self._seen.items() if now - t[-1] >= self.seconds]:
                    del self._seen[old]
            return True

    def message(self) -> str:
        """The refusal's one line."""
        return (f"too many {self.what}; allowed: {self.events * scale():g} in "
                f"{self.seconds:g} s: wait a moment and try again")

    def clear(self) -> None:
        """Forget every count (tests)."""
        with self._lock:
            self._seen.clear()


#: Keys a limit remembers before it forgets the quiet ones.
MAX_KEYS = 10_000
#: Environment variable that multiplies every limit (a room whose phones reach the server
#: through one address, e.g. behind a proxy, needs a larger one; docs/app.md).
SCALE_ENV = "SHAREDSIM_ROOM_RATE_SCALE"


def scale() -> float:
    """The factor of :data:`SCALE_ENV` (1 when unset).

    Raises:
        ValueError: the variable is not a number from 1 to 1,000 (one line; the server
            checks it when it starts, ``sim_app.serving.configure_server``).
    """
    text = os.environ.get(SCALE_ENV, "1")
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 1 <= value <= 1000:
        raise ValueError(f"{SCALE_ENV}={text[:40]!r} is not allowed; allowed: a number from 1 "
                         "to 1000 (the factor of the room's rate limits)")
    return value

#: Claims (taking an institution) per address.
CLAIMS = RateLimit(10, 60.0, "claims from this address")
#: Decisions per participant (a resend replaces the last; a person sends a few a round).
DECISIONS = RateLimit(10, 10.0, "decisions from this phone")
#: Look-ups of room codes that do not exist, per address (finding rooms by guessing).
MISSES = RateLimit(10, 60.0, "look-ups of rooms that do not exist from this address")
ALL = (CLAIMS, DECISIONS, MISSES)
