"""An output folder's life: atomic creation, one coordinator at a time, whose sweep it is.

* **Created log first.** ``log.jsonl`` appears atomically (written under a hidden name, synced,
  renamed) before any other file, with a ``created`` event naming the sweep, its file's hash
  and its design's hash. A kill at any moment leaves either no sweep (an empty folder, or only
  hidden temporaries: accepted as a new folder) or a log (accepted by ``--resume``).
* **One coordinator.** A running sweep holds an exclusive POSIX lock (``lockf``) on ``.lock``;
  a second coordinator on the same folder stops with a message (the lock dies with its
  process, and its forked workers never hold it).
* **Whose sweep.** ``--resume`` continues only the same design: the same design hash, which
  covers the sweep file's meaning (comments and layout aside) and every input it reads (the
  points file's bytes, a design ``posterior``'s file, the base scenarios' parameters). A
  changed design of the same sweep (same ``name``) needs ``--extend``; another sweep is
  refused (when only an input changed, the message names it). A folder whose ``log.jsonl``
  is not this program's is refused and left as it is.
* **A failed start leaves nothing.** The folder is checked before the workers start and
  created only after they have; a sweep that stops before any run is stored removes what it
  created (:func:`undo_start`), so the corrected command can run at once.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sim import provenance
from sim.oserrors import describe
from sim_cli.outputs import OutputError, writable_folder
from sim_sweep import damage, store
from sim_sweep.errors import SweepError

LOCK = ".lock"
#: Sub-folders of an output folder (made after the log exists).
SUBFOLDERS = (store.RUNS, store.SERIES, store.SPECS, store.DESIGNS, store.STAGING)


@dataclass(frozen=True)
class Identity:
    """What a sweep file is: its name, the hash of its bytes and of its design."""

    name: str
    file_sha256: str
    spec_hash: str
    spec_file: str
    #: Full SHA-256 of every input (``Sweep.input_hashes``), for the provenance of a start.
    hashes: tuple[tuple[str, str], ...] = ()
    model_version: str = ""

    def event(self, kind: str) -> dict[str, Any]:
        """A log event of this sweep; a ``start`` carries the provenance of the command."""
        ev = {"event": kind, "time": store.now(), "name": self.name,
              "file_sha256": self.file_sha256, "spec_hash": self.spec_hash,
              "spec_file": self.spec_file}
        if kind == "start":
            ev["provenance"] = provenance.collect(self.model_version, dict(self.hashes))
        return ev


def _only_scaffolding(out: Path) -> bool:
    """True when ``out`` holds nothing but hidden files and empty standard sub-folders
    (what a kill before the log existed can leave behind)."""
    for p in out.iterdir():
        if p.name.startswith("."):
            continue
        if p.is_dir() and p.name in SUBFOLDERS and not any(p.iterdir()):
            continue
        return False
    return True


def recorded_identity(out: Path) -> dict[str, Any] | None:
    """The folder's latest ``created``/``start`` event (whose sweep it is now)."""
    last = None
    for ev in store.read_log(out):
        if ev.get("event") in ("created", "start"):
            last = ev
    return last


def check_same_sweep(out: Path, ident: Identity, extend: bool) -> None:
    """Refuse to resume ``out`` with a different sweep file.

    Raises:
        SweepError: a different sweep (another name), or a changed file without ``extend``.
    """
    store.check_log(out)
    rec = recorded_identity(out)
    if rec is None:  # pragma: no cover - check_log found a 'created' event
        return
    # The design hash covers the sweep file's meaning and every input it reads (the points
    # file's bytes, the posterior file, the base scenarios' parameters): resume only when all
    # are the same.
    if rec.get("spec_hash") == ident.spec_hash:
        return
    was = f"sweep '{rec.get('name')}' (file {rec.get('spec_file')}, hash " \
          f"{str(rec.get('file_sha256', '?'))[:12]})"
    now = f"{ident.spec_file} (sweep '{ident.name}', hash {ident.file_sha256[:12]})"
    if rec.get("name") != ident.name:
        raise SweepError(f"output folder {out} holds {was}; {now} is a different sweep. "
                         "Choose another output folder. Nothing was changed.")
    if not extend:
        what = (f"its sweep file is the same but an input it reads changed ({_changed(rec, ident)})"
                if rec.get("file_sha256") == ident.file_sha256
                else f"{now} is a changed version of it")
        raise SweepError(f"output folder {out} holds {was}; {what}. --resume continues only "
                         "the same design. To add the runs of the changed design to the "
                         "folder use --extend; otherwise choose another output folder. "
                         "Nothing was changed.")


def _changed(rec: dict[str, Any], ident: Identity) -> str:
    """The inputs whose hash differs from the folder's last start (else the ones it may be)."""
    before = (rec.get("provenance") or {}).get("hashes") or {}
    now = dict(ident.hashes)
    changed = [f"{what}: SHA-256 {str(before[what])[:12]} then, {h[:12]} now"
               for what, h in now.items()
               if what in before and before[what] != h and not what.startswith("design")]
    kinds = "the points file, the posterior or a base scenario"
    return f"{kinds}; here {'; '.join(changed)}" if changed else kinds


