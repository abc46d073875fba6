"""What every session of the server computes identically from the same run, computed once.

Runs and bands are already shared by every session of the server (``runs.simulate``,
``uncertainty.cached_band``: the same parameters and seed give the same objects), so
whatever is made from them alone — the KPI figures of every month, the cards' texts, the
charts' options and their JSON — is the same for every visitor who sees them. A room that
opens the default scenario therefore builds these once, not once per phone (issue 17: the
server's CPU per visitor).

Entries are keyed by the identity of the objects they are made from (kept alive with the
entry, so an identity is never reused while its entry exists) and by plain values (language,
type size, ...); the last :data:`SHARED_SIZE` entries of each kind are kept. Values are
shared between sessions and must be treated as read-only, as the runs are.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: Entries kept per kind (a run's chart options are a few MB; 16 cover a room's scenarios).
SHARED_SIZE = 16


class SharedCache:
    """A bounded, thread-safe cache keyed by the identity of objects and by plain values."""

    def __init__(self, size: int = SHARED_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, tuple[tuple, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, objects: tuple[Any, ...], values: Hashable, make: Callable[[], T]) -> T:
        """The value made by ``make()`` from ``objects`` (by identity) and ``values``;
        computed at most once while it is kept (two sessions asking at the same moment may
        both compute it; the results are equal)."""
        key = (tuple(id(o) for o in objects), values)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and all(a is b for a, b in zip(entry[0], objects, strict=True)):
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[1]
        value = make()
        with self._lock:
            self.misses += 1
            self._entries[key] = (objects, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every entry (benchmarks time the work itself)."""
        with self._lock:
            self._entries.clear()


#: Every month's KPI figures of a run (``SessionViews.kpi_timeline``).
TIMELINES = SharedCache()
#: The month label and cards' texts of every month of a run, per language and type size
#: (``sim_app.views.kpi_cards``).
CARD_TEXTS = SharedCache()
#: Chart options of what is shown (run, baseline, band), per language, type size and charts
#: (``sim_app.views.panels.chart_options``).
OPTIONS = SharedCache()


def clear_all() -> None:
    """Forget every shared result (benchmarks and tests time or check the work itself)."""
    for cache in (TIMELINES, CARD_TEXTS, OPTIONS):
        cache.clear()
