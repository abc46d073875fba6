"""The band's two modes: *seeds only* (seed noise around the parameters as set) and *seeds and
parameters* (posterior draw k with seed k: the predictive interval). The default follows the
scenario's posterior, the mode switch changes the band and its label, values changed from the
scenario and what an uploaded file fixes win over drawn ones, two options share each draw and
seed, and the one-pager says what its ranges include."""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from importlib import resources

import numpy as np
import pytest

from sim.kpis import compute_kpis
from sim.runner import simulate
from sim.scenarios import load_scenario
from sim.seeds import replication_seeds
from sim_app.export import summary
from sim_app.export.summary_options import diff_text, range_text
from sim_app.session.predictive import PARAMS, SEEDS, plan
from sim_app.session.state import BAND_KEYS, Session
from sim_app.session.uncertainty import band_runs, quantile_band
from sim_app.views.compare import compute_band
from sim_app.views.kpi_cards import range_texts
from sim_calibrate.posterior import read_posterior
from sim_calibrate.uncertainty import draw_params

N = 6
#: Parameters the shipped posterior draws for the default scenario (not scoped elsewhere).
DRAWN = ("initial_trust", "loss_aversion", "shadow_max_share", "progress_ratio")


def _session(scenario: str = "default") -> Session:
    s = Session(scenario)
    s.n_band_seeds = N
    return s


def _band(s: Session) -> dict:
    compute_band(s, s.run, N, threading.Event(), s.baseline)
    return s.view(s.run.horizon)


def test_default_is_seeds_and_parameters_when_the_scenario_names_a_posterior():
    s = _session()
    assert s.scenario.posterior == "default"
    assert s.band_mode() == (PARAMS, "")
    plain = _session("workshop")  # names no posterior
    mode, why = plain.band_mode()
    assert mode == SEEDS and "names none" in why
    plain.set_uncertainty(PARAMS)  # asking for it does not make it available
    assert plain.band_mode()[0] == SEEDS
    plain.set_lang("da")
    assert "angiver ingen" in plain.band_mode()[1]
    # a posterior that does not exist: seeds only, and the reason names it
    s.choose_scenario(replace(load_scenario("default"), posterior="no_such_posterior"))
    mode, why = s.band_mode()
    assert mode == SEEDS and "no_such_posterior" in why and "\n" not in why
    assert s.band_plan().mode == SEEDS
    with pytest.raises(ValueError, match="not one of"):
        s.set_uncertainty("both")


def test_switching_modes_changes_the_band_and_its_label():
    s = _session()
    view = _band(s)
    assert view["band_label"] == f"10–90 % of {N} runs: seeds and parameters"
    drawn = view["band"]["cumulative_net_benefit"]
    s.set_uncertainty(SEEDS)
    assert s.view(s.run.horizon)["band_label"].endswith("seeds and parameters")  # until new
    view = _band(s)
    assert view["band_label"] == f"10–90 % of {N} runs: seeds only"
    seeds = view["band"]["cumulative_net_benefit"]
    # seeds only is the band of the parameters as set (as before the switch existed)
    want = quantile_band(list(band_runs(s.run.params, s.seed, N, BAND_KEYS)))
    assert np.array_equal(seeds[0], want["cumulative_net_benefit"][0], equal_nan=True)
    # the drawn behaviour changes the band, and widens it at the end
    assert not np.allclose(drawn[1], seeds[1], equal_nan=True)
    assert drawn[1][-1] - drawn[0][-1] > seeds[1][-1] - seeds[0][-1]
    s.set_lang("da")
    assert s.view(s.run.horizon)["band_label"] == f"10–90 % af {N} kørsler: kun frø"


def test_a_band_made_for_the_other_mode_is_dropped():
    s = _session()
    seeds_plan = plan(s.scenario, s.run.params, s.seed, N, None, SEEDS)
    band = quantile_band(list(band_runs(s.run.params, s.seed, N, BAND_KEYS)))
    assert not s.take_band(s.run, band, N, seeds_plan)  # params asked for
    assert s.state.peek().shown.band is None
    s.set_uncertainty(SEEDS)
    assert s.take_band(s.run, band, N, seeds_plan)


def test_draws_replace_scenario_values_and_changed_values_win():
    s = _session()
    p = s.band_plan()
    assert p.mode == PARAMS and p.posterior == "default" and len(p.params) == N
    post = read_posterior("default")
    assert list(p.params) == draw_params(s.scenario, post, N, s.seed, {})
    assert len({x.initial_trust for x in p.params}) > 1
    assert s.set_value("initial_trust", 0.55)
    p = s.band_plan()
    assert {x.initial_trust for x in p.params} == {0.55}  # the person's value wins
    assert len({x.loss_aversion for x in p.params}) > 1  # the rest is still drawn
    # not drawn: what the posterior does not hold, and what it holds for other scenarios
    assert {x.dialogue_effort for x in p.params} == {s.run.params.dialogue_effort}
    assert {x.task_change_dip for x in p.params} == {s.run.params.task_change_dip}


