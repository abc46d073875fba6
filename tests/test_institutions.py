"""Institutions from a file (``sim.institutions``): the shipped example and template, and that
a file gives exactly the institutions the parameters give where both can say the same."""

from __future__ import annotations

from importlib import resources

import numpy as np

from scripts.make_institutions_example import example
from sim.institutions import parse_institutions, read_institutions, template_csv
from sim.params import make_params
from sim.population import build_population

DATA = resources.files("sim.data")


def test_the_shipped_files_are_what_their_script_and_template_write():
    assert DATA.joinpath("kl_benefits_municipalities.csv").read_text("utf-8") == example()
    assert DATA.joinpath("institutions_template.csv").read_text("utf-8") == template_csv()
    table = read_institutions(str(DATA.joinpath("institutions_template.csv")))
    assert table.wave == (1, 2) and table.control_need == (0.4, 0.3)


def test_the_example_is_the_municipalities_of_the_parameters_digit_for_digit():
    table = read_institutions(str(DATA.joinpath("kl_benefits_municipalities.csv")))
    p = make_params({"institution_source": "dk_municipalities_2012", "n_institutions": 98,
                     "baseline_fte_total": 2003.0})
    pop = build_population(p, np.random.default_rng(1))
    assert table.names == pop.names
    assert np.array_equal(np.array(table.fte), pop.baseline_fte)  # every bit
    assert [pop.group_names[g] for g in pop.group] == list(table.groups)
    assert len(table) == 98 and abs(table.total_fte - 2003.0) < 1e-9


def test_csv_and_excel_give_the_same_table(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["Name", "FTE", "Group", "Wave"], ["A", 10, "X", 1], ["B", 2.5, "Y", 2]):
        sheet.append(row)
    book.save(tmp_path / "i.xlsx")
    from_xlsx = read_institutions(tmp_path / "i.xlsx")
    from_csv = parse_institutions(b"name,fte,group,wave\nA,10,X,1\nB,2.5,Y,2\n", "i.xlsx",
                                  ".csv")
    assert from_xlsx == from_csv and from_xlsx.digest() == from_csv.digest()
    assert from_xlsx.group_names == ("X", "Y") and from_xlsx.wave == (1, 2)
