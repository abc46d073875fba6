"""ECharts option builders for the time-series charts: pure functions from a run's data.

Every chart shares one month axis (category axis 1..horizon, fixed, so the lines grow from the
left during live play). The axis is labelled in calendar years from the run's ``start_year``
(the browser writes the year under every twelfth month; tooltips name the month, e.g.
"Jan 2027"). Marks refer to months by their index on that axis (month m is index m - 1).
Data are plain lists with ``None`` for missing values; floats are rounded to keep each update
small. The network view is in ``sim_app.charts.network``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from sim_app.charts.marks import dip_mark, gains_marks
from sim_app.session.live_kpis import dip_span
from sim_app.text.fmt import month_label, unit
from sim_app.text.i18n import tr

C_MAIN = "#1f5fa8"
C_POTENTIAL = "#7a7a7a"
C_BASELINE = "#c2410c"
C_BAND = "#1f5fa8"
C_FORK = "#9333ea"

#: Font sizes (px): normal screen and projector ("big": readable from the back of a room).
FONT = {False: 12, True: 20}
#: Gap (px) between the month axis and its year labels, by font size.
AXIS_MARGIN = {fs: round(0.6 * fs) + 4 for fs in FONT.values()}


def clean(values: Sequence[float] | np.ndarray | None, digits: int = 3) -> list:
    """A JSON-ready list: rounded floats, ``None`` for NaN."""
    if values is None:
        return []
    arr = np.asarray(values, dtype=float)
    out = np.round(arr, digits).tolist()
    return [None if (v is None or math.isnan(v)) else v for v in out]


def month_axis(horizon: int, start_year: int, lang: str, fs: int, big: bool) -> dict:
    """The shared x axis: one category per month, labelled with calendar years."""
    years = max(1, math.ceil(horizon / 12))
    every = 12 * max(1, math.ceil(years / (8 if big else 12)))  # at most 8/12 year labels
    # the year labels sit below the value axis' lowest label (which reaches half its height
    # under the axis line), so the two never overlap in the corner
    margin = AXIS_MARGIN[fs]
    return {"type": "category", "boundaryGap": False,
            "data": [month_label(m, start_year, lang) for m in range(1, horizon + 1)],
            "name": tr("year", lang), "nameLocation": "middle",
            "nameGap": 1.9 * fs + margin - 4,
            "axisLabel": {"fontSize": fs, "interval": every - 1, "margin": margin},
            "axisTick": {"interval": every - 1},
            "nameTextStyle": {"fontSize": fs}}


def _base(title: str, view: Mapping, big: bool, lang: str, *, toolbox: bool = True) -> dict:
    fs = FONT[bool(big)]
    horizon = view["horizon"]
    start_year = int(view.get("start_year", 2025))
    return {
        "animation": False,
        "title": {"text": title, "left": 8, "top": 4,
                  "textStyle": {"fontSize": fs + 4, "fontWeight": "bold"}},
        "textStyle": {"fontSize": fs},
        "tooltip": {"trigger": "axis", "textStyle": {"fontSize": fs}},
        "legend": {"top": 2.2 * fs + 8, "left": 8, "textStyle": {"fontSize": fs},
                   "itemWidth": 18},
        "grid": {"left": 4.6 * fs + 10, "right": 3 * fs + 10 if big else 64,
                 "top": 5 * fs if big else 60, "bottom": 2.6 * fs + AXIS_MARGIN[fs] - 2},
        "toolbox": {"show": toolbox and not big, "right": 8, "top": 0,
                    "feature": {"saveAsImage": {"title": "PNG", "pixelRatio": 2}}},
        "xAxis": month_axis(horizon, start_year, lang, fs, big),
        "yAxis": [_yaxis(fs)],
        "series": [],
        "_xyears": start_year,  # the browser labels the axis in years (echarts_widget.vue)
        "_lang": lang,  # decimal commas in Danish tooltips and axis labels
    }


def _yaxis(fs: int, name: str = "", right: bool = False) -> dict:
    """A value axis whose name runs along it (so it never collides with the legend)."""
    return {"type": "value", "name": name, "nameLocation": "middle", "nameGap": 3.4 * fs,
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
    width = [None if (a is None or b is None) else round(b - a, 4)
             for a, b in zip(lo, hi, strict=False)]
    common = {"type": "line", "stack": stack, "stackStrategy": "all", "symbol": "none",
              "showSymbol": False, "silent": True, "yAxisIndex": y_index,
              "lineStyle": {"opacity": 0}, "z": 1}
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
        opt["series"].append(_line(view.get("baseline_name") or tr("baseline", lang),
                                   clean(base[key]), C_BASELINE, dashed=True, width=2,
                                   y_index=y_index, big=big, z=2))
    band = view.get("band")
    if band is not None and key in band:
        lo, hi = band[key]
        name = view.get("band_label") or tr("band", lang, n=view.get("band_n", 0))
        opt["series"].extend(_band(name, clean(lo), clean(hi), C_BAND, f"band-{key}", y_index))


def _gain_marks_now(view: Mapping, lang: str, big: bool) -> dict | None:
    k = view.get("kpis")
    if k is None:
        return None
    return gains_marks(k.gain_positive_month, k.break_even_month, lang, big)


def gain_chart(view: Mapping, lang: str, big: bool = False) -> dict:
    """Realised annual gain against the business case's potential, both gains moments marked."""
    a = view["arrays"]
    opt = _base(tr("ch_gain", lang), view, big, lang)
    opt["yAxis"][0]["name"] = unit("mio. kr./year", lang)
    main = _line(view.get("run_name") or tr("realised_gain", lang), clean(a["realised_gain"]),
                 C_MAIN, big=big)
    mark = _gain_marks_now(view, lang, big)
    if mark is not None:
        main["markLine"] = mark
    opt["series"] += [
        main,
        _line(tr("potential_gain", lang), clean(a["potential_gain"]), C_POTENTIAL, dashed=True,
              big=big),
    ]
    _add_baseline_and_band(opt, "realised_gain", view, lang, big)
    return opt


