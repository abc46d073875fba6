"""The difference chart: the current option minus the pinned one (or a fork's path minus
the original, the room minus the rules), with the paired band over common seeds."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sim_app.charts.builders import C_BAND, FONT, _band, _base, _line, clean
from sim_app.text.fmt import unit
from sim_app.text.i18n import tr

#: Series the difference chart can show: key -> (i18n key of its name, unit, scale).
#: Service level differences are shown in percentage points.
DIFF_METRICS = {
    "cumulative_net_benefit": ("cumulative_net_benefit", "mio. kr.", 1.0),
    "realised_gain": ("realised_gain", "mio. kr./year", 1.0),
    "service_level": ("service_level", "pp", 100.0),
    "trust_mean": ("trust_mean_long", "0–1", 1.0),
    "shadow_fte": ("shadow_fte", "FTE", 1.0),
    "centre_fte": ("centre_fte", "FTE", 1.0),
    "backlog": ("backlog", "FTE-months", 1.0),
    "failure_cost": ("failure_cost", "mio. kr./year", 1.0),
    "wait_weeks": ("wait_weeks", "weeks", 1.0),
    "share_paying_more": ("share_paying_more", "pp", 100.0),
}


def diff_unit(metric: str, lang: str) -> str:
    """The unit of the difference chart for ``metric``, in ``lang``."""
    return unit(DIFF_METRICS[metric][1], lang)


def diff_chart(view: Mapping, metric: str, lang: str, big: bool = False) -> dict:
    """Current run minus the pinned baseline (same seed), for one series, with its unit,
    and the paired 10–90 % band of the difference over the band's seeds when it is there.

    Months before ``view["diff_from"]`` (a fork's month) are left empty: there both paths are
    one and the same.
    """
    a, base = view["arrays"], view["baseline"]
    key, unit_en, scale = DIFF_METRICS[metric]
    n = min(len(a[metric]), len(base[metric]))
    diff = (np.asarray(a[metric][:n], dtype=float)
            - np.asarray(base[metric][:n], dtype=float)) * scale
    start = int(view.get("diff_from") or 0)
    if start > 0:
        diff[: max(start - 1, 0)] = np.nan
    opt = _base(view.get("diff_title") or tr("ch_diff", lang), view, big, lang)
    band = (view.get("diff_band") or {}).get(metric)
    opt["title"]["subtext"] = f"{tr(key, lang)} ({unit(unit_en, lang)})"
    opt["title"]["subtextStyle"] = {"fontSize": FONT[bool(big)]}
    opt["legend"]["show"] = band is not None
    opt["grid"]["top"] = 5 * FONT[bool(big)] if big else 64
    opt["yAxis"][0]["name"] = "Δ " + unit(unit_en, lang)
    name = "Δ " + tr(key, lang) + (" · " + tr("one_draw", lang, seed=view["seed"])
                                    if band is not None and "seed" in view else "")
    line = _line(name, clean(diff), "#0f766e", big=big)
    line["areaStyle"] = {"opacity": 0.15}
    line["markLine"] = {"symbol": "none", "silent": True, "data": [{"yAxis": 0}],
                        "lineStyle": {"color": "#999", "type": "solid"}, "label": {"show": False}}
    opt["series"].append(line)
    if band is not None:  # paired: both options run with the same seeds, per replication
        lo, _mid, hi = band
        name = (view.get("diff_band_label")
                or tr("diff_band", lang, n=view.get("diff_band_n", 0)))
        opt["series"].extend(_band(name, clean(lo), clean(hi), C_BAND, f"band-diff-{metric}"))
    return opt
