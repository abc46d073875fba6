"""Live story controls: play / pause / step / reset, a speed control and the month shown.

Play advances the month shown on a background thread (``solara.use_thread``) at the chosen
speed; each month only tells the charts and KPI cards the new month (``Session.show_month``:
they already hold the whole run). Changing a control while a story is under way keeps the
month and shows the new run up to it.
"""

from __future__ import annotations

import time

import solara

from sim_app.i18n import tr
from sim_app.state import Session

SPEEDS = (1, 2, 4, 6, 8, 10, 12, 15, 20, 30)


@solara.component
def Player(session: Session):
    playing = session.playing.value
    lang = session.lang.value
    big = session.presentation.value

    def loop(cancel):
        if not playing:
            return
        next_t = time.perf_counter()
        while not cancel.is_set() and session.playing.value:
            if not session.step():
                session.playing.value = False
                break
            next_t += 1.0 / max(float(session.speed.value), 0.1)
            delay = next_t - time.perf_counter()
            if delay > 0:
                cancel.wait(delay)
            else:
                next_t = time.perf_counter()

    solara.use_thread(loop, dependencies=[playing], intrusive_cancel=False)
    size = {"large": True} if big else {"small": False}
    with solara.Row(gap="8px", classes=["player"], style={"align-items": "center",
                                                          "flex-wrap": "wrap"}):
        if playing:
            solara.Button(tr("pause", lang), icon_name="mdi-pause", color="primary",
                          classes=["btn-pause"], on_click=session.pause, **size)
        else:
            solara.Button(tr("play", lang), icon_name="mdi-play", color="primary",
                          classes=["btn-play"], on_click=session.play, **size)
        solara.Button(tr("step", lang), icon_name="mdi-step-forward", classes=["btn-step"],
                      on_click=session.step, disabled=playing, **size)
        solara.Button(tr("reset", lang), icon_name="mdi-skip-backward", classes=["btn-reset"],
                      on_click=session.reset, **size)
        solara.Button(tr("to_end", lang), icon_name="mdi-skip-forward", classes=["btn-end"],
                      on_click=session.to_end, **size)
        solara.v.Select(label=f"{tr('speed', lang)} ({tr('months_per_s', lang)})",
                        items=list(SPEEDS), v_model=session.speed.value, dense=True,
                        hide_details=True, class_="speed-select", style_="max-width: 170px;",
                        on_v_model=lambda x: session.speed.set(float(x)))

