"""The calibration's report: what the evidence pins down, and what fits jointly.

:func:`write_report` reads a finished calibration's folder and writes, into ``report/``:

* ``report.html`` — self-contained (embedded PNG; SVG beside each), fit for an appendix;
* ``report.md`` — the same tables in Markdown (``docs/calibration.md`` includes them);
* ``thresholds.png/svg`` — the threshold schedule; ``marginals.png/svg`` — each parameter's
  posterior against its prior; ``pairs.png/svg`` — pairwise posteriors of the parameters the
  evidence narrows most; ``checks.png/svg`` — the posterior predictive interval of every
  target against what was observed;
* CSV files of every table.

A parameter is *identified* when its posterior 10–90 % interval is under half its prior's
width, *narrowed* under 80 %, else *left at its prior*. A target is *covered* when the
posterior predictive 10–90 % interval (parameters and seeds together) meets its observed value
or range. Tables have at most eight columns, so they fit an A4 page.
"""

from __future__ import annotations

import base64
import html
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim_calibrate.posterior import Posterior, read_posterior
from sim_calibrate.runner import POSTERIOR, PREDICTIVE, weighted_quantile
from sim_calibrate.spec import Calibration, Target
from sim_sweep.report import CSS

IDENTIFIED = 0.5
NARROWED = 0.8


def _save(fig: Figure, out: Path, stem: str) -> Path:
    fig.tight_layout()
    png = out / f"{stem}.png"
    fig.savefig(png)
    fig.savefig(out / f"{stem}.svg")
    return png


def parameter_table(post: Posterior) -> pd.DataFrame:
    """Per parameter: prior range, posterior median and 10–90 %, width ratio, verdict."""
    rows = []
    for name, info in post.priors().items():
        v = post.particles[name].to_numpy()
        lo, hi = info["low"], info["high"]
        q10, q50, q90 = (weighted_quantile(v, post.weights, q) for q in (0.1, 0.5, 0.9))
        ratio = (q90 - q10) / (0.8 * (hi - lo))
        verdict = ("identified" if ratio < IDENTIFIED else "narrowed" if ratio < NARROWED
                   else "left at its prior")
        rows.append({"parameter": name, "prior": f"{lo:g}–{hi:g}", "median": q50,
                     "p10": q10, "p90": q90, "width vs prior": ratio, "verdict": verdict})
    return pd.DataFrame(rows).sort_values("width vs prior").reset_index(drop=True)


def check_table(cal: Calibration, pred: pd.DataFrame) -> pd.DataFrame:
    """Per target: observed, tolerance, prior and posterior predictive intervals, covered."""
    rows = []
    for t in cal.targets:
        post = pred.loc[pred["source"] == "posterior", t.name].to_numpy(dtype=float)
        prior = pred.loc[pred["source"] == "prior", t.name].to_numpy(dtype=float)
        p10, p50, p90 = _quantiles(post)
        lo, hi = t.bounds
        covered = (not math.isnan(p50)) and p10 <= hi + 1e-12 and p90 >= lo - 1e-12
        inside = float(np.mean((post >= lo - t.spec.tolerance) & (post <= hi + t.spec.tolerance)))
        value = _over_draws(post, t)
        rows.append({
            "target": t.name, "use": t.spec.use, "observed": t.describe_observed(),
            "posterior median (10–90 %)": f"{_g(p50)} ({_g(p10)}–{_g(p90)})",
            "prior 10–90 %": "{} – {}".format(*map(_g, _quantiles(prior)[::2])),
            "within tolerance": f"{100 * inside:.0f} %",
            "covered": "yes" if covered else "no",
            "over draws": f"{t.spec.over_draws}: {_g(value)}",
        })
    return pd.DataFrame(rows)


def _over_draws(values: np.ndarray, t: Target) -> float:
    v = values[~np.isnan(values)]
    if not v.size:
        return math.nan
    how = t.spec.over_draws
    return float({"median": np.median, "mean": np.mean}.get(how, np.median)(v)) \
        if how in ("median", "mean") else float(np.percentile(v, 10 if how == "p10" else 90))


def _quantiles(v: np.ndarray) -> tuple[float, float, float]:
    v = v[~np.isnan(v)]
    if not v.size:
        return (math.nan,) * 3
    return tuple(float(np.percentile(v, q)) for q in (10, 50, 90))  # type: ignore[return-value]


