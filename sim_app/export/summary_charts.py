"""The one-pager's charts, drawn with matplotlib from a :class:`Summary`: the story (annual
gain against the business case over the service level), the cumulative net benefit of each
option, and their paired difference. Over replications each option is its median with the
10–90 % band; a room's or a fork's path is drawn as it ran."""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim_app.text.fmt import unit
from sim_app.text.i18n import tr

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from sim_app.export.summary import Summary

#: Colours and line styles of option A (pinned) and option B (current).
STYLE = (("#c2410c", "--"), ("#1f5fa8", "-"))


def _x(s: Summary, n: int) -> np.ndarray:
    return s.start_year + (np.arange(1, n + 1) - 1) / 12.0


def _styles(s: Summary) -> tuple[tuple[str, str], ...]:
    return STYLE if len(s.options) == 2 else STYLE[1:]


def _finish(fig: Figure, axes: list[Axes], lang: str) -> Figure:
    for axis in axes:
        axis.tick_params(labelsize=7)
        axis.grid(alpha=0.3)
        if lang == "da":
            axis.yaxis.set_major_formatter(
                FuncFormatter(lambda v, _pos: f"{v:g}".replace(".", ",")))
    axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True))  # years, not "2012.25"
    axes[-1].set_xlabel(tr("year", lang), fontsize=8)
    fig.tight_layout()
    return fig


def _mark(ax: Axes, x: float, text: str, color: str, style: str) -> None:
    """A vertical line with its name written inside the axes, below the top."""
    ax.axvline(x, color=color, ls=style, lw=1.3)
    lo, hi = ax.get_ylim()
    ax.text(x, hi - 0.03 * (hi - lo), text + " ", rotation=90, va="top", ha="right",
            fontsize=7, color=color)


def story_figure(s: Summary, width: float = 7.2, height: float = 4.2) -> Figure:
    """Annual gain against the business case over the service level (both gains moments
    and the dip marked for one option or one path)."""
    fig = Figure(figsize=(width, height))
    ax, ax2 = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    if s.options:
        for opt, (color, style) in zip(s.options, _styles(s), strict=True):
            n = len(opt.median["realised_gain"])
            x = _x(s, n)
            name = tr("sum_median_of", s.lang, name=opt.name)
            ax.plot(x, opt.median["realised_gain"], color=color, ls=style, lw=1.8, label=name)
            ax.fill_between(x, opt.lo["realised_gain"], opt.hi["realised_gain"], color=color,
                            alpha=0.15, lw=0)
            ax2.plot(x, opt.median["service_level"], color=color, ls=style, lw=1.5)
            ax2.fill_between(x, opt.lo["service_level"], opt.hi["service_level"], color=color,
                             alpha=0.15, lw=0)
        last = s.options[-1]
        ax.plot(x, last.median["potential_gain"], color="#7a7a7a", ls=":", lw=1.3,
                label=tr("potential_gain", s.lang))
        k = last.kpis if len(s.options) == 1 else {}
    else:  # a path as it ran (a room's, a fork's): no band
        a = s.arrays
        x = _x(s, len(a["realised_gain"]))
        ax.plot(x, a["realised_gain"], color="#1f5fa8", lw=2,
                label=s.run_name or tr("realised_gain", s.lang))
        ax.plot(x, a["potential_gain"], color="#7a7a7a", ls=":", lw=1.3,
                label=tr("potential_gain", s.lang))
        ax2.plot(x, a["service_level"], color="#1f5fa8", lw=2)
        if s.baseline is not None:
            n = len(x)
            ax.plot(x, s.baseline["realised_gain"][:n], color="#c2410c", ls="--", lw=1.5,
                    label=s.baseline_name)
            ax2.plot(x, s.baseline["service_level"][:n], color="#c2410c", ls="--", lw=1.2)
        k = s.kpis
    for key, style, name in (("gain_positive_month", "--", "mark_gain_positive"),
                             ("break_even_month", "-", "mark_break_even")):
        if k.get(key):
            _mark(ax, s.start_year + (k[key] - 1) / 12.0, tr(name, s.lang), "#15803d", style)
    if k.get("dip_start_month") and k.get("dip_end_month"):
        x0 = s.start_year + (k["dip_start_month"] - 1) / 12.0
        ax2.axvspan(x0, s.start_year + k["dip_end_month"] / 12.0, color="#dc2626", alpha=0.15,
                    lw=0)
        ax2.text(x0, ax2.get_ylim()[0], " " + tr("dip", s.lang), fontsize=7, color="#b91c1c",
                 va="bottom")
    ax.set_ylabel(unit("mio. kr./year", s.lang), fontsize=8)
    ax2.set_ylabel(tr("ch_service", s.lang), fontsize=8)
    ax.set_title(tr("sum_story", s.lang), fontsize=10, loc="left")
    ax.legend(fontsize=7, loc="lower right")
    return _finish(fig, [ax, ax2], s.lang)


