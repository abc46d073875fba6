"""Many state changes, one render pass."""

from __future__ import annotations

import functools


def batched(method):
    """Run a Session method inside ``Session.batch``: one render pass for all it changes."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self.batch():
            return method(self, *args, **kwargs)
    return wrapper
