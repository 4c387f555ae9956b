"""Sale checkout (SPEC §6): scan lookup, closing a sale in one transaction, park/resume.

Closing writes the sale with its gapless number, lines, payments, CRED ledger
entries and a journal line in one ``BEGIN IMMEDIATE`` transaction; the
customer's balance and debt limit are re-checked inside it.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from dataclasses import dataclass, field

from pos_tui.domain.cards import Card, check_card_spend
from pos_tui.domain.cart import CREDIT_NOTE_NAME, Cart, CartLine, LineKind
from pos_tui.domain.credit import CREDIT_METHOD, EntryKind, check_debit
from pos_tui.domain.customers import Customer
from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.payment import Settlement, Tender, settle
from pos_tui.domain.products import Product, is_valid_gtin
from pos_tui.domain.rights import Right
from pos_tui.domain.text import clean_text
from pos_tui.domain.users import User
from pos_tui.domain.vouchers import (
    Voucher,
    check_redeemable,
    is_valid_code,
    looks_like_voucher,
    new_code,
    normalise_code,
)
from pos_tui.services import auth
from pos_tui.services.context import Context
from pos_tui.services.settings import credit_policy, voucher_cash_back
from pos_tui.store import cards as cards_store
from pos_tui.store import customers as customers_store
from pos_tui.store import ledger as ledger_store
from pos_tui.store import methods as methods_store
from pos_tui.store import products as products_store
from pos_tui.store import sales as sales_store
from pos_tui.store import stores as stores_store
from pos_tui.store import vouchers as vouchers_store
from pos_tui.store.db import Store
from pos_tui.store.integrity import batched_signatures


@dataclass(frozen=True)
class ScanResult:
    """What a scanned code turned out to be: exactly one of product / voucher / customer."""

    code: str
    product: Product | None = None
    customer: Customer | None = None
    voucher: Voucher | None = None
    card: Card | None = None  # set with ``customer`` when an extra card of the account was scanned


@dataclass(frozen=True)
class Override:
    """A debt-limit override: the user who typed their PIN, and why.

    Only ``authorize_override`` makes a valid one: its ``token`` is registered by the service
    and spent once by ``close_sale``; a hand-made ``Override`` is refused.
    """

    user: User
    reason: str
    token: str = field(default="", repr=False, compare=False)


OVERRIDE_TTL_S = 300
# token -> (store file, terminal, manager id, reason, issued at): in memory, so it never outlives the process
_issued_overrides: dict[str, tuple[str, int, int, str, float]] = {}


@dataclass(frozen=True)
class SaleResult:
    sale_id: int
    number: int
    total: int
    settlement: Settlement
    customer: Customer | None
    new_balance: int | None
    vouchers_issued: tuple[Voucher, ...] = ()


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
        retired = products_store.any_by_barcode(store, code)
        if retired is not None:  # deactivated in the back office: say so rather than "unknown"
            raise PosError("{name} ({code}) is no longer sold: the product was deactivated. Nothing added.",
                           name=retired["name"], code=code)
    if looks_like_voucher(code):
        voucher_code = normalise_code(code)
        if not is_valid_code(voucher_code):
            raise PosError("Bad check character in {code}: type it again.", code=code)
        voucher = vouchers_store.by_code(store, voucher_code)
        return ScanResult(code, voucher=check_redeemable(voucher, voucher_code, store.clock().date()))
    customer = customers_store.by_card(store, code.upper())
    if customer is not None:
        return ScanResult(code, customer=customer)
    card = cards_store.by_code(store, code.upper())
    if card is not None:
        customer = customers_store.by_id(store, card.customer_id)
        if customer is not None and not customer.erased:
            if card.blocked:
                raise PosError("The card {code} ({name}) is blocked.", code=card.code, name=card.name)
            return ScanResult(code, customer=customer, card=card)
    raise NotFound("Unknown code {code}: nothing added.", code=code)


def add_scanned_voucher(cart: Cart, voucher: Voucher) -> list[CartLine]:
    """Put a scanned voucher or credit note in the sale as negative line(s) of its value."""
    return cart.add_voucher_redemption(voucher.code, voucher.kind, voucher.parts)


def authorize_override(store: Store, name: str, pin: str, reason: str, terminal: int) -> Override:
    """A manager's PIN (checked like a login, failures counted) and a reason unlock a debt-limit override."""
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise PosError("Give a reason for the override.")
    reason = clean_text(reason[:200], "Reason")
    user = auth.login(store, name, pin, terminal)
    if not user.can(Right.OVERRIDE_DEBT_LIMIT):
        raise PosError("{name} does not have the right to override a debt limit.", name=user.name)
    token = secrets.token_urlsafe(24)
    _issued_overrides[token] = (str(store.path), terminal, user.id, reason, time.monotonic())
    return Override(user, reason, token)


