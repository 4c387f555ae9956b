"""Shop settings, typed, with every default in one place; and per-customer debt limits.

Settings are stored one JSON value per key in the ``settings`` table (the field names of
``ShopSettings`` are the keys), so databases written before this module keep working.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from pos_tui.domain.credit import CreditPolicy, validate_debt_limit
from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.rights import Right
from pos_tui.domain.shop import ShopIdentity, validate_identity
from pos_tui.services.context import Context
from pos_tui.store import customers as customers_store
from pos_tui.store.db import Store


@dataclass(frozen=True)
class ShopSettings:
    """Every shop setting and its default; a field name is its key in the settings table."""

    shop_name: str = "pos-tui"
    shop_address: str = ""  # the shop's identity (issue 11), printed under its name; lines joined by "\n"
    shop_siret: str = ""
    shop_vat_number: str = ""
    shop_phone: str = ""
    default_debt_limit: int = 0  # cents, given to customers created from now on
    forbid_negative_entries: bool = False
    forbid_negative_balance: bool = False
    voucher_cash_back: bool = False  # a voucher worth more than the sale may be paid out in cash
    printer_url: str = "none"  # preview only
    paper_width: int = 48  # columns
    auto_print: bool = False
    receipt_print_from: int = 0  # cents: sales from this total print a receipt even unasked (0: never)
    receipt_header: str = ""
    receipt_footer: str = "Merci de votre visite !"
    debt_age_threshold_days: int = 30  # old debts listed on the X/Z, the credit report and the call list
    debt_max_age_days: int = 90  # the counter warns when a debt reaches this age (short free credit only)
    cash_confirmation_limit: int = 100000  # cents: cash top-ups above it need a manager (1 000 €)
    voucher_default_purpose: str = "multi"  # gift vouchers: "multi" (0 % at sale) or "single"
    voucher_single_purpose_rate: int = 2000  # VAT (basis points) of a single-purpose voucher
    smtp_host: str = ""  # empty: no e-mail is sent (the queue waits)
    smtp_port: int = 587
    smtp_security: str = "starttls"  # none | starttls | ssl
    smtp_user: str = ""
    smtp_password: str = ""  # never journaled by value, never exported
    smtp_from: str = ""
    reminder_template: str = ""  # empty: services.email.DEFAULT_REMINDER
    fiscal_year_start_month: int = 1  # first month of the fiscal year (yearly closings), 1 = January
    demo: bool = False  # the store was built by ``pos-tui demo``
    manager_home: str = "sale"  # where a manager lands after the PIN: "sale" or "lookup" (cashiers: the sale)


_DEFAULTS = ShopSettings()
# With postponed annotations a field's type is its name; the stored JSON value is cast back to it.
_TYPES: dict[str, type] = {f.name: {"bool": bool, "int": int, "str": str}[f.type] for f in fields(ShopSettings)}

# The keys, for callers that name one setting (journal entries, tests).
SHOP_NAME = "shop_name"
SHOP_ADDRESS = "shop_address"
SHOP_SIRET = "shop_siret"
SHOP_VAT_NUMBER = "shop_vat_number"
SHOP_PHONE = "shop_phone"
DEFAULT_DEBT_LIMIT = "default_debt_limit"
FORBID_NEGATIVE_ENTRIES = "forbid_negative_entries"
FORBID_NEGATIVE_BALANCE = "forbid_negative_balance"
VOUCHER_CASH_BACK = "voucher_cash_back"
PRINTER_URL = "printer_url"
PAPER_WIDTH = "paper_width"
AUTO_PRINT = "auto_print"
RECEIPT_PRINT_FROM = "receipt_print_from"
RECEIPT_HEADER = "receipt_header"
RECEIPT_FOOTER = "receipt_footer"
DEBT_AGE_THRESHOLD = "debt_age_threshold_days"
DEBT_MAX_AGE = "debt_max_age_days"
FISCAL_YEAR_START_MONTH = "fiscal_year_start_month"
DEMO = "demo"
MANAGER_HOME = "manager_home"
HOMES = ("sale", "lookup")


def home_after_login(store: Store, role: str) -> str:
    """The screen a user lands on after the PIN: the sale for a cashier; for a manager, the
    ``manager_home`` setting (the sale unless the shop chose the customer lookup)."""
    if role != "manager":
        return "sale"
    home = get(store, MANAGER_HOME)
    return home if home in HOMES else "sale"


def set_manager_home(ctx: Context, home: str) -> None:
    """Where managers land after their PIN: the sale (the default) or the customer lookup."""
    ctx.require(Right.MANAGE_SETTINGS)
    if home not in HOMES:
        raise PosError("Unknown home screen {home!r} (sale or lookup).", home=home)
    with ctx.store.write():
        change(ctx, MANAGER_HOME, home)


def get(store: Store, key: str) -> Any:
    """One setting, typed, or its default when the shop never set it."""
    cast = _TYPES[key]  # an unknown key is a programming error: KeyError
    value = store.get_setting(key)
    return getattr(_DEFAULTS, key) if value is None else cast(value)


def load(store: Store) -> ShopSettings:
    """All settings at once."""
    return ShopSettings(**{key: get(store, key) for key in _TYPES})


def put(store: Store, key: str, value: Any) -> None:
    """Store one setting (call inside ``write``); the value is cast to the setting's type."""
    store.put_setting(key, _TYPES[key](value))


