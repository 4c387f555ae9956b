"""Business days, cash movements, Z rows, and the day summary's SQL aggregates."""

from __future__ import annotations

import json
from datetime import date, timedelta

from pos_tui.store.db import Store
from pos_tui.store.integrity import insert_signed, last_sig


def current_business_day(store: Store) -> str:
    """Today, unless today was already closed by a Z: then the day after the last Z."""
    return business_day_after(
        store.scalar("SELECT max(business_day) FROM z_closings WHERE store_id = ?", (store.store_id,)),
        store.today())


def business_day_after(last_z_day: str | None, today: date) -> str:
    """The open business day: ``today``, or the day after the last Z (``last_z_day``) when it closed today."""
    if last_z_day and date.fromisoformat(last_z_day) >= today:
        return (date.fromisoformat(last_z_day) + timedelta(days=1)).isoformat()
    return today.isoformat()


def is_closed(store: Store, day: str) -> bool:
    return store.scalar("SELECT 1 FROM z_closings WHERE store_id = ? AND business_day = ?",
                        (store.store_id, day)) is not None


def unclosed_days_up_to(store: Store, day: str) -> list[str]:
    """Days with activity, up to ``day``, that no Z has closed yet (oldest first)."""
    # Bounded below by the last Z on each table's business_day index: only the open days are
    # read, however many years of closed ones lie behind them.
    last = store.scalar("SELECT max(business_day) FROM z_closings WHERE store_id = ?", (store.store_id,)) or ""
    rows = store.query(
        "SELECT DISTINCT business_day FROM sales WHERE store_id = :s AND business_day > :last AND business_day <= :day"
        " UNION SELECT DISTINCT business_day FROM credit_ledger"
        "  WHERE store_id = :s AND business_day > :last AND business_day <= :day"
        " UNION SELECT DISTINCT business_day FROM cash_movements"
        "  WHERE store_id = :s AND business_day > :last AND business_day <= :day"
        " ORDER BY business_day",
        {"day": day, "last": last, "s": store.store_id},
    )
    return [r["business_day"] for r in rows]


def add_cash_movement(store: Store, day: str, kind: str, amount: int, reason: str, user_id: int,
                      terminal: int) -> int:
    return insert_signed(store, "cash_movements", {
        "business_day": day, "kind": kind, "amount": amount, "reason": reason, "user_id": user_id,
        "terminal": terminal, "created_at": store.now()})


def cash_movements(store: Store, day: str) -> list[dict]:
    return store.query(
        "SELECT m.*, u.name AS user_name FROM cash_movements m LEFT JOIN users u ON u.id = m.user_id"
        " WHERE m.store_id = ? AND m.business_day = ? ORDER BY m.id", (store.store_id, day))


