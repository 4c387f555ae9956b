"""The reads the demo builder needs to script a believable history (services/demo.py)."""

from __future__ import annotations

from pos_tui.store.db import Store

# Claire Martin stays at a zero balance in the demo: the acceptance stories start from her.
_NOT_CLAIRE = "NOT (first_name = 'Claire' AND last_name = 'Martin')"


def customers_for_history(store: Store) -> list[dict]:
    """Every customer but Claire Martin, oldest first, with the fields the history script plans on."""
    return store.query(f"SELECT id, first_name, last_name, debt_limit FROM customers WHERE {_NOT_CLAIRE} ORDER BY id")


def account(store: Store, customer_id: int) -> dict:
    """A customer's balance and debt limit."""
    return store.one("SELECT balance, debt_limit FROM customers WHERE id = ?", (customer_id,))


def first_with_balance(store: Store, at_least: int) -> dict | None:
    return store.one("SELECT id, balance FROM customers WHERE balance >= ? ORDER BY id LIMIT 1", (at_least,))


def product_barcodes(store: Store, limit: int | None = None) -> list[str]:
    sql, params = "SELECT barcode FROM products ORDER BY id", ()
    if limit is not None:
        sql, params = sql + " LIMIT ?", (limit,)
    return [r["barcode"] for r in store.query(sql, params)]
