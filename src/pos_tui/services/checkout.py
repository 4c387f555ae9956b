"""Sale checkout (SPEC §6): scan lookup, closing a sale in one transaction, park/resume.

Closing writes the sale with its gapless number, lines, payments, CRED ledger
entries and a journal line in one ``BEGIN IMMEDIATE`` transaction; the
customer's balance and debt limit are re-checked inside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_tui.domain.cart import Cart, CartLine
from pos_tui.domain.credit import CREDIT_METHOD, EntryKind, check_debit
from pos_tui.domain.customers import Customer
from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.payment import Settlement, Tender, settle
from pos_tui.domain.products import Product, is_valid_gtin
from pos_tui.domain.rights import Right
from pos_tui.domain.users import User
from pos_tui.services import auth
from pos_tui.services.context import Context
from pos_tui.services.settings import credit_policy
from pos_tui.store import customers as customers_store
from pos_tui.store import ledger as ledger_store
from pos_tui.store import methods as methods_store
from pos_tui.store import products as products_store
from pos_tui.store import sales as sales_store
from pos_tui.store.db import Store


@dataclass(frozen=True)
class ScanResult:
    """What a scanned code turned out to be: exactly one of product / customer."""

    code: str
    product: Product | None = None
    customer: Customer | None = None


@dataclass(frozen=True)
class Override:
    """A debt-limit override: the user who typed their PIN, and why."""

    user: User
    reason: str


@dataclass(frozen=True)
class SaleResult:
    sale_id: int
    number: int
    total: int
    settlement: Settlement
    customer: Customer | None
    new_balance: int | None


def scan(store: Store, code: str) -> ScanResult:
    """Look a scanned code up: product barcode, then voucher code, then customer card.

    Unknown codes and bad check digits raise ``PosError`` (nothing is added).
    """
    code = (code or "").strip()
    if not code:
        raise PosError("Nothing was scanned.")
    if code.isdigit() and len(code) in (8, 12, 13):
        if not is_valid_gtin(code):
            raise PosError("Bad check digit in {code}: scan again.", code=code)
        product = products_store.by_barcode(store, code)
        if product is not None:
            return ScanResult(code, product=product)
    customer = customers_store.by_card(store, code.upper())
    if customer is not None:
        return ScanResult(code, customer=customer)
    if code.upper().startswith(VOUCHER_PREFIX):
        raise PosError("Vouchers are not available yet.")
    raise NotFound("Unknown code {code}: nothing added.", code=code)


VOUCHER_PREFIX = "BV"


def authorize_override(store: Store, name: str, pin: str, reason: str, terminal: int) -> Override:
    """A manager's PIN (checked like a login, failures counted) and a reason unlock a debt-limit override."""
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise PosError("Give a reason for the override.")
    user = auth.login(store, name, pin, terminal)
    if not user.can(Right.OVERRIDE_DEBT_LIMIT):
        raise PosError("{name} does not have the right to override a debt limit.", name=user.name)
    return Override(user, reason[:200])


def _method_codes(store: Store) -> tuple[set[str], set[str]]:
    methods = methods_store.all_methods(store)
    return {m.code for m in methods if m.enabled}, {m.code for m in methods if m.enabled and m.is_cash}


def check_payment(ctx: Context, cart: Cart, tenders: list[Tender]) -> Settlement:
    """Validate the payment lines without writing (the payment screen calls it live)."""
    enabled, cash = _method_codes(ctx.store)
    for tender in tenders:
        if tender.method not in enabled:
            raise PosError("The payment method {code} is disabled or unknown.", code=tender.method)
    if any(line.total < 0 for line in cart.lines):
        ctx.require(Right.RETURNS)
    settlement = settle(cart.total, tenders, cash)
    if settlement.credit_used:
        if cart.customer_id is None:
            raise PosError("CRED needs a customer: scan their card or press F2.")
        if settlement.credit_used > 0:
            ctx.require(Right.PAY_WITH_CREDIT)
    return settlement