def figures(store: Store, day_from: str, day_to: str) -> dict:
    """Every block of the day summary over business days [day_from, day_to], by SQL aggregates."""
    # The store's own sales, cash and credit operations; outstanding credit and debt are the company's.
    p = {"a": day_from, "b": day_to, "s": store.store_id}
    in_days = "s.store_id = :s AND s.business_day BETWEEN :a AND :b"
    sales = store.one(
        f"SELECT count(*) AS n, coalesce(sum(total), 0) AS total,"
        f" coalesce(sum(CASE WHEN total > 0 THEN total END), 0) AS positive FROM sales s WHERE {in_days}", p)
    by_rate = store.query(
        f"SELECT l.vat_rate AS rate, sum(l.total) AS ttc FROM sales s JOIN sale_lines l ON l.sale_id = s.id"
        f" WHERE {in_days} GROUP BY l.vat_rate ORDER BY l.vat_rate DESC", p)
    payments = store.query(
        f"SELECT p.method, count(*) AS n, sum(p.amount) AS total FROM sales s JOIN sale_payments p"
        f" ON p.sale_id = s.id WHERE {in_days} GROUP BY p.method ORDER BY p.method", p)
    ledger = store.query(
        "SELECT kind, coalesce(method, '') AS method, count(*) AS n, sum(amount) AS total FROM credit_ledger"
        " WHERE store_id = :s AND business_day BETWEEN :a AND :b GROUP BY kind, method ORDER BY kind, method", p)
    lines = store.query(
        # n counts vouchers, not lines: a credit note over two VAT rates is two lines but one note.
        f"SELECT l.kind, coalesce(v.kind, '') AS voucher_kind, count(DISTINCT coalesce(l.voucher_id, -l.id)) AS n,"
        f" sum(l.total) AS total"
        f" FROM sales s JOIN sale_lines l ON l.sale_id = s.id LEFT JOIN vouchers v ON v.id = l.voucher_id"
        f" WHERE {in_days} AND l.kind IN ('voucher_sale', 'voucher_redeem', 'return', 'credit_note_issue', 'free')"
        f" GROUP BY l.kind, v.kind", p)
    negative_free = store.one(
        f"SELECT count(*) AS n, coalesce(sum(l.total), 0) AS total FROM sales s JOIN sale_lines l"
        f" ON l.sale_id = s.id WHERE {in_days} AND l.kind = 'free' AND l.total < 0", p)
    returns = store.one(
        f"SELECT count(DISTINCT s.id) AS n FROM sales s JOIN sale_lines l ON l.sale_id = s.id"
        f" WHERE {in_days} AND l.kind = 'return'", p)
    cash = store.one(
        "SELECT coalesce(sum(CASE WHEN kind = 'float' THEN amount END), 0) AS float,"
        " coalesce(sum(CASE WHEN kind = 'in' THEN amount END), 0) AS cash_in,"
        " coalesce(sum(CASE WHEN kind = 'out' THEN amount END), 0) AS cash_out"
        " FROM cash_movements WHERE store_id = :s AND business_day BETWEEN :a AND :b", p)
    cash_methods = [r["code"] for r in store.query("SELECT code FROM payment_methods WHERE is_cash = 1")]
    marks = ",".join("?" * len(cash_methods)) or "''"
    cash_sales = store.scalar(
        f"SELECT coalesce(sum(p.amount), 0) FROM sales s JOIN sale_payments p ON p.sale_id = s.id"
        f" WHERE s.store_id = ? AND s.business_day BETWEEN ? AND ? AND p.method IN ({marks})",
        (store.store_id, day_from, day_to, *cash_methods))
    cash_ledger = store.one(
        "SELECT coalesce(sum(CASE WHEN kind = 'top_up' THEN amount END), 0) AS top_ups,"
        " coalesce(-sum(CASE WHEN kind = 'refund' THEN amount END), 0) AS refunds FROM credit_ledger"
        f" WHERE store_id = ? AND business_day BETWEEN ? AND ? AND method IN ({marks})",
        (store.store_id, day_from, day_to, *cash_methods))
    per_cashier = store.query(
        f"SELECT u.name AS cashier, count(*) AS n, sum(s.total) AS total FROM sales s JOIN users u"
        f" ON u.id = s.user_id WHERE {in_days} GROUP BY s.user_id, u.name ORDER BY u.name", p)
    per_hour = store.query(
        f"SELECT CAST(substr(s.created_at, 12, 2) AS INTEGER) AS hour, count(*) AS n, sum(s.total) AS total"
        f" FROM sales s WHERE {in_days} GROUP BY hour ORDER BY hour", p)
    # Outstanding amounts as they stood at the end of day_to (a Z may close earlier days, a period may be past):
    # the cached balances when nothing was written after day_to, else each customer's last entry up to it
    # (MATERIALIZED: one ledger look-up per customer, not one per CASE below).
    # Today (the usual case) reads the totals the triggers keep: one row, whatever the number of customers.
    # (any store's entry after day_to: the index leads with store_id, hence the IN)
    if store.scalar("SELECT 1 FROM credit_ledger WHERE store_id IN (SELECT id FROM stores) AND business_day > :b"
                    " LIMIT 1", p):
        outstanding = store.one(
            "WITH b AS MATERIALIZED (SELECT (SELECT l.balance_after FROM credit_ledger l"
            " WHERE l.customer_id = c.id AND coalesce(l.business_day, '') <= :b"
            " ORDER BY l.id DESC LIMIT 1) AS balance FROM customers c)"
            " SELECT coalesce(sum(CASE WHEN balance > 0 THEN balance END), 0) AS credit,"
            " coalesce(-sum(CASE WHEN balance < 0 THEN balance END), 0) AS debt FROM b", p)
    else:
        outstanding = store.one("SELECT credit, debt FROM credit_outstanding WHERE id = 1")
    outstanding_by_kind = {r["kind"]: r for r in store.query(
        "SELECT v.kind, count(*) AS n, coalesce(sum(v.amount), 0) AS total FROM vouchers v"
        " JOIN sales si ON si.id = v.issued_sale_id"
        " LEFT JOIN voucher_redemptions r ON r.voucher_id = v.id LEFT JOIN sales sr ON sr.id = r.sale_id"
        " WHERE si.business_day <= :b AND (sr.id IS NULL OR sr.business_day > :b)"
        " AND (v.expires_on IS NULL OR v.expires_on >= :b) GROUP BY v.kind", p)}
    # The perpetual grand total starts from the last Z up to day_to (its stored total) and adds only the
    # sales since: one day of sales to read, not years (no sale can be added to a closed day).
    perpetual = store.scalar(
        "SELECT coalesce((SELECT perpetual_total FROM z_closings WHERE store_id = :s AND business_day <= :b"
        "  ORDER BY business_day DESC LIMIT 1), 0)"
        " + (SELECT coalesce(sum(total), 0) FROM sales WHERE store_id = :s AND business_day <= :b"
        "  AND business_day > coalesce((SELECT max(business_day) FROM z_closings"
        "   WHERE store_id = :s AND business_day <= :b), ''))",
        p)
    return {
        "sales": sales, "by_rate": by_rate, "payments": payments, "ledger": ledger, "lines": lines,
        "negative_free": negative_free, "returns": returns, "cash": cash, "cash_sales": cash_sales,
        "cash_ledger": cash_ledger, "per_cashier": per_cashier, "per_hour": per_hour, "outstanding": outstanding,
        "vouchers_outstanding": outstanding_by_kind, "perpetual": perpetual,
    }


