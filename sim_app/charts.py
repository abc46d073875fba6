"""ECharts option builders: pure functions from a run's data to chart options.

Every chart shares one month axis (category axis 1..horizon, fixed, so the lines grow from the
left during live play). Data are plain lists with ``None`` for missing values; floats are
rounded to keep each update small.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from sim_app.i18n import tr

C_MAIN = "#1f5fa8"
C_POTENTIAL = "#7a7a7a"
C_BASELINE = "#c2410c"
C_BAND = "#1f5fa8"
C_DIP = "rgba(220, 38, 38, 0.12)"
C_GOOD = "#15803d"


def clean(values: Sequence[float] | np.ndarray | None, digits: int = 3) -> list:
    """A JSON-ready list: rounded floats, ``None`` for NaN."""
    if values is None:
        return []
    arr = np.asarray(values, dtype=float)
    out = np.round(arr, digits).tolist()
    return [None if (v is None or math.isnan(v)) else v for v in out]


def _base(title: str, horizon: int, big: bool, lang: str, *, toolbox: bool = True) -> dict:
    fs = 22 if big else 12
    return {
        "animation": False,
        "title": {"text": title, "left": 8, "top": 4,
                  "textStyle": {"fontSize": fs + 4, "fontWeight": "bold"}},
        "textStyle": {"fontSize": fs},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 34 if big else 26, "left": 8, "textStyle": {"fontSize": fs},
                   "itemWidth": 18},
        "grid": {"left": 90 if big else 64, "right": 90 if big else 64,
                 "top": 80 if big else 60, "bottom": 50 if big else 36},
        "toolbox": {"show": toolbox and not big, "right": 8, "top": 0,
                    "feature": {"saveAsImage": {"title": "PNG", "pixelRatio": 2}}},
        "xAxis": {"type": "category", "boundaryGap": False,
                  "data": [str(m) for m in range(1, horizon + 1)],
                  "name": tr("month", lang), "nameLocation": "middle",
                  "nameGap": 30 if big else 22,
                  "axisLabel": {"fontSize": fs, "interval": 11},
                  "nameTextStyle": {"fontSize": fs}},
        "yAxis": [_yaxis(fs)],
        "series": [],
    }


def _yaxis(fs: int, name: str = "", right: bool = False) -> dict:
    """A value axis whose name runs along it (so it never collides with the legend)."""
    return {"type": "value", "name": name, "nameLocation": "middle", "nameGap": 3.6 * fs,
            "nameRotate": -90 if right else 90, "axisLabel": {"fontSize": fs},
            "nameTextStyle": {"fontSize": fs}}


def _line(name: str, data: list, color: str, *, dashed: bool = False, width: float = 2.5,
          y_index: int = 0, big: bool = False, z: int = 3) -> dict:
    return {"type": "line", "name": name, "data": data, "showSymbol": False, "symbol": "none",
            "yAxisIndex": y_index, "connectNulls": False, "z": z,
            "lineStyle": {"color": color, "width": width * (1.6 if big else 1),
                          "type": "dashed" if dashed else "solid"},
            "itemStyle": {"color": color}}


def _band(name: str, lo: list, hi: list, color: str, stack: str, y_index: int = 0) -> list[dict]:
    """A shaded band between ``lo`` and ``hi`` (two stacked series)."""
    width = [None if (a is None or b is None) else round(b - a, 4) for a, b in zip(lo, hi, strict=False)]
    common = {"type": "line", "stack": stack, "stackStrategy": "all", "symbol": "none", "showSymbol": False,
              "silent": True, "yAxisIndex": y_index, "lineStyle": {"opacity": 0}, "z": 1}
    return [
        {**common, "name": name, "data": lo, "itemStyle": {"color": color},
         "tooltip": {"show": False}},
        {**common, "name": name, "data": width, "itemStyle": {"color": color},
         "areaStyle": {"color": color, "opacity": 0.18}, "tooltip": {"show": False}},
    ]


def _add_baseline_and_band(opt: dict, key: str, view: Mapping, lang: str, big: bool,
                           y_index: int = 0) -> None:
    base = view.get("baseline")
    if base is not None and key in base:
        opt["series"].append(_line(tr("baseline", lang), clean(base[key]), C_BASELINE,
                                   dashed=True, width=2, y_index=y_index, big=big, z=2))
    band = view.get("band")
    if band is not None and key in band:
        lo, hi = band[key]
        opt["series"].extend(_band(tr("band", lang, n=view.get("band_n", 0)), clean(lo),
                                   clean(hi), C_BAND, f"band-{key}", y_index))


def break_even_mark(be: int | None, lang: str, big: bool) -> dict | None:
    """The vertical "gains arrive" line at the break-even month (None: no break-even yet)."""
    if be is None:
        return None
    return {
        "symbol": "none", "silent": True,
        "lineStyle": {"color": C_GOOD, "width": 2, "type": "solid"},
        "label": {"formatter": tr("gains_arrive", lang), "position": "insideEndTop",
                  "fontSize": 24 if big else 13, "color": C_GOOD, "fontWeight": "bold"},
        "data": [{"xAxis": str(int(be))}],
    }


def dip_mark(span: tuple[int, int] | None, lang: str, big: bool) -> dict | None:
    """The shaded deepest service dip (None: no dip yet)."""
    if span is None:
        return None
    start, end = span
    return {
        "silent": True, "itemStyle": {"color": C_DIP},
        "label": {"formatter": tr("dip", lang), "fontSize": 20 if big else 12,
                  "color": "#b91c1c"},
        "data": [[{"xAxis": str(int(start))}, {"xAxis": str(int(end))}]],
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


def gain_chart(view: Mapping, lang: str, big: bool = False) -> dict:
    """Realised annual gain against the business case's potential."""
    a = view["arrays"]
    opt = _base(tr("ch_gain", lang), view["horizon"], big, lang)
    opt["yAxis"][0]["name"] = tr("mdkk_year", lang)
    opt["series"] += [
        _line(tr("realised_gain", lang), clean(a["realised_gain"]), C_MAIN, big=big),
        _line(tr("potential_gain", lang), clean(a["potential_gain"]), C_POTENTIAL, dashed=True,
              big=big),
    ]
    _add_baseline_and_band(opt, "realised_gain", view, lang, big)
    return opt


