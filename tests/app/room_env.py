"""The environment of a test server that hosts rooms: its own rooms folder, and rate limits
scaled for many phones on one machine (every test phone has the address 127.0.0.1, as a room
behind one proxy has; docs/app.md, "Running a room safely")."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from sim_app.room.limits import SCALE_ENV

#: 40 phones on one address claim at once: ten times the per-address limits.
TEST_SCALE = "10"


@contextlib.contextmanager
def room_server_env(rooms: Path, scale: str | None = TEST_SCALE) -> Iterator[None]:
    """Set the rooms folder (and the limits' scale) for servers started inside."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SHAREDSIM_ROOMS_DIR", str(rooms))
        if scale is None:
            mp.delenv(SCALE_ENV, raising=False)
        else:
            mp.setenv(SCALE_ENV, scale)
        yield
