"""The app's in-process tests render as the server does (``sim_app.serving.configure_server``:
reacton's subtree-skipping render)."""

from __future__ import annotations

import os

os.environ.setdefault("REACTON_FAST", "1")
