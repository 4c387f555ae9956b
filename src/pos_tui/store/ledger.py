"""The credit ledger: append-only rows, the balance they leave, paged history."""

from __future__ import annotations

from datetime import date, timedelta

from pos_tui.domain.credit import EntryKind, LedgerEntry
from pos_tui.store.closing import current_business_day
from pos_tui.store.db import Store
from pos_tui.store.integrity import insert_signed

_SELECT = (
    "SELECT l.id, l.customer_id, l.kind, l.amount, l.method, l.sale_id, l.label, l.user_id,"
    " coalesce(u.name, '') AS user_name, l.terminal, l.created_at, l.balance_after, s.number AS sale_number"
    " FROM credit_ledger l LEFT JOIN users u ON u.id = l.user_id LEFT JOIN sales s ON s.id = l.sale_id"
)


def _entry(row: dict) -> LedgerEntry:
    return LedgerEntry(**{**row, "kind": EntryKind(row["kind"])})


def insert_row(store: Store, *, customer_id: int, kind: EntryKind, amount: int, method: str | None,
               sale_id: int | None, label: str, user_id: int, terminal: int, balance_after: int,
               idempotency_key: str | None, business_day: str | None = None, card_id: int | None = None) -> int:
    """Append an entry (signed from the values written); its id."""
    return insert_signed(store, "credit_ledger", {
        "customer_id": customer_id, "kind": kind.value, "amount": amount, "method": method, "sale_id": sale_id,
        "label": label, "user_id": user_id, "terminal": terminal, "created_at": store.now(),
        "balance_after": balance_after, "idempotency_key": idempotency_key,
        "business_day": business_day or current_business_day(store), "card_id": card_id})


def insert(store: Store, **fields) -> LedgerEntry:
    """Append an entry and read it back with its user's name (see ``insert_row``)."""
    return by_id(store, insert_row(store, **fields))


def by_id(store: Store, entry_id: int) -> LedgerEntry | None:
    row = store.one(_SELECT + " WHERE l.id = ?", (entry_id,))
    return _entry(row) if row else None


def balance_after_sale(store: Store, customer_id: int, sale_id: int, sale_created_at: str) -> int:
    """The customer's balance right after a sale: its own ledger entry, else the last one written before it."""
    return store.scalar(
        "SELECT balance_after FROM credit_ledger WHERE customer_id = ? AND (sale_id = ? OR created_at <= ?)"
        " ORDER BY (sale_id IS NOT DISTINCT FROM ?) DESC, id DESC LIMIT 1",
        (customer_id, sale_id, sale_created_at, sale_id),
    ) or 0


def by_idempotency_key(store: Store, key: str) -> LedgerEntry | None:
    row = store.one("SELECT id FROM credit_ledger WHERE idempotency_key = ?", (key,))
    return by_id(store, row["id"]) if row else None


def history(store: Store, customer_id: int, *, before_id: int | None = None, limit: int = 50) -> list[LedgerEntry]:
    """Newest first; page with ``before_id`` (keyset paging on the (customer_id, id) index)."""
    rows = store.query(
        _SELECT + " WHERE l.customer_id = ? AND l.id < ? ORDER BY l.id DESC LIMIT ?",
        (customer_id, before_id if before_id is not None else 2**62, limit),
    )
    return [_entry(r) for r in rows]


def entry_count(store: Store, customer_id: int) -> int:
    return store.scalar("SELECT count(*) FROM credit_ledger WHERE customer_id = ?", (customer_id,))


def sum_for(store: Store, customer_id: int) -> int:
    return store.scalar("SELECT coalesce(sum(amount), 0) FROM credit_ledger WHERE customer_id = ?", (customer_id,))


def mismatched_balances(store: Store) -> list[dict]:
    """Customers whose cached balance differs from the sum of their entries."""
    return store.query(
        "SELECT c.id, c.balance, coalesce(s.total, 0) AS ledger_sum FROM customers c"
        " LEFT JOIN (SELECT customer_id, sum(amount) AS total FROM credit_ledger GROUP BY customer_id) s"
        " ON s.customer_id = c.id WHERE c.balance != coalesce(s.total, 0)"
    )


def outstanding(store: Store) -> dict:
    """Credit and debt outstanding across customers (kept by triggers, one row to read)."""
    return store.one("SELECT credit, debt, n_credit, n_debt FROM credit_outstanding WHERE id = 1")


def outstanding_from_balances(store: Store) -> dict:
    """The same totals summed from every customer's balance (``verify`` compares the two)."""
    return store.one(
        "SELECT coalesce(sum(CASE WHEN balance > 0 THEN balance END), 0) AS credit,"
        " coalesce(-sum(CASE WHEN balance < 0 THEN balance END), 0) AS debt,"
        " count(CASE WHEN balance > 0 THEN 1 END) AS n_credit, count(CASE WHEN balance < 0 THEN 1 END) AS n_debt"
        " FROM customers"
    )


def next_day(day: str) -> str:
    """``YYYY-MM-DD`` of the day after (the same on both engines; no SQL date arithmetic)."""
    return (date.fromisoformat(day[:10]) + timedelta(days=1)).isoformat()


def report(store: Store, date_from: str | None, date_to: str | None) -> dict:
    """Top-ups and refunds by method, consumption and sale credit, between two dates (inclusive)."""
    where, params = "1 = 1", []
    if date_from:
        where += " AND created_at >= ?"
        params.append(date_from)
    if date_to:
        where += " AND created_at < ?"
        params.append(next_day(date_to))
    by_method = store.query(
        f"SELECT kind, method, count(*) AS n, sum(amount) AS total FROM credit_ledger WHERE {where}"
        " AND kind IN ('top_up', 'refund') GROUP BY kind, method ORDER BY kind, method",
        params,
    )
    sales = store.query(
        f"SELECT kind, count(*) AS n, sum(amount) AS total FROM credit_ledger WHERE {where}"
        " AND kind IN ('sale_payment', 'sale_credit') GROUP BY kind",
        params,
    )
    totals = outstanding(store)
    customers = store.query(
        "SELECT id, first_name, last_name, company, balance, debt_limit FROM customers WHERE balance != 0"
        " ORDER BY balance"
    )
    return {"by_method": by_method, "sales": sales, "outstanding": totals, "customers": customers}
