"""SQLite persistence. Only this package writes SQL."""

from pos_tui.store.db import Store

__all__ = ["Store"]