def insert_z(store: Store, *, number: int, day: str, user_id: int, terminal: int, figures_json: dict,
             counted: int | None, count_detail: dict | None, expected_cash: int, period_total: int,
             perpetual_total: int) -> int:
    return insert_signed(store, "z_closings", {
        "number": number, "business_day": day, "closed_at": store.now(), "user_id": user_id, "terminal": terminal,
        "figures": json.dumps(figures_json, ensure_ascii=False, sort_keys=True), "counted": counted,
        "count_detail": json.dumps(count_detail) if count_detail else None, "expected_cash": expected_cash,
        "cash_difference": None if counted is None else counted - expected_cash, "period_total": period_total,
        "perpetual_total": perpetual_total, "last_sig": last_sig(store)})


def next_z_number(store: Store) -> int:
    return store.scalar("SELECT coalesce(max(number), 0) + 1 FROM z_closings WHERE store_id = ?", (store.store_id,))


_Z_SELECT = "SELECT z.*, u.name AS user_name FROM z_closings z LEFT JOIN users u ON u.id = z.user_id"


def z_rows(store: Store, limit: int = 100) -> list[dict]:
    return store.query(_Z_SELECT + " WHERE z.store_id = ? ORDER BY z.number DESC LIMIT ?", (store.store_id, limit))


def z_for_day(store: Store, day: str) -> dict | None:
    return store.one(_Z_SELECT + " WHERE z.store_id = ? AND z.business_day = ?", (store.store_id, day))


def z_by_number(store: Store, number: int) -> dict | None:
    return store.one(_Z_SELECT + " WHERE z.store_id = ? AND z.number = ?", (store.store_id, number))


def z_between(store: Store, day_from: str, day_to: str) -> list[dict]:
    return store.query("SELECT * FROM z_closings WHERE store_id = ? AND business_day BETWEEN ? AND ?"
                       " ORDER BY business_day", (store.store_id, day_from, day_to))
