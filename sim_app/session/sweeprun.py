"""Open a sweep's stored run live (``?run=RUN_ID`` on a server started by ``sim app --sweep
FOLDER``): the run's exact scenario, parameters and seed, and the check that the series the
app shows equal the stored ones (``sim_sweep.openrun``)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sim_app.session.choices import shipped_scenarios


@dataclass(frozen=True)
class SweepRunInfo:
    """What the page says about an opened sweep run."""

    run_id: str
    folder: str  # the sweep folder's name
    months: int  # kept months checked
    columns: int  # kept columns checked
    kpis: int  # stored key figures checked
    differ: tuple[str, ...]  # what differs (empty: the same run)


def open_sweep_run(session, run_id: str) -> list[str]:
    """Set ``session`` to the stored run ``run_id`` of the server's sweep folder and check its
    series; returns the address errors (one line each), and notes the check on the session."""
    from sim_sweep.errors import SweepError
    from sim_sweep.openrun import SWEEP_ENV, differences, load_run

    folder = os.environ.get(SWEEP_ENV)
    if not folder:
        return [f"run={run_id!r}: this server was not started on a sweep; allowed: start it "
                "with sim app --sweep FOLDER"]
    try:
        stored = load_run(folder, run_id)
    except SweepError as exc:
        return [str(exc)]
    if stored.scenario in {s.name for s in shipped_scenarios()}:
        session.choose_scenario(stored.scenario)
    errors = session.apply_values(stored.params.model_dump())
    if stored.seed != session.seed:
        session.set_seed(stored.seed)
    differ = tuple(differences(stored, session.run.arrays))
    if session.run.params != stored.params:
        differ = ("parameters", *differ)
    session.sweep_run = SweepRunInfo(run_id=run_id, folder=os.path.basename(folder.rstrip("/")),
                                     months=len(stored.months), columns=len(stored.series),
                                     kpis=len(stored.kpis), differ=differ)
    return errors
