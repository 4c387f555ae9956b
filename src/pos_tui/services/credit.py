"""Customer credit (SPEC §4): top up, refund, balance, history.

The limit check and the ledger write always happen inside one ``BEGIN
IMMEDIATE`` transaction, so two terminals can never spend the same credit.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_tui.domain.credit import (
    CreditPolicy,
    EntryKind,
    LedgerEntry,
    balance_floor,
    check_debit,
    check_refund,
    check_top_up,
)
from pos_tui.domain.customers import Customer
from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.text import clean_text
from pos_tui.domain.rights import Right
from pos_tui.services.accounts import cash_confirmation_limit, debt_age_threshold, old_debts, spend_cash_confirmation
from pos_tui.i18n import N_
from pos_tui.services.context import Context
from pos_tui.services.exports import SHEET, Column, table_csv
from pos_tui.services.settings import credit_policy
from pos_tui.store import customers as customers_store
from pos_tui.store import ledger as ledger_store
from pos_tui.store import methods as methods_store


class LargeCashNeedsConfirmation(PosError):
    """A cash top-up above the shop's limit: a manager must confirm it (PIN)."""

    def __init__(self, amount: int, limit: int) -> None:
        from pos_tui.domain.money import format_money
        from pos_tui.i18n import locale

        super().__init__(N_("{amount} in cash is above {limit}: a manager must confirm it."),
                         amount=format_money(amount, locale()), limit=format_money(limit, locale()))
        self.amount = amount
        self.limit = limit


@dataclass(frozen=True)
class CreditResult:
    """What the counter shows (and prints) after a credit movement."""

    entry: LedgerEntry
    customer: Customer
    old_balance: int
    new_balance: int
    replayed: bool = False  # True when an idempotency key returned an earlier entry


@dataclass(frozen=True)
class CreditStatus:
    customer: Customer
    balance: int
    debt_limit: int
    floor: int  # lowest balance allowed now
    policy: CreditPolicy


def _method(ctx: Context, code: str):
    method = methods_store.by_code(ctx.store, code or "")
    if method is None:
        raise NotFound("Unknown payment method {code!r}.", code=(code or "").strip().upper())
    return method


def _customer(ctx: Context, customer_id: int) -> Customer:
    customer = customers_store.by_id(ctx.store, customer_id)
    if customer is None or customer.erased:
        raise NotFound("Unknown customer.")
    return customer


def _replay(ctx: Context, key: str, customer_id: int, kind: EntryKind, amount: int, method: str) -> CreditResult | None:
    previous = ledger_store.by_idempotency_key(ctx.store, key)
    if previous is None:
        return None
    if (previous.customer_id, previous.kind, previous.amount, previous.method) != (customer_id, kind, amount, method):
        raise PosError("This operation key was already used for a different operation; nothing was written.")
    customer = _customer(ctx, customer_id)
    return CreditResult(previous, customer, previous.balance_after - previous.amount, previous.balance_after,
                        replayed=True)


def _write(ctx: Context, customer: Customer, kind: EntryKind, amount: int, method: str | None, label: str,
           key: str | None, sale_id: int | None = None) -> CreditResult:
    entry = ledger_store.insert(
        ctx.store, customer_id=customer.id, kind=kind, amount=amount, method=method, sale_id=sale_id,
        label=clean_text(label, "Label")[:120], user_id=ctx.user.id, terminal=ctx.terminal,
        balance_after=customer.balance + amount, idempotency_key=key,
    )
    return CreditResult(entry, _customer(ctx, customer.id), customer.balance, entry.balance_after)


def top_up(ctx: Context, customer_id: int, amount: int, method: str, label: str = "",
           idempotency_key: str | None = None, confirmed_by=None) -> CreditResult:
    """Add ``amount`` cents (> 0) paid by ``method`` (not CRED) to the customer's credit.

    Paying off a debt is a top-up while the balance is negative. A retried call with
    the same ``idempotency_key`` writes nothing and returns the first result. Cash above
    the shop's limit (1 000 € by default) needs ``confirmed_by``, a ``CashConfirmation`` from
    ``accounts.confirm_large_cash`` for this amount; it is spent once and journaled.
    """
    ctx.require(Right.ADD_CREDIT)
    with ctx.store.write():
        m = _method(ctx, method)
        if idempotency_key and (done := _replay(ctx, idempotency_key, customer_id, EntryKind.TOP_UP, amount, m.code)):
            return done
        check_top_up(amount, m.code, m.enabled)
        ctx.store.lock_customer(customer_id)  # another store's till may be writing this balance
        customer = _customer(ctx, customer_id)
        limit = cash_confirmation_limit(ctx.store)
        if m.is_cash and amount > limit:
            if confirmed_by is None:
                raise LargeCashNeedsConfirmation(amount, limit)
            spend_cash_confirmation(ctx, confirmed_by, amount)
            ctx.journal("large_cash_confirmed", customer=customer.id, amount=amount, method=m.code,
                        by=confirmed_by.user.id, debt_payment=customer.balance < 0)
        return _write(ctx, customer, EntryKind.TOP_UP, amount, m.code, label, idempotency_key)


