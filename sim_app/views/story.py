"""The facilitator's story editor: the pauses of the scenario, add one, remove one.

Pauses are saved in the scenario file (*Settings as scenario file*), in the language the
facilitator writes in (Danish texts go to ``caption_da``/``question_da`` when the page is in
Danish).
"""

from __future__ import annotations

import solara

from sim_app.session.events import EVENTS
from sim_app.session.state import Session
from sim_app.session.story import where_text
from sim_app.text.i18n import tr
from sim_app.text.scenarios import StoryPause


@solara.component
def StoryAt(session: Session, at: str, set_at, lang: str):
    """Where a new pause goes: an event, or the month shown (the one leaf of the editor that
    renders with each month of play)."""
    month = session.month_shown.value
    items = [{"text": tr(f"ev_{e}", lang), "value": e} for e in EVENTS]
    items.append({"text": tr("ev_month", lang) + f" ({month})", "value": "month"})
    return solara.v.Select(label=tr("story_at", lang), items=items, v_model=at, dense=True,
                           hide_details=True, class_="story-at", on_v_model=set_at)


@solara.component
def StoryPanel(session: Session):
    pauses = session.settings.value.extras.story
    run = session.shown.value.run  # the events' months are the run's
    story_on = session.story_on.value
    lang = session.lang.value
    at, set_at = solara.use_state("golive")
    caption, set_caption = solara.use_state("")
    question, set_question = solara.use_state("")
    events = session.events(run)

    def add():
        if not caption.strip():
            return
        where: str | int = session.month if at == "month" else at
        if where == 0:
            where = 1
        texts = ({"caption": caption.strip(), "question": question.strip()} if lang != "da"
                 else {"caption": caption.strip(), "question": question.strip(),
                       "caption_da": caption.strip(), "question_da": question.strip()})
        session.set_story((*pauses, StoryPause(at=where, **texts)))
        set_caption("")
        set_question("")

    def remove(i: int):
        session.set_story(tuple(p for k, p in enumerate(pauses) if k != i))

    with solara.Column(gap="6px", classes=["story-panel"]):
        solara.Text(tr("story_help", lang), classes=["param-help"])
        solara.Switch(label=tr("story_on", lang), value=story_on,
                      on_value=session.set_story_on, classes=["switch-story"])
        for i, p in enumerate(pauses):
            cap, _q = p.text(lang)
            with solara.Row(gap="4px", classes=["story-item"], style={"align-items": "center"}):
                solara.Text(f"{where_text(p, events, lang)}: {cap}",
                            style={"font-size": "0.85rem", "flex": "1 1 auto"})
                solara.Button(icon_name="mdi-delete", icon=True, small=True,
                              classes=[f"btn-story-remove-{i}"],
                              attributes={"title": tr("story_remove", lang)},
                              on_click=lambda i=i: remove(i))
        StoryAt(session, at, set_at, lang)
        solara.InputText(tr("story_caption", lang), value=caption, on_value=set_caption,
                         classes=["story-caption-input"])
        solara.InputText(tr("story_question", lang), value=question, on_value=set_question,
                         classes=["story-question-input"])
        solara.Button(tr("story_add", lang), icon_name="mdi-plus", classes=["btn-story-add"],
                      disabled=not caption.strip(), on_click=add)
