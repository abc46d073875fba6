"""A scenario's Danish texts and story pauses, read from the scenario file's extra keys.

The scenario loader (``sim.scenarios``) accepts these top-level keys and leaves them to the
app::

    title_da = "En generisk, mellemstor reform"
    description_da = "…"
    sources_da = ["000, boks 1.2 …"]

    [[story]]            # a pause in story mode; play stops here
    at = "golive"        # an event (golive, dip, gain_positive, break_even) or a month number
    caption = "The first wave goes live"
    question = "What will the managers of the next wave do?"
    caption_da = "…"     # optional, shown in Danish
    question_da = "…"

A bad entry gives one line naming the file, the pause and what is allowed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

import tomli_w

from sim.errors import ScenarioError, unknown_name_message
from sim.scenarios import Scenario
from sim_app.session.events import EVENTS

STORY_KEYS = ("at", "caption", "question", "caption_da", "question_da")
#: The latest month a pause may name (the longest horizon the parameters allow).
MAX_MONTH = 600


@dataclass(frozen=True)
class StoryPause:
    """One pause: where (an event or a month), and what the facilitator asks the room."""

    at: str | int
    caption: str
    question: str = ""
    caption_da: str = ""
    question_da: str = ""

    def text(self, lang: str) -> tuple[str, str]:
        """(caption, question) in ``lang`` (English where no Danish text is given)."""
        if lang == "da":
            return self.caption_da or self.caption, self.question_da or self.question
        return self.caption, self.question

    def to_dict(self) -> dict[str, Any]:
        d = {"at": self.at, "caption": self.caption, "question": self.question,
             "caption_da": self.caption_da, "question_da": self.question_da}
        return {k: v for k, v in d.items() if v != "" or k in ("at", "caption")}


@dataclass(frozen=True)
class ScenarioExtras:
    """What a scenario file holds beyond the model's parameters."""

    title_da: str = ""
    description_da: str = ""
    sources_da: tuple[str, ...] = ()
    story: tuple[StoryPause, ...] = field(default_factory=tuple)

    def with_story(self, story: tuple[StoryPause, ...]) -> ScenarioExtras:
        return replace(self, story=tuple(story))


def parse_pause(entry: Any, i: int, where: str) -> StoryPause:
    """One ``[[story]]`` entry, checked (``i`` counts from 1 in messages)."""
    head = f"{where}: story pause {i}"
    if not isinstance(entry, dict):
        raise ScenarioError(f"{head} must be a table ([[story]] with at = …, caption = …)")
    for key in entry:
        if key not in STORY_KEYS:
            raise ScenarioError(f"{head}: " + unknown_name_message("key", key, STORY_KEYS))
    at = entry.get("at")
    if isinstance(at, bool) or not (
            (isinstance(at, int) and 1 <= at <= MAX_MONTH) or at in EVENTS):
        raise ScenarioError(f"{head}: 'at' = {at!r} is not allowed; allowed: a month 1–"
                            f"{MAX_MONTH} or one of {', '.join(EVENTS)}")
    caption = entry.get("caption")
    if not isinstance(caption, str) or not caption.strip():
        raise ScenarioError(f"{head}: 'caption' is required and must be text")
    texts = {}
    for key in ("question", "caption_da", "question_da"):
        value = entry.get(key, "")
        if not isinstance(value, str):
            raise ScenarioError(f"{head}: '{key}' must be text")
        texts[key] = value.strip()
    return StoryPause(at=at, caption=caption.strip(), **texts)


def extras_from_mapping(data: dict[str, Any], where: str) -> ScenarioExtras:
    """The extras of a parsed scenario file (``where`` names it in messages)."""
    out: dict[str, Any] = {}
    for key in ("title_da", "description_da"):
        value = data.get(key, "")
        if not isinstance(value, str):
            raise ScenarioError(f"{where}: '{key}' must be text")
        out[key] = value.strip()
    sources = data.get("sources_da", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ScenarioError(f"{where}: 'sources_da' must be a list of text")
    story = data.get("story", [])
    if not isinstance(story, list):
        raise ScenarioError(f"{where}: 'story' must be a list of pauses ([[story]] tables)")
    return ScenarioExtras(sources_da=tuple(sources),
                          story=tuple(parse_pause(e, i + 1, where) for i, e in enumerate(story)),
                          **out)


def extras_from_bytes(data: bytes, where: str) -> ScenarioExtras:
    """The extras of a scenario file's content (already accepted by ``load_scenario``)."""
    return extras_from_mapping(tomllib.loads(data.decode("utf-8")), where)


@cache
def shipped_extras(name: str) -> ScenarioExtras:
    """The extras of a shipped scenario (read once per process)."""
    path = resources.files("sim.scenarios").joinpath(f"{name}.toml")
    try:
        data = path.read_bytes()
    except OSError:
        return ScenarioExtras()
    return extras_from_bytes(data, f"{name}.toml")


def title(sc: Scenario, extras: ScenarioExtras, lang: str) -> str:
    return extras.title_da if lang == "da" and extras.title_da else sc.title


def description(sc: Scenario, extras: ScenarioExtras, lang: str) -> str:
    return extras.description_da if lang == "da" and extras.description_da else sc.description


def sources(sc: Scenario, extras: ScenarioExtras, lang: str) -> tuple[str, ...]:
    return extras.sources_da if lang == "da" and extras.sources_da else tuple(sc.sources)


def extras_toml(extras: ScenarioExtras) -> tuple[str, str]:
    """The extras as TOML: (top-level keys, to go before ``[parameters]``; story tables, to
    go after it)."""
    top = {k: v for k, v in (("title_da", extras.title_da),
                             ("description_da", extras.description_da),
                             ("sources_da", list(extras.sources_da))) if v}
    story = ({"story": [p.to_dict() for p in extras.story]} if extras.story else {})
    return tomli_w.dumps(top), tomli_w.dumps(story)