def _spend_override(ctx: Context, override: Override) -> None:
    """Take ``override``'s token back (once): it must come from ``authorize_override`` for this till."""
    issued = _issued_overrides.pop(override.token, None)
    expected = (str(ctx.store.path), ctx.terminal, override.user.id, override.reason)
    if issued is None or issued[:4] != expected or time.monotonic() - issued[4] > OVERRIDE_TTL_S:
        raise PosError("This override was not authorised here (or was already used): "
                       "a manager must type their PIN again.")


def _method_codes(store: Store) -> tuple[set[str], set[str]]:
    return methods_store.enabled_codes(store)


def check_payment(ctx: Context, cart: Cart, tenders: list[Tender]) -> Settlement:
    """Validate the payment lines without writing (the payment screen calls it live)."""
    return _check_payment(ctx, cart, cart.total, tenders)


def _check_payment(ctx: Context, cart: Cart, total: int, tenders: list[Tender]) -> Settlement:
    enabled, cash = _method_codes(ctx.store)
    for tender in tenders:
        if tender.method not in enabled:
            raise PosError("The payment method {code} is disabled or unknown.", code=tender.method)
    if any(line.kind in (LineKind.FREE, LineKind.RETURN) and line.total < 0 for line in cart.lines):
        ctx.require(Right.RETURNS)
    settlement = settle(total, tenders, cash)
    if total < 0 and cart.has_vouchers and not voucher_cash_back(ctx.store):
        if any(t.method != CREDIT_METHOD for t in settlement.applied):
            raise PosError("No cash back for a voucher: put the rest on the customer's credit (CRED).")
    if settlement.credit_used:
        if cart.customer_id is None:
            raise PosError("CRED needs a customer: scan their card or press F2.")
        if settlement.credit_used > 0:
            ctx.require(Right.PAY_WITH_CREDIT)
    return settlement


