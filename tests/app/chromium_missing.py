"""A pytest plugin (``-p tests.app.chromium_missing``) that makes Debian's chromium look absent,
as on a fresh machine: used to test how the browser test behaves there."""

import sim_app.serving

sim_app.serving.CHROMIUM = "/nonexistent/chromium"
