"""Design ``posterior``: design points drawn from a calibration's posterior.

``[sampler] n`` draws are resampled by weight from a posterior (``[sampler] posterior``: a
shipped name or a ``.parquet`` path relative to the sweep file; default: the base scenario's
``posterior``, else the shipped ``default``), with the sweep's design seed (``[sampler]
seed``, else ``master_seed``) through :meth:`sim_calibrate.posterior.Posterior.indices`. Draw
*k* does not depend on ``n``, so a larger ``n`` keeps the earlier draws (``--extend``).

A draw is applied as ``sim run --uncertainty posterior`` applies it
(:func:`sim_calibrate.uncertainty.apply_draw`): it replaces the scenario's own values, values
set in the sweep file (``[fixed]``, ``[cases]``, ``[vary]``) win over drawn ones, and priors the
calibration scoped to other scenarios are not applied. The design's columns are the model
parameters the draws set (a derived input such as ``frontier_months`` appears as the parameter
it sets), each with the value its point's runs use, so the design table and every run's stored
parameters record the drawn values.

Policies (``[cases]``, a scenario list) and ``[vary]`` levels are grid factors crossed with
the draws (the draw varies fastest): every policy and level meets the same draws. Each draw
has its own replication seeds, the same under every policy and level
(:class:`sim_sweep.seeds.SeedPlan` with ``period``), so two draws of one particle are two
worlds and every summary over runs weights the particles as the posterior does; a point's key
covers its seeds (:meth:`sim_sweep.runids.PointHasher.draw_key`), so such draws are not
duplicates of each other.

The posterior file's SHA-256 is part of the design's hash, so ``--resume`` with another
posterior is refused.
"""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import SimInputError, unknown_name_message
from sim.params import Params, ParamSpec
from sim.scenarios import Scenario
from sim_calibrate.posterior import Posterior, is_path, posterior_path, read_posterior
from sim_calibrate.spec import DERIVED
from sim_calibrate.uncertainty import MAX_DRAWS, apply_draw
from sim_sweep.errors import SweepFileError
from sim_sweep.sweep import Sweep

KEY = "sampler.posterior"


@dataclass(frozen=True)
class Draws:
    """The draws of a design ``posterior``: the posterior, where it came from, and which
    particle each draw is."""

    posterior: Posterior
    #: The posterior as the sweep names it (``[sampler] posterior``, the scenario's, or
    #: ``default``), and the file read.
    source: str
    path: Path
    #: Full SHA-256 of the posterior file's bytes.
    sha256: str
    #: The model parameters the draws set in some point (design columns), in the posterior's
    #: column order.
    names: tuple[str, ...]
    #: The base scenarios by the sweep's names (the draws are applied to them).
    scenarios: dict[str, Scenario]
    #: The posterior particle of draw ``k`` (``n`` of them).
    particles: np.ndarray

    def __len__(self) -> int:
        return int(self.particles.size)

    @property
    def label(self) -> str:
        """The posterior's calibration name and source, for messages and the report."""
        name = self.posterior.provenance.get("calibration", "?")
        return f"calibration '{name}' ({self.source})"

    def params(self, sweep: Sweep, row: dict[str, Any], k: int) -> Params:
        """The full parameters of draw ``k`` at a point whose policy and levels are ``row``.

        Raises:
            SweepFileError: a drawn value the model does not allow there.
        """
        scen = self.scenarios[row["scenario"] if len(self.scenarios) > 1
                              else next(iter(self.scenarios))]
        particle = int(self.particles[k])
        try:
            return apply_draw(scen, self.posterior, self.posterior.row(particle),
                              sweep.explicit(row))
        except SimInputError as exc:
            raise SweepFileError(sweep.path, KEY, f"draw {k} (particle {particle} of "
                                 f"{self.label}) is not allowed in scenario '{scen.name}': "
                                 f"{exc}") from None


