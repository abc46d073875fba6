"""Scenario discovery and feature scoring with the EMA Workbench (``ema_workbench``).

``sim analyze --discover "KPI < VALUE"`` marks the runs where the condition holds and asks
PRIM (Friedman & Fisher 1999, as used for scenario discovery by Bryant & Lempert 2010) or
CART for boxes in the design's factors that hold them: each box with its *coverage* (share of
the marked runs inside it), *density* (share of the runs inside it that are marked), *mass*
(share of all runs inside it), its limits in plain words, and PRIM's peeling trajectory (the
coverage–density trade-off). Feature scoring (extra trees) ranks the factors for any design.

The workbench is optional (``pip install 'sharedsim[discovery]'``; the lock installs it) and
imported only when asked for: it pulls in scikit-learn and statsmodels.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import SimInputError
from sim_sweep.survival import ranked

#: PRIM box chosen on the trajectory: the largest coverage at this density or more.
MIN_DENSITY = 0.8
OPERATORS = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}
_CONDITION = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|<|>)\s*([-+0-9.eE]+)\s*$")


class DiscoveryError(SimInputError):
    """A discovery condition or data that discovery cannot use (one clear line; a
    :class:`sim.errors.SimInputError`)."""


@dataclass(frozen=True)
class Condition:
    """``kpi op value``, e.g. ``cumulative_net_benefit_end_mdkk < 0``."""

    kpi: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.kpi} {self.op} {self.value:g}"

    def holds(self, y: np.ndarray) -> np.ndarray:
        """Where the condition holds (a missing value, NaN, never meets it; ``inf`` stands for
        a time-to-event figure not reached by the horizon, later than any month)."""
        y = np.asarray(y, dtype=float)
        with np.errstate(invalid="ignore"):
            return OPERATORS[self.op](y, self.value) & ~np.isnan(y)


def parse_condition(text: str, kpis: list[str]) -> Condition:
    """Parse ``"KPI < VALUE"`` (operators ``< <= > >=``) against the KPIs present.

    Raises:
        DiscoveryError: malformed text or an unknown KPI, naming what is allowed.
    """
    m = _CONDITION.match(text or "")
    if not m:
        raise DiscoveryError(f"--discover {text!r}: write 'KPI < VALUE' (operators < <= > >=), "
                             "e.g. \"cumulative_net_benefit_end_mdkk < 0\".")
    kpi, op, value = m.group(1), m.group(2), m.group(3)
    if kpi not in kpis:
        raise DiscoveryError(f"--discover: unknown KPI '{kpi}'; allowed: {', '.join(kpis)}.")
    try:
        return Condition(kpi, op, float(value))
    except ValueError:
        raise DiscoveryError(f"--discover {text!r}: {value!r} is not a number.") from None


@dataclass
class Box:
    """One box found by PRIM or CART."""

    coverage: float
    density: float
    mass: float
    n: int
    limits: dict[str, tuple[str, Any]]  # factor -> ("range", (lo, hi)) | ("in", [levels])
    words: str
    qp: dict[str, float] = field(default_factory=dict)  # PRIM's quasi-p values
    #: Runs outside the earlier boxes, among which this box was found (peeling order); its
    #: coverage, density and mass above are shares of those runs (box 1: of all runs).
    among: int = 0
    #: The box's limits on their own, over all runs (earlier boxes included).
    own_coverage: float = float("nan")
    own_density: float = float("nan")
    own_mass: float = float("nan")


@dataclass
class Discovery:
    """Scenario discovery of one condition over a sweep's runs."""

    condition: Condition
    method: str
    runs: int
    hits: int
    missing: int  # runs without a value of the KPI (counted as not meeting it)
    boxes: list[Box]
    trajectory: pd.DataFrame | None  # PRIM: coverage, density, mass, res_dim per step
    factors: list[str]


