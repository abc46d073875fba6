"""The one-page summary's charts, drawn with matplotlib from a :class:`Summary`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from sim_app.text.fmt import unit
from sim_app.text.i18n import tr

if TYPE_CHECKING:
    from sim_app.export.summary import Summary


def story_figure(s: Summary, width: float = 7.2, height: float = 4.2) -> Figure:
    """Annual gain against the business case (gains arrive, break-even) over the service
    level (the dip shaded)."""
    fig = Figure(figsize=(width, height))
    ax, ax2 = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    a = s.arrays
    n = len(a["realised_gain"])
    x = s.start_year + (np.arange(1, n + 1) - 1) / 12.0
    ax.plot(x, a["realised_gain"], color="#1f5fa8", lw=2, label=s.run_name
            or tr("realised_gain", s.lang))
    ax.plot(x, a["potential_gain"], color="#7a7a7a", ls="--", lw=1.5,
            label=tr("potential_gain", s.lang))
    ax2.plot(x, a["service_level"], color="#1f5fa8", lw=2)
    if s.baseline is not None:
        ax.plot(x, s.baseline["realised_gain"][:n], color="#c2410c", ls="--", lw=1.5,
                label=s.baseline_name)
        ax2.plot(x, s.baseline["service_level"][:n], color="#c2410c", ls="--", lw=1.2)
    k = s.kpis
    for key, style, name in (("gain_positive_month", "--", "mark_gain_positive"),
                             ("break_even_month", "-", "mark_break_even")):
        if k.get(key):
            xm = s.start_year + (k[key] - 1) / 12.0
            ax.axvline(xm, color="#15803d", ls=style, lw=1.5)
            ax.text(xm, ax.get_ylim()[1], " " + tr(name, s.lang), rotation=90, va="top",
                    ha="right", fontsize=7, color="#15803d")
    if k.get("dip_start_month") and k.get("dip_end_month"):
        x0 = s.start_year + (k["dip_start_month"] - 1) / 12.0
        x1 = s.start_year + k["dip_end_month"] / 12.0
        ax2.axvspan(x0, x1, color="#dc2626", alpha=0.15, lw=0)
        ax2.text(x0, ax2.get_ylim()[0], " " + tr("dip", s.lang), fontsize=7, color="#b91c1c",
                 va="bottom")
    ax.set_ylabel(unit("mio. kr./year", s.lang), fontsize=8)
    ax2.set_ylabel(tr("ch_service", s.lang), fontsize=8)
    ax2.set_xlabel(tr("year", s.lang), fontsize=8)
    ax.set_title(tr("sum_story", s.lang), fontsize=10, loc="left")
    ax.legend(fontsize=7, loc="lower right")
    for axis in (ax, ax2):
        axis.tick_params(labelsize=7)
        axis.grid(alpha=0.3)
    from matplotlib.ticker import MaxNLocator

    ax2.xaxis.set_major_locator(MaxNLocator(integer=True))  # years, not "2012.25"
    if s.lang == "da":
        from matplotlib.ticker import FuncFormatter

        comma = FuncFormatter(lambda v, _pos: f"{v:g}".replace(".", ","))
        ax.yaxis.set_major_formatter(comma)
        ax2.yaxis.set_major_formatter(comma)
    fig.tight_layout()
    return fig
