"""Customer credit rules (SPEC §4): what the ledger may accept."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_money
from pos_tui.i18n import N_, locale

CREDIT_METHOD = "CRED"


class EntryKind(StrEnum):
    TOP_UP = "top_up"  # + money received, with a payment method
    REFUND = "refund"  # - money handed back, with a payment method
    SALE_PAYMENT = "sale_payment"  # - a sale paid with CRED
    SALE_CREDIT = "sale_credit"  # + a sale's negative remainder put on CRED


@dataclass(frozen=True)
class CreditPolicy:
    """The shop's two "forbid" settings."""

    forbid_negative_entries: bool = False
    forbid_negative_balance: bool = False


@dataclass(frozen=True)
class LedgerEntry:
    id: int
    customer_id: int
    kind: EntryKind
    amount: int
    method: str | None
    sale_id: int | None
    label: str
    user_id: int
    user_name: str
    terminal: int
    created_at: str
    balance_after: int
    sale_number: int | None = None

    @property
    def display_label(self) -> str:
        """What the history shows: a sale's number in the current language (built here, never stored), else the
        label typed for a top-up or refund."""
        if self.sale_number is not None:
            from pos_tui.i18n import _

            return _("Sale n° {number}").format(number=self.sale_number)
        return self.label


class DebtLimitExceeded(PosError):
    """An entry would take the balance below what the customer may owe."""

    def __init__(self, balance: int, amount: int, floor: int) -> None:
        loc = locale()
        super().__init__(
            N_("Refused: balance {balance}, debt limit {limit}; this would leave {after}, {shortfall} over the limit."),
            balance=format_money(balance, loc),
            limit=format_money(-floor, loc),
            after=format_money(balance + amount, loc),
            shortfall=format_money(floor - (balance + amount), loc),
        )
        self.balance = balance
        self.amount = amount
        self.floor = floor
        self.shortfall = floor - (balance + amount)


def validate_debt_limit(cents: int) -> int:
    if cents < 0:
        raise PosError("A debt limit is an amount the customer may owe: 0 or more.")
    return cents


def balance_floor(debt_limit: int, policy: CreditPolicy) -> int:
    """The lowest balance allowed: minus the debt limit, or 0 when negative balances are forbidden."""
    return 0 if policy.forbid_negative_balance else -debt_limit


def check_top_up(amount: int, method_code: str, method_enabled: bool) -> None:
    if amount <= 0:
        raise PosError("A top-up must be more than zero.")
    if method_code == CREDIT_METHOD:
        raise PosError("CRED cannot be used to top up credit.")
    if not method_enabled:
        raise PosError("The payment method {code} is disabled.", code=method_code)


def check_refund(amount: int, method_code: str, method_enabled: bool, policy: CreditPolicy) -> None:
    """``amount`` is the positive sum handed back."""
    if policy.forbid_negative_entries:
        raise PosError("This shop forbids negative credit entries.")
    if amount <= 0:
        raise PosError("A refund must be more than zero.")
    if method_code == CREDIT_METHOD:
        raise PosError("CRED cannot be used to refund credit.")
    if not method_enabled:
        raise PosError("The payment method {code} is disabled.", code=method_code)


def check_debit(balance: int, amount: int, debt_limit: int, policy: CreditPolicy, *, override: bool = False) -> None:
    """Refuse a negative ``amount`` that would take ``balance`` below the allowed floor.

    ``override`` (a user with the override right, with a reason) lifts the debt
    limit but never the shop's "forbid negative balance" setting.
    """
    if amount >= 0:
        return
    floor = balance_floor(debt_limit, policy)
    if balance + amount >= floor:
        return
    if override and not policy.forbid_negative_balance:
        return
    raise DebtLimitExceeded(balance, amount, floor)
