"""Scenario discovery (placeholder, filled below)."""

from __future__ import annotations


class DiscoveryError(ValueError):
    """A discovery condition or data that discovery cannot use."""
