"""Reusable widgets shared by the screens (their CSS stays in DEFAULT_CSS: they go anywhere)."""
