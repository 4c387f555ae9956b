"""Use cases shared by the UI and the CLI: open a transaction, let the domain
decide, let the store persist, return what the caller shows."""

from pos_tui.services.context import Context

__all__ = ["Context"]
