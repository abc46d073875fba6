"""A validated sweep: the file's structure plus everything resolved against the model.

:class:`Sweep` is what :func:`sim_sweep.spec.load_sweep` returns and what the engine, the
design and the analysis read. It holds no model code: parameter values are plain mappings,
checked when the sweep was resolved (:mod:`sim_sweep.resolve`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim_sweep.runids import canonical_json
from sim_sweep.schema import SweepSpec

if TYPE_CHECKING:
    from sim_sweep.draws import Draws

#: SALib's names of the distributions a sampled factor may follow.
SALIB_DISTS = {"uniform": "unif", "triangular": "triang", "truncnormal": "truncnorm",
               "loguniform": "logunif"}


@dataclass(frozen=True)
class Factor:
    """One varied parameter, resolved against the model's parameter spec."""

    name: str
    kind: str  # int | float | bool | choice
    levels: tuple[Any, ...] | None  # grid levels (explicit or from range/steps)
    low: float | None
    high: float | None
    distribution: str
    dist_args: tuple[float, ...]  # SALib 'bounds' entry for this factor


@dataclass
class Sweep:
    """A validated sweep: the file's spec plus everything resolved from the model."""

    spec: SweepSpec
    path: Path | None
    text: str
    base: dict[str, Any]  # (first) scenario's overrides + fixed
    factors: list[Factor]
    points_rows: list[dict[str, Any]] | None = None  # design 'points' only
    points_bytes: bytes = b""
    #: scenario name -> its overrides (several when ``scenario`` is a list)
    scenarios: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: case factor -> level name -> parameter values (``[cases.<factor>]``)
    cases: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    #: design 'posterior' only: its draws (:class:`sim_sweep.draws.Draws`)
    draws: Draws | None = None

    @property
    def case_names(self) -> list[str]:
        """Grid factors that are named bundles: ``scenario`` (a list) and ``[cases.*]``."""
        names = ["scenario"] if len(self.scenarios) > 1 else []
        return names + list(self.cases)

    def point_mapping(self, row: dict[str, Any]) -> dict[str, Any]:
        """The parameter values of one design point: scenario, fixed, cases, varied."""
        if len(self.scenarios) > 1:
            values = dict(self.scenarios[row["scenario"]])
        else:
            values = dict(next(iter(self.scenarios.values()), {}))
        values.update(self.explicit(row))
        return values

    def explicit(self, row: dict[str, Any]) -> dict[str, Any]:
        """The values the sweep file sets at a design point (``row``: its policies and
        varied values): fixed, then its cases' levels, then the varied values."""
        values = dict(self.spec.fixed)
        for name, levels in self.cases.items():
            values.update(levels[row[name]])
        values.update({k: v for k, v in row.items()
                       if k != "scenario" and k not in self.cases})
        return values

    @property
    def where(self) -> str:
        """The sweep file's path as text (``<sweep>`` for text parsed without one)."""
        return str(self.path) if self.path else "<sweep>"

    @property
    def varied(self) -> list[str]:
        """The varied parameters: ``[vary]`` tables, or a points file's columns."""
        if self.points_rows is not None:
            return list(self.points_rows[0]) if self.points_rows else []
        drawn = list(self.draws.names) if self.draws is not None else []
        return [f.name for f in self.factors] + drawn

    @property
    def names(self) -> list[str]:
        """Design columns: case factors (policies) first, then varied parameters."""
        return self.case_names + self.varied

    def output_dir(self, override: str | Path | None = None) -> Path:
        """The output folder: ``override``, the file's ``output`` or ``results/<name>``."""
        out = override or self.spec.output or f"results/{self.spec.name}"
        return Path(out).expanduser().resolve()

    @property
    def design_sha256(self) -> str:
        """Full SHA-256 of what defines the design (normalised spec, base parameters, points
        file, posterior file); :attr:`spec_hash` is its first 16 hex digits."""
        h = hashlib.sha256()
        spec = self.spec.model_dump(mode="json")
        if spec["sampler"].get("posterior") is None:  # designs made before the key existed
            spec["sampler"].pop("posterior", None)
        h.update(canonical_json(spec).encode())
        h.update(canonical_json({"scenarios": self.scenarios, "cases": self.cases,
                                 "base": self.base}).encode())
        h.update(self.points_bytes)
        if self.draws is not None:
            h.update(self.draws.sha256.encode())
        return h.hexdigest()

    @property
    def spec_hash(self) -> str:
        """Hash of what defines the design: the design folder's name (16 hex digits)."""
        return self.design_sha256[:16]

    def input_hashes(self) -> dict[str, str]:
        """Full SHA-256 of every input, by what it is (for the provenance record)."""
        out = {"sweep file": hashlib.sha256(self.text.encode("utf-8")).hexdigest(),
               "design (file meaning, points file, posterior, base scenarios)":
                   self.design_sha256}
        if self.points_rows is not None:
            out[f"points file {self.spec.sampler.file}"] = hashlib.sha256(
                self.points_bytes).hexdigest()
        if self.draws is not None:
            out[f"posterior {self.draws.source}"] = self.draws.sha256
        for name, values in self.scenarios.items():
            out[f"scenario {name} (its parameters)"] = hashlib.sha256(
                canonical_json(values).encode()).hexdigest()
        return out

    def problem(self) -> dict[str, Any]:
        """The SALib problem dict (sampled designs only)."""
        return {
            "num_vars": len(self.factors),
            "names": [f.name for f in self.factors],
            "bounds": [list(f.dist_args) for f in self.factors],
            "dists": [SALIB_DISTS[f.distribution] for f in self.factors],
        }

    @property
    def design_seed(self) -> int:
        """The sampler's seed: ``[sampler] seed``, else ``master_seed`` (mod 2**32)."""
        s = self.spec.sampler.seed
        return int(self.spec.master_seed if s is None else s) % 2**32
