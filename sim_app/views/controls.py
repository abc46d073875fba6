"""The controls, generated from the one parameter definition (``sim.params.specs()``).

Each parameter becomes one control with its label, unit, range and one-line help:
a switch (bool), a select (choice), a slider (numbers with a narrow range) or a number field
(numbers whose range spans orders of magnitude, e.g. costs up to 100,000 mio. kr.). Groups are
shown in ``sim.params.GROUPS`` order. Sliders apply on release (or arrow key), so a drag is one
re-simulation, not sixty.
"""

from __future__ import annotations

import math
from typing import Any

import solara

from sim.params import GROUPS, ParamSpec, spec_map, specs
from sim_app.session.choices import parse_seed, shipped_scenarios
from sim_app.session.state import Session
from sim_app.text.fmt import error_text, short, unit
from sim_app.text.i18n import (
    choice_label,
    group_title,
    param_help,
    param_label,
    param_value,
    tr,
)
from sim_app.text.scenarios import description, sources, title

v = solara.v  # reacton.ipyvuetify

def widget_kind(spec: ParamSpec) -> str:
    """'switch', 'select', 'slider' or 'number' for a parameter."""
    if spec.kind == "bool":
        return "switch"
    if spec.kind == "choice":
        return "select"
    span = (spec.maximum or 0) - (spec.minimum or 0)
    if spec.kind == "int":
        return "slider" if span <= 1000 else "number"
    return "slider" if span <= 10 else "number"


def slider_step(spec: ParamSpec) -> float:
    """A power-of-ten step giving about 100–1000 positions over the range, fine enough that
    the default and every shipped scenario's value lie on it (onboarding cost: default 0.05
    on a 0–10 range needs 0.01, not 0.1, or 0.05 could never be set again)."""
    if spec.kind == "int":
        return 1
    span = (spec.maximum or 1) - (spec.minimum or 0)
    step = 10 ** math.floor(math.log10(span / 100))
    for value in _values_to_reach(spec):
        while step > 1e-6 and abs(value / step - round(value / step)) > 1e-6:
            step /= 10
    return float(f"{step:.6g}")


def _values_to_reach(spec: ParamSpec) -> list[float]:
    values = [spec.default, spec.minimum]
    for sc in shipped_scenarios():
        if spec.name in sc.overrides:
            values.append(sc.overrides[spec.name])
    return [float(v) for v in values if v is not None]


def fmt_value(value: Any, spec: ParamSpec, lang: str = "en") -> str:
    """A control's value in the page's language (decimal comma in Danish)."""
    if spec.kind in ("float", "int"):
        return short(value, lang)
    return str(value)


def range_text(spec: ParamSpec, lang: str = "en") -> str:
    if spec.kind in ("int", "float"):
        u = f" {unit(spec.unit, lang)}" if spec.unit else ""
        return f"{short(spec.minimum, lang)} – {short(spec.maximum, lang)}{u}"
    return ""


def inactive_why(spec: ParamSpec, values: Any, lang: str) -> str:
    """Why ``spec`` has no effect under ``values`` ("Roll-out: big bang"), or ""."""
    smap = spec_map()
    return "; ".join(param_value(smap[k], values.get(k), lang, labelled=True)
                     for k, allowed in spec.applies if values.get(k) not in allowed)


@solara.component
def ParamControl(session: Session, spec: ParamSpec, value: Any, lang: str,
                 error: str = "", changed: bool = False, fixed: bool = False,
                 inactive: str = ""):
    """One generated control (a value an uploaded institutions file fixes is shown, not
    offered: "from the file"; ``inactive``: why it has no effect now, greyed out)."""
    kind = widget_kind(spec)
    label = param_label(spec, lang)
    unit_text = f" {unit(spec.unit, lang)}" if spec.unit and kind in ("slider", "number") else ""
    cls = f"param-control param-{spec.name}"
    mark = " •" if changed else ""
    off = bool(inactive)
    with solara.Column(gap="0px", classes=[cls] + (["param-inactive"] if off else [])):
        if fixed:
            shown = (choice_label(value, lang) if kind == "select"
                     else fmt_value(value, spec, lang) + (unit_text if spec.unit else ""))
            solara.Text(f"{label}: {shown} ({tr('inst_from_file', lang)})",
                        classes=["param-label", "param-fixed"])
        elif kind == "switch":
            solara.Switch(label=label + mark, value=bool(value), disabled=off,
                          on_value=lambda x: session.set_value(spec.name, bool(x)))
        elif kind == "select":
            items = [{"text": choice_label(c, lang), "value": c} for c in spec.choices or ()]
            v.Select(label=label + mark, items=items, v_model=value, dense=True,
                     hide_details=True, disabled=off, class_="param-input",
                     on_v_model=lambda x: session.set_value(spec.name, x))
        elif kind == "slider":
            solara.Text(f"{label}: {fmt_value(value, spec, lang)}{unit_text}{mark}",
                        classes=["param-label"])
            slider = v.Slider(v_model=value, min=spec.minimum, max=spec.maximum,
                              step=slider_step(spec), dense=True, hide_details=True,
                              disabled=off,
                              thumb_label=False, class_="param-input")

            def on_change(*args):
                session.set_value(spec.name, args[-1])

            v.use_event(slider, "change", on_change)
        else:
            solara.InputFloat(label=f"{label}{mark} ({unit(spec.unit, lang)})" if spec.unit
                              else label,
                              value=value, continuous_update=False, disabled=off,
                              classes=["param-input"],
                              on_value=lambda x: x is not None and session.set_value(spec.name, x))
        help_text = param_help(spec, lang)
        rng = range_text(spec, lang)
        solara.Text(f"{help_text}" + (f" [{rng}]" if rng else ""), classes=["param-help"])
        if off:
            solara.Text(tr("not_applicable", lang, cond=inactive),
                        classes=["param-help", "param-inactive-why"])
        if error:
            solara.Error(error_text(error, lang), dense=True, classes=["param-error"])


