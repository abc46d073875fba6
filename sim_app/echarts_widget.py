"""A browser-side chart (ECharts, served from the local asset cache) that redraws fast.

Python sends a whole ECharts ``option`` dict; the browser redraws without animation. Each
option carries a ``_revision`` key (stripped before drawing); once drawn, the chart's container gets ``data-revision`` so a
test or benchmark can wait for "the chart shows the latest data".
"""

from __future__ import annotations

import ipyvuetify
import solara
import traitlets


class EchartsWidget(ipyvuetify.VuetifyTemplate):
    """The widget; see ``echarts_widget.vue``."""

    template_file = (__file__, "echarts_widget.vue")

    name = traitlets.Unicode("").tag(sync=True)
    attributes = traitlets.Dict(default_value=None, allow_none=True).tag(sync=True)
    option = traitlets.Any({}).tag(sync=True)


@solara.component
def Chart(name: str, option: dict, revision: int, height: str = "300px"):
    """One chart; ``name`` becomes the container's ``data-chart`` attribute (tests use it).

    The option is pushed to the widget in an effect, not passed as an element argument:
    reacton walks every element argument looking for child elements, and walking thousands
    of numbers on every month of live play cost ~25 ms per chart.
    """
    el = EchartsWidget.element(
        name=name,
        attributes={"style": f"height: {height}; width: 100%;", "data-chart": name},
    )

    def push():
        widget = solara.get_widget(el)
        widget.option = {**option, "_revision": revision}

    solara.use_effect(push, None)
    return el