def test_two_options_share_each_draw_and_seed():
    s = _session()
    s.pin_baseline()
    assert s.set_value("rollout", "big_bang")
    pa, pb = s.band_plan(s.baseline).params, s.band_plan().params
    for a, b in zip(pa, pb, strict=True):  # draw k is the same for both options
        assert [getattr(a, k) for k in DRAWN] == [getattr(b, k) for k in DRAWN]
        assert (a.rollout, b.rollout) == ("waves", "big_bang")
    view = _band(s)
    assert view["diff_band_label"] == f"10–90 % of {N} paired runs (same draws and seeds)"
    sm = summary.build(s, "en", n_band=N)
    assert "same draws and seeds" in sm.kpi_heading
    # the summary's difference column is B − A run by run: draw k and seed k for both
    seeds = replication_seeds(s.seed, N)
    end = "cumulative_net_benefit_end_mdkk"
    ka = [compute_kpis(simulate(p, k)[0]).to_dict()[end] for p, k in zip(pa, seeds,
                                                                        strict=True)]
    kb = [compute_kpis(simulate(p, k)[0]).to_dict()[end] for p, k in zip(pb, seeds,
                                                                        strict=True)]
    row = next(r for r in sm.figures if r[0].startswith("Cumulative net benefit"))
    assert row[3] == diff_text(end, ka, kb, "en")
    # unpaired draws (another seed for the draws of B) would give another difference
    other = draw_params(s.scenario, read_posterior("default"), N, s.seed + 1,
                        {"rollout": "big_bang"})
    kc = [compute_kpis(simulate(p, k)[0]).to_dict()[end] for p, k in zip(other, seeds,
                                                                        strict=True)]
    assert diff_text(end, ka, kc, "en") != row[3]


@pytest.mark.parametrize("lang, params_text, seeds_text", [
    ("en", f"seed noise and parameter uncertainty from the posterior default, {N} draws",
     "seed noise with the parameters as set"),
    ("da", f"parameterusikkerhed fra posteriorfordelingen default, {N} træk",
     "tilfældighed fra frø med parametrene som indstillet"),
])
def test_the_summary_says_what_its_range_includes(lang, params_text, seeds_text):
    s = _session()
    drawn = summary.build(s, lang, n_band=N)
    assert params_text in drawn.interval_note
    assert params_text in summary.to_html(drawn).decode()
    s.set_uncertainty(SEEDS)
    plain = summary.build(s, lang, n_band=N)
    assert seeds_text in plain.interval_note and "posterior" not in plain.interval_note
    # the predictive medians and ranges are those of the draws, not of the seeds alone
    assert drawn.figures != plain.figures


def test_the_cards_ranges_are_the_bands_runs_at_the_end():
    s = _session()
    assert range_texts(s, "en")["ranges"] == []  # no band yet: no ranges
    _band(s)
    texts = range_texts(s, "en")
    assert texts["range_month"] == s.run.horizon
    assert texts["range_note"] == f"In brackets: 10–90 % of {N} runs at the end, seeds and " \
                                  "parameters"
    kpis = s.state.peek().shown.band_kpis
    assert len(kpis) == N
    end = [compute_kpis(simulate(p, k)[0]) for p, k in zip(s.band_plan().params,
                                                           replication_seeds(s.seed, N),
                                                           strict=True)]
    assert [k.to_dict() for k in kpis] == [k.to_dict() for k in end]
    assert "break_even_month" in [f for f in kpis[0].to_dict()]
    assert range_text("break_even_month", [10, 12, None, None, None], "en") == \
        "month 10 – not yet"
    assert range_text("break_even_month", [60, 64, 70, 75, 80], "en") == "month 60 – 80"
    s.set_lang("da")
    assert "frø og parametre" in range_texts(s, "da")["range_note"]


def test_own_institutions_keep_the_files_values_and_draw_behaviour():
    data = resources.files("sim.data").joinpath("statens_it_agencies.csv").read_bytes()
    s = _session("statens_administration")
    s.choose_scenario(replace(load_scenario("statens_administration"), posterior="default"))
    assert s.load_institutions_bytes("agencies.csv", data) is None
    table = s.institutions
    assert s.band_mode() == (PARAMS, "")
    p = s.band_plan()
    assert p.mode == PARAMS and p.institutions is table
    # the posterior draws the staff total for this scenario; the file's staff win
    assert {x.baseline_fte_total for x in p.params} == {table.total_fte}
    assert {x.n_institutions for x in p.params} == {len(table)}
    assert len({x.initial_trust for x in p.params}) > 1
    view = _band(s)
    assert view["band_label"].endswith("seeds and parameters")
    assert re.search(r"\d", " ".join(range_texts(s, "en")["ranges"]))


def test_an_unreadable_posterior_offers_seeds_only_with_its_line(tmp_path):
    bad = tmp_path / "broken.parquet"
    bad.write_bytes(b"not parquet")
    s = _session()
    s.choose_scenario(replace(load_scenario("default"), posterior=str(bad)))
    mode, why = s.band_mode()
    assert mode == SEEDS and "cannot be read as Parquet" in why and "\n" not in why
    view = _band(s)  # the band is still made, and says what it is
    assert view["band_label"] == f"10–90 % of {N} runs: seeds only"
