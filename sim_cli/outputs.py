"""Output files the command line writes: checked before any work starts, never overwritten by
surprise, never left half-written.

:func:`check_file` is called for every output target before the run: it refuses a name with
the wrong suffix, a folder, a device, a missing folder or a path through a file, a place that
cannot be written, and — unless ``--force`` is given — a file or symbolic link that already
exists. :func:`write_file` then writes through a temporary file in the same folder and moves
it into place: an interrupted write leaves the old file (or nothing), a replaced file keeps
its mode, and a symbolic link is written through (the link stays a link).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sim.errors import SimInputError
from sim.oserrors import describe, short_path


class OutputError(SimInputError):
    """An output target that cannot or may not be written."""


@dataclass(frozen=True)
class Target:
    """A checked output file.

    Attributes:
        option: The option that named it (``--out``), for messages.
        path: The path as given.
        real: Where the bytes go (a symbolic link's final target).
        force: Whether an existing file may be replaced.
    """

    option: str
    path: Path
    real: Path
    force: bool


def _existing_parent_problem(folder: Path) -> str:
    """Why ``folder`` (which is not an existing folder) cannot hold the file."""
    for part in (folder, *folder.parents):
        if part.exists():
            if not part.is_dir():
                return f"'{part}' is a file, not a folder"
            break
    return f"folder '{folder}' does not exist"


def _probe(folder: Path, option: str, shown: Path) -> None:
    """Create and remove a file in ``folder``: the only sure test that it can be written."""
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".sim-probe-")
    except OSError as exc:
        raise OutputError(f"{option} '{shown}': cannot write into folder '{folder}' "
                          f"({exc.strerror}); allowed: a folder you can write to") from None
    os.close(fd)
    os.unlink(probe)


def check_file(text: str, suffixes: tuple[str, ...], option: str, force: bool) -> Target:
    """Check one output file before any work starts (see :func:`_check_file`).

    Raises:
        OutputError: naming the option, the path, what is wrong and what is allowed; the
            file system's own answers (a name too long, a loop of links) included.
    """
    try:
        return _check_file(text, suffixes, option, force)
    except OSError as exc:
        raise OutputError(f"{option} {describe(exc)}") from None


def _check_file(text: str, suffixes: tuple[str, ...], option: str, force: bool) -> Target:
    """Check one output file before any work starts.

    Args:
        text: The file name as given.
        suffixes: Allowed endings (``(".csv", ".parquet")``).
        option: The option that named it, for messages.
        force: Whether an existing file (or link) may be replaced.

    Returns:
        The target to pass to :func:`write_file`.

    Raises:
        OutputError: naming the option, the path, what is wrong and what is allowed.
    """
    allowed = " or ".join(suffixes)
    if not text.strip():
        raise OutputError(f"{option}: the file name is empty; allowed: a file name ending in "
                          f"{allowed}")
    path = Path(text)
    if path.suffix.lower() not in suffixes:
        raise OutputError(f"{option} '{path}': the file name must end in {allowed}")
    real = Path(os.path.realpath(path))
    if path.is_symlink() and not force:
        what = "exists" if real.exists() else "does not exist yet"
        raise OutputError(f"{option} '{path}' is a symbolic link to '{real}', which {what}; "
                          "give --force to write through the link, or choose another name")
    if real.exists() or real.is_symlink():
        if real.is_dir():
            raise OutputError(f"{option} '{path}' is a folder; allowed: a file name ending in "
                              f"{allowed}")
        if not stat.S_ISREG(real.stat().st_mode):
            raise OutputError(f"{option} '{path}' is not a regular file (a device, pipe or "
                              f"socket); allowed: a file name ending in {allowed}")
        if not force:
            raise OutputError(f"{option} '{path}' already exists; give --force to replace it, "
                              "or choose another name")
        if not os.access(real, os.W_OK):
            raise OutputError(f"{option} '{path}' is read-only; allowed: a file you can write")
    folder = real.parent
    if not folder.is_dir():
        raise OutputError(f"{option} '{path}': {_existing_parent_problem(folder)}")
    _probe(folder, option, path)
    return Target(option=option, path=path, real=real, force=force)


def check_distinct(*targets: Target | None) -> None:
    """Refuse two output options that name the same file (by final path or by inode).

    ``--out a.csv --plot a.png`` with ``a.png`` a link to ``a.csv`` would write the chart over
    the series; the run stops before any work instead.

    Raises:
        OutputError: naming both options and the file.
    """
    given = [t for t in targets if t is not None]
    for i, a in enumerate(given):
        for b in given[i + 1:]:
            same = a.real == b.real
            if not same and a.real.exists() and b.real.exists():
                same = os.path.samefile(a.real, b.real)
            if same:
                raise OutputError(f"{a.option} '{a.path}' and {b.option} '{b.path}' are the same "
                                  f"file ('{a.real}'); allowed: a different file for each")


def check_folder(text: str, option: str, force: bool) -> Path:
    """Check an output folder before any work starts (see :func:`_check_folder`).

    Raises:
        OutputError: naming the option, the path, what is wrong and what is allowed.
    """
    try:
        return _check_folder(text, option, force)
    except OSError as exc:
        raise OutputError(f"{option} {describe(exc)}") from None


def writable_folder(path: Path, option: str) -> None:
    """Check that ``path`` is, or can be made as, a folder this process can write into.

    Raises:
        OutputError: a part of the path is a file, or the nearest existing folder cannot be
            written (read-only, no permission, a special file system such as /proc).
    """
    try:
        for part in (path, *path.parents):
            if part.exists():
                if not part.is_dir():
                    what = "is a file" if part == path else f"has the file '{part}' in its path"
                    raise OutputError(f"{option} '{short_path(path)}' {what}, not a folder; "
                                      "allowed: a folder name")
                _probe(part, option, path)
                return
    except OSError as exc:
        raise OutputError(f"{option} {describe(exc)}") from None


def _check_folder(text: str, option: str, force: bool) -> Path:
    """Check an output folder (one whose files a command writes) before any work starts.

    An existing folder that already holds files is refused unless ``force`` is given (the
    command would replace them); a missing folder is created by the command.

    Raises:
        OutputError: naming the option, the path, what is wrong and what is allowed.
    """
    if not text.strip():
        raise OutputError(f"{option}: the folder name is empty; allowed: a folder name")
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{option} '{path}' is a file, not a folder; allowed: a folder "
                          "name (new, or one whose files may be replaced with --force)")
    if path.is_dir():
        held = sorted(p.name for p in path.iterdir())
        if held and not force:
            shown = ", ".join(held[:3]) + (", ..." if len(held) > 3 else "")
            raise OutputError(f"{option} '{path}' already exists and holds files ({shown}); "
                              "give --force to replace them, or choose another folder")
        _probe(path, option, path)
    else:
        for part in path.parents:
            if part.exists():
                if not part.is_dir():
                    raise OutputError(f"{option} '{path}': '{part}' is a file, not a folder")
                _probe(part, option, path)
                break
    return path


def _new_file_mode() -> int:
    """The mode a newly created file gets here (0o666 less the umask)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_file(target: Target, write: Callable[[str], object]) -> None:
    """Write ``target`` through a temporary file in its folder, then move it into place.

    Args:
        target: From :func:`check_file`.
        write: Writes the content to the path it is given.

    Raises:
        OutputError: if, without ``force``, a file appeared at the target during the run.
    """
    real = target.real
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=real.suffix)
    os.close(fd)
    try:
        write(tmp)
        if real.exists():
            mode = stat.S_IMODE(real.stat().st_mode)
        else:
            mode = _new_file_mode()
        os.chmod(tmp, mode)
        if target.force:
            os.replace(tmp, real)
        else:
            try:
                os.link(tmp, real)  # fails if the name was taken meanwhile: never overwrite
            except FileExistsError:
                raise OutputError(f"{target.option} '{target.path}' appeared while the run "
                                  "was going on; nothing was written. Give --force to "
                                  "replace it") from None
            except OSError:  # a file system without hard links
                if real.exists():
                    raise OutputError(f"{target.option} '{target.path}' appeared while the "
                                      "run was going on; nothing was written") from None
                os.replace(tmp, real)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