def check_target(out: Path, ident: Identity, resume: bool, extend: bool,
                 repair: bool = False) -> None:
    """Check that ``out`` can take this sweep, without changing anything.

    Raises:
        SweepError: see :func:`_check_target`; the file system's own answers (a name too
            long, a loop of links) in one line too (:mod:`sim.oserrors`).
    """
    try:
        _check_target(out, ident, resume, extend, repair)
    except OSError as exc:
        raise SweepError(f"output folder {describe(exc)}. Nothing was changed.") from None


def _check_target(out: Path, ident: Identity, resume: bool, extend: bool,
                  repair: bool) -> None:
    """Check that ``out`` can take this sweep, without changing anything.

    Raises:
        SweepError: the folder holds a sweep and neither ``resume`` nor ``extend`` was given;
            it holds another sweep, or a log that is not this program's; it holds files that
            are not a sweep's; it is a file; it holds damaged files and ``repair`` is False
            (:mod:`sim_sweep.damage`).
    """
    if out.exists() and not out.is_dir():
        raise SweepError(f"output {out} exists and is not a folder; choose another 'output'.")
    try:
        writable_folder(out, "output folder")  # a file in its path, read-only, /proc, ...
    except OutputError as exc:
        raise SweepError(f"{exc}. Nothing was changed.") from None
    if store.is_sweep_folder(out):
        store.check_log(out)
        if not (resume or extend):
            raise SweepError(
                f"output folder {out} already holds a sweep. Use --resume to continue it "
                "(only runs not yet stored are computed), --extend to add a changed version "
                "of the same sweep file, or choose another output folder. Nothing was changed.")
        check_same_sweep(out, ident, extend)
        if not repair:
            damage.check_folder(out, f"sim sweep {ident.spec_file}")
    elif out.exists() and not _only_scaffolding(out):
        raise SweepError(f"output folder {out} is not empty and holds no sweep log "
                         f"({store.LOG}); choose an empty or new folder. Nothing was changed.")


@dataclass
class Opened:
    """A folder opened for a sweep: the held lock (close it to release) and what was made."""

    out: Path
    lock: IO[str]
    created: list[Path]  # what this start made (the folder or its log and sub-folders)

    def close(self) -> None:
        self.lock.close()


def open_folder(out: Path, ident: Identity, resume: bool, extend: bool,
                repair: bool = False) -> Opened:
    """Create or reopen ``out`` for a sweep; return the held lock and what was created.

    Raises:
        SweepError: as :func:`check_target`, or another coordinator is running in it.
    """
    check_target(out, ident, resume, extend, repair)
    missing = [p for p in (out, *out.parents) if not p.exists()]
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = _lock(out)
    except OSError as exc:
        if missing:
            _remove(missing[-1])
        raise SweepError(f"output folder {describe(exc)}. Nothing was changed.") from None
    except BaseException:
        if missing:
            _remove(missing[-1])
        raise
    created: list[Path] = [missing[-1]] if missing else []
    try:
        if not store.is_sweep_folder(out):
            if not created:
                created = [out / store.LOG, out / LOCK] + [
                    out / sub for sub in SUBFOLDERS if not (out / sub).exists()]
            _create_log(out, ident.event("created"))
        for sub in SUBFOLDERS:
            (out / sub).mkdir(exist_ok=True)
    except BaseException as exc:
        undo_start(Opened(out, lock, created))
        lock.close()
        if isinstance(exc, OSError):  # e.g. no space left for the log's first line
            raise SweepError(f"output folder {describe(exc)}. Nothing was changed.") from None
        raise
    return Opened(out, lock, created)


def undo_start(opened: Opened) -> bool:
    """Remove what a sweep's start created, if no run was stored; return whether it did.

    Called when a sweep stops (an error, Ctrl-C) before its first run was stored, so that
    the same command, corrected, can start again without ``--resume``.
    """
    if not opened.created:
        return False
    out = opened.out
    if any((out / store.RUNS).glob("part-*")) or any((out / store.STAGING).glob("part-*")):
        return False
    if any(ev.get("event") == "failed" for ev in store.read_log(out)):
        return False
    for path in opened.created:
        _remove(path)
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _lock(out: Path) -> IO[str]:
    path = out / LOCK
    if path.is_symlink() or (path.exists() and not path.is_file()):
        # Not ours (a link would have the pid written through it, a pipe cannot be locked).
        raise SweepError(f"{path} is not a regular file, so it was not made by this program; "
                         "remove it or choose another output folder. Nothing was changed.")
    fh = open(path, "a+", encoding="utf-8")  # held until the sweep ends
    try:
        # A POSIX record lock: held by this process only (forked workers do not inherit it,
        # unlike flock's), released by the kernel when the process ends however it ends.
        fcntl.lockf(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.seek(0)
        who = fh.read().strip() or "another process"
        fh.close()
        raise SweepError(f"output folder {out} is in use by another running sweep ({who}); "
                         "wait for it to end or stop it first. Nothing was changed.") from None
    fh.seek(0)
    fh.truncate()
    fh.write(f"pid {os.getpid()}\n")
    fh.flush()
    return fh


def _create_log(out: Path, event: dict[str, Any]) -> None:
    """Write the log's first line under a hidden name, sync it, then rename it into place."""
    tmp = out / f".{store.LOG}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(event, separators=(",", ":")) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, out / store.LOG)
    _sync_dir(out)


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
