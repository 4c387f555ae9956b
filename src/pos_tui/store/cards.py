"""Extra cards on a customer account and what each spent on a business day."""

from __future__ import annotations

from pos_tui.domain.cards import Card
from pos_tui.store.db import Store

_COLUMNS = "id, customer_id, code, name, daily_limit, blocked"


def _card(row: dict) -> Card:
    return Card(**{**row, "blocked": bool(row["blocked"])})


def by_code(store: Store, code: str) -> Card | None:
    row = store.one(f"SELECT {_COLUMNS} FROM customer_cards WHERE code = ?", (code,))
    return _card(row) if row else None


def by_id(store: Store, card_id: int) -> Card | None:
    row = store.one(f"SELECT {_COLUMNS} FROM customer_cards WHERE id = ?", (card_id,))
    return _card(row) if row else None


def for_customer(store: Store, customer_id: int) -> list[Card]:
    return [_card(r) for r in store.query(
        f"SELECT {_COLUMNS} FROM customer_cards WHERE customer_id = ? ORDER BY id", (customer_id,))]


def code_taken(store: Store, code: str) -> bool:
    """A code is one card, wherever it lives: the account holder's card or an extra card."""
    return (store.scalar("SELECT 1 FROM customer_cards WHERE code = ?", (code,)) is not None
            or store.scalar("SELECT 1 FROM customers WHERE card_code = ?", (code,)) is not None)


def insert(store: Store, customer_id: int, code: str, name: str, daily_limit: int | None) -> int:
    return store.insert_id(
        "INSERT INTO customer_cards(customer_id, code, name, daily_limit, blocked, created_at) VALUES (?, ?, ?, ?, 0, ?)",
        (customer_id, code, name, daily_limit, store.now()))


def update(store: Store, card_id: int, **fields) -> None:
    sets = ", ".join(f"{k} = :{k}" for k in fields)
    store.conn.execute(f"UPDATE customer_cards SET {sets} WHERE id = :id", {**fields, "id": card_id})


def spent_on_day(store: Store, card_id: int, day: str) -> int:
    """What the card took from the account on a business day (sale payments minus what came back)."""
    return -(store.scalar(
        "SELECT coalesce(sum(amount), 0) FROM credit_ledger WHERE card_id = ? AND business_day = ?"
        " AND kind = 'sale_payment'", (card_id, day)) or 0)
