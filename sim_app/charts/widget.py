"""A browser-side chart (ECharts, served from the local asset cache) that redraws fast.

Python sends a whole ECharts ``option`` once per run — every series over the whole horizon —
and during live play only ``month``: the browser cuts the series it already holds to the
month shown (see ``echarts_widget.vue`` for the option's extra keys ``_revision``, ``_grow``,
``_marks``, ``_frames``). Once drawn, the chart's container gets ``data-revision`` and
``data-month`` so a test or benchmark can wait for "the chart shows the latest data".
"""

from __future__ import annotations

import itertools
import json

import ipyvuetify
import solara
import traitlets

from sim_app.session.state import Session


class EchartsWidget(ipyvuetify.VuetifyTemplate):
    """The widget; see ``echarts_widget.vue``."""

    template_file = (__file__, "echarts_widget.vue")

    name = traitlets.Unicode("").tag(sync=True)
    attributes = traitlets.Dict(default_value=None, allow_none=True).tag(sync=True)
    option = traitlets.Any({})  # the option drawn (Python side: tests read it)
    option_json = traitlets.Unicode("{}").tag(sync=True)  # the same, as the browser gets it
    month = traitlets.Int(-1).tag(sync=True)  # months shown; -1: the whole horizon


class Payload:
    """A value reacton does not look into.

    reacton walks every list and dict in a component's arguments looking for child elements
    (twice per render: collecting children and reconciling); a chart option with a whole run
    (the network view's per-month nodes are ~36,000 numbers) cost ~100 ms per render that way.
    """

    __slots__ = ("_json", "value")

    #: Options built so far on this server: each build's number goes with its options as
    #: ``_revision`` (the browser redraws for a new build, not for a new month, and marks
    #: the chart with it).
    _builds = itertools.count(1)

    def __init__(self, value):
        self.value = value
        self._json: str | None = None

    @property
    def json(self) -> str:
        """The value as JSON text, encoded once (shared by every widget that shows it)."""
        if self._json is None:
            self._json = to_json(self.value)
        return self._json

    @classmethod
    def stamp(cls, options: dict[str, dict]) -> dict[str, Payload]:
        """One build of options, each marked with the build's number."""
        number = next(cls._builds)
        return {name: cls({**opt, "_revision": number}) for name, opt in options.items()}


def to_json(value) -> str:
    """JSON text of a chart option, as the widgets' own messages encode it (numpy numbers as
    plain numbers; the builders send ``None`` for a missing value, never NaN)."""
    return json.dumps(value, separators=(",", ":"), default=_plain)


def _plain(x):
    if hasattr(x, "tolist"):  # numpy scalars and arrays
        return x.tolist()
    raise TypeError(f"{type(x).__name__} is not JSON serialisable")


@solara.component
def Chart(session: Session, name: str, option: Payload, height: str = "300px"):
    """One chart; ``name`` becomes the container's ``data-chart`` attribute (tests use it).

    The option arrives wrapped in a :class:`Payload` and is pushed to the widget in an effect
    when a new one arrives, not passed as an element argument: reacton walks every element and
    component argument looking for child elements (thousands of numbers). The chart reads the
    month shown from the session's state: a month of live play renders this leaf and sends
    the widget a few bytes, and the browser cuts the series it holds.
    """
    month = session.month_shown.value
    el = EchartsWidget.element(
        name=name, month=month,
        attributes={"style": f"height: {height}; width: 100%;", "data-chart": name},
    )

    def push():
        widget = solara.get_widget(el)
        with widget.hold_sync():
            widget.option = option.value
            widget.option_json = option.json

    solara.use_effect(push, [option])
    return el
