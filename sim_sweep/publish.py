"""Write a folder of derived files whole or not at all (``sim analyze``'s output).

:func:`publishing` hands out a hidden working folder beside the target. When the block ends
normally its files are moved into the target: a new (or empty) target is the working folder
renamed in one step; into a target that holds files (an earlier analysis, replaced with
``--force``) each file is moved with Ctrl-C held back until the last one is in place, and
files of other names are left as they are. When the block raises (Ctrl-C included) the
working folder is removed, and so are any parent folders it had to create: the target is as
it was.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def publishing(target: Path) -> Iterator[Path]:
    """Yield a working folder whose files end up in ``target`` when the block succeeds."""
    missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    work = target.parent / f".{target.name}.{uuid.uuid4().hex[:12]}.tmp"
    try:
        work.mkdir()
        yield work
        _move_in(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        for p in missing:  # innermost first
            try:
                p.rmdir()
            except OSError:
                break
        raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def _move_in(work: Path, target: Path) -> None:
    os.chmod(work, 0o777 & ~_umask())  # a working folder is private; the result is not
    if not target.exists() or (target.is_dir() and not any(target.iterdir())):
        os.replace(work, target)  # one step (an empty folder is replaced)
        return
    with _ctrl_c_held():
        for f in sorted(work.iterdir()):
            os.replace(f, target / f.name)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl-C back during a few renames; raise it afterwards if it came."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got: list[Any] = []
    old = signal.signal(signal.SIGINT, lambda *a: got.append(a))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
    if got:
        raise KeyboardInterrupt