def _g(v: float) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"


def schedule_table(post: Posterior) -> pd.DataFrame:
    """The threshold schedule: per generation, ε, simulations, acceptance rate, ESS."""
    gens = post.provenance.get("generations", [])
    return pd.DataFrame([{"generation": g["t"] + 1, "threshold ε": g["epsilon"],
                          "simulations": g["simulations"], "acceptance": g["acceptance"],
                          "ESS": g["ess"]} for g in gens])


#: Resamples for the Monte Carlo error of the last generation's medians.
BOOTSTRAP = 400


def settling_table(folder: Path, cal: Calibration) -> pd.DataFrame:
    """How much the last generation moved each marginal: median and 10–90 % of the last two
    generations, the move in units of the prior's width, and the Monte Carlo error of the
    last median in the same unit (a move within about twice it is noise, not drift)."""
    try:
        import pyabc

        history = pyabc.History(f"sqlite:///{(folder / 'history.db').resolve()}")
        history.id = 1
        t_last = history.max_t
        if t_last < 1:
            return pd.DataFrame()
        (a, wa), (b, wb) = (history.get_distribution(m=0, t=t) for t in (t_last - 1, t_last))
    except Exception:
        return pd.DataFrame()
    wb = np.asarray(wb) / np.sum(wb)
    # Monte Carlo error of the last generation's medians: resample as many particles as its
    # effective sample size, by weight, and take the spread of the median over resamples.
    rng = np.random.default_rng(np.random.SeedSequence([cal.spec.seed, 11]))
    size = max(2, int(round(1.0 / np.sum(wb ** 2))))
    picks = rng.choice(len(wb), size=(BOOTSTRAP, size), p=wb)
    rows = []
    for p in cal.priors:
        qa = [weighted_quantile(a[p.name].to_numpy(), np.asarray(wa), q) for q in (0.1, 0.5, 0.9)]
        qb = [weighted_quantile(b[p.name].to_numpy(), wb, q) for q in (0.1, 0.5, 0.9)]
        width = p.high - p.low
        error = float(np.std(np.median(b[p.name].to_numpy()[picks], axis=1)))
        rows.append({"parameter": p.name, "median before": qa[1], "median last": qb[1],
                     "median move / prior width": abs(qb[1] - qa[1]) / width,
                     "its Monte Carlo error / prior width": error / width,
                     "10–90 % before": f"{qa[0]:.3g}–{qa[2]:.3g}",
                     "10–90 % last": f"{qb[0]:.3g}–{qb[2]:.3g}"})
    return pd.DataFrame(rows)


