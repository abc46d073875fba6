"""The Solara front end: `make app` serves it on http://localhost:8765 (see docs/app.md).

Thin on purpose: the components live in the package ``sim_app``; each browser session gets
its own model state inside ``Page``. ``Layout`` replaces Solara's app bar and sliding sidebar
(the page lays itself out so nothing covers the controls), and Solara's corner badge is off.
"""

from sim_app.serving import configure_server
from sim_app.views.page import Layout, Page  # noqa: F401  (solara serves Page inside Layout)

configure_server()
