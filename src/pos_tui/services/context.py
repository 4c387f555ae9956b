"""Who is acting, where, on which store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pos_tui.domain.rights import Right, require
from pos_tui.domain.users import User
from pos_tui.store.db import Store, StoreOffline, is_server_url  # noqa: F401 - StoreOffline: the screens catch it from here

__all__ = ["Context", "StoreOffline", "open_store"]


@dataclass
class Context:
    """Passed to every service: the store, the logged-in user and the terminal number."""

    store: Store
    user: User
    terminal: int = 1

    def require(self, right: Right) -> None:
        require(self.user.rights, right)

    def can(self, right: Right) -> bool:
        return self.user.can(right)

    def journal(self, kind: str, **detail: object) -> None:
        self.store.journal(kind, self.user.id, self.terminal, **detail)


def open_store(path: str | Path, **options) -> Store:
    """The shop's database, opened and migrated (the CLI and the app get their store here): a SQLite
    file, or a ``postgresql://`` URL for several stores sharing customers (``store_code`` picks the till's store)."""
    if is_server_url(path):
        from pos_tui.store.pg import PgStore

        return PgStore(path, **options)
    return Store(path, **options)