def _workbench() -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import ema_workbench.analysis as ema  # optional and heavy: only when asked
    except ImportError:
        raise DiscoveryError("scenario discovery needs the EMA Workbench: pip install "
                             "'sharedsim[discovery]' (or ema_workbench).") from None
    logging.getLogger("EMA").setLevel(logging.WARNING)
    return ema


def factor_frame(runs: pd.DataFrame, design: pd.DataFrame) -> pd.DataFrame:
    """The design's factors for every run (one row per run, columns named plainly)."""
    cols = [c for c in design.columns if c.startswith(("case_", "p_"))]
    x = runs[["point_key"]].merge(design[["point_key", *cols]].drop_duplicates("point_key"),
                                  on="point_key", how="left")
    x = x.drop(columns="point_key")
    # The workbench drops a column named "scenario" (its own bookkeeping): rename ours.
    x.columns = ["scenario_name" if c == "case_scenario" else
                 c.removeprefix("case_").removeprefix("p_") for c in cols]
    for c in x.columns:
        if not pd.api.types.is_numeric_dtype(x[c]) or pd.api.types.is_bool_dtype(x[c]):
            x[c] = x[c].astype(str).astype("category")
        elif pd.api.types.is_integer_dtype(x[c]):
            x[c] = x[c].astype("int64")
        else:
            x[c] = x[c].astype("float64")
    return x.reset_index(drop=True)


def discover(runs: pd.DataFrame, design: pd.DataFrame, condition: Condition,
             method: str = "prim", mass_min: float = 0.05, max_boxes: int = 2) -> Discovery:
    """Boxes in the design's factors that hold the runs meeting ``condition``.

    Raises:
        DiscoveryError: no factor varies, or no run (or every run) meets the condition.
    """
    x = factor_frame(runs, design)
    x = x[[c for c in x.columns if x[c].nunique() > 1]]
    if x.empty:
        raise DiscoveryError("scenario discovery needs a design with at least one varied "
                             "factor.")
    values = ranked(runs[condition.kpi].to_numpy(dtype=float), condition.kpi)
    y = condition.holds(values)
    hits = int(y.sum())
    if hits == 0 or hits == len(y):
        raise DiscoveryError(f"--discover {condition}: {'no' if hits == 0 else 'every'} run "
                             f"of {len(y)} meets the condition; nothing to discover.")
    ema = _workbench()
    missing = int(np.isnan(values).sum())
    if method == "cart":
        boxes = _cart(ema, x, y, mass_min)
        trajectory = None
    else:
        boxes, trajectory = _prim(ema, x, y, mass_min, max_boxes)
    conditional(boxes, x, y)
    return Discovery(condition, method, len(y), hits, missing, boxes, trajectory, list(x.columns))


def select_index(trajectory: pd.DataFrame, min_density: float = MIN_DENSITY) -> int:
    """The trajectory step chosen: largest coverage with density ≥ ``min_density``, else the
    densest step."""
    ok = trajectory[trajectory["density"] >= min_density]
    if not ok.empty:
        return int(ok.sort_values(["coverage", "density"], ascending=False).index[0])
    return int(trajectory.sort_values(["density", "coverage"], ascending=False).index[0])


