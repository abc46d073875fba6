"""The page's address carries the run: scenario, changed parameters, seed (and view, language).

``?scenario=workshop&seed=3&dialogue_effort=0.6&lang=da&view=projector`` opens the workshop
scenario with one parameter changed, seed 3, in Danish on the projector view; the page keeps
its address up to date as settings change (``history.replaceState``: no reload, no new history
entry), so a reload or a shared link opens the same run. Only shipped scenarios can be named
(a loaded file's values travel as changed parameters). A bad entry is ignored with one line
saying which and what is allowed; the rest still applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sim.errors import SimInputError, unknown_name_message
from sim.params import ParamSpec, spec_map
from sim.scenarios import shipped_names

VIEWS = ("explore", "projector", "room", "fork")
LANGS = ("en", "da")
RESERVED = ("scenario", "seed", "lang", "view", "room", "handoff", "key", "run")


@dataclass
class UrlSettings:
    """What an address asks for; ``errors`` lists entries that were ignored."""

    scenario: str | None = None
    seed: int | None = None
    lang: str | None = None
    view: str | None = None
    room: str | None = None
    handoff: str | None = None  # a one-time facilitator link's secret
    run: str | None = None  # a stored sweep run's id (``sim app --sweep``)
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _parse_value(spec: ParamSpec, text: str) -> Any:
    if spec.kind == "bool":
        if text.lower() in ("true", "1", "yes"):
            return True
        if text.lower() in ("false", "0", "no"):
            return False
        raise ValueError("true or false")
    if spec.kind == "choice":
        if text not in (spec.choices or ()):
            raise ValueError(", ".join(spec.choices or ()))
        return text
    if spec.kind == "int":
        return int(text)
    return float(text)


def parse_query(query: str | None) -> UrlSettings:
    """Read an address's query string (without the ``?``)."""
    out = UrlSettings()
    specs = spec_map()
    for key, text in parse_qsl(query or "", keep_blank_values=True):
        if key == "scenario":
            if text in shipped_names():
                out.scenario = text
            else:
                out.errors.append(unknown_name_message("scenario", text, shipped_names()))
        elif key == "seed":
            if text.isdigit():
                out.seed = int(text)
            else:
                out.errors.append(f"seed={text!r}: a whole number ≥ 0")
        elif key == "lang":
            if text in LANGS:
                out.lang = text
            else:
                out.errors.append(f"lang={text!r}: one of {', '.join(LANGS)}")
        elif key == "view":
            if text in VIEWS:
                out.view = text
            else:
                out.errors.append(f"view={text!r}: one of {', '.join(VIEWS)}")
        elif key in ("room", "handoff", "run"):
            setattr(out, key, text)
        elif key == "key":
            out.errors.append("key=…: a room is no longer taken over by a key in the address; "
                              "the facilitator's browser runs it (ask for a facilitator link)")
        elif key in specs:
            try:
                out.values[key] = _parse_value(specs[key], text)
            except ValueError as exc:
                hint = str(exc) if specs[key].kind in ("bool", "choice") else specs[key].kind
                out.errors.append(f"{key}={text!r}: allowed {hint}")
        else:
            guess = unknown_name_message("parameter", key, specs)
            short = guess.split(" Allowed:")[0]
            out.errors.append(short)
    return out


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def build_query(scenario: str | None, changed: Mapping[str, Any], seed: int,
                lang: str = "en", view: str = "explore", room: str | None = None) -> str:
    """The query string for these settings (parameters in definition order); ``room``: the
    facilitator's room code (a reload re-attaches the room: the browser runs it, by its
    session cookie; no key is ever in the address, which is on the projector)."""
    items: list[tuple[str, str]] = []
    if room is not None:
        items.append(("room", room))
    if scenario:
        items.append(("scenario", scenario))
    items.append(("seed", str(seed)))
    if lang != "en":
        items.append(("lang", lang))
    if view != "explore":
        items.append(("view", view))
    order = list(spec_map())
    for key in sorted(changed, key=order.index):
        items.append((key, _text(changed[key])))
    return urlencode(items)


def check_values(values: Mapping[str, Any]) -> str | None:
    """None if the values make valid parameters, else the model's one-line message."""
    from sim.params import make_params

    try:
        make_params(dict(values))
    except SimInputError as exc:
        return str(exc)
    return None
