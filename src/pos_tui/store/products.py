"""Products table."""

from __future__ import annotations

from pos_tui.domain.products import Product
from pos_tui.store.db import Store


def by_barcode(store: Store, barcode: str) -> Product | None:
    row = store.one(
        "SELECT id, barcode, name, price, vat_rate FROM products WHERE barcode = ? AND active = 1", (barcode,)
    )
    return Product(**row) if row else None


def barcode_taken(store: Store, barcode: str) -> bool:
    return store.scalar("SELECT 1 FROM products WHERE barcode = ?", (barcode,)) is not None


def insert(store: Store, barcode: str, name: str, price: int, vat_rate: int) -> int:
    cur = store.conn.execute(
        "INSERT INTO products(barcode, name, price, vat_rate) VALUES (?, ?, ?, ?)", (barcode, name, price, vat_rate)
    )
    return cur.lastrowid


def count(store: Store) -> int:
    return store.scalar("SELECT count(*) FROM products")


def delete_range(store: Store, first_id: int, last_id: int) -> int:
    """Remove the rows ``first_id``..``last_id``: an import that failed takes back what it wrote."""
    return store.conn.execute("DELETE FROM products WHERE id BETWEEN ? AND ?", (first_id, last_id)).rowcount


def insert_many(store: Store, rows: list[tuple[str, str, int, int]]) -> tuple[int, int]:
    """Insert ``(barcode, name, price, vat_rate)`` rows (call inside ``write``); returns the first and last new ids."""
    before = store.scalar("SELECT coalesce(max(id), 0) FROM products")
    store.conn.executemany("INSERT INTO products(barcode, name, price, vat_rate) VALUES (?, ?, ?, ?)", rows)
    return before + 1, store.scalar("SELECT max(id) FROM products")
