"""Several cards on one account (issue 16): add, rename, limit, block; list an account's cards."""

from __future__ import annotations

from pos_tui.domain.cards import Card, clean_card
from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.rights import Right
from pos_tui.services.context import Context
from pos_tui.store import cards as cards_store
from pos_tui.store import customers as customers_store
from pos_tui.store.closing import current_business_day
from pos_tui.store.db import Store


def cards(store: Store, customer_id: int) -> list[Card]:
    """The extra cards of an account, oldest first."""
    return cards_store.for_customer(store, customer_id)


def by_code(store: Store, code: str) -> Card | None:
    return cards_store.by_code(store, (code or "").strip().upper())


def add_card(ctx: Context, customer_id: int, code: str, name: str, daily_limit: int | None = None) -> Card:
    """Give the account another card, carried by ``name``, with an optional daily spending limit (cents)."""
    ctx.require(Right.ADD_CREDIT)
    code, name, daily_limit = clean_card(code, name, daily_limit)
    with ctx.store.write():
        customer = customers_store.by_id(ctx.store, customer_id)
        if customer is None or customer.erased:
            raise NotFound("Unknown customer.")
        if cards_store.code_taken(ctx.store, code):
            raise PosError("The card code {code} is already used by another customer.", code=code)
        card_id = cards_store.insert(ctx.store, customer_id, code, name, daily_limit)
        ctx.journal("card_added", customer=customer_id, card=card_id, daily_limit=daily_limit)
    return cards_store.by_id(ctx.store, card_id)


def _card(ctx: Context, card_id: int) -> Card:
    card = cards_store.by_id(ctx.store, card_id)
    if card is None:
        raise NotFound("Unknown card.")
    return card


def block_card(ctx: Context, card_id: int, blocked: bool = True) -> Card:
    """Block a lost card at once (anyone who sees credit may); unblocking needs the add-credit right."""
    ctx.require(Right.VIEW_CREDIT if blocked else Right.ADD_CREDIT)
    with ctx.store.write():
        card = _card(ctx, card_id)
        if card.blocked != blocked:
            cards_store.update(ctx.store, card_id, blocked=int(blocked))
            ctx.journal("card_blocked" if blocked else "card_unblocked", customer=card.customer_id, card=card_id)
    return _card(ctx, card_id)


def set_card(ctx: Context, card_id: int, name: str, daily_limit: int | None) -> Card:
    """Rename a card or change its daily limit (None: no daily limit)."""
    ctx.require(Right.ADD_CREDIT)
    with ctx.store.write():
        card = _card(ctx, card_id)
        _code, name, daily_limit = clean_card(card.code, name, daily_limit)
        cards_store.update(ctx.store, card_id, name=name, daily_limit=daily_limit)
        ctx.journal("card_changed", customer=card.customer_id, card=card_id, daily_limit=daily_limit)
    return _card(ctx, card_id)


def spent_today(store: Store, card_id: int) -> int:
    return cards_store.spent_on_day(store, card_id, current_business_day(store))
