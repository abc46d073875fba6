"""What the charts and cards are drawn from: the session's read-only views of its run (a part
of :class:`sim_app.session.state.Session`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.kpis import KPIs
from sim.population import institution_names
from sim_app.session.events import event_months
from sim_app.session.live_kpis import kpi_timeline, live_kpis


class SessionViews:
    """The KPIs, story events, chart data and network data of the run shown."""

    def kpis(self) -> KPIs:
        return self.kpi_timeline()[self.month]

    def kpi_timeline(self) -> list[KPIs]:
        """The KPI figures for every month 0..horizon of the current run (cached per run)."""
        run = self.run
        if self._timeline is None or self._timeline[0] is not run:
            self._timeline = (run, kpi_timeline(run.arrays, run.horizon))
        return self._timeline[1]

    def events(self) -> dict[str, int | None]:
        """The month of each story event in the current run (``sim_app.session.events``)."""
        run = self.run
        if self._events is None or self._events[0] is not run:
            self._events = (run, event_months(run.arrays, self.kpi_timeline()))
        return self._events[1]

    def view(self, month: int | None = None) -> dict:
        """The data the charts show: every series up to ``month`` (default: the month
        shown)."""
        m = self.month if month is None else month
        arrays = {k: v[:m] for k, v in self.run.arrays.items()}
        view: dict[str, Any] = {"arrays": arrays, "horizon": self.run.horizon, "month": m,
                                "start_year": int(self.run.params.start_year),
                                "kpis": live_kpis(self.run.arrays, m), **self.mode_labels()}
        if self.baseline is not None:
            view["baseline"] = {k: v[:m] for k, v in self.baseline.arrays.items()}
        if self.band is not None:
            view["band"] = {k: (lo[:m], hi[:m]) for k, (lo, hi) in self.band.items()}
            view["band_n"] = self.band_done
        return view

    def network(self, month: int | None = None) -> dict:
        """Per-manager data for the network view at ``month`` (default: the month shown)."""
        r = self.run
        m = self.month if month is None else month
        if m == 0:
            trust, shadow = r.initial_trust, np.zeros_like(r.initial_trust)
            phase = np.zeros(r.initial_trust.shape, dtype=np.int8)
        else:
            trust, shadow, phase = r.trust[m - 1], r.shadow[m - 1], r.phase[m - 1]
        return {"pos": r.pos, "edges": r.edges, "trust": trust, "shadow": shadow,
                "phase": phase, "shadow_max": float(r.shadow.max()) if r.shadow.size else 0.0,
                "names": institution_names(r.params)}
