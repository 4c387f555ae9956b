"""Customer accounts beyond the balance: statement rows and the age of debts.

Every query here walks an index: the (customer_id, id) ledger index for one
customer, the partial ``credit_ledger_nonneg`` index to find the last moment a
balance was not negative, and the partial ``customers_in_debt`` index to visit
only the customers in debt.
"""

from __future__ import annotations

from pos_tui.store.db import Store

_STATEMENT_SELECT = (
    "SELECT l.id, l.kind, l.amount, l.method, l.sale_id, s.number AS sale_number, l.label, l.created_at,"
    " l.balance_after, coalesce(u.name, '') AS user_name, coalesce(k.name, '') AS card_name"
    " FROM credit_ledger l LEFT JOIN sales s ON s.id = l.sale_id LEFT JOIN users u ON u.id = l.user_id"
    " LEFT JOIN customer_cards k ON k.id = l.card_id"
)


def balance_before(store: Store, customer_id: int, start: str) -> int:
    """The balance left by the customer's last entry written before ``start`` (ISO text), 0 if none."""
    return store.scalar(
        "SELECT balance_after FROM credit_ledger WHERE customer_id = ? AND created_at < ? ORDER BY id DESC LIMIT 1",
        (customer_id, start),
    ) or 0


def statement_rows(store: Store, customer_id: int, start: str, end: str) -> list[dict]:
    """Entries written in [start, end), oldest first."""
    return store.query(
        _STATEMENT_SELECT + " WHERE l.customer_id = ? AND l.created_at >= ? AND l.created_at < ? ORDER BY l.id",
        (customer_id, start, end),
    )


def last_entries(store: Store, customer_id: int, limit: int) -> list[dict]:
    """The newest ``limit`` entries, oldest first (for the balance slip)."""
    rows = store.query(_STATEMENT_SELECT + " WHERE l.customer_id = ? ORDER BY l.id DESC LIMIT ?",
                       (customer_id, limit))
    return rows[::-1]


# Since when a balance has been negative without interruption: the first entry after the
# last one that left it at zero or above (or the customer's first entry ever).
_DEBT_SINCE = (
    "(SELECT min(f.created_at) FROM credit_ledger f WHERE f.customer_id = c.id AND f.id > coalesce("
    " (SELECT max(p.id) FROM credit_ledger p WHERE p.customer_id = c.id AND p.balance_after >= 0), 0))"
)


def debt_since(store: Store, customer_id: int) -> str | None:
    """When the customer's current debt began (ISO text), or None when the balance is not negative.

    Kept on the customer by a ledger trigger (m0011); ``wrong_debt_since`` checks it against the ledger.
    """
    return store.scalar("SELECT debt_since FROM customers WHERE id = ? AND balance < 0", (customer_id,))


def wrong_debt_since(store: Store) -> list[dict]:
    """Customers whose kept ``debt_since`` differs from what the ledger says (for ``verify``)."""
    return store.query(
        f"SELECT c.id, c.debt_since, CASE WHEN c.balance < 0 THEN {_DEBT_SINCE} END AS ledger_since"
        " FROM customers c WHERE (c.balance < 0 OR c.debt_since IS NOT NULL)"
        f" AND c.debt_since IS DISTINCT FROM (CASE WHEN c.balance < 0 THEN {_DEBT_SINCE} END)")


_OWES = "balance < 0 AND erased = 0 AND debt_since IS NOT NULL"


def debts_by_start(store: Store) -> list[dict]:
    """The kept rows of ``debts_by_start`` (day a current debt began, how many, their total), by day."""
    return store.query("SELECT day, n, total FROM debts_by_start ORDER BY day")


def debts_by_start_from_customers(store: Store) -> list[dict]:
    """The same rows recomputed from the customers (``verify`` compares the two)."""
    return store.query(f"SELECT substr(debt_since, 1, 10) AS day, count(*) AS n, sum(balance) AS total"
                       f" FROM customers WHERE {_OWES} GROUP BY substr(debt_since, 1, 10) ORDER BY day")


def old_debts_summary(store: Store, started_before: str, limit: int) -> dict:
    """Count and total of the debts that began before the day ``started_before`` (``YYYY-MM-DD``), and
    the ``limit`` oldest. Count and total sum the per-day rows of ``debts_by_start`` (kept by triggers,
    one row per day a current debt began), however many customers owe; the oldest are one range of the
    partial ``customers_old_debts`` index."""
    n, total = store.conn.execute(
        "SELECT coalesce(sum(n), 0), coalesce(sum(total), 0) FROM debts_by_start WHERE day < ?",
        (started_before,)).fetchone()
    oldest = store.query(
        "SELECT id, first_name, last_name, company, phone, email, balance, debt_limit, debt_since AS since"
        " FROM customers INDEXED BY customers_old_debts WHERE balance < 0 AND erased = 0 AND debt_since < ?"
        " ORDER BY debt_since, id LIMIT ?", (started_before, limit))
    return {"n": n, "total": total, "oldest": oldest}


def debtors(store: Store, started_before: str | None = None) -> list[dict]:
    """Customers in debt with the start of their debt, oldest debt first.

    ``started_before`` (ISO text) keeps only debts that began before it. The outer
    query walks only the customers in debt (partial index), oldest first.
    """
    return store.query(
        "SELECT id, first_name, last_name, company, phone, email, balance, debt_limit, debt_since AS since"
        " FROM customers INDEXED BY customers_old_debts WHERE balance < 0 AND erased = 0 AND debt_since < ?"
        " ORDER BY debt_since, id",
        (started_before or "9999",),
    )
