"""pos-tui: a terminal point-of-sale built around customer credit."""

__version__ = "0.1.0"
