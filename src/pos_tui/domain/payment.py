"""Settling a sale: split payments, change, refunds out (SPEC §6). Pure."""

from __future__ import annotations

from dataclasses import dataclass

from pos_tui.domain.credit import CREDIT_METHOD
from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_money
from pos_tui.i18n import locale, pgettext

# The methods every store is created with, by code: the label stored by the first migration (French).
# Their names are shown in the user's language; a shop's own methods keep the name typed for them.
BUILTIN_LABELS = {"ESP": "Espèces", "CB": "Carte bancaire", "CHQ": "Chèque", "CRED": "Crédit client"}


def _builtin_name(code: str) -> str:
    # the "payment method" context keeps these apart from the same English words elsewhere ("Cash" drawer)
    return {"ESP": pgettext("payment method", "Cash"), "CB": pgettext("payment method", "Bank card"),
            "CHQ": pgettext("payment method", "Cheque"),
            "CRED": pgettext("payment method", "Customer credit")}[code]


def method_name(code: str, stored_label: str) -> str:
    """The name of a payment method in the current language (built-in ones translated, others as typed)."""
    if BUILTIN_LABELS.get(code) == stored_label or (code in BUILTIN_LABELS and stored_label == _builtin_name(code)):
        return _builtin_name(code)
    return stored_label


@dataclass(frozen=True)
class Tender:
    """One payment line as typed at the till: a method and an amount (negative = paid out)."""

    method: str
    amount: int


@dataclass(frozen=True)
class Settlement:
    applied: tuple[Tender, ...]  # what each method really settles; sums to the total
    change: int  # cash handed back
    credit_used: int  # > 0 taken from the customer's credit; < 0 put on it

    @property
    def tendered(self) -> int:
        return sum(t.amount for t in self.applied) + self.change


def remaining(total: int, tenders: list[Tender]) -> int:
    """What is still to pay (negative when more was given than the total)."""
    return total - sum(t.amount for t in tenders)


def settle(total: int, tenders: list[Tender], cash_methods: set[str]) -> Settlement:
    """Check the payment lines against the total and work out the change.

    A positive total needs positive lines adding up to at least the total; only cash
    may go over, and the excess is the change. A negative total (a refund) needs
    negative lines adding up exactly to it. A zero total needs no payment.
    """
    if any(t.amount == 0 for t in tenders):
        raise PosError("A payment line needs an amount.")
    paid = sum(t.amount for t in tenders)
    if total >= 0:
        if any(t.amount < 0 for t in tenders):
            raise PosError("A sale is paid with positive amounts.")
        if paid < total:
            raise PosError("{missing} still to pay.", missing=_fmt(total - paid))
        change = paid - total
        cash = sum(t.amount for t in tenders if t.method in cash_methods)
        if change > cash:
            raise PosError("Only cash can exceed the total: {excess} too much by card, cheque or credit.",
                           excess=_fmt(change - cash))
        applied = _apply_change(tenders, change, cash_methods)
    else:
        if any(t.amount > 0 for t in tenders):
            raise PosError("A negative total is settled with negative amounts (money or credit given back).")
        if paid != total:
            raise PosError("The refund lines must add up exactly to {total}.", total=_fmt(total))
        change, applied = 0, tuple(tenders)
    credit_used = sum(t.amount for t in applied if t.method == CREDIT_METHOD)
    return Settlement(applied, change, credit_used)


def _apply_change(tenders: list[Tender], change: int, cash_methods: set[str]) -> tuple[Tender, ...]:
    """Take the change back from the cash lines, last first."""
    applied = list(tenders)
    for i in range(len(applied) - 1, -1, -1):
        if change == 0:
            break
        if applied[i].method in cash_methods:
            take = min(change, applied[i].amount)
            applied[i] = Tender(applied[i].method, applied[i].amount - take)
            change -= take
    return tuple(t for t in applied if t.amount != 0)


def _fmt(cents: int) -> str:
    return format_money(cents, locale())
