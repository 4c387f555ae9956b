"""Gift vouchers on the X/Z, single-purpose apart from multi-purpose (issue 16).

A gift voucher's kind follows from its VAT rate: sold at 0 % it is multi-purpose, sold at a
rate it is single-purpose. One aggregate over the period's sales (business-day index).
"""

from __future__ import annotations

from pos_tui.store.db import Store


def gift_lines_by_rate(store: Store, day_from: str, day_to: str) -> list[dict]:
    """Gift vouchers sold and redeemed in [day_from, day_to]: kind, rate, count, total (redeemed < 0)."""
    return store.query(
        "SELECT l.kind, l.vat_rate AS rate, count(DISTINCT l.voucher_id) AS n, sum(l.total) AS total"
        " FROM sales s JOIN sale_lines l ON l.sale_id = s.id"
        " LEFT JOIN vouchers v ON v.id = l.voucher_id"
        " WHERE s.store_id = ? AND s.business_day BETWEEN ? AND ?"
        " AND (l.kind = 'voucher_sale' OR (l.kind = 'voucher_redeem' AND v.kind = 'gift'))"
        " GROUP BY l.kind, l.vat_rate ORDER BY l.kind, l.vat_rate DESC",
        (store.store_id, day_from, day_to),
    )