def change(ctx: Context, key: str, value: Any) -> None:
    """Store one setting and journal the change (call inside ``write``; rights are the caller's to check)."""
    value = _TYPES[key](value)
    ctx.store.put_setting(key, value)
    ctx.journal("setting_changed", key=key, value=value)


def default(key: str) -> Any:
    return getattr(_DEFAULTS, key)


def shop_info(store: Store) -> dict:
    """The shop's name, its identity lines (address, phone, SIRET, VAT number) and the receipt header /
    footer, as documents print them."""
    shop = load(store)
    return {"name": shop.shop_name, "identity": shop_identity(store).header_lines(), "header": shop.receipt_header,
            "footer": shop.receipt_footer}


def credit_policy(store: Store) -> CreditPolicy:
    return CreditPolicy(forbid_negative_entries=get(store, FORBID_NEGATIVE_ENTRIES),
                        forbid_negative_balance=get(store, FORBID_NEGATIVE_BALANCE))


def default_debt_limit(store: Store) -> int:
    return get(store, DEFAULT_DEBT_LIMIT)


def voucher_cash_back(store: Store) -> bool:
    """Whether a voucher worth more than the sale may be paid out in cash (else the rest goes on CRED)."""
    return get(store, VOUCHER_CASH_BACK)


def set_default_debt_limit(ctx: Context, cents: int) -> None:
    """The debt limit given to customers created from now on."""
    ctx.require(Right.MANAGE_SETTINGS)
    validate_debt_limit(cents)
    with ctx.store.write():
        change(ctx, DEFAULT_DEBT_LIMIT, cents)


def set_credit_policy(ctx: Context, *, forbid_negative_entries: bool | None = None,
                      forbid_negative_balance: bool | None = None) -> CreditPolicy:
    ctx.require(Right.MANAGE_SETTINGS)
    with ctx.store.write():
        for key, value in ((FORBID_NEGATIVE_ENTRIES, forbid_negative_entries),
                           (FORBID_NEGATIVE_BALANCE, forbid_negative_balance)):
            if value is not None:
                change(ctx, key, value)
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


def set_voucher_cash_back(ctx: Context, allowed: bool) -> None:
    """Whether a voucher worth more than the sale may be paid out in cash (default: no, CRED only)."""
    ctx.require(Right.MANAGE_SETTINGS)
    with ctx.store.write():
        change(ctx, VOUCHER_CASH_BACK, allowed)


SHOP_KEYS = {"name": SHOP_NAME, "address": SHOP_ADDRESS, "siret": SHOP_SIRET, "vat_number": SHOP_VAT_NUMBER,
             "phone": SHOP_PHONE}


def shop_identity(store: Store) -> ShopIdentity:
    """The shop's name, address, SIRET, VAT number and phone (printed at the top of receipts and X/Z)."""
    return ShopIdentity(**{field: get(store, key) for field, key in SHOP_KEYS.items()})


def set_shop_identity(ctx: Context, name: str, address: str = "", siret: str = "", vat_number: str = "",
                      phone: str = "") -> ShopIdentity:
    """Save the shop's identity (manager); each changed field is journaled with its value before and after."""
    ctx.require(Right.MANAGE_SETTINGS)
    wanted = validate_identity(name, address, siret, vat_number, phone)
    with ctx.store.write():
        current = shop_identity(ctx.store)
        for field, key in SHOP_KEYS.items():
            before, after = getattr(current, field), getattr(wanted, field)
            if before != after:
                put(ctx.store, key, after)
                ctx.journal("setting_changed", key=key, before=before, after=after)
    return shop_identity(ctx.store)
