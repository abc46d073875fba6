"""The projector view: the story on one 1280 × 720 screen, readable from the back of a room.

Play controls, the month, compact KPI chips and the two charts that carry the story —
realised annual gain against the business case (gains arrive and break-even marked) and the
service level with its dip — fill the screen with no scrolling. A switch brings in a third
chart: the managers' network, their trust or the shadow staff. When play stops at a story
pause, its caption and question show above the charts.
"""

from __future__ import annotations

import solara

from sim_app.charts.widget import Chart
from sim_app.session.state import Session
from sim_app.text.i18n import tr
from sim_app.views.kpi_cards import KpiCards
from sim_app.views.panels import chart_options
from sim_app.views.player import Player

#: The switch's choices: value -> (chart name, i18n key).
EXTRAS = {"none": (None, "extra_none"), "network": ("network", "extra_network"),
          "trust": ("trust", "extra_trust"), "shadow": ("shadow", "extra_shadow")}


@solara.component
def StoryBanner(session: Session):
    """The caption and question of the story pause play stopped at (nothing otherwise)."""
    pause = session.story_shown.value
    lang = session.lang.value
    if pause is None:
        return solara.Div(classes=["story-banner", "story-banner--empty"])
    caption, question = pause.text(lang)
    with solara.Div(classes=["story-banner"]) as el:
        solara.Text(caption, classes=["story-caption"])
        if question:
            solara.Text(question, classes=["story-question"])
        solara.Button(tr("continue", lang), icon_name="mdi-play", color="primary",
                      classes=["btn-continue"], on_click=session.play)
    return el


@solara.component
def ExtraSwitch(session: Session):
    lang = session.lang.value
    current = session.extra_view.value
    with solara.Row(gap="4px", classes=["extra-switch"], style={"align-items": "center"}):
        solara.Text(tr("extra_view", lang) + ":", classes=["extra-label"])
        for key, (_chart, label) in EXTRAS.items():
            solara.Button(tr(label, lang), text=key != current, outlined=key == current,
                          color="primary" if key == current else None,
                          classes=[f"btn-extra btn-extra-{key}"],
                          on_click=lambda key=key: session.set_extra_view(key))


@solara.component
def ProjectorCharts(session: Session):
    lang = session.lang.value
    shown = session.shown.value
    mode = session.mode.value
    extra = EXTRAS[session.extra_view.value][0]
    if extra is None and shown.baseline is not None and mode != "projector":
        extra = "diff"  # the fork's or the debrief's difference
    names = ("gain", "service") + ((extra,) if extra else ())
    metric = session.diff_metric.value
    opts = solara.use_memo(
        lambda: chart_options(session, lang, True, only=names),
        [shown, lang, names, metric])
    with solara.Div(classes=["proj-charts"] + ([f"proj-charts--{len(names)}"])):
        for name in names:
            with solara.Div(classes=["proj-chart"]).key(f"box-{name}"):
                if name in opts:
                    Chart(session, name, opts[name], "100%").key(name)


@solara.component
def ProjectorView(session: Session):
    """The whole projector screen (below the header)."""
    with solara.Div(classes=["projector"]):
        with solara.Div(classes=["proj-top"]):
            Player(session, big=True)
            ExtraSwitch(session)
        KpiCards(session, compact=True)
        StoryBanner(session)
        ProjectorCharts(session)
