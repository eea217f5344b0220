"""Solidair: people who cannot leave home, and verified volunteers nearby."""
