"""The Solara front end: `make app` serves it on http://localhost:8765 (see docs/app.md).

Thin on purpose: the components live in the package ``sim_app``; each browser session gets
its own model state inside ``Page``.
"""

from sim_app.page import Page  # noqa: F401  (solara serves the component named Page)
