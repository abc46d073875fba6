"""Write the shipped institutions files: the KL benefits example, a state example and the template.

    python scripts/make_institutions_example.py

``sim/data/kl_benefits_municipalities.csv``: the 98 municipalities (``sim.population``), with
KL's 2,003 FTE shared by population 2012, as ``institution_source = "dk_municipalities_2012"``
shares them (every digit written, so both give the same institutions). See
``sim/data/PROVENANCE.md``.

``sim/data/statens_it_agencies.csv``: an anonymised state consolidation, Statens It's basic IT
operations for the agencies outside a larger IT community (000, initiative 1): 60 agencies in 15
ministries, 250 FTE in all (19,000 IT users at about 75 users per FTE, the scenario
``statens_it``'s figures), each agency's share by the rank-size rule (the k-th largest ∝ 1/k, a
stated assumption: the source gives users, not agencies), ministries dealt round-robin by rank,
two ministries per wave (8 waves, as the scenario plans).
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
#: Statens It's remaining agencies (the scenario ``statens_it``): count, ministries, FTE, waves.
STATE_AGENCIES, STATE_MINISTRIES, STATE_FTE, STATE_WAVES = 60, 15, 250.0, 8


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


def state_example() -> str:
    rank = np.arange(1, STATE_AGENCIES + 1, dtype=float)
    fte = STATE_FTE * (1.0 / rank) / (1.0 / rank).sum()
    per_wave = -(-STATE_MINISTRIES // STATE_WAVES)  # ministries per wave, rounded up
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "group", "fte", "wave"])
    for k, f in enumerate(fte):
        ministry = k % STATE_MINISTRIES
        writer.writerow([f"Agency {k + 1:02d}", f"Ministry {chr(ord('A') + ministry)}",
                         repr(float(f)), ministry // per_wave + 1])
    return out.getvalue()


def main() -> None:
    (DATA / "kl_benefits_municipalities.csv").write_text(example(), encoding="utf-8")
    (DATA / "statens_it_agencies.csv").write_text(state_example(), encoding="utf-8")
    (DATA / "institutions_template.csv").write_text(template_csv(), encoding="utf-8")


if __name__ == "__main__":
    main()
