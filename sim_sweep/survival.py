"""Time-to-event key figures: censored at the horizon, never dropped.

A "months until" figure (break-even, gains arrive, 50 % / 90 % of the gain) is missing in a run
that does not reach it by the horizon. Such a run is *censored*: it reached the figure later
than the horizon, or never. Dropping it (a mean of the runs that did reach it) makes slow
designs look fast; so here

* a design point's figure is summarised by the share of runs that reached it, its median
  with a distribution-free interval (order statistics; a run not reached counts as later than
  any month, so the median is "not by the horizon" when fewer than half reached it) and its
  restricted mean (a run not reached counts as the horizon: the area under the survival curve
  up to the horizon);
* groups of design points (a policy across sampled futures, or all runs) get Kaplan-Meier
  survival curves (``scipy.stats.ecdf`` on ``CensoredData``; each run censored at its own
  horizon), the share not reached by the horizon, and the Kaplan-Meier median with the
  interval where the curve's confidence band crosses one half;
* rank statistics (Spearman) treat "not by the horizon" as later than any month
  (:func:`ranked`).

Which figures are times to an event is read from ``sim.kpis.FIGURES``: a figure counted in
months (``fmt == "month"``) that a run may not reach (``missing == "not reached"``).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.kpis import FIGURE, FIGURES

#: The parameter that sets a run's horizon (months simulated).
HORIZON = "months"


def time_to_event() -> tuple[str, ...]:
    """The key figures that are times to an event (censored at the horizon)."""
    return tuple(f.name for f in FIGURES if f.fmt == "month" and f.missing == "not reached")


def is_censored_kpi(kpi: str) -> bool:
    """True for a time-to-event key figure (:func:`time_to_event`)."""
    f = FIGURE.get(kpi)
    return f is not None and f.fmt == "month" and f.missing == "not reached"


def ranked(values: np.ndarray | pd.Series, kpi: str) -> np.ndarray:
    """Values for rank statistics: a time-to-event figure not reached counts as later than
    any month (``+inf``); other figures unchanged."""
    v = np.asarray(values, dtype=float)
    return np.where(np.isnan(v), np.inf, v) if is_censored_kpi(kpi) else v


def restricted(values: np.ndarray, horizon: np.ndarray) -> np.ndarray:
    """Times with a run not reached counted as its horizon (min(T, horizon))."""
    v = np.asarray(values, dtype=float)
    return np.where(np.isnan(v), np.asarray(horizon, dtype=float), np.minimum(v, horizon))


def median_interval(values: np.ndarray, conf: float) -> tuple[float, float, float]:
    """Median and a distribution-free interval of at least ``conf`` coverage (order
    statistics of a binomial(n, 1/2)); ``+inf`` stands for "later than the horizon".

    Returns ``(median, low, high)``; the ends are NaN when ``n`` is too small for the level
    (e.g. fewer than 6 runs at 95 %).
    """
    x = np.sort(np.asarray(values, dtype=float))
    n = x.size
    if n == 0:
        return math.nan, math.nan, math.nan
    med = float(x[math.ceil(n / 2) - 1])  # smallest t with share reached by t >= 1/2
    alpha = 1.0 - conf
    k = int(stats.binom.ppf(alpha / 2, n, 0.5))
    if stats.binom.cdf(k, n, 0.5) > alpha / 2:
        k -= 1
    if k < 0:
        return med, math.nan, math.nan
    return med, float(x[k]), float(x[n - k - 1])


@dataclass
class Curve:
    """A Kaplan-Meier curve: months, share not yet reached, its confidence band, counts."""

    months: np.ndarray
    survival: np.ndarray
    low: np.ndarray
    high: np.ndarray
    runs: int
    reached: int
    horizon: float  # the latest horizon of the runs

    @property
    def not_reached(self) -> float:
        """Share not reached by the horizon (the curve's last value; 1 when none reached)."""
        return float(self.survival[-1]) if self.survival.size else 1.0

    def median(self) -> tuple[float, float, float]:
        """Kaplan-Meier median with the months where the band crosses 1/2 (NaN: not reached
        by the horizon, so later than it)."""
        def first(s: np.ndarray) -> float:
            hit = np.nonzero(s <= 0.5)[0]
            return float(self.months[hit[0]]) if hit.size else math.nan
        return first(self.survival), first(self.low), first(self.high)


def kaplan_meier(times: np.ndarray, horizon: np.ndarray | float,
                 conf: float = 0.95) -> Curve:
    """Kaplan-Meier estimate of the share not yet reached, month by month.

    Args:
        times: Month reached per run; NaN where the run did not reach it (censored at its
            horizon).
        horizon: Each run's horizon (months simulated), or one for all.
        conf: Level of the pointwise confidence band (Greenwood, log-log transformed).
    """
    t = np.asarray(times, dtype=float)
    h = np.broadcast_to(np.asarray(horizon, dtype=float), t.shape)
    hit = ~np.isnan(t)
    if not hit.any():  # nothing reached: the curve stays at 1 to the horizon
        end = float(h.max()) if h.size else math.nan
        one = np.ones(1)
        return Curve(np.array([end]), one, one, one, int(t.size), 0, end)
    data = stats.CensoredData(uncensored=t[hit], right=h[~hit])
    sf = stats.ecdf(data).sf
    months = np.asarray(sf.quantiles, dtype=float)
    surv = np.asarray(sf.probabilities, dtype=float)
    with warnings.catch_warnings():  # undefined where the curve reaches 0 (band: 0 to 1)
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = sf.confidence_interval(confidence_level=conf, method="log-log")
    low = np.nan_to_num(np.asarray(ci.low.probabilities, dtype=float), nan=0.0)
    high = np.nan_to_num(np.asarray(ci.high.probabilities, dtype=float), nan=1.0)
    return Curve(months, surv, low, high, int(t.size), int(hit.sum()), float(h.max()))


def group_table(runs: pd.DataFrame, kpis: list[str], groups: list[str],
                conf: float) -> pd.DataFrame:
    """Per group of runs (e.g. a policy across the sampled futures) and time-to-event KPI:
    runs, share reached by the horizon, Kaplan-Meier median and its interval."""
    rows = []
    horizon_col = "p_" + HORIZON
    keyed = runs.assign(_g=runs[groups].astype(str).agg(" · ".join, axis=1)) if groups \
        else runs.assign(_g="all runs")
    for kpi in kpis:
        if not is_censored_kpi(kpi) or kpi not in runs:
            continue
        for g, sub in keyed.groupby("_g", sort=False):
            h = sub[horizon_col].to_numpy(dtype=float) if horizon_col in sub else np.nan
            c = kaplan_meier(sub[kpi].to_numpy(dtype=float), h, conf)
            med, lo, hi = c.median()
            rows.append({"kpi": kpi, "group": g, "runs": c.runs, "reached": c.reached,
                         "share_reached": c.reached / c.runs if c.runs else math.nan,
                         "horizon_months": c.horizon, "km_median": med, "km_median_low": lo,
                         "km_median_high": hi, "conf_level": conf})
    return pd.DataFrame(rows)
