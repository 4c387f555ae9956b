"""Shop settings (credit policy, default debt limit) and per-customer debt limits."""

from __future__ import annotations

from pos_tui.domain.credit import CreditPolicy, validate_debt_limit
from pos_tui.domain.errors import NotFound
from pos_tui.domain.rights import Right
from pos_tui.services.context import Context
from pos_tui.store import customers as customers_store
from pos_tui.store.db import Store

DEFAULT_DEBT_LIMIT = "default_debt_limit"
FORBID_NEGATIVE_ENTRIES = "forbid_negative_entries"
FORBID_NEGATIVE_BALANCE = "forbid_negative_balance"
VOUCHER_CASH_BACK = "voucher_cash_back"


def credit_policy(store: Store) -> CreditPolicy:
    return CreditPolicy(
        forbid_negative_entries=bool(store.get_setting(FORBID_NEGATIVE_ENTRIES, False)),
        forbid_negative_balance=bool(store.get_setting(FORBID_NEGATIVE_BALANCE, False)),
    )


def default_debt_limit(store: Store) -> int:
    return int(store.get_setting(DEFAULT_DEBT_LIMIT, 0))


def set_default_debt_limit(ctx: Context, cents: int) -> None:
    """The debt limit given to customers created from now on."""
    ctx.require(Right.MANAGE_SETTINGS)
    validate_debt_limit(cents)
    with ctx.store.write():
        ctx.store.put_setting(DEFAULT_DEBT_LIMIT, cents)
        ctx.journal("setting_changed", key=DEFAULT_DEBT_LIMIT, value=cents)


def set_credit_policy(ctx: Context, *, forbid_negative_entries: bool | None = None,
                      forbid_negative_balance: bool | None = None) -> CreditPolicy:
    ctx.require(Right.MANAGE_SETTINGS)
    with ctx.store.write():
        for key, value in ((FORBID_NEGATIVE_ENTRIES, forbid_negative_entries),
                           (FORBID_NEGATIVE_BALANCE, forbid_negative_balance)):
            if value is not None:
                ctx.store.put_setting(key, bool(value))
                ctx.journal("setting_changed", key=key, value=bool(value))
    return credit_policy(ctx.store)


def set_customer_debt_limit(ctx: Context, customer_id: int, cents: int) -> None:
    """How far below zero this customer's balance may go."""
    ctx.require(Right.MANAGE_SETTINGS)
    validate_debt_limit(cents)
    with ctx.store.write():
        customer = customers_store.by_id(ctx.store, customer_id)
        if customer is None:
            raise NotFound("Unknown customer.")
        customers_store.update(ctx.store, customer_id, {"debt_limit": cents})
        ctx.journal("debt_limit_changed", customer=customer_id, old=customer.debt_limit, new=cents)


def voucher_cash_back(store: Store) -> bool:
    """Whether a voucher worth more than the sale may be paid out in cash (else the rest goes on CRED)."""
    return bool(store.get_setting(VOUCHER_CASH_BACK, False))


def set_voucher_cash_back(ctx: Context, allowed: bool) -> None:
    """Whether a voucher worth more than the sale may be paid out in cash (default: no, CRED only)."""
    ctx.require(Right.MANAGE_SETTINGS)
    with ctx.store.write():
        ctx.store.put_setting(VOUCHER_CASH_BACK, bool(allowed))
        ctx.journal("setting_changed", key=VOUCHER_CASH_BACK, value=bool(allowed))