def close_sale(ctx: Context, cart: Cart, tenders: list[Tender], override: Override | None = None,
               business_day: str | None = None) -> SaleResult:
    """Close the sale: all of it is written, or nothing."""
    if cart.is_empty:
        raise PosError("The sale is empty.")
    settlement = check_payment(ctx, cart, tenders)
    with ctx.store.write():
        customer = None
        if cart.customer_id is not None:
            customer = customers_store.by_id(ctx.store, cart.customer_id)
            if customer is None or customer.erased:
                raise NotFound("Unknown customer.")
        if settlement.credit_used > 0:
            # Re-checked inside the write lock: another terminal may have spent the credit meanwhile.
            check_debit(customer.balance, -settlement.credit_used, customer.debt_limit, credit_policy(ctx.store),
                        override=override is not None)
        number = sales_store.next_number(ctx.store)
        day = business_day or ctx.store.clock().date().isoformat()
        sale_id = sales_store.insert_sale(
            ctx.store, number=number, customer_id=cart.customer_id, user_id=ctx.user.id, terminal=ctx.terminal,
            business_day=day, total=cart.total, change_given=settlement.change,
        )
        for line_no, line in enumerate(cart.lines, 1):
            sales_store.insert_line(ctx.store, sale_id, line_no, line)
        for tender in settlement.applied:
            sales_store.insert_payment(ctx.store, sale_id, tender.method, tender.amount)
        new_balance = customer.balance if customer else None
        if settlement.credit_used:
            kind = EntryKind.SALE_PAYMENT if settlement.credit_used > 0 else EntryKind.SALE_CREDIT
            entry = ledger_store.insert(
                ctx.store, customer_id=customer.id, kind=kind, amount=-settlement.credit_used, method=None,
                sale_id=sale_id, label=f"Vente n° {number}", user_id=ctx.user.id, terminal=ctx.terminal,
                balance_after=customer.balance - settlement.credit_used, idempotency_key=None,
            )
            new_balance = entry.balance_after
            floor = -customer.debt_limit
            if override is not None and entry.balance_after < floor:
                ctx.journal("debt_limit_override", sale=number, customer=customer.id, by=override.user.id,
                            reason=override.reason, balance_after=entry.balance_after, limit=customer.debt_limit)
        ctx.journal("sale_closed", sale=number, total=cart.total, lines=len(cart.lines),
                    payments={t.method: t.amount for t in settlement.applied})
    customer = customers_store.by_id(ctx.store, cart.customer_id) if cart.customer_id else None
    return SaleResult(sale_id, number, cart.total, settlement, customer, new_balance)


def cancel_sale(ctx: Context, cart: Cart) -> None:
    """An open sale abandoned at the till: nothing fiscal is written, but the journal keeps a trace."""
    if cart.is_empty:
        return
    with ctx.store.write():
        ctx.journal("sale_cancelled", total=cart.total, lines=len(cart.lines))


def park_sale(ctx: Context, cart: Cart) -> int:
    if cart.is_empty:
        raise PosError("The sale is empty.")
    with ctx.store.write():
        parked_id = sales_store.park(ctx.store, ctx.terminal, ctx.user.id, cart.customer_id, cart.to_dict(), cart.total)
        ctx.journal("sale_parked", parked=parked_id, total=cart.total)
    return parked_id


def parked_sales(ctx: Context) -> list[dict]:
    return sales_store.parked(ctx.store)


def resume_sale(ctx: Context, parked_id: int) -> Cart:
    """Take a parked sale back (it leaves the parked list, so two tills cannot both resume it)."""
    with ctx.store.write():
        data = sales_store.take_parked(ctx.store, parked_id)
        if data is None:
            raise NotFound("This parked sale was already resumed.")
        ctx.journal("sale_resumed", parked=parked_id)
    return Cart.from_dict(data)


def sale(store: Store, sale_id: int) -> dict | None:
    return sales_store.by_id(store, sale_id)


def free_line(ctx: Context, cart: Cart, name: str, unit_price: int, vat_rate: int, quantity: int = 1) -> CartLine:
    """A free-price line; a negative one is a return and needs the returns right."""
    if unit_price < 0:
        ctx.require(Right.RETURNS)
    return cart.add_free(name, unit_price, vat_rate, quantity)
