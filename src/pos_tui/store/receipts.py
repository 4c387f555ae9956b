"""Printed copies of documents (``receipt_prints``) and the history of printable documents."""

from __future__ import annotations

from pos_tui.store.db import Store


def copies_printed(store: Store, doc_kind: str, doc_id: int) -> int:
    """Successful prints of a document so far (the next copy is "DUPLICATA n" when n > 0)."""
    # Per store: a Z's doc_id is its number, and numbers restart in each store.
    return store.scalar("SELECT count(*) FROM receipt_prints WHERE doc_kind = ? AND doc_id = ? AND status = 'ok'"
                        " AND store_id = ?", (doc_kind, doc_id, store.store_id))


def record_print(store: Store, doc_kind: str, doc_id: int, copy_no: int, user_id: int | None, terminal: int,
                 status: str) -> None:
    """One print attempt, ``ok`` or ``failed`` (call inside ``write``)."""
    store.conn.execute(
        "INSERT INTO receipt_prints(doc_kind, doc_id, copy_no, user_id, terminal, printed_at, status, store_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (doc_kind, doc_id, copy_no, user_id, terminal, store.now(), status, store.store_id),
    )


def history(store: Store, limit: int = 50) -> list[dict]:
    """Recent printable documents, newest first: sales, credit operations, vouchers and Z, each with
    ``copies`` (successful prints) and ``failed`` (failed attempts)."""
    return store.query(
        "SELECT d.*,"
        " (SELECT count(*) FROM receipt_prints p WHERE p.doc_kind = d.doc_kind AND p.doc_id = d.doc_id"
        "  AND p.status = 'ok' AND p.store_id = :s) AS copies,"
        " (SELECT count(*) FROM receipt_prints p WHERE p.doc_kind = d.doc_kind AND p.doc_id = d.doc_id"
        "  AND p.status = 'failed' AND p.store_id = :s) AS failed"
        " FROM ("
        # Each branch takes its newest rows by primary key first: years of sales are never sorted whole.
        " SELECT * FROM (SELECT 'sale' AS doc_kind, id AS doc_id, created_at, 'n° ' || number AS title,"
        "  total AS amount FROM sales WHERE store_id = :s ORDER BY id DESC LIMIT :n) AS s"
        " UNION ALL SELECT * FROM (SELECT 'credit', id, created_at, kind, amount FROM credit_ledger"
        "  WHERE kind IN ('top_up', 'refund') AND store_id = :s ORDER BY id DESC LIMIT :n) AS c"
        " UNION ALL SELECT * FROM (SELECT 'voucher', id, issued_at, code, amount FROM vouchers WHERE store_id = :s"
        "  ORDER BY id DESC LIMIT :n) AS v"
        " UNION ALL SELECT * FROM (SELECT 'z', number, closed_at, 'Z n° ' || number || ' · ' || business_day,"
        "  period_total FROM z_closings WHERE store_id = :s ORDER BY id DESC LIMIT :n) AS z"
        ") AS d ORDER BY d.created_at DESC, d.doc_id DESC LIMIT :n",
        {"n": limit, "s": store.store_id},
    )
