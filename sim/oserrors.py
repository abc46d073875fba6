"""Operating-system errors in one line: what went wrong with which file, and what is allowed.

The file system and the terminal answer with errors of their own: a name too long, no space
left, a read-only place, a loop of symbolic links, a closed pipe. :func:`describe` turns any
``OSError`` into one line that names the file (shortened when very long), says what is wrong
in plain words and what is allowed; the command line prints it with exit status 2
(``sim_cli.main``), or exits 0 quietly when the reader of its output closed the pipe after
taking what it wanted (as ``sim params | head``), as Unix tools do.
"""

from __future__ import annotations

import errno
import os
import sys

#: errno -> (what is wrong, what is allowed)
_WORDS: dict[int, tuple[str, str]] = {
    errno.ENAMETOOLONG: ("the name is too long for the file system",
                         "names of at most 255 bytes per folder or file"),
    errno.ENOSPC: ("no space is left on the device", "a place with free space"),
    errno.EDQUOT: ("the disk quota is used up", "a place with free space"),
    errno.EROFS: ("it is on a read-only file system", "a place you can write to"),
    errno.EACCES: ("permission denied", "a place you may read and write"),
    errno.EPERM: ("the operation is not permitted", "a place you may read and write"),
    errno.ELOOP: ("it is a loop of symbolic links", "a link that ends at a file or folder"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "a path through folders"),
    errno.EISDIR: ("it is a folder", "a file"),
    errno.ENOENT: ("it does not exist or cannot be created there",
                   "an existing folder you can write to"),
    errno.EEXIST: ("it exists already", "a new name"),
    errno.EXDEV: ("it is on another device", "a place on the same file system"),
    errno.EMFILE: ("too many files are open", "fewer workers or files"),
    errno.EIO: ("the device reported an input/output error", "a working device"),
    errno.EPIPE: ("the reader of the output went away", "a reader that takes all output"),
}


def short_path(name: object, limit: int = 80) -> str:
    """A file name as a message shows it: cut in the middle when longer than ``limit``."""
    text = os.fsdecode(name) if isinstance(name, bytes | str | os.PathLike) else str(name)
    if len(text) <= limit:
        return text
    keep = (limit - 1) // 2
    return f"{text[:keep]}…{text[-keep:]} ({len(text)} characters)"


def describe(exc: OSError, what: str = "") -> str:
    """One line for an operating-system error: the file, what is wrong, what is allowed.

    Args:
        exc: The error.
        what: What the program was doing or which file it was (used when the error names
            no file), e.g. ``"the standard output"``.
    """
    words = _WORDS.get(exc.errno or -1)
    wrong, allowed = words if words else (
        (exc.strerror or str(exc) or type(exc).__name__).strip().rstrip(".").lower(),
        "a place you can read and write")
    if getattr(exc, "filename", None) is not None:
        target = f"'{short_path(exc.filename)}'"
        if getattr(exc, "filename2", None) is not None:
            target += f" → '{short_path(exc.filename2)}'"
    else:
        target = what or "a file or the output"
    return f"{target}: {wrong}; allowed: {allowed}"


def quiet_stdout() -> None:
    """Point the standard output at the null device, so that the interpreter's final flush
    of a closed or full output does not raise again at exit."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by a buffer (tests), or closed
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)
