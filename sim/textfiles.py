"""Read a file a user named — a scenario, sweep or points file — as UTF-8 text, or say why not.

Every failure is an :class:`~sim.errors.InputFileError` with one line naming the file, what is
wrong with it and what is allowed: a folder, a device or pipe, a missing or unreadable file, a
file too large, binary data, UTF-16 or another encoding than UTF-8. A UTF-8 byte-order mark
(as some Windows editors write) is accepted and dropped. :func:`parse_toml` turns TOML parse
failures, including nesting too deep for the parser, into the same kind of message.
"""

from __future__ import annotations

import codecs
import stat
import tomllib
from pathlib import Path
from typing import Any

from sim.errors import InputFileError

#: Largest text file read (scenario and sweep files are a few kB).
MAX_BYTES = 10 * 2**20


def check_readable(path: Path, what: str) -> None:
    """Raise unless ``path`` is an existing regular file (without opening it).

    Args:
        path: The file.
        what: What the file is, for the message (``scenario file``, ``sweep file``).
    """
    if str(path) == "":
        raise InputFileError(f"the {what} name", "is empty; allowed: the path of a file")
    where = f"{what} '{path}'"
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputFileError(where, "does not exist") from None
    except NotADirectoryError:
        raise InputFileError(where, "does not exist (a part of its path is a file, not a "
                             "folder)") from None
    except OSError as exc:
        raise InputFileError(where, f"cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputFileError(where, "is a folder; allowed: the path of a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputFileError(where, "is not a regular file (it is a device, pipe or socket); "
                             "allowed: the path of a text file")
    if st.st_size > MAX_BYTES:
        raise InputFileError(where, f"is {st.st_size / 2**20:.0f} MB; allowed: at most "
                             f"{MAX_BYTES // 2**20} MB of text")


def decode(raw: bytes, where: str) -> str:
    """UTF-8 text of ``raw`` (a UTF-8 byte-order mark is dropped), else a clear error.

    Args:
        raw: The file's bytes.
        where: How to name the file in messages.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
            len(raw) >= 2 and (raw[0] == 0) != (raw[1] == 0)):
        raise InputFileError(where, "is UTF-16 text; allowed: UTF-8 (save it as UTF-8)")
    if b"\x00" in raw:
        raise InputFileError(where, "is not a text file (it holds binary data); allowed: UTF-8 "
                             "text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputFileError(where, f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} on line "
                             f"{line}); allowed: UTF-8 (save it as UTF-8)") from None


def read_text(path: str | Path, what: str) -> str:
    """Read a user's file as UTF-8 text.

    Args:
        path: The file.
        what: What the file is, for messages (``scenario file``).

    Raises:
        InputFileError: naming the file, what is wrong and what is allowed.
    """
    path = Path(path)
    check_readable(path, what)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{what} '{path}'", f"cannot be read ({exc.strerror})") from None
    return decode(raw, f"{what} '{path}'")


def parse_toml(text: str, where: str) -> dict[str, Any]:
    """Parse TOML text; malformed or too deeply nested text gives one clear line.

    Args:
        text: The file's text.
        where: How to name the file in messages.

    Raises:
        InputFileError: for text that is not valid TOML.
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(where, f"is not valid TOML: {exc}") from None
    except RecursionError:
        raise InputFileError(where, "has arrays or tables nested too deeply for the TOML reader; "
                             "allowed: a few levels of nesting") from None
