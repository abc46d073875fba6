"""What a facilitator sees: the page, explore, projector, fork, controls and panels."""
