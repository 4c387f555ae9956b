"""The vouchers screen's questions: list by status, look a code up, what the shop owes."""

from __future__ import annotations

from pos_tui.domain.errors import NotFound
from pos_tui.domain.vouchers import Voucher, format_code, normalise_code
from pos_tui.store import vouchers as vouchers_store
from pos_tui.store.db import Store

STATUSES = ("valid", "used", "expired", "all")


def listing(store: Store, status: str = "valid", limit: int = 200) -> list[dict]:
    return vouchers_store.listing(store, status, store.clock().date().isoformat(), limit)


def look_up(store: Store, code: str) -> Voucher:
    voucher = vouchers_store.by_code(store, normalise_code(code))
    if voucher is None:
        raise NotFound("Unknown voucher code {code}.", code=format_code(normalise_code(code)))
    return voucher


def outstanding(store: Store) -> dict:
    """Count and total of valid vouchers and credit notes: money owed to their holders."""
    return vouchers_store.outstanding(store, store.clock().date().isoformat())
