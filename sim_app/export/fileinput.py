"""A file input that works everywhere: the system's file picker or a drop (a scenario file's
text, or an institutions file's bytes when ``binary``: an .xlsx is not text)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

import ipyvuetify
import solara
import traitlets

#: Larger files are refused (a scenario file is a few kilobytes).
MAX_BYTES = 1_000_000


class FileInputWidget(ipyvuetify.VuetifyTemplate):
    """See ``fileinput.vue``; ``on_file(name, data | None)`` gets each chosen file."""

    template_file = (__file__, "fileinput.vue")

    label = traitlets.Unicode("").tag(sync=True)
    hint = traitlets.Unicode("").tag(sync=True)
    accept = traitlets.Unicode(".toml,text/plain,application/toml").tag(sync=True)
    binary = traitlets.Bool(False).tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_file: Callable[[str, bytes | None], None] | None = None

    def vue_file_chosen(self, data: dict) -> None:
        text, b64 = data.get("text"), data.get("b64")
        payload = None if text is None else str(text).encode("utf-8")
        if b64 is not None:
            try:
                payload = base64.b64decode(str(b64), validate=True)
            except (binascii.Error, ValueError):
                payload = None
        if self.on_file is not None:
            self.on_file(str(data.get("name") or "file"), payload)


@solara.component
def FileInput(label: str, hint: str, on_file: Callable[[str, bytes | None], None],
              accept: str = ".toml,text/plain,application/toml", binary: bool = False):
    el = FileInputWidget.element(label=label, hint=hint, accept=accept, binary=binary)

    def attach():
        solara.get_widget(el).on_file = on_file

    solara.use_effect(attach, [on_file])
    return el
