"""Connecting accounts through the platforms' OAuth 2.0 flows: per-source settings, the
authorization URL and code exchange, what a consent granted, and the single-use flow state."""