def _charts(out: Path, cal: Calibration, post: Posterior, params: pd.DataFrame,
            pred: pd.DataFrame) -> dict[str, Path]:
    charts: dict[str, Path] = {}
    sched = schedule_table(post)
    if not sched.empty:
        fig = Figure(figsize=(6, 3.2), dpi=110)
        ax = fig.subplots()
        ax.plot(sched["generation"], sched["threshold ε"], marker="o")
        ax.set_xlabel("generation")
        ax.set_ylabel("threshold ε (tolerances, RMS)")
        ax.set_title("Threshold schedule")
        charts["Threshold schedule"] = _save(fig, out, "thresholds")
    names = list(post.priors())
    cols = 4
    rows = math.ceil(len(names) / cols)
    fig = Figure(figsize=(10, 2.2 * rows), dpi=100)
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    for ax, name in zip(axes, names, strict=False):
        info = post.priors()[name]
        ax.hist(post.particles[name], bins=15, weights=post.weights, density=True,
                range=(info["low"], info["high"]), color="#4c78a8", alpha=0.8, label="posterior")
        ax.axhline(1.0 / (info["high"] - info["low"]), color="#999", ls="--", label="prior")
        ax.set_title(name, fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes[len(names):]:
        ax.set_visible(False)
    axes[0].legend(fontsize=7)
    charts["Marginal posteriors (bars) against the uniform prior (dashed)"] = _save(
        fig, out, "marginals")
    top = list(params["parameter"][:4])
    if len(top) >= 2:
        n = len(top)
        fig = Figure(figsize=(2.3 * n, 2.3 * n), dpi=100)
        axes = fig.subplots(n, n, squeeze=False)
        size = 4 + 60 * post.weights / post.weights.max()
        for i, yi in enumerate(top):
            for j, xj in enumerate(top):
                ax = axes[i][j]
                if i == j:
                    ax.hist(post.particles[xj], bins=15, weights=post.weights, color="#4c78a8")
                else:
                    ax.scatter(post.particles[xj], post.particles[yi], s=size, alpha=0.5)
                if i == n - 1:
                    ax.set_xlabel(xj, fontsize=7)
                if j == 0:
                    ax.set_ylabel(yi, fontsize=7)
                ax.tick_params(labelsize=6)
        charts["Pairwise posteriors of the four most narrowed parameters"] = _save(
            fig, out, "pairs")
    targets = list(cal.targets)
    fig = Figure(figsize=(7, 0.32 * len(targets) + 1.2), dpi=110)
    ax = fig.subplots()
    for k, t in enumerate(targets):
        v = pred.loc[pred["source"] == "posterior", t.name].to_numpy(dtype=float)
        lo, hi = t.bounds
        scale = max(abs(lo), abs(hi), t.spec.tolerance)
        p10, p50, p90 = _quantiles(v)
        y = len(targets) - k
        ax.plot([(lo - t.spec.tolerance) / scale, (hi + t.spec.tolerance) / scale], [y, y],
                color="#f0b400", lw=6, alpha=0.35)
        ax.plot([lo / scale, hi / scale], [y, y], color="#f0b400", lw=6)
        if not math.isnan(p50):
            ax.plot([p10 / scale, p90 / scale], [y, y], color="#4c78a8", lw=2)
            ax.plot([p50 / scale], [y], "o", color="#4c78a8" if t.fit else "#e45756")
    ax.set_yticks(range(len(targets), 0, -1))
    ax.set_yticklabels([f"{t.name}{'' if t.fit else ' (held out)'}" for t in targets],
                       fontsize=7)
    ax.set_xlabel("value / largest observed magnitude")
    ax.set_title("Posterior predictive 10–90 % (blue) against observed ± tolerance (yellow)",
                 fontsize=9)
    charts["Posterior predictive checks"] = _save(fig, out, "checks")
    return charts


#: How the report names each ``[abc] kernel``.
KERNEL_WORDS = {"per_parameter": "one kernel density per parameter, reflected at the prior's "
                                 "bounds",
                "joint": "one multivariate Gaussian kernel density (pyabc)"}

#: A generation whose effective sample size falls below this share of the population has
#: degenerate importance weights (a handful of particles carry it).
DEGENERATE_ESS = 0.1


def plain_words(cal: Calibration, checks: pd.DataFrame, params: pd.DataFrame,
                ess: list[float] | None = None) -> str:
    """A paragraph on what fits jointly and what does not (and, given each generation's
    effective sample size, whether the weights degenerated on the way)."""
    fit = checks[checks["use"] == "fit"]
    held = checks[checks["use"] == "check"]
    miss_fit = list(fit.loc[fit["covered"] == "no", "target"])
    miss_held = list(held.loc[held["covered"] == "no", "target"])
    ident = list(params.loc[params["verdict"] == "identified", "parameter"])
    prior = list(params.loc[params["verdict"] == "left at its prior", "parameter"])
    parts = [f"One posterior over {len(params)} behavioural parameters was fitted to "
             f"{len(fit)} targets at once."]
    if miss_fit:
        parts.append(f"Its predictive 10–90 % interval covers {len(fit) - len(miss_fit)} of "
                     f"them; it does not cover {', '.join(miss_fit)}: with every parameter "
                     "inside its plausible range the model cannot reproduce these together "
                     "with the rest.")
    else:
        parts.append("Its predictive 10–90 % interval covers every one of them jointly.")
    if len(held):
        parts.append(f"Of {len(held)} held-out checks (never fitted), "
                     + (f"{len(held) - len(miss_held)} are covered and "
                        f"{', '.join(miss_held)} not." if miss_held else "all are covered."))
    parts.append("The evidence identifies " + (", ".join(ident) if ident else "no parameter")
                 + "; it leaves " + (", ".join(prior) if prior else "no parameter")
                 + " at the prior (their ranges, not the data, set the uncertainty).")
    pop = cal.spec.abc.population_size
    low = [(g, e) for g, e in enumerate(ess or [], start=1) if e < DEGENERATE_ESS * pop]
    if low:
        gens = ", ".join(f"{g} ({e:.0f})" for g, e in low)
        parts.append(f"But the importance weights degenerated on the way: the effective sample "
                     f"size fell below {DEGENERATE_ESS:.0%} of the {pop} particles in "
                     f"generation {gens}, so a few particles carried the population and the "
                     "later generations explored their neighbourhood. The intervals above are "
                     "conditional on that neighbourhood and understate the uncertainty; "
                     "'identified' there means narrowed by the sampler, not by the evidence "
                     "alone.")
    return " ".join(parts)


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'
            f'<p class="small">Vector version: {html.escape(path.with_suffix(".svg").name)}</p>')


