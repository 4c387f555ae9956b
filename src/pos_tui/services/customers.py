"""Customers: search, card lookup, create, edit, erase (SPEC §3)."""

from __future__ import annotations

from dataclasses import dataclass

from pos_tui.domain.customers import CUSTOMER_FIELDS, Customer, validate_customer
from pos_tui.domain.errors import NotFound, PosError, RightDenied
from pos_tui.domain.rights import Right
from pos_tui.services import credit
from pos_tui.services.context import Context
from pos_tui.services.settings import default_debt_limit
from pos_tui.store import cards as cards_store
from pos_tui.store import customers as customers_store
from pos_tui.store.db import Store


def search(store: Store, text: str, limit: int = 50) -> list[Customer]:
    """Accent- and case-insensitive prefix search over names, company, phone, email and card code."""
    return customers_store.search(store, text, limit)


def get(store: Store, customer_id: int) -> Customer:
    customer = customers_store.by_id(store, customer_id)
    if customer is None:
        raise NotFound("Unknown customer.")
    return customer


def by_card(store: Store, code: str) -> Customer | None:
    return customers_store.by_card(store, code.strip().upper())


def create(ctx: Context, fields: dict) -> Customer:
    """Create a customer with the shop's default debt limit."""
    clean = validate_customer(fields)
    with ctx.store.write():
        if clean["card_code"] and (customers_store.card_taken(ctx.store, clean["card_code"])
                                   or cards_store.by_code(ctx.store, clean["card_code"])):
            raise PosError("The card code {code} is already used by another customer.", code=clean["card_code"])
        customer_id = customers_store.insert(ctx.store, clean, default_debt_limit(ctx.store))
        ctx.journal("customer_created", customer=customer_id)
    return get(ctx.store, customer_id)


def update(ctx: Context, customer_id: int, fields: dict) -> Customer:
    clean = validate_customer(fields)
    with ctx.store.write():
        current = customers_store.by_id(ctx.store, customer_id)
        if current is None or current.erased:
            raise NotFound("Unknown customer.")
        if clean["card_code"] and (customers_store.card_taken(ctx.store, clean["card_code"], customer_id)
                                   or cards_store.by_code(ctx.store, clean["card_code"])):
            raise PosError("The card code {code} is already used by another customer.", code=clean["card_code"])
        changed = {k: v for k, v in clean.items() if getattr(current, k) != v}
        if changed:
            customers_store.update(ctx.store, customer_id, changed)
            ctx.journal("customer_updated", customer=customer_id, fields=sorted(changed))
    return get(ctx.store, customer_id)


def erase(ctx: Context, customer_id: int) -> Customer:
    """Privacy erasure: blank personal fields, keep the ledger and fiscal records."""
    ctx.require(Right.MANAGE_USERS)
    with ctx.store.write():
        if customers_store.by_id(ctx.store, customer_id) is None:
            raise NotFound("Unknown customer.")
        blank = {k: "" for k in CUSTOMER_FIELDS} | {"card_code": None, "erased": 1}
        customers_store.update(ctx.store, customer_id, blank)
        ctx.journal("customer_erased", customer=customer_id)
    return get(ctx.store, customer_id)


@dataclass(frozen=True)
class CustomerSummary:
    """What the counter shows about a sale's customer; ``status`` is None without the view-credit right."""

    name: str
    status: credit.CreditStatus | None
    debt_note: str | None = None  # the debt's age past the shop's threshold, or the max-age warning
    card_name: str | None = None  # who is buying, when an extra card of the account was scanned


def customer_summary(ctx: Context, customer_id: int, card_id: int | None = None) -> CustomerSummary:
    """Re-read the customer (and their balance, when the user may see it) from the store."""
    from pos_tui.services.accounts import counter_warning

    card = cards_store.by_id(ctx.store, card_id) if card_id is not None else None
    card_name = card.name if card is not None and card.customer_id == customer_id else None
    try:
        status = credit.status(ctx, customer_id)
    except RightDenied:
        return CustomerSummary(get(ctx.store, customer_id).display_name, None, card_name=card_name)
    return CustomerSummary(status.customer.display_name, status, counter_warning(ctx.store, status.customer),
                           card_name)
