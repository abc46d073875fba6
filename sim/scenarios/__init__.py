"""Named scenarios: TOML files with a title, a description, sources and parameter values.

A scenario file holds only the parameters that differ from the defaults::

    title = "A generic mid-sized reform"
    description = "Two lines on what it shows."
    sources = ["000, box 1.2"]
    seed = 7            # optional: the seed a saved setting was run with
    posterior = "default"  # optional: the calibration its predictive answers draw from
    institutions = "my_institutions.csv"  # optional: a team's own institutions (.csv, .xlsx),
                                          # relative to this file (sim.institutions)

    [parameters]
    dialogue_effort = 0.5

Shipped scenarios live next to this module; any other path can be loaded too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w

from sim.arguments import check_seed as _check_seed
from sim.errors import (
    InputFileError,
    ParameterError,
    ScenarioError,
    shown,
    unknown_name_message,
)
from sim.institutions import InstitutionFileError, InstitutionTable, read_institutions
from sim.params import Params, defaults, make_params, spec_map
from sim.population import params_for
from sim.textfiles import parse_toml, read_text

_TOP_KEYS = ("title", "description", "sources", "seed", "parameters", "posterior", "institutions",
             # read by the app only (sim_app.text.scenarios): Danish texts and story pauses
             "title_da", "description_da", "sources_da", "story")

#: Keys of a ``[[story]]`` pause (the app shows them; ``sim_app.text.scenarios`` reads them).
STORY_KEYS = ("at", "caption", "question", "caption_da", "question_da")
#: The run events a story pause may name instead of a month (``sim_app.session.events.EVENTS``).
STORY_EVENTS = ("golive", "dip", "gain_positive", "break_even")

#: Seed used when neither the caller nor the scenario names one.
DEFAULT_SEED = 1


@dataclass(frozen=True)
class Scenario:
    """A named set of parameter values with its provenance."""

    name: str
    title: str
    description: str = ""
    sources: tuple[str, ...] = ()
    overrides: Mapping[str, Any] = field(default_factory=dict)
    seed: int | None = None
    #: The posterior its answers draw behaviour from (``sim run --uncertainty posterior``):
    #: a shipped posterior's name (``calibration/posteriors/NAME.parquet``) or a path.
    posterior: str | None = None
    #: A team's own institutions (``sim.institutions``), read when the scenario is loaded, and
    #: the file they were read from; the parameters the file fixes are taken from it.
    institutions: InstitutionTable | None = None
    institutions_path: Path | None = None

    def with_institutions(self, path: str | Path) -> Scenario:
        """This scenario with the institutions of the file at ``path`` (``--institutions``).

        Raises:
            InstitutionFileError: one line naming the file (and row and column) for a bad file.
        """
        path = Path(path)
        return replace(self, institutions=read_institutions(path),
                       institutions_path=path.resolve())

    def params(self, overrides: Mapping[str, Any] | None = None,
               months: int | None = None) -> Params:
        """Validated parameters: defaults, then this scenario, then ``overrides``/``months``.

        Raises:
            ParameterError: ``overrides`` that are not a mapping of names to values, any
                value (``months`` included) that the parameter definition does not allow, or
                an override of a parameter the institutions file fixes, to another value.
        """
        if overrides is not None and not isinstance(overrides, Mapping):
            raise ParameterError(f"overrides = {shown(overrides)} is not allowed; allowed: a "
                                 "mapping of parameter names to values (a dict), or None")
        explicit = dict(overrides or {})
        if months is not None:
            explicit["months"] = months
        if self.institutions is not None:
            return params_for(self.institutions, self.overrides, explicit)
        return make_params({**self.overrides, **explicit})

    def pick_seed(self, seed: int | None = None) -> int:
        """The seed to run with: ``seed`` if given, else this scenario's, else 1.

        Raises:
            ParameterError: for a seed that is not a whole number ≥ 0 (``True``, ``"7"``,
                ``1.5``, ``-1`` and lists are refused).
        """
        if seed is not None:
            return check_seed(seed)
        return self.seed if self.seed is not None else DEFAULT_SEED


def check_seed(seed: object, name: str = "seed") -> int:
    """Return ``seed`` as an int if it is a whole number ≥ 0 (numpy integers too), else raise.

    Raises:
        ParameterError: naming ``name``, the value and what is allowed.
    """
    return _check_seed(seed, name, none="the scenario's own seed, else 1")


def _shipped_dir() -> Path:
    return Path(str(resources.files("sim.scenarios")))


def shipped_names() -> list[str]:
    """Names of the shipped scenarios, sorted (``default`` first)."""
    names = sorted(p.stem for p in _shipped_dir().glob("*.toml"))
    return sorted(names, key=lambda n: (n != "default", n))


def list_scenarios() -> list[Scenario]:
    """Every shipped scenario, loaded (``default`` first)."""
    return [load_scenario(n) for n in shipped_names()]


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=", re.MULTILINE)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def looks_like_path(name_or_path: str | Path) -> bool:
    """Whether a scenario argument names a file: a ``Path``, or text with a folder separator
    or a ``.toml`` suffix. Anything else is a shipped scenario's name."""
    if isinstance(name_or_path, Path):
        return True
    text = str(name_or_path)
    return (os.sep in text or (os.altsep or os.sep) in text or "/" in text
            or text.lower().endswith(".toml"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a shipped scenario by name, or a scenario file from any path.

    A bare name (no folder separator, no ``.toml`` suffix) is always a shipped scenario's
    (:func:`looks_like_path`): a local file or folder of that name is not read.

    Raises:
        ScenarioError: for an unknown name, an unreadable or malformed file, an unknown key or
            a parameter value that is not allowed — naming the file, the line or key and what
            is allowed.
    """
    if not isinstance(name_or_path, str | Path):
        raise ScenarioError(f"scenario = {shown(name_or_path)} is not allowed; allowed: a "
                            "shipped scenario's name (see `sim scenarios`), the path of a .toml "
                            "scenario file, or a Scenario")
    text_name = str(name_or_path)
    if not text_name.strip():
        raise ScenarioError("the scenario name is empty; allowed: a shipped scenario's name ("
                            + ", ".join(shipped_names()) + ") or the path of a .toml file")
    path = Path(text_name)
    if not looks_like_path(name_or_path):
        # A bare name is a shipped scenario's, even when the current folder holds a file or
        # folder of that name (write ./NAME to read it).
        if text_name not in shipped_names():
            raise ScenarioError(unknown_name_message("scenario", text_name, shipped_names())
                                + " Or give the path of a scenario file (with a folder, as "
                                "./NAME, or a .toml suffix).")
        path = _shipped_dir() / f"{text_name}.toml"
    try:
        text = read_text(path, "scenario file")
        data = parse_toml(text, str(path))
    except InputFileError as exc:
        hint = ("; allowed: a shipped scenario's name (see `sim scenarios`) or the path of an "
                "existing .toml file") if exc.problem.startswith("does not exist") else ""
        raise ScenarioError(f"{exc}{hint}") from None
    return _from_mapping(data, path, text)


def _from_mapping(data: dict[str, Any], path: Path, text: str) -> Scenario:
    for key in data:
        if key not in _TOP_KEYS:
            line = _line_of(text, key)
            where = f" (line {line})" if line else ""
            raise ScenarioError(f"{path}{where}: " + unknown_name_message("key", key, _TOP_KEYS))
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ScenarioError(f"{path}: 'title' is required and must be text")
    description = data.get("description", "")
    sources = data.get("sources", [])
    if not isinstance(description, str):
        raise ScenarioError(f"{path}: 'description' must be text")
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ScenarioError(f"{path}: 'sources' must be a list of text, e.g. [\"000, box 1.4\"]")
    seed = data.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        line = _line_of(text, "seed")
        raise ScenarioError(f"{path} (line {line}): 'seed' = {seed!r} is not allowed; "
                            "allowed: a whole number ≥ 0")
    posterior = data.get("posterior")
    if posterior is not None and (not isinstance(posterior, str) or not posterior.strip()):
        line = _line_of(text, "posterior")
        raise ScenarioError(f"{path} (line {line}): 'posterior' = {shown(posterior)} is not "
                            "allowed; allowed: a shipped posterior's name (e.g. \"default\") "
                            "or the path of a posterior .parquet file")
    _check_story(data.get("story", []), path, text)
    table, table_path = _institutions(data.get("institutions"), path, text)
    overrides = data.get("parameters", {})
    if not isinstance(overrides, dict):
        raise ScenarioError(f"{path}: 'parameters' must be a table: [parameters]")
    for key in overrides:
        if key not in Params.model_fields:
            line = _line_of(text, key)
            raise ScenarioError(f"{path} (line {line}): "
                                + unknown_name_message("parameter", key, Params.model_fields))
    try:
        make_params(overrides)
    except ParameterError as exc:
        keys = [k for k in overrides if k in str(exc)]
        line = _line_of(text, keys[0]) if keys else None
        where = f" (line {line})" if line else ""
        raise ScenarioError(f"{path}{where}: {exc}") from None
    return Scenario(name=path.stem, title=title.strip(), description=description.strip(),
                    sources=tuple(sources), overrides=dict(overrides), seed=seed,
                    posterior=posterior, institutions=table, institutions_path=table_path)


def _institutions(value: Any, path: Path, text: str) -> tuple[InstitutionTable | None,
                                                              Path | None]:
    """The scenario's ``institutions = "FILE"``, read relative to the scenario file.

    Raises:
        ScenarioError: naming the scenario file and line, then the institutions file's own
            one-line problem.
    """
    if value is None:
        return None, None
    head = f"{path} (line {_line_of(text, 'institutions')})"
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"{head}: 'institutions' = {shown(value)} is not allowed; allowed: "
                            "the path of a .csv or .xlsx institutions file, relative to the "
                            "scenario file")
    where = (path.parent / value).resolve()
    try:
        return read_institutions(where), where
    except InstitutionFileError as exc:
        raise ScenarioError(f"{head}: institutions file: {exc}") from None


def _check_story(story: Any, path: Path, text: str) -> None:
    """Check the ``[[story]]`` pauses (used by the app's story mode) as strictly as the rest.

    Raises:
        ScenarioError: naming the file, the pause (counted from 1) and what is allowed.
    """
    if not isinstance(story, list):
        raise ScenarioError(f"{path}: 'story' must be a list of pauses ([[story]] tables)")
    last = spec_map()["months"].maximum
    for i, entry in enumerate(story, start=1):
        head = f"{path}: story pause {i}"
        if not isinstance(entry, dict):
            raise ScenarioError(f"{head} must be a table ([[story]] with at = …, caption = …)")
        for key in entry:
            if key not in STORY_KEYS:
                raise ScenarioError(f"{head}: " + unknown_name_message("key", key, STORY_KEYS))
        at = entry.get("at")
        if isinstance(at, bool) or not ((isinstance(at, int) and 1 <= at <= (last or 600))
                                        or at in STORY_EVENTS):
            raise ScenarioError(f"{head}: 'at' = {shown(at)} is not allowed; allowed: a month "
                                f"1–{last} or one of {', '.join(STORY_EVENTS)}")
        caption = entry.get("caption")
        if caption is None:
            raise ScenarioError(f"{head}: 'caption' is missing; allowed: the text shown at the "
                                "pause (required)")
        if not isinstance(caption, str) or not caption.strip():
            raise ScenarioError(f"{head}: 'caption' = {shown(caption)} is not allowed; "
                                "allowed: text that is not empty (it is required)")
        for key in ("question", "caption_da", "question_da"):
            if not isinstance(entry.get(key, ""), str):
                raise ScenarioError(f"{head}: '{key}' = {shown(entry[key])} is not allowed; "
                                    "allowed: text")


def scenario_from_params(name: str, title: str, params: Params, description: str = "",
                         sources: tuple[str, ...] = (), seed: int | None = None) -> Scenario:
    """A scenario holding exactly the parameters that differ from the defaults (and a seed)."""
    base = defaults()
    values = params.model_dump()
    changed = {k: v for k, v in values.items() if v != base[k]}
    return Scenario(name=name, title=title, description=description, sources=sources,
                    overrides=changed, seed=seed)


def save_scenario(path: str | Path, scenario: Scenario, *, overwrite: bool = False) -> Path:
    """Write ``scenario`` as a TOML file that loads back to exactly the same parameters.

    Raises:
        ScenarioError: if the file exists and ``overwrite`` is False (nothing is lost).
    """
    path = Path(path)
    if path.suffix != ".toml":
        raise ScenarioError(f"scenario files end in .toml, got '{path.name}'")
    if path.exists() and not overwrite:
        raise ScenarioError(f"'{path}' already exists; choose another name or allow overwrite")
    doc: dict[str, Any] = {"title": scenario.title, "description": scenario.description,
                           "sources": list(scenario.sources)}
    if scenario.seed is not None:
        doc["seed"] = scenario.seed
    if scenario.institutions_path is not None:
        doc["institutions"] = str(scenario.institutions_path)
    doc["parameters"] = dict(scenario.overrides)
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path