def _html_table(df: pd.DataFrame) -> str:
    return df.iloc[:, :8].to_html(index=False, float_format=lambda v: f"{v:.3g}", border=0,
                                  na_rep="–")


def markdown_table(df: pd.DataFrame) -> str:
    """A Markdown table (at most eight columns) with numbers to three significant digits."""
    df = df.iloc[:, :8]
    head = "| " + " | ".join(map(str, df.columns)) + " |"
    rule = "|" + "---|" * df.shape[1]
    body = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return _g(v)
    return str(v).replace("|", "/")


def write_report(folder: Path, cal: Calibration) -> Path:
    """Write the report of a finished calibration in ``folder``; return the HTML's path."""
    out = folder / "report"
    out.mkdir(exist_ok=True)
    post = read_posterior(folder / POSTERIOR)
    pred = pd.read_parquet(folder / PREDICTIVE)
    params = parameter_table(post)
    checks = check_table(cal, pred)
    sched = schedule_table(post)
    settle = settling_table(folder, cal)
    words = plain_words(cal, checks, params, list(sched["ESS"]) if not sched.empty else None)
    for name, df in (("parameters", params), ("checks", checks), ("thresholds", sched),
                     ("settling", settle)):
        df.to_csv(out / f"{name}.csv", index=False)
    charts = _charts(out, cal, post, params, pred)
    prov = post.provenance
    a = cal.spec.abc
    kernel = KERNEL_WORDS[a.kernel] + ("" if a.kernel_scaling == 1
                                       else f" (scaling {a.kernel_scaling:g})")
    method = (f"ABC-SMC (pyabc {prov['libraries'].get('pyabc')}), {prov['population_size']} "
              f"particles per generation, {len(sched)} generations, {prov['simulations']:,} "
              f"simulated draws; proposal kernel: {kernel}; each threshold the "
              f"{a.epsilon_quantile:g} quantile of the last generation's distances; distance: root mean square of each fitted "
              "target's distance outside its observed value or range, in its tolerance; "
              f"seed {prov['seed']}; model {prov['model']}; file SHA-256 "
              f"{prov['file_sha256'][:16]}…; effective sample size {post.ess:.0f}.")
    md = [f"### Calibration '{cal.name}'", "", method, "", words, "",
          "#### Parameters", "", markdown_table(params), "",
          "#### Posterior predictive checks", "", markdown_table(checks), "",
          "#### Threshold schedule", "", markdown_table(sched), ""]
    if not settle.empty:
        md += ["#### Has it settled? The last generation against the one before", "",
               markdown_table(settle), ""]
    (out / "report.md").write_text("\n".join(md))
    e = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>Calibration "
             f"{e(cal.name)}</title><style>{CSS}</style></head><body>",
             f"<h1>Calibration {e(cal.name)}</h1>", f"<p class='methods'>{e(method)}</p>",
             f"<p class='note'>{e(words)}</p>", "<h2>Parameters</h2>", _html_table(params),
             "<h2>Posterior predictive checks</h2>", _html_table(checks),
             "<h2>Threshold schedule</h2>", _html_table(sched)]
    if not settle.empty:
        parts += ["<h2>Has it settled?</h2>", _html_table(settle)]
    for title, png in charts.items():
        parts += [f"<h2>{e(title)}</h2>", _img(png)]
    parts.append("</body></html>")
    path = out / "report.html"
    path.write_text("\n".join(parts))
    return path