def read_draws(sweep: Sweep, scenarios: dict[str, Scenario],
               smap: dict[str, ParamSpec]) -> Draws:
    """The draws of a design ``posterior`` (``sweep.spec.design == "posterior"``).

    Raises:
        SweepFileError: no ``n`` or too many draws, ``seeds = "per_point"``, an empty name,
            a posterior that is not shipped, a file that is missing or not a posterior,
            columns the model does not know or that hold no numbers, weights that are not a
            distribution, or a design whose parameters are all set in the sweep file.
    """
    path = sweep.path
    s = sweep.spec.sampler
    if s.n is None:
        raise SweepFileError(path, "sampler.n", f"design 'posterior' needs 'n' (the number of "
                             f"draws, 1 to {MAX_DRAWS:,}).")
    if s.n > MAX_DRAWS:
        raise SweepFileError(path, "sampler.n", f"{s.n:,} draws is not allowed; allowed: 1 to "
                             f"{MAX_DRAWS:,} (more runs per draw: 'replications').")
    if sweep.spec.seeds != "common":
        raise SweepFileError(path, "seeds", "design 'posterior' gives each draw its own seeds, "
                             "shared by its policies and levels; allowed: \"common\" (the "
                             "default). \"per_point\" would unpair the policies.")
    source, file = _source(sweep, scenarios)
    try:
        _check_file(file)
        raw = file.read_bytes()
        posterior = read_posterior(file)
    except SimInputError as exc:
        raise SweepFileError(path, KEY, str(exc)) from None
    except OSError as exc:
        raise SweepFileError(path, KEY, f"posterior file '{file}' cannot be read "
                             f"({exc.strerror})") from None
    except (ValueError, TypeError):  # a weight that is not a number, provenance not JSON
        raise SweepFileError(path, KEY, f"posterior file '{file}' is not a posterior (its "
                             "weights or provenance cannot be read); allowed: a file written "
                             "by sim calibrate") from None
    where = f"posterior file '{file}'"
    for name in posterior.names:
        if name not in smap and name not in DERIVED:
            raise SweepFileError(path, KEY, f"{where}: column " + unknown_name_message(
                "parameter", name, [*smap, *DERIVED]) + " (a posterior of another model "
                "version?)")
        if posterior.particles[name].dtype.kind not in "iuf":
            raise SweepFileError(path, KEY, f"{where}: column '{name}' holds "
                                 f"{posterior.particles[name].dtype} values; allowed: numbers "
                                 "(a file written by sim calibrate).")
    w = posterior.weights
    if not len(w) or not np.all(np.isfinite(w)) or np.any(w < 0):
        raise SweepFileError(path, KEY, f"{where}: its weights are not a distribution (no "
                             "particles, or weights that are negative or not numbers); allowed: "
                             "a posterior written by sim calibrate.")
    names = _drawn_names(sweep, scenarios, posterior)
    if not names:
        raise SweepFileError(path, KEY, f"every parameter the posterior of {where} draws is "
                             "set in [fixed], [vary] or [cases] (or scoped to other scenarios), "
                             "so every draw gives the same point; remove them there, or use "
                             "design 'grid'.")
    particles = posterior.indices(int(s.n), sweep.design_seed)
    return Draws(posterior, source, file, hashlib.sha256(raw).hexdigest(), names,
                 dict(scenarios), np.asarray(particles, dtype=np.int64))


def _source(sweep: Sweep, scenarios: dict[str, Scenario]) -> tuple[str, Path]:
    """The posterior as named, and its file (a path relative to the sweep file)."""
    path = sweep.path
    given = sweep.spec.sampler.posterior
    if given is not None:
        if not given.strip():
            raise SweepFileError(path, KEY, "is empty; allowed: a shipped posterior's name "
                                 "(e.g. \"default\") or the path of a posterior .parquet file.")
        source = given
    else:
        named = {s.posterior for s in scenarios.values()}
        if len(named) > 1:
            raise SweepFileError(path, KEY, "the base scenarios name different posteriors ("
                                 + ", ".join(sorted(str(p) for p in named)) + "); name one "
                                 "here.")
        source = named.pop() or "default"
    if is_path(source) and given is not None and path is not None \
            and not Path(source).is_absolute():
        return source, path.parent / source
    try:
        return source, posterior_path(source)
    except SimInputError as exc:
        raise SweepFileError(path, KEY, str(exc)) from None


def _check_file(file: Path) -> None:
    """A regular file (a folder, pipe or device is refused unopened)."""
    try:
        mode = file.stat().st_mode
    except FileNotFoundError:
        raise SimInputError(f"posterior file '{file}' does not exist; allowed: a posterior "
                            ".parquet file written by sim calibrate") from None
    if not stat.S_ISREG(mode):
        raise SimInputError(f"posterior file '{file}' is not a file (a folder, device or pipe); "
                            "allowed: a posterior .parquet file written by sim calibrate")


def _drawn_names(sweep: Sweep, scenarios: dict[str, Scenario],
                 posterior: Posterior) -> tuple[str, ...]:
    """The parameters the draws set in at least one policy: the posterior's columns (derived
    inputs as the parameters they set) not scoped away from the policy's scenario and not set
    in the sweep file there."""
    from sim_sweep.points import policy_rows

    scoped = posterior.priors()
    order = [DERIVED[name][0] if name in DERIVED else name for name in posterior.names]
    out: set[str] = set()
    for policy in policy_rows(sweep):
        scen = policy.get("scenario", next(iter(scenarios)))
        explicit = sweep.explicit(policy)
        explicit.update(dict.fromkeys(f.name for f in sweep.factors))
        for name in posterior.names:
            only = scoped.get(name, {}).get("scenarios")
            if only and scenarios[scen].name not in only:
                continue
            param = DERIVED[name][0] if name in DERIVED else name
            if param not in explicit:
                out.add(param)
    return tuple(name for name in order if name in out)
