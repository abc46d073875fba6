"""The one table of key figures (``sim.kpis.FIGURES``): complete, consistent, and what every
reader (command line, app, summary, sweeps) writes from."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.kpis import (
    FIGURE,
    FIGURES,
    FORMATS,
    KPI_SERIES,
    PLACES,
    KPIs,
    Writing,
    compute_kpis,
    shown_in,
    unit_of,
    write,
)
from sim.recorder import COLUMNS


def test_the_table_names_every_kpi_once_in_order():
    assert [f.name for f in FIGURES] == KPIs.keys()


@pytest.mark.parametrize("fig", FIGURES, ids=lambda f: f.name)
def test_every_figure_has_a_label_unit_format_and_columns(fig):
    assert fig.label.strip() and fig.unit.strip()
    assert fig.fmt in FORMATS, f"{fig.name}: format {fig.fmt!r} is not one of {FORMATS}"
    assert fig.places <= set(PLACES)
    assert fig.columns and set(fig.columns) <= set(COLUMNS)
    assert fig.missing.strip()
    if "card" in fig.places or "chip" in fig.places:
        assert fig.card.strip(), f"{fig.name} is on a card but has no card title"
    if fig.at is not None:
        assert FIGURE[fig.at].fmt == "month"


def test_the_kpis_read_exactly_the_tables_columns():
    """``compute_kpis`` needs the table's columns and no others."""
    rng = np.random.default_rng(0)
    arrays = {c: rng.random(24) for c in KPI_SERIES}
    compute_kpis(arrays)
    for column in KPI_SERIES:
        with pytest.raises(KeyError):
            compute_kpis({c: v for c, v in arrays.items() if c != column})


def test_shown_in_keeps_table_order_and_refuses_an_unknown_place():
    assert [f.name for f in shown_in("summary")] == [
        f.name for f in FIGURES if "summary" in f.places]
    assert set(shown_in("chip")) <= set(shown_in("card"))
    with pytest.raises(ValueError, match="allowed: card, chip, summary"):
        shown_in("poster")


def test_writing_by_format():
    assert write("break_even_month", 37) == "month 37"
    assert write("break_even_month", 37.5) == "month 37.5"  # a median between two months
    assert write("break_even_month", None) == "not reached"
    assert write("min_service_month", None) == "no dip"
    assert write("realised_share_y5", 0.6934) == "69 %"
    assert write("realised_share_y5", 0.6934, Writing(min_digits=1)) == "69.3 %"
    assert write("potential_gain_mdkk", 1234.56) == "1,234.6 mio. kr./year"
    assert write("shadow_fte_peak", 12.4) == "12 FTE"
    assert write("months_service_below_95pct", 5) == "5 months"
    assert write("trust_end", 0.781) == "0.78"
    assert write("min_service_level", 0.68, at=4) == "68 % (month 4)"
    assert write("trust_end", math.nan) == "–"
    assert unit_of("shadow_fte_peak") == "FTE" and unit_of("p_n_waves") == ""
