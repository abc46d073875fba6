"""The report a reviewer accepts: numbered vector figures (SVG without raster images, PDF),
numbers with units and true minus signs, intervals that say what they assume, no p-values,
legible heatmap labels, and guidance on replications equal to a direct computation."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib import colormaps
from scipy import stats

from sim_sweep import replications
from sim_sweep.analyze import analyze
from sim_sweep.charts import number, text_colour
from sim_sweep.engine import run_sweep
from sim_sweep.report import interval
from sim_sweep.spec import load_sweep
from sim_sweep.testing import fake_simulate
from tests.sweep.conftest import grid

POLICIES_X_LHS = """
design = "lhs"
replications = 4
master_seed = 12
[cases.strategy]
timid = { dialogue_effort = 0.1 }
bold = { dialogue_effort = 0.9 }
[vary.task_split_clarity]
range = [0.2, 1.0]
[vary.initial_trust]
range = [0.2, 0.8]
[sampler]
n = 12
[keep]
series = ["realised_gain"]
[analysis]
kpis = ["realised_gain_end_mdkk", "trust_end", "break_even_month"]
objectives = { realised_gain_end_mdkk = "max" }
satisficing = ["trust_end >= 0.5"]
precision = { trust_end = 0.01 }
"""


def test_numbers_print_with_a_true_minus_and_intervals_as_pairs():
    assert number(-290.0) == "\u2212290"
    assert interval(-290.0, -298.5, -278.1) == "\u2212290 [\u2212298.5, \u2212278.1]"
    assert interval(1.5, math.nan, 2.0) == "1.5" and interval(math.nan, 1, 2) == "–"


def test_heatmap_text_is_black_on_light_cells_and_white_on_dark_ones():
    viridis = colormaps["viridis"]
    assert text_colour(viridis(1.0)) == "black"  # yellow
    assert text_colour(viridis(0.0)) == "white"  # dark purple
    assert text_colour((1, 1, 1, 1)) == "black" and text_colour((0, 0, 0, 1)) == "white"


def _figures(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<b>Figure (\d+)\.</b>", html)]


def test_report_has_numbered_vector_figures_units_and_no_p_values(sweep_file, tmp_path):
    sw = load_sweep(sweep_file(POLICIES_X_LHS))
    run_sweep(sw, kind="serial", progress=False, run_fn=fake_simulate)
    res = analyze(tmp_path / "out")
    html = (res.out / "report.html").read_text()
    nums = _figures(html)
    assert nums == list(range(1, len(nums) + 1)) and len(nums) >= 4
    assert html.count("<figure>") == len(nums) == html.count("<figcaption>")
    assert "data:image/png" not in html and html.count("data:image/svg+xml;base64,") == len(nums)
    for title, svg in res.charts.items():
        text = svg.read_text()
        assert "<image" not in text, f"{title}: a raster image in {svg.name}"
        assert svg.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"
        assert f"href='{svg.name}'" in html and f"href='{svg.with_suffix('.pdf').name}'" in html
    tables = [int(n) for n in re.findall(r"<b>Table (\d+)\.</b>", html)]
    assert tables == list(range(1, len(tables) + 1)) and len(tables) >= 5
    # Intervals say what they are and assume; no p-values.
    bare = html.replace("No p-value", "").replace("no p-value", "")
    assert "p_value" not in html and "p-value" not in bare
    for words in ("t-interval over its replications", "bootstrap over design points",
                  "bootstrap over 12 futures", "Kaplan–Meier", "censored at the horizon"):
        assert words in html, words
    # Every numbered table says its unit: a unit column, units in its headers, or "unitless".
    for caption, table in re.findall(r"<p class='caption'>(.*?)</p>(<table>.*?</table>)", html,
                                     flags=re.S):
        head = re.search(r"<thead>.*?</thead>", table, flags=re.S).group(0).replace("<wbr>", "")
        assert ("<th>unit</th>" in head or "unitless" in caption or "(month)" in head
                or re.search(r"<th>[a-z_]+ \([^)]+\)</th>", head)), caption
    assert "Survival of break_even_month" in res.charts
    assert "How many replications are enough" in html and "[analysis] precision" in html


def test_grid_heatmap_is_vector_and_one_fan_panel_per_design_point(sweep_file, tmp_path):
    sw = load_sweep(sweep_file(grid(reps=3)))
    run_sweep(sw, kind="serial", progress=False, run_fn=fake_simulate)
    res = analyze(tmp_path / "out", kpis=["realised_gain_end_mdkk", "trust_end"])
    heat = res.charts["Heatmap of trust_end"].read_text()
    assert "<image" not in heat and "<path" in heat
    assert len(res.fan_panels) == 6  # 3 × 2 design points, one band each
    html = (res.out / "report.html").read_text()
    assert "one panel per design point" in html


def test_replications_guidance_matches_a_direct_computation():
    rng = np.random.default_rng(3)
    rows = []
    for key, sd in (("a", 1.0), ("b", 3.0)):
        for r in range(20):
            rows.append({"point_key": key, "replication": r, "trust_end": 10 + rng.normal(0, sd)})
    runs = pd.DataFrame(rows)
    narrow, need = replications.guidance(runs, ["trust_end"], 0.95, {"trust_end": 0.5})
    v = runs.pivot(index="replication", columns="point_key", values="trust_end")
    for r in (2, 5, 10, 20):
        hw = [stats.t.ppf(0.975, r - 1) * v[k].iloc[:r].std(ddof=1) / math.sqrt(r) for k in "ab"]
        got = narrow[narrow["replications"] == r]["median_half_width"].iloc[0]
        assert got == pytest.approx(np.median(hw))
    direct = []
    for k in "ab":
        s = v[k].std(ddof=1)
        n = 2
        while stats.t.ppf(0.975, n - 1) * s / math.sqrt(n) > 0.5:
            n += 1
        direct.append(n)
    row = need.iloc[0]
    assert row["needed_median"] == pytest.approx(np.median(direct), abs=0.5 + 0.05 * max(direct))
    assert row["needed_p90"] >= max(direct) * 0.9 and row["target"] == "[analysis] precision"
    # The computed n is enough, and within 5 % (its step) of the least that is.
    for k, n_direct in zip("ab", direct, strict=True):
        n = replications.needed(np.array([v[k].std(ddof=1)]), 0.5, 0.95)[0]
        assert n >= n_direct and n <= n_direct * 1.06 + 1
