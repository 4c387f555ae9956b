"""The company's stores (issue 18): each till belongs to one; per-store rows carry its id."""

from __future__ import annotations

from pos_tui.store.db import Store


def all_stores(store: Store) -> list[dict]:
    return store.query("SELECT id, code, name, created_at FROM stores ORDER BY id")


def by_code(store: Store, code: str) -> dict | None:
    return store.one("SELECT id, code, name, created_at FROM stores WHERE code = ?", (code,))


def code_of(store: Store, store_id: int | None = None) -> str:
    """The code of ``store_id`` (default: the till's store)."""
    sid = store.store_id if store_id is None else store_id
    return store.scalar("SELECT code FROM stores WHERE id = ?", (sid,)) or ""


def count(store: Store) -> int:
    return store.scalar("SELECT count(*) FROM stores")


def insert(store: Store, code: str, name: str) -> int:
    """A new store (call inside ``write``); the unique index refuses a duplicate code."""
    store.conn.execute("INSERT INTO stores(code, name, created_at) VALUES (?, ?, ?)", (code, name, store.now()))
    return store.scalar("SELECT id FROM stores WHERE code = ?", (code,))