def refund(ctx: Context, customer_id: int, amount: int, method: str, label: str = "",
           idempotency_key: str | None = None) -> CreditResult:
    """Hand ``amount`` cents (> 0) back by ``method``: a negative ledger entry.

    Never takes the balance below the allowed floor (the debt limit, or zero when the
    shop forbids negative balances); refused outright when negative entries are forbidden.
    """
    ctx.require(Right.NEGATIVE_CREDIT)
    with ctx.store.write():
        m = _method(ctx, method)
        if idempotency_key and (done := _replay(ctx, idempotency_key, customer_id, EntryKind.REFUND, -amount, m.code)):
            return done
        policy = credit_policy(ctx.store)
        check_refund(amount, m.code, m.enabled, policy)
        ctx.store.lock_customer(customer_id)  # another store's till may be spending this balance
        customer = _customer(ctx, customer_id)
        check_debit(customer.balance, -amount, customer.debt_limit, policy)
        return _write(ctx, customer, EntryKind.REFUND, -amount, m.code, label, idempotency_key)


def check_amount(ctx: Context, customer_id: int, signed_amount: int) -> None:
    """Everything about an amount that can be refused before a method, a label or a confirmation is asked:
    zero, the rights for its sign, the shop's forbid settings and, for a refund, the debt limit.
    Writes nothing; ``top_up`` / ``refund`` check it all again in their transaction."""
    if signed_amount == 0:
        raise PosError("The amount must not be zero.")
    if signed_amount > 0:
        ctx.require(Right.ADD_CREDIT)
        return
    ctx.require(Right.NEGATIVE_CREDIT)
    policy = credit_policy(ctx.store)
    if policy.forbid_negative_entries:
        raise PosError("This shop forbids negative credit entries.")
    customer = _customer(ctx, customer_id)
    check_debit(customer.balance, signed_amount, customer.debt_limit, policy)


def needs_cash_confirmation(ctx: Context, amount: int, method: str) -> bool:
    """A top-up in cash above the shop's limit: a manager must confirm it (``accounts.confirm_large_cash``)."""
    m = _method(ctx, method)
    return amount > 0 and m.is_cash and amount > cash_confirmation_limit(ctx.store)


def adjust(ctx: Context, customer_id: int, signed_amount: int, method: str, label: str = "",
           idempotency_key: str | None = None, confirmed_by=None) -> CreditResult:
    """The credit panel's one amount field: positive is a top-up, negative a refund."""
    if signed_amount < 0:
        return refund(ctx, customer_id, -signed_amount, method, label, idempotency_key)
    return top_up(ctx, customer_id, signed_amount, method, label, idempotency_key, confirmed_by)


def status(ctx: Context, customer_id: int) -> CreditStatus:
    """Balance and limits of one customer (needs the view-credit right)."""
    ctx.require(Right.VIEW_CREDIT)
    customer = _customer(ctx, customer_id)
    policy = credit_policy(ctx.store)
    return CreditStatus(customer, customer.balance, customer.debt_limit,
                        balance_floor(customer.debt_limit, policy), policy)


def history(ctx: Context, customer_id: int, *, before_id: int | None = None, limit: int = 50) -> list[LedgerEntry]:
    """A page of the customer's ledger, newest first, each entry with its running balance."""
    ctx.require(Right.VIEW_CREDIT)
    return ledger_store.history(ctx.store, customer_id, before_id=before_id, limit=limit)


def entry_count(ctx: Context, customer_id: int) -> int:
    ctx.require(Right.VIEW_CREDIT)
    return ledger_store.entry_count(ctx.store, customer_id)


def report(ctx: Context, date_from: str | None = None, date_to: str | None = None) -> dict:
    """Top-ups and refunds by method, consumption, outstanding credit and debt per customer."""
    ctx.require(Right.EXPORT_DATA)
    with ctx.store.write():
        ctx.journal("export", what="credit_report", date_from=date_from, date_to=date_to)
    data = ledger_store.report(ctx.store, date_from, date_to)
    data["old_debts_threshold"] = debt_age_threshold(ctx.store)
    data["old_debts"] = old_debts(ctx.store, data["old_debts_threshold"])
    return data


REPORT_COLUMNS = (
    Column("customer_id", N_("Customer no."), "int"), Column("first_name", N_("First name")),
    Column("last_name", N_("Last name")), Column("company", N_("Company")),
    Column("balance_cents", N_("Balance (€)"), "cents"), Column("debt_limit_cents", N_("Debt limit (€)"), "cents"),
)


def report_csv(data: dict, fmt: str = SHEET) -> str:
    """The report's per-customer balances as CSV (names neutralised; amounts stay numbers)."""
    return table_csv(REPORT_COLUMNS, [[c["id"], c["first_name"], c["last_name"], c["company"], c["balance"],
                                       c["debt_limit"]] for c in data["customers"]], fmt)