def net_benefit_chart(view: Mapping, lang: str, big: bool = False) -> dict:
    """Cumulative net benefit, with the break-even month marked "gains arrive"."""
    a = view["arrays"]
    opt = _base(tr("ch_net", lang), view["horizon"], big, lang)
    opt["yAxis"][0]["name"] = tr("mdkk", lang)
    main = _line(tr("cumulative_net_benefit", lang), clean(a["cumulative_net_benefit"]), C_MAIN,
                 big=big)
    mark = break_even_mark(view.get("kpis", {}).get("break_even_month"), lang, big)
    if mark is not None:
        main["markLine"] = mark
    opt["series"].append(main)
    _add_baseline_and_band(opt, "cumulative_net_benefit", view, lang, big)
    return opt


def service_chart(view: Mapping, lang: str, big: bool = False) -> dict:
    """Service level with the dip shaded."""
    a = view["arrays"]
    opt = _base(tr("ch_service", lang), view["horizon"], big, lang)
    opt["yAxis"][0].update({"name": tr("share", lang), "max": 1})
    main = _line(tr("service_level", lang), clean(a["service_level"]), C_MAIN, big=big)
    mark = dip_mark(view.get("kpis", {}).get("dip_span"), lang, big)
    if mark is not None:
        main["markArea"] = mark
    opt["series"].append(main)
    _add_baseline_and_band(opt, "service_level", view, lang, big)
    return opt


def trust_chart(view: Mapping, lang: str, big: bool = False) -> dict:
    """Managers' trust: mean and the 10–90 % spread across managers."""
    a = view["arrays"]
    opt = _base(tr("ch_trust", lang), view["horizon"], big, lang)
    opt["yAxis"][0].update({"min": 0, "max": 1})
    opt["series"].append(_line(tr("trust_mean", lang), clean(a["trust_mean"]), C_MAIN, big=big))
    opt["series"].extend(_band(tr("trust_band", lang), clean(a["trust_p10"]),
                               clean(a["trust_p90"]), "#0d9488", "spread"))
    base = view.get("baseline")
    if base is not None:
        opt["series"].append(_line(tr("baseline", lang), clean(base["trust_mean"]), C_BASELINE,
                                   dashed=True, width=2, big=big, z=2))
    return opt


def shadow_chart(view: Mapping, lang: str, big: bool = False) -> dict:
    """Shadow FTE: local staff doing the centre's work."""
    a = view["arrays"]
    opt = _base(tr("ch_shadow", lang), view["horizon"], big, lang)
    opt["yAxis"][0]["name"] = tr("fte", lang)
    opt["series"].append(_line(tr("shadow_fte", lang), clean(a["shadow_fte"]), "#7c3aed", big=big))
    _add_baseline_and_band(opt, "shadow_fte", view, lang, big)
    return opt


