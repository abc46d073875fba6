"""Story mode: the facilitator's pauses, placed on the current run.

A pause names an event (``golive``, ``dip``, ``gain_positive``, ``break_even``; see
``sim_app.session.events``) or a month. On a given run each event has a month (or never happens),
so the pauses become a map month -> pause; play stops at each of those months and the
projector shows the pause's caption and question.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sim_app.text.i18n import tr
from sim_app.text.scenarios import StoryPause


def pause_month(pause: StoryPause, events: Mapping[str, int | None]) -> int | None:
    """The month ``pause`` falls on in a run with these event months (None: never)."""
    if isinstance(pause.at, int):
        return pause.at
    return events.get(pause.at)


def pauses_by_month(pauses: Iterable[StoryPause], events: Mapping[str, int | None],
                    horizon: int) -> dict[int, StoryPause]:
    """Month -> pause for the pauses that fall within the horizon (the first one wins when
    two fall on the same month)."""
    out: dict[int, StoryPause] = {}
    for p in pauses:
        m = pause_month(p, events)
        if m is not None and 1 <= m <= horizon and m not in out:
            out[m] = p
    return out


def where_text(pause: StoryPause, events: Mapping[str, int | None], lang: str) -> str:
    """Where a pause falls, in words: "first go-live (month 13)"."""
    m = pause_month(pause, events)
    what = (tr("story_month", lang, m=pause.at) if isinstance(pause.at, int)
            else tr(f"ev_{pause.at}", lang))
    if isinstance(pause.at, int):
        return what
    return f"{what} ({tr('story_month', lang, m=m)})" if m else f"{what}: {tr('story_never', lang)}"
