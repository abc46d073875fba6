"""A browser-side chart (ECharts, served from the local asset cache) that redraws fast.

Python sends a whole ECharts ``option`` once per run — every series over the whole horizon —
and during live play only ``month``: the browser cuts the series it already holds to the
month shown (see ``echarts_widget.vue`` for the option's extra keys ``_revision``, ``_grow``,
``_marks``, ``_frames``). Once drawn, the chart's container gets ``data-revision`` and
``data-month`` so a test or benchmark can wait for "the chart shows the latest data".
"""

from __future__ import annotations

import ipyvuetify
import solara
import traitlets

from sim_app.session.state import Session


class EchartsWidget(ipyvuetify.VuetifyTemplate):
    """The widget; see ``echarts_widget.vue``."""

    template_file = (__file__, "echarts_widget.vue")

    name = traitlets.Unicode("").tag(sync=True)
    attributes = traitlets.Dict(default_value=None, allow_none=True).tag(sync=True)
    option = traitlets.Any({}).tag(sync=True)
    month = traitlets.Int(-1).tag(sync=True)  # months shown; -1: the whole horizon


class Payload:
    """A value reacton does not look into.

    reacton walks every list and dict in a component's arguments looking for child elements
    (twice per render: collecting children and reconciling); a chart option with a whole run
    (the network view's per-month nodes are ~36,000 numbers) cost ~100 ms per render that way.
    """

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


@solara.component
def Chart(session: Session, name: str, option: Payload, revision: int, height: str = "300px"):
    """One chart; ``name`` becomes the container's ``data-chart`` attribute (tests use it).

    The option arrives wrapped in a :class:`Payload` and is pushed to the widget in an effect,
    not passed as an element argument: reacton walks every element and component argument
    looking for child elements (thousands of numbers).
    The widget also registers with the session, which sets its ``month`` directly on every
    month of live play, with no render pass (see ``Session.show_month``).
    """
    el = EchartsWidget.element(
        name=name,
        attributes={"style": f"height: {height}; width: 100%;", "data-chart": name},
    )

    def attach():
        widget = solara.get_widget(el)
        session.attach_month_widget(name, widget)
        return lambda: session.detach_month_widget(name, widget)

    def push():
        widget = solara.get_widget(el)
        with widget.hold_sync():
            widget.option = {**option.value, "_revision": revision}
            widget.month = session.month

    solara.use_effect(attach, [])
    solara.use_effect(push, None)  # every render: a render means new content
    return el
