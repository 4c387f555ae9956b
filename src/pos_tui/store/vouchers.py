"""Vouchers, their VAT parts and their single redemption."""

from __future__ import annotations

from pos_tui.domain.vouchers import Voucher
from pos_tui.store.db import Store
from pos_tui.store.integrity import insert_signed

_SELECT = (
    "SELECT v.*, r.redeemed_at, s.number AS redeemed_sale_number FROM vouchers v"
    " LEFT JOIN voucher_redemptions r ON r.voucher_id = v.id LEFT JOIN sales s ON s.id = r.sale_id"
)


def _voucher(store: Store, row: dict) -> Voucher:
    parts = tuple((p["vat_rate"], p["amount"]) for p in store.query(
        "SELECT vat_rate, amount FROM voucher_parts WHERE voucher_id = ? ORDER BY vat_rate DESC", (row["id"],)))
    return Voucher(id=row["id"], code=row["code"], kind=row["kind"], amount=row["amount"],
                   issued_sale_id=row["issued_sale_id"], issued_at=row["issued_at"], expires_on=row["expires_on"],
                   parts=parts, redeemed_sale_number=row["redeemed_sale_number"], redeemed_at=row["redeemed_at"])


def by_code(store: Store, code: str) -> Voucher | None:
    row = store.one(_SELECT + " WHERE v.code = ?", (code,))
    return _voucher(store, row) if row else None


def by_id(store: Store, voucher_id: int) -> Voucher | None:
    row = store.one(_SELECT + " WHERE v.id = ?", (voucher_id,))
    return _voucher(store, row) if row else None


def issued_by_sale(store: Store, sale_id: int) -> list[dict]:
    """The vouchers and credit notes a sale issued (id, code, amount, expires_on), oldest first."""
    return store.query("SELECT id, code, amount, expires_on FROM vouchers WHERE issued_sale_id = ? ORDER BY id",
                       (sale_id,))


def codes_redeemed_by_sale(store: Store, sale_id: int) -> dict[int, str]:
    """{voucher id: code} of the vouchers a sale redeemed."""
    return {r["id"]: r["code"] for r in store.query(
        "SELECT v.id, v.code FROM vouchers v JOIN sale_lines l ON l.voucher_id = v.id WHERE l.sale_id = ?"
        " AND l.kind = 'voucher_redeem'", (sale_id,))}


def insert(store: Store, *, code: str, kind: str, parts: list[tuple[int, int]], sale_id: int,
           expires_on: str | None, customer_id: int | None) -> int:
    voucher_id = insert_signed(store, "vouchers", {
        "code": code, "kind": kind, "amount": sum(a for _, a in parts), "issued_sale_id": sale_id,
        "issued_at": store.now(), "expires_on": expires_on, "customer_id": customer_id})
    for rate, amount in parts:
        insert_signed(store, "voucher_parts", {"voucher_id": voucher_id, "vat_rate": rate, "amount": amount})
    return voucher_id


def redeem(store: Store, voucher_id: int, sale_id: int) -> None:
    """Raises sqlite3.IntegrityError if the voucher was already redeemed (unique index)."""
    insert_signed(store, "voucher_redemptions", {"voucher_id": voucher_id, "sale_id": sale_id,
                                                 "redeemed_at": store.now()})


def listing(store: Store, status: str, today: str, limit: int = 200) -> list[dict]:
    """Vouchers by status (valid / used / expired / all), newest first."""
    where = {
        "valid": "r.id IS NULL AND (v.expires_on IS NULL OR v.expires_on >= :today)",
        "used": "r.id IS NOT NULL",
        "expired": "r.id IS NULL AND v.expires_on < :today",
        "all": "1 = 1",
    }[status]
    return store.query(
        "SELECT v.id, v.code, v.kind, v.amount, v.issued_at, v.expires_on, r.redeemed_at, s.number AS sale_number"
        " FROM vouchers v LEFT JOIN voucher_redemptions r ON r.voucher_id = v.id LEFT JOIN sales s ON s.id = r.sale_id"
        f" WHERE {where} ORDER BY v.id DESC LIMIT :limit",
        {"today": today, "limit": limit},
    )


def outstanding(store: Store, today: str) -> dict:
    """Money the shop owes to holders of valid vouchers and credit notes."""
    return store.one(
        "SELECT count(*) AS n, coalesce(sum(v.amount), 0) AS total FROM vouchers v"
        " LEFT JOIN voucher_redemptions r ON r.voucher_id = v.id"
        " WHERE r.id IS NULL AND (v.expires_on IS NULL OR v.expires_on >= ?)",
        (today,),
    )
