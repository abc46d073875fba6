"""The managers' network view: colour = trust, size = shadow FTE, marker = phase.

The chart holds every month's node values (``network_frames``) and the browser draws the
month shown. Tooltips are written by the browser from ``_nettip`` (institution names and the
labels in the page's language, decimal commas in Danish): "Aarhus — trust 0,38 · shadow
1,2 FTE · served". The legend shows each phase with its own marker shape.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from sim_app.charts.builders import FONT
from sim_app.text.fmt import unit
from sim_app.text.i18n import tr

#: Node sizes in the network view: base + extra * sqrt(shadow FTE / largest shadow FTE).
NODE_SIZE = {False: (6, 18), True: (10, 26)}

PHASE_SYMBOLS = ("triangle", "diamond", "circle")
PHASE_KEYS = ("waiting", "in_transition", "served")


def trust_colour(t: float) -> str:
    """Red (0) → amber (0.5) → green (1)."""
    t = 0.0 if t is None or math.isnan(t) else min(1.0, max(0.0, float(t)))
    stops = [(0.0, (220, 38, 38)), (0.5, (234, 179, 8)), (1.0, (22, 163, 74))]
    for (x0, c0), (x1, c1) in zip(stops, stops[1:], strict=False):
        if t <= x1:
            f = (t - x0) / (x1 - x0)
            r, g, b = (round(c0[i] + f * (c1[i] - c0[i])) for i in range(3))
            return f"#{r:02x}{g:02x}{b:02x}"
    return "#16a34a"


def network_frames(initial_trust: np.ndarray, trust: np.ndarray, shadow: np.ndarray,
                   phase: np.ndarray, shadow_max: float, big: bool = False) -> dict:
    """Every month's node values for the network view, sent once per run.

    ``data[m]`` (month ``m`` = 0..horizon) is a flat list ``[trust, shadow, phase, …]`` per
    node; the browser turns it into the same nodes :func:`network_chart` builds (colour from
    trust, size from shadow FTE, marker from phase), so live play sends only the month.
    """
    n = initial_trust.shape[0]
    t = np.vstack([initial_trust[None, :], trust]).round(3)
    s = np.vstack([np.zeros((1, n)), shadow]).round(2)
    p = np.vstack([np.zeros((1, n)), phase])
    flat = np.stack([t, s, p], axis=2).reshape(t.shape[0], 3 * n).tolist()
    base_size, extra = NODE_SIZE[bool(big)]
    return {"series": 0, "symbols": list(PHASE_SYMBOLS), "size": [base_size, extra],
            "shadow_max": max(float(shadow_max or 0.0), 1e-9), "data": flat}


def tooltip_spec(names: Sequence[str], lang: str) -> dict:
    """What the browser needs to write a node's tooltip in ``lang``."""
    return {"names": list(names), "lang": lang, "trust": tr("tip_trust", lang),
            "shadow": tr("tip_shadow", lang), "fte": unit("FTE", lang),
            "phases": [tr(k, lang) for k in PHASE_KEYS]}


def network_chart(net: Mapping, lang: str, big: bool = False,
                  names: Sequence[str] | None = None) -> dict:
    """The managers' network at one month.

    ``net`` has ``pos`` (n×2 fixed layout in [0, 1]), ``edges`` (list of pairs), ``trust``,
    ``shadow`` and ``phase`` (per node, at the month shown) and ``shadow_max`` (for scaling).
    """
    fs = FONT[bool(big)]
    pos, trust, shadow, phase = net["pos"], net["trust"], net["shadow"], net["phase"]
    smax = max(float(net.get("shadow_max") or 0.0), 1e-9)
    base_size, extra = NODE_SIZE[bool(big)]
    names = list(names) if names is not None else [str(i + 1) for i in range(len(pos))]
    nodes = []
    for i in range(len(pos)):
        ph = int(phase[i])
        nodes.append({
            "name": str(i), "x": round(float(pos[i][0]) * 1000, 1),
            "y": round(float(pos[i][1]) * 1000, 1), "category": ph,
            "symbol": PHASE_SYMBOLS[ph],
            "symbolSize": round(base_size + extra * math.sqrt(max(float(shadow[i]), 0.0) / smax), 1),
            "value": [round(float(trust[i]), 3), round(float(shadow[i]), 2)],
            "itemStyle": {"color": trust_colour(trust[i]), "borderColor": "#333",
                          "borderWidth": 0.5},
        })
    legend_names = [tr(k, lang) for k in PHASE_KEYS]
    return {
        "animation": False,
        "title": {"text": tr("ch_network", lang), "subtext": tr("net_legend", lang), "left": 8,
                  "top": 4, "textStyle": {"fontSize": fs + 4}, "subtextStyle": {"fontSize": fs}},
        "tooltip": {"textStyle": {"fontSize": fs}},
        "toolbox": {"show": not big, "right": 8, "top": 0,
                    "feature": {"saveAsImage": {"title": "PNG", "pixelRatio": 2}}},
        # each phase with its own marker shape (not ECharts' default box)
        "legend": {"data": [{"name": n, "icon": s} for n, s in zip(legend_names, PHASE_SYMBOLS,
                                                                    strict=True)],
                   "bottom": 4, "left": 8, "itemWidth": fs, "itemHeight": fs,
                   "textStyle": {"fontSize": fs}},
        "visualMap": {"type": "continuous", "min": 0, "max": 1, "seriesIndex": 0, "dimension": 0,
                      "orient": "horizontal", "right": 10, "bottom": 4, "itemHeight": 100,
                      "itemWidth": 10, "text": ["1", tr("tip_trust", lang) + " 0"],
                      "calculable": False,
                      "inRange": {"color": ["#dc2626", "#eab308", "#16a34a"]},
                      "textStyle": {"fontSize": fs}},
        "series": [
            {"type": "graph", "layout": "none", "roam": True,
             "top": 5 * fs if big else 60, "bottom": 2.5 * fs + 10, "left": 20, "right": 20,
             "categories": [{"name": n, "symbol": s, "itemStyle": {"color": "#9ca3af"}}
                            for n, s in zip(legend_names, PHASE_SYMBOLS, strict=True)],
             "data": nodes,
             "links": [{"source": int(a), "target": int(b)} for a, b in net["edges"]],
             "lineStyle": {"color": "#94a3b8", "opacity": 0.35, "width": 0.6},
             "emphasis": {"focus": "adjacency"}},
        ],
        "_nettip": tooltip_spec(names, lang),
    }