def _prim(ema: Any, x: pd.DataFrame, y: np.ndarray, mass_min: float,
          max_boxes: int) -> tuple[list[Box], pd.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = ema.prim.Prim(x, y, mass_min=mass_min)
        boxes: list[Box] = []
        first_traj = None
        for _ in range(max_boxes):
            box = p.find_box()
            if box is None:
                break
            traj = box.peeling_trajectory.reset_index(drop=True)
            i = select_index(traj)
            box.select(i)
            if first_traj is None:
                first_traj = traj[["coverage", "density", "mass", "res_dim"]].copy()
            row = traj.iloc[i]
            if row["res_dim"] == 0:
                break
            limits = _limits(box.box_lims[i], p.box_init, x)
            qp = {k: _quasi_p(v) for k, v in box.p_values[i].items() if k in limits}
            order = sorted(limits, key=lambda k: qp.get(k, 1.0))
            limits = {k: limits[k] for k in order}
            boxes.append(Box(float(row["coverage"]), float(row["density"]), float(row["mass"]),
                             int(row["n"]), limits, words(limits, qp), qp))
    return boxes, first_traj if first_traj is not None else pd.DataFrame()


def _cart(ema: Any, x: pd.DataFrame, y: np.ndarray, mass_min: float) -> list[Box]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = ema.cart.CART(x, y, mass_min=mass_min)
        c.build_tree()
        init = ema.scenario_discovery_util._make_box(x)  # the initial box, as PRIM makes it
        out = []
        for lims, st in zip(c.boxes, c.stats, strict=True):
            if st["density"] < 0.5:  # leaves where most runs meet the condition
                continue
            limits = _limits(lims, init, x)
            out.append(Box(float(st["coverage"]), float(st["density"]), float(st["mass"]),
                           int(round(st["mass"] * len(y))), limits, words(limits)))
    return sorted(out, key=lambda b: (-b.coverage, -b.density))


def inside(limits: dict[str, tuple], x: pd.DataFrame) -> np.ndarray:
    """Which runs (rows of ``x``) lie within a box's limits (bounds included)."""
    ok = np.ones(len(x), dtype=bool)
    for c, (kind, v) in limits.items():
        if kind == "in":
            ok &= x[c].astype(str).isin(v).to_numpy()
            continue
        col = x[c].to_numpy(dtype=float)
        lo, hi = v
        if lo is not None:
            ok &= col >= lo
        if hi is not None:
            ok &= col <= hi
    return ok


def conditional(boxes: list[Box], x: pd.DataFrame, y: np.ndarray) -> None:
    """Describe each box as found: among the runs outside the earlier boxes (PRIM's peeling
    order; CART's leaves do not overlap), with its own statistics over all runs beside."""
    y = np.asarray(y, dtype=bool)
    remain = np.ones(len(y), dtype=bool)
    for b in boxes:
        inb = inside(b.limits, x)
        b.own_mass = float(inb.mean())
        b.own_coverage = float((y & inb).sum() / max(int(y.sum()), 1))
        b.own_density = float(y[inb].mean()) if inb.any() else float("nan")
        cin = inb & remain
        b.among = int(remain.sum())
        b.coverage = float((y & cin).sum() / max(int((y & remain).sum()), 1))
        b.density = float(y[cin].mean()) if cin.any() else float("nan")
        b.mass = float(cin.sum() / max(b.among, 1))
        b.n = int(cin.sum())
        remain &= ~inb


def _quasi_p(value: Any) -> float:
    """PRIM's quasi-p value of a restriction: the smaller of its sides' (-1 = side not
    restricted)."""
    vals = [float(v) for v in (value if isinstance(value, list | tuple) else [value])]
    valid = [v for v in vals if v >= 0]
    return min(valid) if valid else float("nan")


def _limits(lims: pd.DataFrame, init: pd.DataFrame, x: pd.DataFrame) -> dict[str, tuple]:
    """Restricted dimensions of a box: numeric (lo, hi) or the allowed categories."""
    out: dict[str, tuple] = {}
    for c in x.columns:
        lo, hi = lims[c].iloc[0], lims[c].iloc[1]
        ilo, ihi = init[c].iloc[0], init[c].iloc[1]
        if isinstance(lo, set | frozenset):
            if set(lo) != set(ilo):
                out[c] = ("in", sorted(str(v) for v in lo))
        elif lo > ilo or hi < ihi:
            out[c] = ("range", (None if lo <= ilo else float(lo),
                                None if hi >= ihi else float(hi)))
    return out


#: Restrictions with a quasi-p value above this are named as weaker ones.
SIGNIFICANT = 0.05


def words(limits: dict[str, tuple], qp: dict[str, float] | None = None) -> str:
    """A box's limits in plain words, strongest first: ``progress_ratio at least 0.906 and
    shadow_max_share at least 0.3 (weaker: ...)``; weaker = quasi-p above
    :data:`SIGNIFICANT`."""
    qp = qp or {}
    strong = {c: v for c, v in limits.items() if not qp.get(c, 0.0) > SIGNIFICANT}
    weak = {c: v for c, v in limits.items() if c not in strong}
    text = _phrases(strong) if strong else "(no restriction is clearly significant)"
    if weak:
        text += f" (weaker, quasi-p > {SIGNIFICANT:g}: {_phrases(weak, ', ')})"
    return text


def _phrases(limits: dict[str, tuple], sep: str = " and ") -> str:
    parts = []
    for c, (kind, v) in limits.items():
        if kind == "in":
            parts.append(f"{c} is {' or '.join(v)}")
            continue
        lo, hi = v
        if lo is not None and hi is not None:
            parts.append(f"{c} between {lo:.3g} and {hi:.3g}")
        elif lo is not None:
            parts.append(f"{c} at least {lo:.3g}")
        else:
            parts.append(f"{c} at most {hi:.3g}")
    return sep.join(parts) or "(the whole design)"


def describe(d: Discovery, unit: str = "") -> list[str]:
    """Plain-language lines for the terminal and the report."""
    u = f" ({unit})" if unit else ""
    lines = [f"{d.method.upper()} on {d.runs:,} runs: {d.hits:,} "
             f"({100 * d.hits / d.runs:.0f} %) have {d.condition}{u}."]
    if d.missing:
        lines.append(f"{d.missing:,} runs have no value of {d.condition.kpi} (never reached); "
                     "they count as not meeting the condition.")
    if not d.boxes:
        lines.append("No box restricts the factors enough to be worth reporting.")
    for i, b in enumerate(d.boxes, start=1):
        if i == 1:
            lines.append(f"Box 1: {b.words}. It holds {100 * b.coverage:.0f} % of the runs "
                         f"that meet the condition (coverage); {100 * b.density:.0f} % of the "
                         f"{b.n:,} runs in it meet it (density); it holds "
                         f"{100 * b.mass:.0f} % of all runs (mass).")
            continue
        earlier = "box 1" if i == 2 else f"boxes 1-{i - 1}"
        lines.append(f"Box {i}, found among the {b.among:,} runs outside {earlier} (PRIM "
                     f"peels box by box): {b.words}. Of those runs it holds "
                     f"{100 * b.coverage:.0f} % of the ones that meet the condition "
                     f"(coverage) and {100 * b.mass:.0f} % of all of them (mass); "
                     f"{100 * b.density:.0f} % of the {b.n:,} runs in it meet it (density). "
                     f"Its limits on their own, {earlier} included, hold "
                     f"{100 * b.own_mass:.0f} % of all runs, with coverage "
                     f"{100 * b.own_coverage:.0f} % and density {100 * b.own_density:.0f} %.")
    return lines


def feature_scores(runs: pd.DataFrame, design: pd.DataFrame, kpis: list[str],
                   seed: int) -> pd.DataFrame:
    """Extra-trees feature scores of every varied factor for each KPI (rows: factors).

    KPIs missing at some runs are scored on the runs that have them.
    """
    ema = _workbench()
    x = factor_frame(runs, design)
    x = x[[c for c in x.columns if x[c].nunique() > 1]]
    cols = {}
    if x.empty:
        return pd.DataFrame()
    for k in kpis:
        y = runs[k].to_numpy(dtype=float)
        ok = np.isfinite(y)
        if ok.sum() < 10 or np.ptp(y[ok]) == 0:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scores, _ = ema.feature_scoring.get_ex_feature_scores(
                x[ok].reset_index(drop=True), y[ok],
                mode=ema.scenario_discovery_util.RuleInductionType.REGRESSION,
                max_features=max(1, round(x.shape[1] / 3)), random_state=seed)
        cols[k] = scores.iloc[:, 0]
    out = pd.DataFrame(cols)
    out.index.name = "factor"
    return out
