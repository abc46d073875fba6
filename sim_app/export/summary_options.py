"""The one-pager's figures over replications: each option's median with its 10–90 % interval,
and the paired difference of two options (the same seeds for both), in words.

A month figure the run does not reach counts as later than any month (censored), so its
median and interval can say "not yet"; a difference needs both options to reach it and says
how many pairs did not.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sim.kpis import FIGURE, write
from sim_app.text.figures import writing
from sim_app.text.fmt import num, unit
from sim_app.text.i18n import tr

#: The monthly series the one-pager's charts draw, per option (median and 10–90 %).
CHART_SERIES = ("realised_gain", "potential_gain", "service_level", "cumulative_net_benefit")


@dataclass(frozen=True)
class OptionSeries:
    """One option's replications as the charts draw them: name, median and 10–90 % per
    month, and the median of its key figures (the marks)."""

    name: str
    median: Mapping[str, np.ndarray]
    lo: Mapping[str, np.ndarray]
    hi: Mapping[str, np.ndarray]
    kpis: Mapping[str, float | None]


def option_series(name: str, runs: Sequence[Mapping[str, np.ndarray]],
                  kpis: Sequence[Mapping[str, float | None]]) -> OptionSeries:
    """Median and 10–90 % per month of :data:`CHART_SERIES` over ``runs``."""
    med, lo, hi = {}, {}, {}
    for k in CHART_SERIES:
        stack = np.vstack([np.asarray(r[k], dtype=float) for r in runs])
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # months no run has reached
            lo[k], med[k], hi[k] = np.nanquantile(stack, [0.1, 0.5, 0.9], axis=0)
    return OptionSeries(name, med, lo, hi, {k: median_value(k, [x[k] for x in kpis])
                                            for k in kpis[0]})


def _censored(name: str) -> bool:
    fig = FIGURE.get(name)
    return fig is not None and fig.fmt == "month" and fig.missing == "not reached"


def median_value(name: str, values: Sequence[float | None]) -> float | None:
    """The median of one key figure over replications (None when most do not reach it)."""
    if _censored(name) or any(v is None for v in values):
        vals = [np.inf if v is None else float(v) for v in values]
        m = float(np.quantile(vals, 0.5, method="inverted_cdf"))
        return None if np.isinf(m) else m
    return float(np.median(np.asarray(values, dtype=float)))


def interval_text(name: str, values: Sequence[float | None], lang: str) -> str:
    """ "median (10 % – 90 %)" of one figure over replications, in ``lang``."""
    fig = FIGURE[name]
    w = writing(lang)
    if _censored(name):
        vals = [np.inf if v is None else float(v) for v in values]
        q = np.quantile(vals, [0.5, 0.1, 0.9], method="inverted_cdf")
        mid, lo, hi = (tr("kpi_not_yet", lang) if np.isinf(x) else write(name, round(x), w)
                       for x in q)
        missing = sum(1 for v in values if v is None)
        return compact(mid, lo, hi) + (f"; {missing} {tr('kpi_not_yet', lang)}"
                                        if missing else "")
    vals = [float(v) for v in values if v is not None]
    if not vals:
        return "–"
    q = np.quantile(vals, [0.5, 0.1, 0.9])
    if fig.fmt == "month":
        q = np.round(q)
    mid, lo, hi = (write(name, x, w) for x in q)
    missing = len(values) - len(vals)
    return compact(mid, lo, hi) + (f"; {missing} {tr('kpi_not_yet', lang)}"
                                      if missing else "")


def range_text(name: str, values: Sequence[float | None], lang: str) -> str:
    """ "62 – 75 months": one figure's 10 % – 90 % over replications, the unit written once
    (a month not reached by the tenth past the end reads "not yet")."""
    w = writing(lang)
    if _censored(name):
        vals = [np.inf if v is None else float(v) for v in values]
        q = np.quantile(vals, [0.1, 0.9], method="inverted_cdf")
        lo, hi = (tr("kpi_not_yet", lang) if np.isinf(x) else write(name, round(x), w)
                  for x in q)
    else:
        vals = [float(v) for v in values if v is not None]
        if not vals:
            return "–"
        q = np.quantile(vals, [0.1, 0.9])
        lo, hi = (write(name, round(x) if FIGURE[name].fmt == "month" else x, w) for x in q)
    (pl, nl, sl), (ph, nh, sh) = _core(lo), _core(hi)
    if nl and nh and (pl, sl) == (ph, sh):
        return f"{pl}{nl} – {nh}{sl}"
    return f"{lo} – {hi}"


def _core(text: str) -> tuple[str, str, str]:
    """(text before the number, the number, text after it): "month 70" -> ("month ", "70", "")."""
    m = re.search(r"[−+\-]?\d[\d.,]*", text)
    if m is None:
        return "", text, ""
    return text[:m.start()], m.group(), text[m.end():]


def compact(mid: str, lo: str, hi: str) -> str:
    """ "862.8 mio. kr. (848.6 – 870.0)": the unit written once when all three share it."""
    parts = [_core(t) for t in (mid, lo, hi)]
    if all(p[1] for p in parts) and len({(p[0], p[2]) for p in parts}) == 1:
        return f"{mid} ({parts[1][1]} – {parts[2][1]})"
    return f"{mid} ({lo} – {hi})"


def _signed(text: str, value: float) -> str:
    return ("+" + text) if value > 0 else text


def diff_value_text(name: str, value: float, lang: str) -> str:
    """One difference of a figure in words: months, percentage points or its own unit."""
    fig = FIGURE[name]
    if fig.fmt == "month":
        return _signed(f"{num(value, 0, lang)} {unit('months', lang)}", value)
    if fig.fmt == "share":
        return _signed(f"{num(100 * value, 0, lang)} {unit('pp', lang)}", value)
    return _signed(write(name, value, writing(lang)), value)


def diff_text(name: str, a: Sequence[float | None], b: Sequence[float | None],
              lang: str) -> str:
    """ "median (10 % – 90 %)" of the paired differences b − a (pairs where both reach it)."""
    pairs = [float(y) - float(x) for x, y in zip(a, b, strict=True)
             if x is not None and y is not None]
    if not pairs:
        return "–"
    q = np.quantile(pairs, [0.5, 0.1, 0.9])
    mid, lo, hi = (diff_value_text(name, x, lang) for x in q)
    missing = len(a) - len(pairs)
    return compact(mid, lo, hi) + (f"; {tr('sum_pairs_missing', lang, k=missing)}"
                                      if missing else "")
