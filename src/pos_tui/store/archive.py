"""The reads behind a period archive (issue 15): every fiscal record of a period and its chain entry."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from pos_tui.store.db import Store
from pos_tui.store.integrity import SIGNED_COLUMNS

# Which rows of each signed table belong to the period [:a, :b] (business days, or dates of creation).
# Every query runs on an index: business_day, a parent sale, created_at.
_PERIOD_ROWS = {
    "sales": "SELECT * FROM sales WHERE store_id = :s AND business_day BETWEEN :a AND :b",
    "sale_lines": "SELECT l.* FROM sales s JOIN sale_lines l ON l.sale_id = s.id"
                  " WHERE s.store_id = :s AND s.business_day BETWEEN :a AND :b",
    "sale_payments": "SELECT p.* FROM sales s JOIN sale_payments p ON p.sale_id = s.id"
                     " WHERE s.store_id = :s AND s.business_day BETWEEN :a AND :b",
    "vouchers": "SELECT v.* FROM sales s JOIN vouchers v ON v.issued_sale_id = s.id"
                " WHERE s.store_id = :s AND s.business_day BETWEEN :a AND :b",
    "voucher_parts": "SELECT p.* FROM sales s JOIN vouchers v ON v.issued_sale_id = s.id"
                     " JOIN voucher_parts p ON p.voucher_id = v.id WHERE s.store_id = :s AND s.business_day BETWEEN :a AND :b",
    "voucher_redemptions": "SELECT r.* FROM sales s JOIN voucher_redemptions r ON r.sale_id = s.id"
                           " WHERE s.store_id = :s AND s.business_day BETWEEN :a AND :b",
    "credit_ledger": "SELECT * FROM credit_ledger WHERE store_id = :s AND (business_day BETWEEN :a AND :b"
                     " OR (business_day IS NULL AND created_at >= :a AND created_at < :after))",
    "cash_movements": "SELECT * FROM cash_movements WHERE store_id = :s AND business_day BETWEEN :a AND :b",
    "z_closings": "SELECT * FROM z_closings WHERE store_id = :s AND business_day BETWEEN :a AND :b",
    "period_closings": "SELECT * FROM period_closings WHERE store_id = :s AND day_to BETWEEN :a AND :b",
    "journal": "SELECT * FROM journal WHERE +store_id = :s AND created_at >= :a AND created_at < :after",
    # Staff records carry no store: those signed in this store's chain.
    "staff_log": "SELECT t.* FROM staff_log t JOIN signatures g ON g.table_name = 'staff_log' AND g.record_id = t.id"
                 " WHERE g.store_id = :s AND t.created_at >= :a AND t.created_at < :after",
}


def period_records(store: Store, table: str, day_from: str, day_to: str) -> list[dict]:
    """The signed columns of the period's rows of ``table`` in the till's store, each with its chain entry.

    ``_seq`` is the entry's position, ``_sig`` its signature and ``_prev`` the signature
    before it in the store's chain, so each record can be checked on its own, years later,
    without the database."""
    cols = ", ".join(f"t.{c}" for c in SIGNED_COLUMNS[table])
    after = (date.fromisoformat(day_to) + timedelta(days=1)).isoformat()
    return store.query(
        f"SELECT {cols}, s.id AS _seq, s.sig AS _sig,"
        f" coalesce((SELECT p.sig FROM signatures p WHERE p.store_id = s.store_id AND p.id < s.id"
        f" ORDER BY p.id DESC LIMIT 1), '') AS _prev"
        f" FROM ({_PERIOD_ROWS[table]}) t"
        f" LEFT JOIN signatures s ON s.table_name = '{table}' AND s.record_id = t.id ORDER BY t.id",
        {"a": day_from, "b": day_to, "after": after, "s": store.store_id})


def chain_head(store: Store) -> dict | None:
    return store.one("SELECT id, sig FROM signatures WHERE store_id = ? ORDER BY id DESC LIMIT 1", (store.store_id,))


def shop_name(store: Store) -> str:
    return store.get_setting("shop_name", "") or ""


@contextmanager
def snapshot(store: Store) -> Iterator[None]:
    """One read transaction: every read inside sees the same moment while the tills go on selling (WAL)."""
    store.conn.execute("BEGIN")
    try:
        yield
    finally:
        store.conn.execute("COMMIT")
