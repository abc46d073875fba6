"""What the charts and cards are drawn from: the session's read-only views of its run (a part
of :class:`sim_app.session.state.Session`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.kpis import KPIs
from sim.params import defaults
from sim_app.session.choices import shipped_scenarios
from sim_app.session.events import event_months
from sim_app.session.live_kpis import kpi_timeline, live_kpis
from sim_app.session.predictive import PARAMS, band_label
from sim_app.session.shared import TIMELINES
from sim_app.session.url import build_query
from sim_app.text.i18n import tr


class SessionViews:
    """The KPIs, story events, chart data and network data of the run shown."""

    def kpis(self) -> KPIs:
        return self.kpi_timeline()[self.month]

    def kpi_timeline(self, run: Any = None) -> list[KPIs]:
        """The KPI figures for every month 0..horizon of ``run`` (default: the current run;
        made once per run for every session of the server, ``sim_app.session.shared``)."""
        run = self.run if run is None else run
        if self._timeline is None or self._timeline[0] is not run:
            self._timeline = (run, TIMELINES.get((run,), None,
                                                 lambda: kpi_timeline(run.arrays, run.horizon)))
        return self._timeline[1]

    def events(self, run: Any = None) -> dict[str, int | None]:
        """The month of each story event in ``run`` (default: the current run;
        ``sim_app.session.events``)."""
        run = self.run if run is None else run
        if self._events is None or self._events[0] is not run:
            self._events = (run, event_months(run.arrays, self.kpi_timeline(run)))
        return self._events[1]

    def view(self, month: int | None = None) -> dict:
        """The data the charts show: every series up to ``month`` (default: the month
        shown)."""
        st = self.state.peek()
        sh = st.shown
        m = st.month if month is None else month
        arrays = {k: v[:m] for k, v in sh.run.arrays.items()}
        view: dict[str, Any] = {"arrays": arrays, "horizon": sh.run.horizon, "month": m,
                                "start_year": int(sh.run.params.start_year),
                                "seed": sh.run.seed,
                                "kpis": live_kpis(sh.run.arrays, m), **self.mode_labels()}
        if sh.baseline is not None:
            view["baseline"] = {k: v[:m] for k, v in sh.baseline.arrays.items()}
        if sh.band is not None:
            view["band"] = {k: (lo[:m], hi[:m]) for k, (lo, hi) in sh.band.items()}
            view["band_n"] = sh.band_done
            view["band_label"] = band_label(sh.band_plan, sh.band_done, st.lang)
        if sh.diff_band is not None and sh.baseline is not None:
            view["diff_band"] = {k: tuple(x[:m] for x in q) for k, q in sh.diff_band.items()}
            view["diff_band_n"] = sh.diff_band_done
            view["diff_band_label"] = tr("diff_band_params" if sh.band_plan is not None
                                         and sh.band_plan.mode == PARAMS else "diff_band",
                                         st.lang, n=sh.diff_band_done)
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
                "names": r.names}

    def url_query(self) -> str:
        """The page address's query for the current settings (``sim_app.session.url``)."""
        st = self.state.peek()
        sc = st.settings.scenario
        shipped = sc.name if sc.name in {s.name for s in shipped_scenarios()} else None
        ref = {**defaults(), **(sc.overrides if shipped else {})}
        changed = {k: v for k, v in st.settings.values.items() if ref.get(k) != v}
        room = st.room.room
        code = room.code if room is not None else None
        return build_query(shipped, changed, st.settings.seed, st.lang, st.mode, code)