def centre_chart(view: Mapping, lang: str, big: bool = False) -> dict:
    """Centre staff (left axis) and backlog (right axis)."""
    a = view["arrays"]
    opt = _base(tr("ch_centre", lang), view["horizon"], big, lang)
    fs = 22 if big else 12
    opt["yAxis"] = [
        _yaxis(fs, tr("fte", lang)),
        {**_yaxis(fs, tr("backlog", lang), right=True), "splitLine": {"show": False}},
    ]
    opt["series"] += [
        _line(tr("centre_fte", lang), clean(a["centre_fte"]), C_MAIN, big=big),
        _line(tr("backlog", lang), clean(a["backlog"]), "#d97706", y_index=1, big=big),
    ]
    base = view.get("baseline")
    if base is not None:
        opt["series"].append(_line(tr("baseline", lang) + " · " + tr("centre_fte", lang),
                                   clean(base["centre_fte"]), C_BASELINE, dashed=True, width=2,
                                   big=big, z=2))
    return opt


#: Series the difference chart can show: key -> i18n key of its name.
DIFF_METRICS = {
    "cumulative_net_benefit": "cumulative_net_benefit",
    "realised_gain": "realised_gain",
    "service_level": "service_level",
    "trust_mean": "trust_mean",
    "shadow_fte": "shadow_fte",
    "centre_fte": "centre_fte",
    "backlog": "backlog",
}


def diff_chart(view: Mapping, metric: str, lang: str, big: bool = False) -> dict:
    """Current run minus the pinned baseline (same seed), for one series."""
    a, base = view["arrays"], view["baseline"]
    n = min(len(a[metric]), len(base[metric]))
    diff = np.asarray(a[metric][:n], dtype=float) - np.asarray(base[metric][:n], dtype=float)
    opt = _base(tr("ch_diff", lang) + ": " + tr(DIFF_METRICS[metric], lang), view["horizon"],
                big, lang)
    line = _line("Δ " + tr(DIFF_METRICS[metric], lang), clean(diff), "#0f766e", big=big)
    line["areaStyle"] = {"opacity": 0.15}
    line["markLine"] = {"symbol": "none", "silent": True, "data": [{"yAxis": 0}],
                        "lineStyle": {"color": "#999", "type": "solid"}, "label": {"show": False}}
    opt["series"].append(line)
    return opt


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


def network_chart(net: Mapping, lang: str, big: bool = False) -> dict:
    """The managers' network: colour = trust, size = shadow FTE, marker = phase.

    ``net`` has ``pos`` (n×2 fixed layout in [0, 1]), ``edges`` (list of pairs), ``trust``,
    ``shadow`` and ``phase`` (per node, at the month shown) and ``shadow_max`` (for scaling).
    """
    fs = 22 if big else 12
    pos, trust, shadow, phase = net["pos"], net["trust"], net["shadow"], net["phase"]
    smax = max(float(net.get("shadow_max") or 0.0), 1e-9)
    base_size, extra = NODE_SIZE[bool(big)]
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
    return {
        "animation": False,
        "title": {"text": tr("ch_network", lang), "subtext": tr("net_legend", lang), "left": 8,
                  "top": 4, "textStyle": {"fontSize": fs + 4}, "subtextStyle": {"fontSize": fs}},
        "tooltip": {"formatter": "#{b}: trust, shadow FTE = {c}"},
        "toolbox": {"show": not big, "right": 8, "top": 0,
                    "feature": {"saveAsImage": {"title": "PNG", "pixelRatio": 2}}},
        "legend": {"data": [tr(k, lang) for k in PHASE_KEYS], "bottom": 4,
                   "textStyle": {"fontSize": fs}},
        "visualMap": {"type": "continuous", "min": 0, "max": 1, "seriesIndex": 0, "dimension": 0,
                      "orient": "horizontal", "right": 10, "bottom": 4, "itemHeight": 100,
                      "itemWidth": 10, "text": ["1", "trust 0"], "calculable": False,
                      "inRange": {"color": ["#dc2626", "#eab308", "#16a34a"]},
                      "textStyle": {"fontSize": fs}},
        "series": [
            {"type": "graph", "layout": "none", "roam": True,
             "top": 80 if big else 60, "bottom": 40, "left": 20, "right": 20,
             "categories": [{"name": tr(k, lang), "symbol": s, "itemStyle": {"color": "#9ca3af"}}
                            for k, s in zip(PHASE_KEYS, PHASE_SYMBOLS, strict=True)],
             "data": nodes,
             "links": [{"source": int(a), "target": int(b)} for a, b in net["edges"]],
             "lineStyle": {"color": "#94a3b8", "opacity": 0.35, "width": 0.6},
             "emphasis": {"focus": "adjacency"}},
        ],
    }
