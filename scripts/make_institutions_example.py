"""Write the shipped institutions files: the KL benefits example and the template.

    python scripts/make_institutions_example.py

``sim/data/kl_benefits_municipalities.csv``: the 98 municipalities (``sim.population``), with
KL's 2,003 FTE shared by population 2012, as ``institution_source = "dk_municipalities_2012"``
shares them (every digit written, so both give the same institutions). See
``sim/data/PROVENANCE.md``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from sim.institutions import template_csv
from sim.population import municipalities

DATA = Path(__file__).resolve().parents[1] / "sim" / "data"
KL_FTE = 2003.0


def example() -> str:
    rows = municipalities()
    weight = np.array([r[2] for r in rows], dtype=float)
    fte = KL_FTE * weight / weight.sum()  # the formula of sim.population.build_population
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "group", "fte"])
    for (name, region, _pop), f in zip(rows, fte, strict=True):
        writer.writerow([name, region, repr(float(f))])
    return out.getvalue()


def main() -> None:
    (DATA / "kl_benefits_municipalities.csv").write_text(example(), encoding="utf-8")
    (DATA / "institutions_template.csv").write_text(template_csv(), encoding="utf-8")


if __name__ == "__main__":
    main()
