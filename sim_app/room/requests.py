"""What the room's routes accept: bounded, well-formed JSON objects with known keys.

Every refusal is a :class:`BadRequest` with an HTTP status and one line naming what is wrong
and what is allowed; the routes answer it as ``{"error": line}``. Nothing is coerced: a name
that is too long is refused, not cut; ``"true"`` is not ``true``.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request

#: The largest request body read (a claim or a decision is well under 200 bytes).
MAX_BODY = 2048
#: A participant's name, after runs of spaces are collapsed.
MAX_NAME = 40
#: A participant's token (the server hands out 16 characters).
MAX_TOKEN = 64
#: A room's code (the server hands out 4 letters).
MAX_CODE = 12
#: A query value (``token``, ``v``, ``key``).
MAX_QUERY = 64


class BadRequest(Exception):
    """A request the routes refuse: HTTP ``status`` and a one-line ``message``."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def check_code(code: str) -> str:
    """A room code of bounded length and letters/digits only."""
    if not 0 < len(code) <= MAX_CODE or not code.isalnum():
        raise BadRequest(f"a room code is 1–{MAX_CODE} letters or digits", 404)
    return code


def query(request: Request, name: str) -> str | None:
    """A query value of bounded length (None when absent)."""
    value = request.query_params.get(name)
    if value is not None and len(value) > MAX_QUERY:
        raise BadRequest(f"'{name}' is longer than {MAX_QUERY} characters; allowed: at most "
                         f"{MAX_QUERY}")
    return value


async def body(request: Request, allowed: Mapping[str, Callable[[Any], Any]],
               required: tuple[str, ...] = ()) -> dict[str, Any]:
    """The request's JSON object, each key checked by its function in ``allowed``.

    Raises:
        BadRequest: a body over :data:`MAX_BODY` bytes (413), not JSON, not an object, an
            unknown or missing key, or a value its check refuses (400).
    """
    same_site(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise BadRequest(f"the request's type is {kind or 'not given'!r}; allowed: "
                         "application/json", 415)
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        raise BadRequest(f"the request is larger than {MAX_BODY} bytes; allowed: at most "
                         f"{MAX_BODY}", 413)
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            raise BadRequest(f"the request is larger than {MAX_BODY} bytes; allowed: at most "
                             f"{MAX_BODY}", 413)
    try:
        data = json.loads(bytes(raw), parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise BadRequest("the request is not JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("the request must be a JSON object")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise BadRequest(f"unknown key {unknown[0]!r}; allowed: {', '.join(allowed)}")
    missing = [k for k in required if k not in data]
    if missing:
        raise BadRequest(f"{missing[0]!r} is missing; it is required")
    return {key: check(data[key]) for key, check in allowed.items() if key in data}


def same_site(request: Request) -> None:
    """Refuse a request another site's page sent on a participant's behalf (403).

    Browsers say where a request comes from: ``Sec-Fetch-Site`` (``same-origin`` for the
    participant page's own requests) and ``Origin`` (which must be this server's address).
    A client that sends neither (a script, ``curl``) is not a browser acting for someone.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise BadRequest(f"a request from another site ({site}) is refused; allowed: the "
                         "room's own page", 403)
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
        raise BadRequest(f"a request from {origin[:60]!r} is refused; allowed: the room's own "
                         "page", 403)


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def whole(key: str, what: str) -> Callable[[Any], int]:
    """A check: a JSON whole number (not true/false, not 1.0, not "1")."""
    def check(value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise BadRequest(f"'{key}' must be {what}")
        return value
    return check


def flag(key: str, null: bool = False) -> Callable[[Any], bool | None]:
    """A check: true or false (or null when ``null``)."""
    def check(value: Any) -> bool | None:
        if value is None and null:
            return None
        if not isinstance(value, bool):
            raise BadRequest(f"'{key}' must be true{', false or null' if null else ' or false'}")
        return value
    return check


def one_of(key: str, choices: tuple[str, ...]) -> Callable[[Any], str]:
    """A check: one of ``choices``."""
    def check(value: Any) -> str:
        if value not in choices or not isinstance(value, str):
            raise BadRequest(f"{key} = {json.dumps(value)[:40]} is not allowed; allowed: "
                             + ", ".join(choices))
        return value
    return check


def token(value: Any) -> str:
    """A check: a participant's token."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_TOKEN:
        raise BadRequest(f"'token' must be the text the server gave you (at most {MAX_TOKEN} "
                         "characters): join the room again")
    return value


def name(value: Any) -> str:
    """A check: a participant's name, 1–:data:`MAX_NAME` printable characters (runs of
    spaces count as one; invisible formatting characters, such as zero-width spaces and
    right-to-left overrides, are taken out: they would make one name look like another or
    turn the projector's list of names around)."""
    if not isinstance(value, str):
        raise BadRequest(f"'name' must be text of 1–{MAX_NAME} characters")
    visible = "".join(c for c in value if unicodedata.category(c) != "Cf")
    text = " ".join(visible.split())
    if not text:
        raise BadRequest(f"a name is needed: write your name (1–{MAX_NAME} characters)")
    if len(text) > MAX_NAME:
        raise BadRequest(f"the name has {len(text)} characters; allowed: 1–{MAX_NAME}")
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise BadRequest("the name has a control character; allowed: letters, digits, "
                         "punctuation and spaces")
    return text
