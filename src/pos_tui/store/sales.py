"""Closed sales, their lines and payments; parked carts."""

from __future__ import annotations

import json

from pos_tui.store.closing import business_day_after
from pos_tui.store.db import Store
from pos_tui.store.integrity import TIP_SUBQUERY, insert_signed, remember_tip


def next_number(store: Store) -> int:
    """The next gapless sale number of the till's store (call inside the write transaction)."""
    return store.scalar("SELECT coalesce(max(number), 0) + 1 FROM sales WHERE store_id = ?", (store.store_id,))


def sale_start(store: Store) -> tuple[int, str]:
    """(next gapless sale number, open business day) of the till's store, read in one statement that also
    gives the chain tip the sale's records follow (call inside the write transaction)."""
    number, last_z_day, tip = store.conn.execute(
        "SELECT (SELECT coalesce(max(number), 0) + 1 FROM sales WHERE store_id = ?),"
        " (SELECT max(business_day) FROM z_closings WHERE store_id = ?), " + TIP_SUBQUERY,
        (store.store_id, store.store_id, store.store_id)).fetchone()
    remember_tip(store, tip)
    return number, business_day_after(last_z_day, store.today())


def insert_sale(store: Store, *, number: int, customer_id: int | None, user_id: int, terminal: int,
                business_day: str, total: int, change_given: int, voids_sale_id: int | None = None) -> int:
    return insert_signed(store, "sales", {
        "number": number, "customer_id": customer_id, "user_id": user_id, "terminal": terminal,
        "created_at": store.now(), "business_day": business_day, "total": total, "change_given": change_given,
        "voids_sale_id": voids_sale_id})


def insert_line(store: Store, sale_id: int, line_no: int, line, voucher_id: int | None = None) -> None:
    insert_signed(store, "sale_lines", {
        "sale_id": sale_id, "line_no": line_no, "kind": line.kind, "product_id": line.product_id,
        "barcode": line.barcode, "name": line.name, "quantity": line.quantity, "unit_price": line.unit_price,
        "vat_rate": line.vat_rate, "total": line.total, "voucher_id": voucher_id,
        "returned_line_id": line.returned_line_id})


def by_number(store: Store, number: int, store_id: int | None = None) -> dict | None:
    """The sale ``number`` of a store (default: the till's; numbers restart in each store)."""
    row = store.one("SELECT id FROM sales WHERE store_id = ? AND number = ?",
                    (store.store_id if store_id is None else store_id, number))
    return by_id(store, row["id"]) if row else None


def number_of(store: Store, sale_id: int | None) -> int | None:
    return store.scalar("SELECT number FROM sales WHERE id = ?", (sale_id,))


# "Sold minus returned" has this one home: a return line points at the line it brings back
# (returned_line_id) with a negative quantity, so what came back is minus their sum.
_SOLD_AND_RETURNED = (
    "l.quantity AS sold,"
    " coalesce(-(SELECT sum(r.quantity) FROM sale_lines r WHERE r.returned_line_id = l.id), 0) AS returned"
)


def returnable_lines(store: Store, sale_id: int) -> list[dict]:
    """Lines of a sale that can come back, each with ``sold`` and ``returned`` (already brought back)."""
    return store.query(
        "SELECT l.id, l.line_no, l.kind, l.product_id, l.barcode, l.name, l.unit_price, l.vat_rate,"
        f" {_SOLD_AND_RETURNED} FROM sale_lines l WHERE l.sale_id = ? AND l.kind IN ('product', 'free')"
        " AND l.quantity > 0 ORDER BY l.line_no",
        (sale_id,),
    )


def sold_and_returned(store: Store, line_id: int) -> dict | None:
    """``sold`` and ``returned`` quantities of one sale line (call inside the write transaction to rely on it)."""
    return store.one(f"SELECT {_SOLD_AND_RETURNED} FROM sale_lines l WHERE l.id = ?", (line_id,))


def insert_payment(store: Store, sale_id: int, method: str, amount: int) -> None:
    insert_signed(store, "sale_payments", {"sale_id": sale_id, "method": method, "amount": amount})


def by_id(store: Store, sale_id: int) -> dict | None:
    sale = store.one("SELECT * FROM sales WHERE id = ?", (sale_id,))
    if sale is None:
        return None
    sale["lines"] = store.query("SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY line_no", (sale_id,))
    sale["payments"] = store.query("SELECT method, amount FROM sale_payments WHERE sale_id = ? ORDER BY id",
                                   (sale_id,))
    return sale


def recent(store: Store, limit: int = 20) -> list[dict]:
    return store.query("SELECT * FROM sales WHERE store_id = ? ORDER BY number DESC LIMIT ?", (store.store_id, limit))


def park(store: Store, terminal: int, user_id: int, customer_id: int | None, cart: dict, total: int) -> int:
    return store.insert_id(
        "INSERT INTO parked_sales(terminal, user_id, created_at, customer_id, cart, total, store_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (terminal, user_id, store.now(), customer_id, json.dumps(cart, ensure_ascii=False), total, store.store_id),
    )


def parked(store: Store) -> list[dict]:
    return store.query(
        "SELECT p.id, p.terminal, p.created_at, p.total, p.customer_id, u.name AS user_name,"
        " trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) AS customer_name"
        " FROM parked_sales p LEFT JOIN users u ON u.id = p.user_id LEFT JOIN customers c ON c.id = p.customer_id"
        " WHERE p.store_id = ? ORDER BY p.id", (store.store_id,)
    )


def take_parked(store: Store, parked_id: int) -> dict | None:
    """Read and delete a parked cart (call inside the write transaction)."""
    row = store.one("SELECT cart FROM parked_sales WHERE id = ? AND store_id = ?", (parked_id, store.store_id))
    if row is None:
        return None
    store.conn.execute("DELETE FROM parked_sales WHERE id = ?", (parked_id,))
    return json.loads(row["cart"])
