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


# -- single- or multi-purpose gift vouchers (issue 16) -----------------------------------------
VOUCHER_DEFAULT_PURPOSE = "voucher_default_purpose"  # "multi" (0 % at sale) or "single"
VOUCHER_SINGLE_RATE = "voucher_single_purpose_rate"  # the VAT rate of a single-purpose voucher
PURPOSES = ("multi", "single")


def voucher_defaults(store: Store) -> tuple[str, int]:
    """The kind the voucher dialog proposes, and the VAT rate a single-purpose voucher carries."""
    from pos_tui.services import settings

    purpose = settings.get(store, VOUCHER_DEFAULT_PURPOSE)
    return (purpose if purpose in PURPOSES else "multi"), settings.get(store, VOUCHER_SINGLE_RATE)


def set_voucher_defaults(ctx, purpose: str, single_rate: int) -> None:
    from pos_tui.domain.errors import PosError
    from pos_tui.domain.money import SHOP_VAT_RATES
    from pos_tui.domain.rights import Right
    from pos_tui.services import settings

    ctx.require(Right.MANAGE_SETTINGS)
    if purpose not in PURPOSES:
        raise PosError("A voucher is single-purpose or multi-purpose.")
    if single_rate not in SHOP_VAT_RATES or single_rate == 0:
        raise PosError("A single-purpose voucher carries one of the shop's VAT rates above 0 %.")
    with ctx.store.write():
        for key, value in ((VOUCHER_DEFAULT_PURPOSE, purpose), (VOUCHER_SINGLE_RATE, single_rate)):
            settings.change(ctx, key, value)


def add_gift_voucher(store: Store, cart, amount: int, expires_on: str | None = None, purpose: str | None = None):
    """Put a gift voucher in the sale, of the kind the cashier picked (default: the shop's)."""
    from pos_tui.domain.errors import PosError

    default, rate = voucher_defaults(store)
    purpose = purpose or default
    if purpose not in PURPOSES:
        raise PosError("A voucher is single-purpose or multi-purpose.")
    return cart.add_gift_voucher(amount, expires_on, vat_rate=rate if purpose == "single" else 0)
