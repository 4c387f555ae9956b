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
    cur = store.db.execute(
        "INSERT INTO products(barcode, name, price, vat_rate) VALUES (?, ?, ?, ?)", (barcode, name, price, vat_rate)
    )
    return cur.lastrowid


def count(store: Store) -> int:
    return store.scalar("SELECT count(*) FROM products")
