"""A collapsible section whose content is built only when it is first opened.

Solara's ``Details`` builds its content (every widget, and every render pass after) even while
it is closed. Most visitors never open the export or story panels; building them lazily spares
the server some fifty widgets per page (issue 17: server CPU per visitor). Once opened, the
content stays built, so closing and reopening does not re-create it.
"""

from __future__ import annotations

from collections.abc import Callable

import solara

rv = solara.v  # the Vuetify widgets as components

@solara.component
def LazyDetails(summary: str, content: Callable[[], object], classes: list[str] | None = None):
    """A section titled ``summary``; ``content()`` renders its body (called once opened)."""
    expand, set_expand = solara.use_state(False)
    opened, set_opened = solara.use_state(False)

    def on_v_model(value):
        set_expand(value == 0)
        if value == 0:
            set_opened(True)

    with rv.ExpansionPanels(v_model=0 if expand else None, on_v_model=on_v_model,
                            class_=" ".join(classes or [])) as main:
        with rv.ExpansionPanel():
            rv.ExpansionPanelHeader(children=[summary])
            with rv.ExpansionPanelContent():
                if opened:
                    content()
    return main
