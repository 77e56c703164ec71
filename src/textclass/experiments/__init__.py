"""Experiments over many models: a leaderboard (:mod:`.compare`) and searches (:mod:`.search`)."""