@solara.component
def ScenarioPicker(session: Session):
    """The shipped scenarios with title and description; choosing one fills every control."""
    settings = session.settings.value
    lang = session.lang.value
    scenario, extras = settings.scenario, settings.extras
    scenarios = shipped_scenarios()
    names = [s.name for s in scenarios]
    current = scenario.name if scenario.name in names else None
    from sim_app.text.scenarios import shipped_extras

    items = [{"text": title(s, shipped_extras(s.name), lang), "value": s.name}
             for s in scenarios]
    if current is None:
        items.append({"text": f"{session.scenario_title()} {tr('custom', lang)}",
                      "value": scenario.name})
    with solara.Column(gap="4px", classes=["scenario-picker"]):
        v.Select(label=tr("scenario", lang), items=items, v_model=scenario.name,
                 class_="scenario-select", hide_details=True,
                 on_v_model=lambda name: name in names and session.choose_scenario(name))
        solara.Text(description(scenario, extras, lang),
                    classes=["scenario-description"],
                    style={"font-size": "0.9em", "white-space": "pre-line"})
        srcs = sources(scenario, extras, lang)
        if srcs:
            solara.Text(tr("sources", lang) + ": " + "; ".join(srcs),
                        classes=["param-help", "scenario-sources"])


@solara.component
def SeedInput(session: Session):
    seed = session.settings.value.seed
    lang = session.lang.value
    error, set_error = solara.use_state("")

    def on_seed(text):
        try:
            seed = parse_seed(text)
        except ValueError:
            set_error(tr("seed_error", lang))
            return
        set_error("")
        session.set_seed(seed)

    solara.InputText(tr("seed", lang), value=str(seed), on_value=on_seed,
                     error=error or False, message=tr("seed_help", lang),
                     classes=["seed-input"])


@solara.component
def Controls(session: Session):
    """Every parameter, grouped by theme (an accordion: one theme open at a time, so the page
    holds few widgets and live play stays fast), plus the seed. The horizon is in 'run'."""
    settings = session.settings.value
    lang = session.lang.value
    open_group, set_open_group = solara.use_state("rollout")
    by_group: dict[str, list[ParamSpec]] = {}
    for s in specs():
        by_group.setdefault(s.group, []).append(s)
    changed = session.changed_from_scenario()
    fixed = session.fixed_by_file()
    with solara.Column(gap="4px", classes=["controls"]):
        SeedInput(session).key("seed")
        if changed:  # keyed, like everything here: its coming and going must not shift the
            # positions of the groups below (that would re-create every open control)
            solara.Button(tr("reset_scenario", lang), text=True, small=True,
                          classes=["reset-scenario"],
                          on_click=session.reset_to_scenario).key("reset-scenario")
        for key, title in GROUPS:
            group_specs = by_group.get(key, [])
            if not group_specs:
                continue
            n_changed = sum(1 for s in group_specs if s.name in changed)
            is_open = key == open_group
            label = group_title(key, title, lang) + (f" ({n_changed} •)" if n_changed else "")
            solara.Button(label, text=True, block=True, color="primary" if is_open else None,
                          icon_name="mdi-chevron-down" if is_open else "mdi-chevron-right",
                          classes=[f"group-header group-header-{key}"],
                          style={"justify-content": "flex-start", "text-transform": "none"},
                          on_click=lambda key=key, is_open=is_open:
                          set_open_group("" if is_open else key)).key(f"header-{key}")
            if is_open:
                with solara.Column(gap="10px", classes=[f"group-{key}"],
                                   style={"padding": "4px 8px 12px 8px"}).key(f"group-{key}"):
                    for s in group_specs:
                        ParamControl(session, s, settings.values[s.name], lang,
                                     error=settings.field_errors.get(s.name, ""),
                                     changed=s.name in changed,
                                     fixed=s.name in fixed,
                                     inactive=inactive_why(s, settings.values, lang)
                                     ).key(s.name)
