"""Two options side by side (a pinned baseline against the current settings): the difference
chart's paired band over the band's seeds, both options named by what tells them apart,
controls that do not apply greyed out, and the one-pager with a column per option and one for
the difference (medians with intervals, no run outside its band)."""

from __future__ import annotations

import re
import threading

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from sim.seeds import replication_seeds
from sim_app.charts.diff import diff_chart
from sim_app.export import summary
from sim_app.export.summary_charts import figures
from sim_app.export.summary_options import compact, interval_text
from sim_app.session.state import Session
from sim_app.views.compare import compute_band
from sim_app.views.controls import inactive_why
from sim_cli.compare import compare

N = 6


@pytest.fixture(scope="module")
def two() -> Session:
    session = Session()
    session.n_band_seeds = N
    session.set_uncertainty("seeds")  # the seed-only band (seeds and parameters: test_unc...)
    session.pin_baseline()
    assert session.set_value("rollout", "big_bang")
    return session


def test_the_options_are_named_by_what_differs(two):
    labels = two.mode_labels()
    assert labels["run_name"] == "Roll-out: big bang"
    assert labels["baseline_name"] == "Roll-out: waves"
    assert labels["diff_title"] == "Difference: Roll-out: big bang − Roll-out: waves"
    da = Session()
    da.set_lang("da")
    da.pin_baseline()
    da.set_value("rollout", "big_bang")
    assert "Udrulning: big bang" in da.mode_labels()["diff_title"]


def test_the_difference_band_is_paired_over_the_bands_seeds(two):
    compute_band(two, two.run, N, threading.Event(), two.baseline)
    view = two.view(two.run.horizon)
    lo, mid, hi = view["diff_band"]["cumulative_net_benefit"]
    assert view["diff_band_n"] == N
    assert np.all(lo <= mid + 1e-9) and np.all(mid <= hi + 1e-9)
    # the same replications as `sim compare --seed S --seeds N`: its paired median at the end
    result = compare(two.run.params, two.baseline.params, replication_seeds(two.seed, N))
    assert result.seeds == replication_seeds(two.seed, N)
    cmp = compare(two.baseline.params, two.run.params, replication_seeds(two.seed, N))
    assert mid[-1] == pytest.approx(cmp.median_diff["cumulative_net_benefit_end_mdkk"])
    chart = diff_chart(view, "cumulative_net_benefit", "en")
    names = [s.get("name", "") for s in chart["series"]]
    assert chart["title"]["text"] == "Difference: Roll-out: big bang − Roll-out: waves"
    assert any("10–90 % of 6 paired runs" in n for n in names)
    assert any("one draw (seed 1)" in n for n in names)  # the seed's line is marked


def test_controls_that_do_not_apply_say_why(two):
    from sim.params import spec_map

    specs = spec_map()
    values = two.values
    assert inactive_why(specs["n_waves"], values, "en") == "Roll-out: big bang"
    assert inactive_why(specs["wave_order"], values, "da") == "Udrulning: big bang"
    assert inactive_why(specs["preparation_months"], values, "en") == ""
    assert inactive_why(specs["n_waves"], {**values, "rollout": "waves"}, "en") == ""


@pytest.mark.parametrize("lang", ["en", "da"])
def test_the_one_pager_answers_with_both_options_and_the_difference(two, lang):
    s = summary.build(two, lang, n_band=N)
    assert len(s.columns) == 4 and len(s.options) == 2 and s.diff is not None
    a, b = ("Roll-out: waves", "Roll-out: big bang") if lang == "en" else (
        "Udrulning: bølger", "Udrulning: big bang")
    assert s.columns[1:3] == [a, b] and a in s.columns[3] and b in s.columns[3]
    # every figure: a median inside its own interval, for both options and the difference
    for row in s.figures:
        for cell in row[1:]:
            _inside(cell)
    html = summary.to_html(s).decode()
    assert "big_bang" not in html and "This run" not in html and "Denne kørsel" not in html
    assert html.count("<svg") == 3  # the story, the net benefit, the difference
    # the description says what ran: A in waves, B as a big bang
    lines = s.description.split("\n")
    assert lines[1].startswith(a) and ("4 waves" in lines[1] or "4 bølger" in lines[1])
    assert lines[2].startswith(b) and "big bang" in lines[2] and "waves" not in lines[2]
    assert s.interval_note  # says what the interval includes
    for name, fig in figures(s).items():
        _nothing_cut(fig, name)
    pdf = summary.to_pdf(s)
    assert pdf.startswith(b"%PDF")


def test_one_option_shows_medians_not_one_run():
    session = Session()
    s = summary.build(session, "en", n_band=N)
    assert s.columns == ["Figure", "Median (10–90 %)"] and len(s.options) == 1
    for row in s.figures:
        _inside(row[1])
    assert "this run" not in s.kpi_heading.lower()


def test_interval_text_censors_months_not_reached():
    text = interval_text("break_even_month", [10, 12, None, None, None], "en")
    assert text.startswith("not yet"), text
    assert compact("month 7", "month 5", "month 9") == "month 7 (5 – 9)"


def _number(text: str) -> float | None:
    m = re.search(r"[−+\-]?\d[\d.,]*", text)
    if m is None:
        return None
    t = m.group().replace("−", "-").replace("+", "")
    t = t.replace(".", "").replace(",", ".") if "," in t and t.count(",") == 1 and \
        len(t.split(",")[1]) <= 2 else t.replace(",", "")
    return float(t)


def _inside(cell: str) -> None:
    """A cell "median (lo – hi)" whose median lies within lo .. hi."""
    m = re.match(r"(.+?) \((.+) – (.+?)\)", cell)
    assert m, cell
    mid, lo, hi = (_number(x) for x in m.groups())
    if None in (mid, lo, hi):  # "not yet" at an end: censored, nothing to compare
        return
    assert min(lo, hi) - 1e-9 <= mid <= max(lo, hi) + 1e-9, cell


def _nothing_cut(fig, name: str) -> None:
    """Every text of a chart lies inside the figure (none cut at its edge)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    box = fig.bbox
    for text in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_window_extent")):
        if not text.get_visible() or not text.get_text().strip():
            continue
        ext = text.get_window_extent(renderer)
        if ext.x1 < box.x0 or ext.x0 > box.x1 or ext.y1 < box.y0 or ext.y0 > box.y1:
            continue  # not drawn at all (a tick label outside the axis' view)
        assert (ext.x0 >= box.x0 - 1 and ext.x1 <= box.x1 + 1 and ext.y0 >= box.y0 - 1
                and ext.y1 <= box.y1 + 1), f"{name}: '{text.get_text()}' is cut"
