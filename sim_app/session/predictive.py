"""What the uncertainty band includes: seed noise alone, or seed noise and parameter
uncertainty from the scenario's posterior.

*Seeds only*: every replication runs the parameters as set, each with its own seed
(``sim_app.session.uncertainty.band_seeds``). *Seeds and parameters*: replication ``k`` runs
the ``k``-th draw from the posterior the scenario names (resampled by weight;
``sim_calibrate.uncertainty.draw_params``) with the ``k``-th seed, so the band is a predictive
interval. A value the person changed from the scenario wins over the drawn one, and so does
what an uploaded institutions file fixes (count, staff, groups, waves); the drawn behaviour
(trust, shadow work, learning, hiring) applies to a team's own institutions as it does to the
scenario's, since the posterior describes how managers and centres respond, not which
institutions there are. Two options share draw ``k`` and seed ``k`` (paired).

A scenario that names no posterior, or one that cannot be read, offers seeds only and says
why. The choice is one field of the session's state (``SessionState.uncertainty``); the band
computed for it carries its :class:`BandPlan` (``Shown.band_plan``), so every label says what
the band on screen includes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from solara.toestand import Ref

from sim.errors import SimInputError
from sim.institutions import InstitutionTable
from sim.params import Params, defaults
from sim.scenarios import Scenario
from sim_app.text.fmt import error_text
from sim_app.text.i18n import tr
from sim_calibrate.posterior import SHIPPED, Posterior, read_posterior
from sim_calibrate.uncertainty import draw_params

#: The band's two modes: seed noise and parameter uncertainty, or seed noise alone.
PARAMS, SEEDS = "params", "seeds"
MODES = (SEEDS, PARAMS)


@dataclass(frozen=True)
class BandPlan:
    """The replications a band is made of, as a value (compared and hashed by value).

    Attributes:
        mode: :data:`SEEDS` or :data:`PARAMS`.
        params: One :class:`Params` for every replication (seeds only) or one per
            replication (the posterior's draws).
        seed: The run's seed (replication ``k`` has the ``k``-th band seed).
        n: How many replications.
        institutions: A team's own institutions, as in the run.
        posterior: The posterior's name (seeds and parameters), else "".
    """

    mode: str
    params: Params | tuple[Params, ...]
    seed: int
    n: int
    institutions: InstitutionTable | None = None
    posterior: str = ""


def _path(name: str) -> Path:
    """Where ``read_posterior`` looks for ``name`` (a shipped name or a path)."""
    path = Path(name)
    return path if path.suffix == ".parquet" or "/" in name else SHIPPED / f"{name}.parquet"


@lru_cache(maxsize=8)
def _read(name: str, stamp: float) -> Posterior:
    """A posterior read once per server while its file is unchanged (``stamp``: its mtime)."""
    return read_posterior(name)


def posterior_for(scenario: Scenario) -> tuple[Posterior | None, str]:
    """The posterior ``scenario`` names, or None and why not (English, one line; "" when it
    names none)."""
    name = scenario.posterior
    if not name:
        return None, ""
    path = _path(name)
    try:
        return _read(name, path.stat().st_mtime if path.is_file() else -1.0), ""
    except SimInputError as exc:
        return None, str(exc)


def why_unavailable(scenario: Scenario, lang: str) -> str:
    """Why *seeds and parameters* is not offered for ``scenario`` ("" when it is): it names
    no posterior, or one that is missing or unreadable (read once per server and file
    version, about 10 ms)."""
    posterior, error = posterior_for(scenario)
    if posterior is not None:
        return ""
    if not scenario.posterior:
        return tr("unc_no_posterior", lang)
    return tr("unc_bad_posterior", lang, error=error_text(error, lang))


def effective_mode(scenario: Scenario, asked: str, lang: str) -> tuple[str, str]:
    """(the mode a band is made in when ``asked`` for, why *seeds and parameters* is
    unavailable for ``scenario`` or "")."""
    why = why_unavailable(scenario, lang)
    return (SEEDS if why or asked == SEEDS else PARAMS), why


def changed_values(scenario: Scenario, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values that differ from the scenario's (they win over drawn ones)."""
    ref = {**defaults(), **scenario.overrides}
    return {k: v for k, v in values.items() if ref.get(k) != v}


def plan(scenario: Scenario, params: Params, seed: int, n: int,
         institutions: InstitutionTable | None, mode: str) -> BandPlan:
    """The band's replications for a run of ``params`` (and ``institutions``) in ``mode``.

    Seeds only: ``params`` for every replication. Seeds and parameters: draw ``k`` of the
    scenario's posterior with the values changed from the scenario (and the file's) winning;
    the same scenario, values, seed and ``n`` give the same draws (so two options are
    paired). Falls back to seeds only when the scenario has no posterior.

    Raises:
        SimInputError: a drawn value the model refuses together with the values as set.
    """
    posterior = posterior_for(scenario)[0] if mode == PARAMS else None
    if posterior is None:
        return BandPlan(SEEDS, params, int(seed), int(n), institutions)
    sc = replace(scenario, institutions=institutions)
    drawn = draw_params(sc, posterior, int(n), int(seed),
                        changed_values(scenario, params.model_dump()))
    return BandPlan(PARAMS, tuple(drawn), int(seed), int(n), institutions,
                    posterior=str(scenario.posterior))


def band_label(plan: BandPlan | None, n: int, lang: str) -> str:
    """The band's short label: "10–90 % of 20 runs: seeds and parameters" (or "seeds
    only")."""
    return tr("band_params" if plan is not None and plan.mode == PARAMS else "band", lang, n=n)


def includes(plan: BandPlan, lang: str) -> str:
    """What a band's range includes, in a sentence's words ("seed noise and parameter
    uncertainty from the posterior default, 20 draws")."""
    if plan.mode == PARAMS:
        return tr("unc_includes_params", lang, name=plan.posterior, n=plan.n)
    return tr("unc_includes_seeds", lang, n=plan.n)


class SessionPredictive:
    """The band's mode in a session (a mixin of ``Session``: needs its state and writers)."""

    @cached_property
    def uncertainty(self) -> Ref:
        """The mode asked for (components read it; ``band_mode`` says what is run)."""
        return Ref(self.state.fields.uncertainty)

    def set_uncertainty(self, mode: str) -> None:
        """Ask for *seeds only* or *seeds and parameters*; the band is recomputed (or taken
        from the server's cache) on the band's thread."""
        if mode not in MODES:
            raise ValueError(f"uncertainty mode '{mode}' is not one of {', '.join(MODES)}")
        self._update(uncertainty=mode)

    def band_mode(self) -> tuple[str, str]:
        """(the mode the band is made in now, why *seeds and parameters* is unavailable or
        "")."""
        st = self.state.peek()
        return effective_mode(st.settings.scenario, st.uncertainty, st.lang)

    def band_plan(self, run: Any = None, n: int | None = None) -> BandPlan:
        """The replications of the band behind ``run`` (default: the run shown) in the mode
        asked for (seeds only when the draws are refused: see :func:`plan`)."""
        run = self.run if run is None else run
        n = self.n_band_seeds if n is None else n
        mode = self.band_mode()[0]
        try:
            return plan(self.scenario, run.params, run.seed, n, run.institutions, mode)
        except SimInputError:
            return plan(self.scenario, run.params, run.seed, n, run.institutions, SEEDS)
