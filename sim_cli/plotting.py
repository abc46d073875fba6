"""The picture users care most about: when do the gains arrive, and at what cost?

Five panels on one month axis: realised annual gain against the business-case potential;
cumulative net benefit with the break-even month marked; service level with the dip shaded;
mean trust with its 10–90 % spread; shadow FTE. Uses matplotlib's object-oriented API
(``Figure`` without pyplot): no global state, safe in threads and in the app's server.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from sim.kpis import SERVICE_DIP_THRESHOLD, KPIs


def run_figure(ts: Mapping[str, np.ndarray], kpis: KPIs, title: str = "") -> Figure:
    """Build the five-panel figure of one run."""
    month = np.asarray(ts["month"])
    fig = Figure(figsize=(10, 12), layout="constrained")
    axes = fig.subplots(5, 1, sharex=True)
    ax = axes[0]
    ax.plot(month, ts["realised_gain"], label="realised annual gain", color="tab:green")
    ax.plot(month, ts["potential_gain"], "--", label="business-case potential", color="grey")
    ax.axhline(0, color="black", lw=0.5)
    ax.set_ylabel("mio. kr./year")
    ax.legend(loc="lower right")
    ax.set_title(title or "Realised gain against the business case")
    ax = axes[1]
    ax.plot(month, ts["cumulative_net_benefit"], color="tab:blue")
    ax.axhline(0, color="black", lw=0.5)
    if kpis.break_even_month is not None:
        ax.axvline(kpis.break_even_month, color="tab:red", ls=":")
        ax.annotate(f"gains arrive: break-even month {kpis.break_even_month}",
                    (kpis.break_even_month, 0), xytext=(5, 10), textcoords="offset points",
                    color="tab:red")
    ax.set_ylabel("cumulative net\nbenefit, mio. kr.")
    ax = axes[2]
    service = np.asarray(ts["service_level"], dtype=float)
    ax.plot(month, service, color="tab:purple")
    ax.axhline(SERVICE_DIP_THRESHOLD, color="grey", ls="--", lw=0.8)
    dip = np.nan_to_num(service, nan=1.0) < SERVICE_DIP_THRESHOLD
    ax.fill_between(month, 0, 1, where=dip, color="tab:red", alpha=0.15,
                    transform=ax.get_xaxis_transform(), label="service below 95 %")
    ax.set_ylabel("service level")
    ax.set_ylim(max(0.0, float(np.nanmin(service, initial=1.0)) - 0.05), 1.01)
    ax.legend(loc="lower right")
    ax = axes[3]
    ax.fill_between(month, ts["trust_p10"], ts["trust_p90"], color="tab:orange", alpha=0.25,
                    label="10–90 % of managers")
    ax.plot(month, ts["trust_mean"], color="tab:orange", label="mean trust")
    ax.set_ylim(0, 1)
    ax.set_ylabel("trust")
    ax.legend(loc="lower right")
    ax = axes[4]
    ax.plot(month, ts["shadow_fte"], color="tab:brown")
    ax.set_ylabel("shadow FTE")
    ax.set_xlabel("month since the decision")
    return fig


def save_run_plot(path: str | Path, ts: Mapping[str, np.ndarray], kpis: KPIs,
                  title: str = "") -> Path:
    """Draw the run's figure into a PNG file."""
    run_figure(ts, kpis, title).savefig(path, dpi=110, format="png")
    return Path(path)
