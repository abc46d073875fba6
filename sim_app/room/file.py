"""A room's file: one JSON object per line, appended as the workshop goes.

Lines, in order::

    {"type": "room", "code", "scenario", "seed", "round_every", "params": {...},
     "institutions": {...} or null, "created"}
    {"type": "claim", "month", "idx", "institution", "name"}
    {"type": "release", "month", "idx", "institution"}   (a seat freed by its phone or the
                                                          facilitator)
    {"type": "round", "round", "month", "decisions": {"idx": {join, shadow, escalate}},
     "sent": {"idx": times sent}}

:func:`replay` rebuilds the room's run from the file alone: the same parameters, seed,
institutions (a team's own, when the room ran on an upload: the header keeps them, as the room's
record) and decisions at the same months give the same path, bit for bit. Files go to ``SHAREDSIM_ROOMS_DIR``
(default ``rooms/`` in the working directory) and are never overwritten.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.institutions import InstitutionTable
from sim.params import make_params
from sim.runner import Stepper

if TYPE_CHECKING:
    from sim_app.room.room import Room


def rooms_dir() -> Path:
    """Where room files go (created on first use)."""
    path = Path(os.environ.get("SHAREDSIM_ROOMS_DIR", "rooms"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_path(code: str) -> Path:
    """A file name for a new room that no file has yet."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = rooms_dir() / f"room-{stamp}-{code}"
    path, k = base.with_suffix(".jsonl"), 1
    while path.exists():
        path, k = Path(f"{base}-{k}.jsonl"), k + 1
    return path


def write_header(path: Path, room: Room) -> None:
    record = {"type": "room", "code": room.code, "scenario": room.scenario, "seed": room.seed,
              "round_every": room.round_every, "params": room.params.model_dump(),
              "institutions": (None if room.institutions is None
                               else room.institutions.as_record()),
              "created": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(room.created))}
    with open(path, "x", encoding="utf-8") as f:  # never overwrite a workshop's file
        f.write(json.dumps(record) + "\n")


def append(path: Path, record: dict[str, Any]) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")


def read(path: Path) -> list[dict[str, Any]]:
    """The file's records (a bad line raises ValueError naming the file and line)."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} (line {n}): not a JSON record: {exc.msg}") from None
    if not out or out[0].get("type") != "room":
        raise ValueError(f"{path}: the first line must be the room's header")
    return out


def replay(path: Path) -> dict[str, np.ndarray]:
    """The room's series, rebuilt from its file: the run its decisions made."""
    records = read(path)
    head = records[0]
    own = head.get("institutions")
    table = None if own is None else InstitutionTable.from_record(own)
    run = Stepper.start(make_params(head["params"]), int(head["seed"]), institutions=table)
    model = run.model
    for rec in records[1:]:
        run.until(rec["month"])
        if rec["type"] == "claim":
            model.mgr.play(int(rec["idx"]))
        elif rec["type"] == "release":
            model.mgr.release(int(rec["idx"]))
        elif rec["type"] == "round":
            for idx, d in sorted(rec["decisions"].items(), key=lambda kv: int(kv[0])):
                model.mgr.decide(int(idx), join=d["join"], shadow=d["shadow"],
                                 escalate=d["escalate"])
    return run.finish().model.recorder.arrays()
