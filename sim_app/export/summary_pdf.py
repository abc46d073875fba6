"""The one-pager as one A4 PDF page, laid out with matplotlib (no extra dependency): the
same content as the HTML."""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from sim_app.export.summary_charts import charts_png
from sim_app.text.i18n import tr

if TYPE_CHECKING:
    from sim_app.export.summary import Summary


def to_pdf(s: Summary) -> bytes:
    """One A4 page: the same content as the HTML, laid out with matplotlib."""
    fig = Figure(figsize=(8.27, 11.69))
    y = 0.97

    def text(t: str, size: float = 8.5, weight: str = "normal", color: str = "#111",
             width: int = 115, gap: float = 0.003) -> None:
        nonlocal y
        width = min(width, int(115 * 8 / size))  # characters per line at this size
        for line in textwrap.wrap(t, width) or [""]:
            fig.text(0.06, y, line, fontsize=size, weight=weight, color=color, va="top")
            y -= size / 72 / 11.69 * 1.35
        y -= gap

    def row(cells: tuple[str, ...], xs: list[float], widths: list[int], size: float = 7.5,
            weight: str = "normal") -> None:
        nonlocal y
        lines = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, widths, strict=False)]
        for x, ls in zip(xs, lines, strict=False):
            fig.text(x, y, "\n".join(ls), fontsize=size, weight=weight, va="top",
                     linespacing=1.15)
        y -= max(len(ls) for ls in lines) * size / 72 / 11.69 * 1.2 + 0.004

    text(tr("sum_title", s.lang), 8, color="#555")
    text(s.title, 14, "bold", width=70, gap=0.005)
    for para in s.description.split("\n"):
        text(para, 8)
    text(f"{tr('sources', s.lang)}: " + "; ".join(s.sources), 7, color="#555", width=135)
    text(s.seed_line, 7, color="#555", gap=0.005)
    for n in s.notes:
        text(n, 8, "bold")
    text(s.changed_heading, 10, "bold")
    ncol = len(s.columns)
    xs = [0.06, 0.38, 0.56, 0.74] if ncol == 4 else [0.06, 0.52]
    widths = [44, 24, 24, 26] if ncol == 4 else [70, 60]
    for r in (s.changed or [(tr("sum_none_changed", s.lang),)])[:12]:
        row(r, xs if len(r) == ncol or len(r) > 2 else [0.06, 0.52], widths)
    y -= 0.004
    text(s.kpi_heading, 10, "bold")
    row(tuple(s.columns), xs, widths, weight="bold")
    for r in s.figures:
        row(r, xs, widths)
    if s.interval_note:
        text(s.interval_note, 7, color="#555", width=135)
    bottom = 0.04
    images = charts_png(s)
    story_h = (y - 0.01 - bottom) * (0.55 if len(images) > 1 else 1.0)
    _place(fig, images["story"], (0.05, y - 0.01 - story_h, 0.90, story_h))
    rest = [k for k in images if k != "story"]
    for i, name in enumerate(rest):
        w = 0.90 / len(rest)
        h = y - 0.02 - story_h - bottom
        _place(fig, images[name], (0.05 + i * w, bottom, w, h))
    fig.text(0.06, 0.02, tr("sum_generated", s.lang), fontsize=7, color="#555")
    out = io.BytesIO()
    with PdfPages(out) as pdf:
        pdf.savefig(fig)
    return out.getvalue()


def _place(fig: Figure, img: np.ndarray, rect: tuple[float, float, float, float]) -> None:
    ax = fig.add_axes(rect)
    ax.imshow(img)
    ax.set_axis_off()
    ax.set_anchor("N")
