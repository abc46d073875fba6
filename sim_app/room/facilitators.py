"""Who runs a room: the facilitator's browsers, known by their session cookie, never by a key
in the address.

The address bar of the facilitator's laptop is on the projector, so nothing in it may let a
reader take the room over. The browser that opens a room runs it; a reload keeps Solara's
session cookie (HttpOnly, SameSite), so the page goes back into the room. To move to another
device the facilitator asks for a one-time link (shown only then, in the room panel): opening
it makes that browser a facilitator too and uses the link up.
"""

from __future__ import annotations

import secrets
import threading


class Facilitators:
    """The browsers that run one room, and the secret of its one facilitator link."""

    def __init__(self) -> None:
        self._browsers: set[str] = set()
        self._handoff: str | None = None
        self._lock = threading.Lock()

    def add(self, browser: str | None) -> None:
        """Let the browser with this session cookie run the room (None: no browser, ignored)."""
        if browser:
            with self._lock:
                self._browsers.add(browser)

    def __contains__(self, browser: object) -> bool:
        return isinstance(browser, str) and browser in self._browsers

    def new_link_secret(self) -> str:
        """A fresh one-time secret for a facilitator link (an earlier one stops working)."""
        with self._lock:
            self._handoff = secrets.token_urlsafe(16)
            return self._handoff

    def take_link(self, secret: str | None, browser: str | None) -> bool:
        """Make ``browser`` a facilitator if ``secret`` is the current link's; the link is
        then used up. Whether it was."""
        with self._lock:
            if not secret or not browser or self._handoff is None:
                return False
            if not secrets.compare_digest(secret.encode(), self._handoff.encode()):
                return False
            self._handoff = None
            self._browsers.add(browser)
            return True


def current_browser() -> str | None:
    """The session cookie of the browser behind the current Solara session (None outside a
    served page: in-process tests and scripts have no browser)."""
    import solara

    try:
        return solara.get_session_id() or None
    except RuntimeError:  # no Solara kernel context
        return None
