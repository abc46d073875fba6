"""The marks on the charts: the two "gains" moments and the deepest dip, and marks that change
with the month shown (as change points the browser picks from during live play)."""

from __future__ import annotations

from collections.abc import Sequence

from sim_app.text.i18n import tr

#: Colours of the marks (the charts' palette is in ``sim_app.charts.builders``).
C_GOOD = "#15803d"
C_DIP = "rgba(220, 38, 38, 0.12)"


def gains_marks(gain_positive: int | None, break_even: int | None, lang: str,
                big: bool) -> dict | None:
    """The two "gains" lines, each named: annual gain above zero (dashed) and cumulative
    break-even (solid). None: neither has happened yet."""
    fs = 22 if big else 12
    data = []
    if gain_positive is not None:
        data.append({"xAxis": int(gain_positive) - 1, "name": "gain_positive",
                     "lineStyle": {"color": C_GOOD, "width": 2, "type": "dashed"},
                     "label": {"formatter": tr("mark_gain_positive", lang),
                               "position": "insideEndTop", "fontSize": fs, "color": C_GOOD,
                               "fontWeight": "bold"}})
    if break_even is not None:
        data.append({"xAxis": int(break_even) - 1, "name": "break_even",
                     "lineStyle": {"color": C_GOOD, "width": 3, "type": "solid"},
                     "label": {"formatter": tr("mark_break_even", lang),
                               "position": "insideEndBottom" if gain_positive is not None
                               and abs(break_even - gain_positive) < 12 else "insideEndTop",
                               "fontSize": fs, "color": "#166534", "fontWeight": "bold"}})
    if not data:
        return None
    return {"symbol": "none", "silent": True, "data": data}


def break_even_mark(be: int | None, lang: str, big: bool) -> dict | None:
    """The break-even line alone (kept for callers that show only cumulative figures)."""
    return gains_marks(None, be, lang, big)


def dip_mark(span: tuple[int, int] | None, lang: str, big: bool) -> dict | None:
    """The shaded deepest service dip (None: no dip yet)."""
    if span is None:
        return None
    start, end = span
    return {
        "silent": True, "itemStyle": {"color": C_DIP},
        "label": {"formatter": tr("dip", lang), "fontSize": 20 if big else 12,
                  "color": "#b91c1c"},
        "data": [[{"xAxis": int(start) - 1}, {"xAxis": int(end) - 1}]],
    }


def mark_steps(values: Sequence, make) -> list[list]:
    """A mark that depends on the month shown, as change points ``[[from_month, mark], …]``.

    ``values[m]`` is the mark's input with months 1..m shown; the browser draws the mark of
    the last change point at or before the month shown (``null``: no mark).
    """
    steps: list[list] = []
    last: object = object()
    for m, value in enumerate(values):
        if value != last:
            steps.append([m, make(value)])
            last = value
    return steps
