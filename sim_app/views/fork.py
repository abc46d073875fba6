"""The fork view: pause at a month, choose a policy, draw the path from there against the
original (``sim_app.session.fork``)."""

from __future__ import annotations

import solara

from sim_app.session.fork import POLICIES, describe
from sim_app.session.state import Session
from sim_app.text.fmt import short, unit
from sim_app.text.i18n import tr
from sim_app.views.projector import ProjectorView

#: Slider steps of the policy controls.
STEPS = {"dialogue": 0.05, "shadow_cuts": 0.01, "pause_rollout": 1, "centre_staff": 5}


@solara.component
def ForkPanel(session: Session):
    shown = session.shown.value
    month = session.month_shown.value  # the button forks at the month shown
    lang = session.lang.value
    p = (shown.baseline if shown.fork_info else shown.run).params
    defaults = {"dialogue": 1.0, "shadow_cuts": 0.0, "pause_rollout": 6.0,
                "centre_staff": round(0.05 * p.baseline_fte_total / 5) * 5 or 5}
    values, set_values = solara.use_state(defaults)
    used, set_used = solara.use_state({"dialogue": True})
    policy = {k: values[k] for k in POLICIES if used.get(k)}
    with solara.Column(gap="8px", classes=["fork-panel"]):
        solara.Text(tr("fork_help", lang), classes=["param-help"])
        for key, (lo, hi, u) in POLICIES.items():
            hi = min(hi, float(p.shadow_max_share)) if key == "shadow_cuts" else hi
            with solara.Column(gap="0px", classes=[f"fork-policy fork-{key}"]):
                shown_unit = f" {unit(u, lang)}" if u in ("months", "FTE") else ""
                solara.Checkbox(label=f"{tr('pol_' + key, lang)}: {short(values[key], lang)}"
                                      f"{shown_unit}",
                                value=bool(used.get(key)),
                                on_value=lambda v, key=key: set_used({**used, key: v}))
                solara.v.Slider(v_model=values[key], min=lo, max=hi if key != "centre_staff"
                                else max(50.0, float(p.baseline_fte_total) * 0.5),
                                step=STEPS[key], dense=True, hide_details=True,
                                class_=f"fork-slider-{key}",
                                on_v_model=lambda v, key=key: set_values({**values,
                                                                          key: float(v)}))
        solara.Button(tr("fork_at", lang, m=month), icon_name="mdi-source-fork",
                      color="primary", classes=["btn-fork"], disabled=not policy,
                      on_click=lambda: session.make_fork(policy))
        if shown.fork_info is not None:
            info = shown.fork_info
            solara.Text(tr("fork_shown", lang, m=info["month"],
                           policy=describe(info["policy"], lang)), classes=["fork-shown"])
            solara.Button(tr("fork_clear", lang), text=True, classes=["btn-fork-clear"],
                          on_click=session.clear_fork)


@solara.component
def ForkView(session: Session):
    with solara.Div(classes=["app-body"]):
        with solara.Div(classes=["main", "fork-main"]):
            ProjectorView(session)
        with solara.Div(classes=["side", "fork-side"]):
            ForkPanel(session)
