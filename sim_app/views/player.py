"""Live story controls: play / pause / step / reset, a speed control and the month shown.

Play advances the month shown on a background thread (``solara.use_thread``) at the chosen
speed, through the session's methods (``Session.step``): a month is a new value of one field
of the session's state, which only the charts and the KPI cards read (they already hold the
whole run). With story mode on, play stops at each story pause and the
projector shows its caption and question. Changing a control while a story is under way keeps
the month and shows the new run up to it.
"""

from __future__ import annotations

import time

import solara

from sim_app.session.state import Session
from sim_app.text.i18n import tr

SPEEDS = (1, 2, 4, 6, 8, 10, 12, 15, 20, 30)


def play_loop(session: Session, cancel) -> None:
    """Advance the month at the session's speed until paused, cancelled, at a story pause or
    at the end of the horizon."""
    next_t = time.perf_counter()
    while not cancel.is_set() and session.state.peek().playing:
        if not session.step():
            session.pause()
            break
        if session.stop_for_story() or session.room_stop():
            break
        next_t += 1.0 / max(float(session.state.peek().speed), 0.1)
        delay = next_t - time.perf_counter()
        if delay > 0:
            cancel.wait(delay)
        else:
            next_t = time.perf_counter()


@solara.component
def Player(session: Session, big: bool = False):
    playing = session.playing.value
    lang = session.lang.value
    speed = session.speed.value

    def loop(cancel):
        if playing:
            play_loop(session, cancel)

    solara.use_thread(loop, dependencies=[playing], intrusive_cancel=False)
    size = {"large": True} if big else {}

    def label(key: str) -> dict:
        """Projector: icon buttons with the word as tooltip (the row must fit 1280 px)."""
        return ({"label": None, "attributes": {"title": tr(key, lang), "aria-label": tr(key, lang)}}
                if big else {"label": tr(key, lang)})

    with solara.Row(gap="8px", classes=["player"], style={"align-items": "center",
                                                          "flex-wrap": "wrap"}):
        if playing:
            solara.Button(tr("pause", lang), icon_name="mdi-pause", color="primary",
                          classes=["btn-pause"], on_click=session.pause, **size)
        else:
            solara.Button(tr("play", lang), icon_name="mdi-play", color="primary",
                          classes=["btn-play"], on_click=session.play, **size)
        solara.Button(icon_name="mdi-step-forward", classes=["btn-step"],
                      on_click=session.step, disabled=playing, **label("step"), **size)
        solara.Button(icon_name="mdi-skip-backward", classes=["btn-reset"],
                      on_click=session.reset, **label("reset"), **size)
        solara.Button(icon_name="mdi-skip-forward", classes=["btn-end"],
                      on_click=session.to_end, **label("to_end"), **size)
        solara.v.Select(label=f"{tr('speed', lang)} ({tr('months_per_s', lang)})",
                        items=list(SPEEDS), v_model=speed, dense=True,
                        hide_details=True, class_="speed-select", style_="max-width: 150px;",
                        on_v_model=session.set_speed)
