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
    return store.insert_id(
        "INSERT INTO products(barcode, name, price, vat_rate) VALUES (?, ?, ?, ?)", (barcode, name, price, vat_rate)
    )


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


def by_id(store: Store, product_id: int) -> dict | None:
    return store.one("SELECT id, barcode, name, price, vat_rate, active FROM products WHERE id = ?", (product_id,))


def any_by_barcode(store: Store, barcode: str) -> dict | None:
    """A product by barcode, active or not (a deactivated one is named when it is scanned)."""
    return store.one("SELECT id, barcode, name, price, vat_rate, active FROM products WHERE barcode = ?", (barcode,))


def search(store: Store, text: str, limit: int = 50, include_inactive: bool = True) -> list[dict]:
    """Products whose name contains ``text`` (case-insensitive) or whose barcode starts with it."""
    text = (text or "").strip()
    where = "" if include_inactive else " AND active = 1"
    if not text:
        return store.query(f"SELECT id, barcode, name, price, vat_rate, active FROM products WHERE 1 = 1{where}"
                           " ORDER BY active DESC, lower(name) LIMIT ?", (limit,))
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    prefix = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return store.query(
        "SELECT id, barcode, name, price, vat_rate, active FROM products"
        f" WHERE (name LIKE ? ESCAPE '\\' OR barcode LIKE ? ESCAPE '\\'){where}"
        " ORDER BY active DESC, lower(name) LIMIT ?", (like, prefix, limit))


def update(store: Store, product_id: int, name: str, price: int, vat_rate: int) -> None:
    store.conn.execute("UPDATE products SET name = ?, price = ?, vat_rate = ? WHERE id = ?",
                     (name, price, vat_rate, product_id))


def set_active(store: Store, product_id: int, active: bool) -> None:
    store.conn.execute("UPDATE products SET active = ? WHERE id = ?", (int(active), product_id))


def add_price(store: Store, product_id: int, price: int, vat_rate: int, name: str, user_id: int | None,
              terminal: int, source: str) -> None:
    store.conn.execute(
        "INSERT INTO product_prices(product_id, price, vat_rate, name, user_id, terminal, changed_at, source)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (product_id, price, vat_rate, name, user_id, terminal, store.now(), source))


def price_history(store: Store, product_id: int) -> list[dict]:
    return store.query(
        "SELECT p.price, p.vat_rate, p.name, p.changed_at, p.source, u.name AS user_name FROM product_prices p"
        " LEFT JOIN users u ON u.id = p.user_id WHERE p.product_id = ? ORDER BY p.id DESC", (product_id,))


def in_store_codes(store: Store) -> list[str]:
    """Barcodes already given out in the in-store range (prefix 2)."""
    return [r[0] for r in store.conn.execute("SELECT barcode FROM products WHERE barcode LIKE '2%'")]
