"""The settings of a run in one sentence (who takes part, how the roll-out goes, how long), so
a description always matches what was run, whatever was changed from the scenario."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.institutions import InstitutionTable
from sim_app.text.fmt import num
from sim_app.text.i18n import choice_label, tr


def settings_text(values: Mapping[str, Any], table: InstitutionTable | None, lang: str) -> str:
    """"98 institutions (…) with 2,003 FTE on the task in 5 groups; roll-out: …; adoption:
    mandatory; 120 months from 2012." for ``values`` (all parameters) and a file's table."""
    source = table.source if table is not None else choice_label(
        str(values["institution_source"]), lang)
    who = tr("sum_who", lang, n=num(values["n_institutions"], 0, lang), source=source,
             fte=num(values["baseline_fte_total"], 0, lang),
             groups=num(values["n_groups"], 0, lang))
    if values["rollout"] == "waves":
        how = tr("sum_rollout_waves", lang, n=num(values["n_waves"], 0, lang),
                 gap=num(values["wave_interval_months"], 0, lang),
                 order=choice_label(str(values["wave_order"]), lang),
                 prep=num(values["preparation_months"], 0, lang))
    else:
        how = tr("sum_rollout_big_bang", lang, prep=num(values["preparation_months"], 0, lang))
    when = tr("sum_when", lang, adoption=choice_label(str(values["adoption"]), lang),
              months=num(values["months"], 0, lang), year=int(values["start_year"]))
    return f"{who}; {how}; {when}"