def close_sale(ctx: Context, cart: Cart, tenders: list[Tender], override: Override | None = None) -> SaleResult:
    """Close the sale: all of it is written, or nothing."""
    if cart.is_empty:
        raise PosError("The sale is empty.")
    store = ctx.store
    total = cart.total
    # The signature rows go in as one statement before COMMIT (nothing here reads the chain back).
    with store.write(), batched_signatures(store):
        # Checked under the write lock: another till may have just disabled a method.
        settlement = _check_payment(ctx, cart, total, tenders)
        if override is not None:
            _spend_override(ctx, override)
        number, day = sales_store.sale_start(store)
        customer = None
        if cart.customer_id is not None:
            # Locked before its balance is read: another store's till may be spending it (PostgreSQL).
            store.lock_customer(cart.customer_id)
            customer = customers_store.by_id(store, cart.customer_id)
            if customer is None or customer.erased:
                raise NotFound("Unknown customer.")
        card = None
        if cart.card_id is not None and customer is not None:
            card = cards_store.by_id(store, cart.card_id)
            if card is None or card.customer_id != customer.id:
                raise PosError("This card does not belong to the customer of the sale.")
        if settlement.credit_used > 0:
            # Re-checked inside the write lock: another terminal may have spent the credit meanwhile.
            check_debit(customer.balance, -settlement.credit_used, customer.debt_limit, credit_policy(store),
                        override=override is not None)
            if card is not None:  # the card's own daily limit is never lifted by a debt-limit override
                check_card_spend(card, cards_store.spent_on_day(store, card.id, day), settlement.credit_used)
        sale_id = sales_store.insert_sale(
            store, number=number, customer_id=cart.customer_id, user_id=ctx.user.id, terminal=ctx.terminal,
            business_day=day, total=total, change_given=settlement.change,
        )
        issued = _write_lines(ctx, cart, sale_id, number)
        for tender in settlement.applied:
            sales_store.insert_payment(store, sale_id, tender.method, tender.amount)
        new_balance = customer.balance if customer else None
        if settlement.credit_used:
            kind = EntryKind.SALE_PAYMENT if settlement.credit_used > 0 else EntryKind.SALE_CREDIT
            new_balance = customer.balance - settlement.credit_used
            # The ledger's triggers refuse a balance_after that does not follow the stored balance.
            ledger_store.insert_row(
                store, customer_id=customer.id, kind=kind, amount=-settlement.credit_used, method=None,
                sale_id=sale_id, label="", user_id=ctx.user.id, terminal=ctx.terminal,
                balance_after=new_balance, idempotency_key=None, business_day=day,
                card_id=card.id if card else None,
            )
            floor = -customer.debt_limit
            if override is not None and new_balance < floor:
                ctx.journal("debt_limit_override", sale=number, customer=customer.id, by=override.user.id,
                            reason=override.reason, balance_after=new_balance, limit=customer.debt_limit)
        ctx.journal("sale_closed", sale=number, total=total, lines=len(cart.lines),
                    payments={t.method: t.amount for t in settlement.applied})
    if customer is not None and new_balance != customer.balance:
        # What the transaction just wrote, without a re-read (dataclasses.replace costs ~15 us here).
        customer = Customer(**{**customer.__dict__, "balance": new_balance})
    return SaleResult(sale_id, number, total, settlement, customer, new_balance, tuple(issued))


def _write_lines(ctx: Context, cart: Cart, sale_id: int, number: int) -> list[Voucher]:
    """Sale lines, with the vouchers they issue or redeem and the returns they record."""
    store = ctx.store
    today = store.today()
    issued_ids: list[int] = []
    redeemed: dict[str, int] = {}
    credit_note_parts: dict[int, int] = {}
    for line in cart.lines:
        if line.kind == LineKind.CREDIT_NOTE_ISSUE:
            credit_note_parts[line.vat_rate] = credit_note_parts.get(line.vat_rate, 0) + line.total
    credit_note_id = None
    if credit_note_parts:
        credit_note_id = vouchers_store.insert(
            store, code=new_code("credit_note"), kind="credit_note", parts=sorted(credit_note_parts.items(),
                                                                                  reverse=True),
            sale_id=sale_id, expires_on=None, customer_id=cart.customer_id)
        issued_ids.append(credit_note_id)
    for line_no, line in enumerate(cart.lines, 1):
        voucher_id = None
        kind = line.kind
        if kind == LineKind.PRODUCT or kind == LineKind.FREE:
            pass  # the common case: nothing more than the line
        elif kind == LineKind.VOUCHER_SALE:
            if line.expires_on and line.expires_on < today.isoformat():
                raise PosError("The expiry date is in the past.")
            voucher_id = vouchers_store.insert(
                store, code=new_code("gift"), kind="gift", parts=[(line.vat_rate, line.total)], sale_id=sale_id,
                expires_on=line.expires_on, customer_id=None)
            issued_ids.append(voucher_id)
        elif kind == LineKind.CREDIT_NOTE_ISSUE:
            voucher_id = credit_note_id
        elif kind == LineKind.VOUCHER_REDEEM:
            if line.voucher_code not in redeemed:
                # Re-checked under the write lock; the unique index is the last word between two tills.
                voucher = check_redeemable(vouchers_store.by_code(store, line.voucher_code), line.voucher_code, today)
                try:
                    vouchers_store.redeem(store, voucher.id, sale_id)
                except sqlite3.IntegrityError as exc:
                    raise PosError("This voucher was just used at another till.") from exc
                redeemed[line.voucher_code] = voucher.id
            voucher_id = redeemed[line.voucher_code]
        elif kind == LineKind.RETURN:
            _check_returnable(store, line)
        sales_store.insert_line(store, sale_id, line_no, line, voucher_id)
    return [vouchers_store.by_id(store, v) for v in issued_ids]


