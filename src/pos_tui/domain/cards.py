"""Several cards on one account (issue 16): a name, an optional daily limit, blockable alone. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from pos_tui.domain.customers import card_code
from pos_tui.domain.errors import PosError


@dataclass(frozen=True)
class Card:
    id: int
    customer_id: int
    code: str
    name: str
    daily_limit: int | None  # None: only the account's debt limit applies
    blocked: bool


def clean_card(code: str, name: str, daily_limit: int | None) -> tuple[str, str, int | None]:
    code = card_code(code)
    if not code:
        raise PosError("Invalid card code {code!r}: 4 to 20 letters or digits.", code=code)
    name = " ".join((name or "").split())
    if not name:
        raise PosError("A card needs the name of who carries it.")
    if len(name) > 60:
        raise PosError("The name on the card is too long (60 characters at most).")
    if daily_limit is not None and daily_limit < 0:
        raise PosError("A daily limit is 0 or more (empty: no daily limit).")
    return code, name, daily_limit


class CardLimitExceeded(PosError):
    """The card's own daily limit would be crossed."""


def check_card_spend(card: Card, spent_today: int, amount: int) -> None:
    """Refuse spending ``amount`` (> 0) on a blocked card, or above what is left of its daily limit."""
    if card.blocked:
        raise PosError("The card {code} ({name}) is blocked.", code=card.code, name=card.name)
    if amount <= 0 or card.daily_limit is None:
        return
    if spent_today + amount > card.daily_limit:
        from pos_tui.domain.money import format_money
        from pos_tui.i18n import locale

        loc = locale()
        raise CardLimitExceeded(
            "Refused: the card of {name} may spend {limit} a day; {spent} already spent today, {left} left.",
            name=card.name, limit=format_money(card.daily_limit, loc), spent=format_money(spent_today, loc),
            left=format_money(max(card.daily_limit - spent_today, 0), loc))
