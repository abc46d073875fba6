"""Export and import of a session's settings: the CSV of the months shown, the scenario file.

A mixin of ``sim_app.session.state.Session`` (kept apart to keep each file short).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from sim.errors import SimInputError
from sim.params import defaults
from sim.recorder import to_frame
from sim.scenarios import Scenario, load_scenario, save_scenario
from sim_app.text import scenarios as scenario_texts


def _names_institutions(data: bytes) -> bool:
    """Whether a scenario file's text has a top-level ``institutions`` key."""
    import tomllib

    try:
        return "institutions" in tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False  # the loader says what is wrong with it


def shorten_error(message: str, keep: int = 8) -> str:
    """A loader message with a long "Allowed: a, b, …" list cut to its first names (the
    parameter list has about 80): the suggestion and the line number are what helps."""
    head, sep, tail = message.partition(" Allowed: ")
    if not sep:
        return message
    names = [n.strip() for n in tail.rstrip(".").split(",")]
    if len(names) <= keep:
        return message
    from sim_app.text.i18n import tr

    return f"{head} ({tr('too_many_names', 'en', n=len(names))})"


class SessionIO:
    """CSV, scenario-file export and import (needs the Session's run, values, seed, extras)."""
    def csv_bytes(self) -> bytes:
        """The time series of the months shown, as CSV (one row per month)."""
        df = to_frame({k: v[: self.month] for k, v in self.run.arrays.items()})
        buf = io.StringIO()
        df.to_csv(buf, index=False)
        return buf.getvalue().encode("utf-8")

    def current_scenario(self) -> Scenario:
        """The current settings and seed as a scenario (only values that differ from the
        defaults, plus the seed, so the file reproduces the run exactly)."""
        base = defaults()
        changed = {k: v for k, v in self.values.items() if v != base[k]}
        desc = self.scenario.description
        return Scenario(name="my_scenario", title=f"{self.scenario.title} (edited)"
                        if self.changed_from_scenario() else self.scenario.title,
                        description=desc, sources=tuple(self.scenario.sources),
                        overrides=changed, seed=self.seed)

    def scenario_bytes(self) -> bytes:
        """The current settings and seed as a scenario file (TOML) that loads back
        identically: same parameters, same seed, same run; with the Danish texts and the
        story pauses."""
        with tempfile.TemporaryDirectory() as tmp:
            path = save_scenario(Path(tmp) / "scenario.toml", self.current_scenario())
            body = path.read_text(encoding="utf-8")
        top, story = scenario_texts.extras_toml(self.extras)
        # top-level keys must come before the first table ([parameters])
        head, sep, params = body.partition("[parameters]")
        text = head + top + (("\n" if top else "") + sep + params if sep else "")
        return (text.rstrip("\n") + "\n" + ("\n" + story if story else "")).encode("utf-8")

    def load_scenario_bytes(self, filename: str, data: bytes) -> str | None:
        """Load a scenario file's content; returns an error message, or None on success."""
        if _names_institutions(data):
            # the file it names is not on the server (and no path of the server is read)
            return ("the scenario names an institutions file ('institutions = …'); the app "
                    "does not take one yet; allowed: a scenario file without 'institutions' "
                    "(run it with `sim run --scenario FILE`)")
        stem = Path(filename or "uploaded").stem or "uploaded"
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{safe}.toml"
            path.write_bytes(data)
            try:
                sc = load_scenario(path)
                extras = scenario_texts.extras_from_bytes(data, filename or "file")
            except (SimInputError, UnicodeDecodeError, OSError) as exc:
                return shorten_error(str(exc).replace(str(path), filename or "file"))
        self.choose_scenario(sc, extras)
        return None