def net_figure(s: Summary, width: float = 3.6, height: float = 2.6) -> Figure:
    """Each option's cumulative net benefit: median and 10–90 % band."""
    fig = Figure(figsize=(width, height))
    ax = fig.subplots()
    for opt, (color, style) in zip(s.options, _styles(s), strict=True):
        x = _x(s, len(opt.median["cumulative_net_benefit"]))
        ax.plot(x, opt.median["cumulative_net_benefit"], color=color, ls=style, lw=1.6,
                label=opt.name)
        ax.fill_between(x, opt.lo["cumulative_net_benefit"], opt.hi["cumulative_net_benefit"],
                        color=color, alpha=0.15, lw=0)
    ax.axhline(0, color="#999", lw=0.8)
    ax.set_title(tr("ch_net", s.lang), fontsize=9, loc="left")
    ax.set_ylabel(unit("mio. kr.", s.lang), fontsize=8)
    ax.legend(fontsize=6.5, loc="upper left")
    return _finish(fig, [ax], s.lang)


def diff_figure(s: Summary, width: float = 3.6, height: float = 2.6) -> Figure:
    """The paired difference of the cumulative net benefit (B − A): median and 10–90 %."""
    lo, mid, hi = s.diff
    fig = Figure(figsize=(width, height))
    ax = fig.subplots()
    x = _x(s, len(mid))
    ax.plot(x, mid, color="#0f766e", lw=1.6, label=tr("sum_median_pairs", s.lang, n=s.n_band))
    ax.fill_between(x, lo, hi, color="#0f766e", alpha=0.2, lw=0,
                    label=tr("diff_band", s.lang, n=s.n_band))
    ax.axhline(0, color="#999", lw=0.8)
    ax.set_title("\n".join(textwrap.wrap(s.diff_title, 44)), fontsize=9, loc="left")
    ax.set_ylabel("Δ " + unit("mio. kr.", s.lang), fontsize=8)
    ax.legend(fontsize=6.5, loc="upper left")
    return _finish(fig, [ax], s.lang)


def figures(s: Summary) -> dict[str, Figure]:
    """The page's charts by name: the story, and over replications the net benefit and (two
    options) their difference."""
    out = {"story": story_figure(s)}
    if s.options:
        out["net"] = net_figure(s)
    if s.diff is not None:
        out["diff"] = diff_figure(s)
    return out


def charts_svg(s: Summary) -> dict[str, str]:
    """Each chart as inline SVG, its text kept as text (searchable, and measurable)."""
    out = {}
    with mpl.rc_context({"svg.fonttype": "none"}):
        for name, fig in figures(s).items():
            buf = io.StringIO()
            FigureCanvasSVG(fig).print_svg(buf)
            text = buf.getvalue()
            out[name] = text[text.find("<svg"):]
    return out


def charts_png(s: Summary, dpi: int = 200) -> dict[str, np.ndarray]:
    """Each chart as an image array (for the PDF)."""
    from matplotlib.image import imread

    out = {}
    for name, fig in figures(s).items():
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
        buf.seek(0)
        out[name] = imread(buf, format="png")
    return out