def net_benefit_chart(view: Mapping, lang: str, big: bool = False) -> dict:
    """Cumulative net benefit, with break-even (and the earlier annual-gain moment) marked."""
    a = view["arrays"]
    opt = _base(tr("ch_net", lang), view, big, lang)
    opt["yAxis"][0]["name"] = unit("mio. kr.", lang)
    main = _line(view.get("run_name") or tr("cumulative_net_benefit", lang),
                 clean(a["cumulative_net_benefit"]), C_MAIN, big=big)
    mark = _gain_marks_now(view, lang, big)
    if mark is not None:
        main["markLine"] = mark
    opt["series"].append(main)
    _add_baseline_and_band(opt, "cumulative_net_benefit", view, lang, big)
    return opt


def service_chart(view: Mapping, lang: str, big: bool = False) -> dict:
    """Service level with the dip shaded."""
    a = view["arrays"]
    opt = _base(tr("ch_service", lang), view, big, lang)
    # scale: the axis starts near the lowest service, so the dip fills the chart
    opt["yAxis"][0].update({"name": unit("share", lang), "max": 1, "scale": True})
    main = _line(view.get("run_name") or tr("service_level", lang), clean(a["service_level"]),
                 C_MAIN, big=big)
    mark = dip_mark(dip_span(view["kpis"]) if "kpis" in view else None, lang, big)
    if mark is not None:
        main["markArea"] = mark
    opt["series"].append(main)
    _add_baseline_and_band(opt, "service_level", view, lang, big)
    # before the first go-live there is no service to draw: the chart says why (the browser
    # shows it while the months shown have no value)
    served = np.flatnonzero(~np.isnan(np.asarray(a["service_level"], dtype=float)))
    opt["_empty"] = (tr("no_service_yet", lang, m=int(served[0]) + 1) if served.size
                     else tr("no_service", lang))
    return opt


def trust_chart(view: Mapping, lang: str, big: bool = False) -> dict:
    """Managers' trust: mean and the 10–90 % spread across managers."""
    a = view["arrays"]
    opt = _base(tr("ch_trust", lang), view, big, lang)
    opt["yAxis"][0].update({"min": 0, "max": 1, "name": unit("0–1", lang)})
    opt["series"].append(_line(tr("trust_mean", lang), clean(a["trust_mean"]), C_MAIN, big=big))
    opt["series"].extend(_band(tr("trust_band", lang), clean(a["trust_p10"]),
                               clean(a["trust_p90"]), "#0d9488", "spread"))
    # the managers' reference point: trust falls when service stays below it
    opt["series"].append(_line(tr("expected_service_line", lang),
                               clean(a["expected_service"]), "#9ca3af", dashed=True, width=1.5,
                               big=big))
    base = view.get("baseline")
    if base is not None:
        opt["series"].append(_line(view.get("baseline_name") or tr("baseline", lang),
                                   clean(base["trust_mean"]), C_BASELINE,
                                   dashed=True, width=2, big=big, z=2))
    return opt


def shadow_chart(view: Mapping, lang: str, big: bool = False) -> dict:
    """Shadow FTE: local staff doing the centre's work."""
    a = view["arrays"]
    opt = _base(tr("ch_shadow", lang), view, big, lang)
    opt["yAxis"][0]["name"] = unit("FTE", lang)
    opt["series"].append(_line(tr("shadow_fte", lang), clean(a["shadow_fte"]), "#7c3aed",
                               big=big))
    _add_baseline_and_band(opt, "shadow_fte", view, lang, big)
    return opt


def centre_chart(view: Mapping, lang: str, big: bool = False) -> dict:
    """Centre staff (left axis) and backlog (right axis)."""
    a = view["arrays"]
    opt = _base(tr("ch_centre", lang), view, big, lang)
    fs = FONT[bool(big)]
    opt["yAxis"] = [
        _yaxis(fs, unit("FTE", lang)),
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