def _check_returnable(store: Store, line: CartLine) -> None:
    row = sales_store.sold_and_returned(store, line.returned_line_id)
    if row is None or -line.quantity > row["sold"] - row["returned"]:
        raise PosError("Cannot return more than was sold (sold {sold}, already returned {returned}).",
                       sold=row["sold"] if row else 0, returned=row["returned"] if row else 0)


def _sale_reference(store: Store, text: str) -> tuple[str, str]:
    """(store code or '', number text) of what was typed or scanned: ``12``, ``T000012``, or with several
    stores ``TPARIS-000012`` / ``PARIS-12`` (the barcode names the store: numbers restart in each)."""
    text = (text or "").strip().upper()
    code, dash, number = text.rpartition("-")
    if not dash:
        return "", text.removeprefix("T")
    for candidate in (code, code.removeprefix("T")):  # a code may itself begin with T
        if candidate and stores_store.by_code(store, candidate) is not None:
            return candidate, number
    if not code.removeprefix("T"):  # "-1", "T-1": not a reference at all
        return "", text
    raise NotFound("There is no store {code}.", code=code.removeprefix("T"))


def find_sale(store: Store, text: str) -> dict:
    """A closed sale of the till's store by its number, or by the barcode printed on its receipt
    (``T`` + number, with the store's code when there are several). Another store's sale is refused:
    its cash and fiscal records are that store's."""
    code, raw = _sale_reference(store, text)
    if not (raw.isascii() and raw.isdigit()):  # str.isdigit() accepts "²" (an AZERTY key), which int() rejects
        raise PosError("Type a sale number or scan the receipt barcode.")
    if code and code != stores_store.code_of(store):
        raise PosError("Sale n° {number} was made in store {code}: return it there.", number=int(raw), code=code)
    sale = sales_store.by_number(store, int(raw))
    if sale is None:
        raise NotFound("No sale n° {number}.", number=int(raw))
    sale["returnable"] = sales_store.returnable_lines(store, sale["id"])
    return sale


def return_items(ctx: Context, sale_number: int, quantities: dict[int, int], settle_as: str,
                 method: str | None = None, customer_id: int | None = None) -> SaleResult:
    """Bring back items of a closed sale as a new sale; the original never changes.

    ``settle_as`` is ``credit_note`` (a single-use code keeping each line's VAT rate),
    ``credit`` (on the customer's CRED balance) or ``refund`` (money by ``method``,
    which needs the returns right — as every return does).
    """
    ctx.require(Right.RETURNS)
    original = find_sale(ctx.store, str(sale_number))
    lines = {row["id"]: row for row in original["returnable"]}
    cart = Cart(customer_id=customer_id or original["customer_id"])
    for line_id, qty in quantities.items():
        if qty <= 0:
            continue
        row = lines.get(line_id)
        if row is None:
            raise PosError("That line is not part of sale n° {number}.", number=sale_number)
        if qty > row["sold"] - row["returned"]:
            raise PosError("Cannot return more than was sold (sold {sold}, already returned {returned}).",
                           sold=row["sold"], returned=row["returned"])
        cart.lines.append(CartLine(LineKind.RETURN, row["name"], -qty, row["unit_price"], row["vat_rate"],
                                   row["product_id"], row["barcode"], returned_line_id=line_id))
    if cart.is_empty:
        raise PosError("Choose at least one item to return.")
    if settle_as == "credit_note":
        for group in cart.vat():
            cart.lines.append(CartLine(LineKind.CREDIT_NOTE_ISSUE, CREDIT_NOTE_NAME, 1, -group.ttc, group.rate))
        tenders: list[Tender] = []
    elif settle_as == "credit":
        if cart.customer_id is None:
            raise PosError("A return to credit needs a customer.")
        tenders = [Tender(CREDIT_METHOD, cart.total)]
    elif settle_as == "refund":
        tenders = [Tender((method or "").upper(), cart.total)]
    else:
        raise PosError("Unknown way to settle a return.")
    return close_sale(ctx, cart, tenders)


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
