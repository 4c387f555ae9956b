"""Customer accounts beyond the balance (issue 16): statements, balance slips, debts that age.

A statement is read from the ledger alone (opening balance = the balance left by the
last entry before the period), so its totals are the ledger's by construction; a debt's
age is computed from the ledger too, never from a stored flag.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from pos_tui.domain.accounts import (
    Statement,
    StatementLine,
    debt_age_days,
    parse_period,
    validate_days,
)
from pos_tui.domain.customers import Customer
from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.money import format_money
from pos_tui.domain.rights import Right
from pos_tui.domain.users import User
from pos_tui.i18n import N_, _, locale, ngettext
from pos_tui.printing import documents
from pos_tui.printing.connection import send
from pos_tui.printing.receipt import Receipt
from pos_tui.services import settings
from pos_tui.services.context import Context
from pos_tui.services.exports import Column, csv_text, SHEET, table_csv, write_export, write_export  # noqa: F401 (csv_text: one writer)
from pos_tui.store import accounts as accounts_store
from pos_tui.store import customers as customers_store
from pos_tui.store.db import Store

DEBT_AGE_THRESHOLD = settings.DEBT_AGE_THRESHOLD
DEBT_MAX_AGE = settings.DEBT_MAX_AGE


# -- settings -------------------------------------------------------------------------------

def debt_age_threshold(store: Store) -> int:
    """Debts older than this many days are listed on the X/Z, the credit report and the call list."""
    return settings.get(store, DEBT_AGE_THRESHOLD)


def debt_max_age(store: Store) -> int:
    """The longest a debt may run (interest-free short credit); the counter warns when it is reached."""
    return settings.get(store, DEBT_MAX_AGE)


def set_debt_ages(ctx: Context, threshold_days: int | None = None, max_age_days: int | None = None) -> None:
    ctx.require(Right.MANAGE_SETTINGS)
    changes = {}
    if threshold_days is not None:
        changes[DEBT_AGE_THRESHOLD] = validate_days(threshold_days, _("The old-debt threshold"))
    if max_age_days is not None:
        changes[DEBT_MAX_AGE] = validate_days(max_age_days, _("The longest debt"))
    with ctx.store.write():
        for key, value in changes.items():
            settings.change(ctx, key, value)


@dataclass(frozen=True)
class CashConfirmation:
    """A manager's confirmation of one large cash amount. Only ``confirm_large_cash`` makes a valid one;
    ``credit.top_up`` spends it once, for that amount, on that till (a hand-made one is refused)."""

    user: User
    amount: int
    token: str = field(default="", repr=False, compare=False)


CONFIRMATION_TTL_S = 300
# token -> (store file, terminal, manager id, amount, issued at): in memory, never outlives the process
_issued_confirmations: dict[str, tuple[str, int, int, int, float]] = {}


def confirm_large_cash(store: Store, name: str, pin: str, terminal: int, amount: int) -> CashConfirmation:
    """A manager's PIN (checked like a login, failures counted) confirms one large cash top-up."""
    from pos_tui.services import auth

    user = auth.login(store, name, pin, terminal)
    if not user.can(Right.DAY_CLOSING):
        raise PosError("{name} cannot confirm a large cash amount (a manager with the day-closing right can).",
                       name=user.name)
    token = secrets.token_urlsafe(24)
    _issued_confirmations[token] = (str(store.path), terminal, user.id, amount, time.monotonic())
    return CashConfirmation(user, amount, token)


def spend_cash_confirmation(ctx: Context, confirmation: CashConfirmation, amount: int) -> None:
    issued = _issued_confirmations.pop(confirmation.token, None)
    expected = (str(ctx.store.path), ctx.terminal, confirmation.user.id, amount)
    if issued is None or issued[:4] != expected or time.monotonic() - issued[4] > CONFIRMATION_TTL_S:
        raise PosError("This confirmation was not given here for this amount (or was already used): "
                       "a manager must type their PIN again.")


CASH_CONFIRMATION_LIMIT = "cash_confirmation_limit"  # default 1 000 €: the French cap on cash payments


def cash_confirmation_limit(store: Store) -> int:
    """Cash top-ups and debt payments above this (cents) need a manager's confirmation."""
    return settings.get(store, CASH_CONFIRMATION_LIMIT)


def set_cash_confirmation_limit(ctx: Context, cents: int) -> None:
    ctx.require(Right.MANAGE_SETTINGS)
    if not isinstance(cents, int) or cents <= 0:
        raise PosError("The cash limit must be an amount above zero.")
    with ctx.store.write():
        settings.change(ctx, CASH_CONFIRMATION_LIMIT, cents)


# -- finding a customer from the command line ------------------------------------------------

def find_customer(store: Store, text: str) -> Customer:
    """A customer by id (``#12`` or ``12``), card code, or a name that matches exactly one customer."""
    text = (text or "").strip()
    if not text:
        raise PosError("Name a customer: id, card code or name.")
    raw = text.removeprefix("#")
    if raw.isascii() and raw.isdigit():
        customer = customers_store.by_id(store, int(raw))
        if customer is not None and not customer.erased:
            return customer
    customer = customers_store.by_card(store, text.upper())
    if customer is not None:
        return customer
    found = customers_store.search(store, text, limit=6)
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFound("No customer matches {text!r}.", text=text)
    raise PosError("{text!r} matches several customers ({names}…): give the id or card code.", text=text,
                   names=", ".join(f"#{c.id} {c.display_name}" for c in found[:5]))


# -- statement ------------------------------------------------------------------------------

def _next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def _line(row: dict) -> StatementLine:
    return StatementLine(row["id"], row["created_at"], row["kind"], row["label"], row["sale_number"],
                         row["method"], row["amount"], row["balance_after"], row.get("card_name") or "")


def statement(ctx: Context, customer_id: int, date_from: str | None = None, date_to: str | None = None) -> Statement:
    """The customer's account from ``date_from`` to ``date_to`` (YYYY-MM-DD, inclusive; default: this month)."""
    ctx.require(Right.VIEW_CREDIT)
    start, end = parse_period(date_from, date_to, ctx.store.clock().date())
    customer = customers_store.by_id(ctx.store, customer_id)
    if customer is None or customer.erased:
        raise NotFound("Unknown customer.")
    with ctx.store.read():  # the opening balance and the entries come from the same snapshot
        opening = accounts_store.balance_before(ctx.store, customer_id, start)
        rows = accounts_store.statement_rows(ctx.store, customer_id, start, _next_day(end))
        since = accounts_store.debt_since(ctx.store, customer_id) if (
            rows and rows[-1]["balance_after"] < 0 and end >= ctx.store.clock().date().isoformat()) else None
    return Statement(customer.id, customer.display_name, customer.company, customer.card_code or "",
                     customer.email, customer.debt_limit, start, end, opening, tuple(_line(r) for r in rows),
                     since)


def kind_label(kind: str) -> str:
    return {"top_up": _("Top-up"), "refund": _("Refund"), "sale_payment": _("Sale paid (CRED)"),
            "sale_credit": _("Put on credit")}.get(kind, kind)


def _what(kind: str) -> str:
    return {"opening balance": _("Opening balance"), "closing balance": _("Closing balance")}.get(kind) \
        or kind_label(kind)


STATEMENT_COLUMNS = (
    Column("date", N_("Date"), "date"), Column("what", N_("Operation"), _what), Column("label", N_("Label")),
    Column("sale_number", N_("Sale no."), "int"), Column("method", N_("Method")), Column("card", N_("Card")),
    Column("amount_cents", N_("Amount (€)"), "cents"), Column("balance_cents", N_("Balance (€)"), "cents"),
)


def statement_table(stmt: Statement) -> list[list]:
    """The statement as raw rows (no header), amounts in cents: what the CSV holds."""
    rows: list[list] = [[stmt.date_from, "opening balance", "", "", "", "", "", stmt.opening]]
    for line in stmt.lines:
        rows.append([line.created_at, line.kind, line.label, line.sale_number or "", line.method or "", line.card,
                     line.amount, line.balance_after])
    rows.append([stmt.date_to, "closing balance", "", "", "", "", stmt.closing - stmt.opening, stmt.closing])
    return rows


def statement_csv(stmt: Statement, fmt: str = SHEET) -> str:
    return table_csv(STATEMENT_COLUMNS, statement_table(stmt), fmt)


def export_statement_csv(ctx: Context, stmt: Statement, path: Path, fmt: str = SHEET) -> Path:
    ctx.require(Right.EXPORT_DATA)

    def produce() -> str:  # runs once the file could be opened: a bad path journals nothing
        with ctx.store.write():
            ctx.journal("export", what="statement", customer=stmt.customer_id, date_from=stmt.date_from,
                        date_to=stmt.date_to)
        return statement_csv(stmt, fmt)

    return write_export(path, produce)


def _pdf_text(text: str) -> str:
    # The PDF core fonts are Latin-1 (+ the euro sign as cp1252): Babel's no-break spaces become plain ones.
    text = (text or "").replace("\u202f", " ").replace("\u00a0", " ").replace("→", "->")
    return text.encode("cp1252", "replace").decode("cp1252")


PDF_ROWS = 38  # entries that fit on one A4 page at 9 pt with the header and totals


def statement_pdf(stmt: Statement, shop_name: str, printed_at: str) -> bytes:
    """A one-page A4 PDF; a period with more entries than fit says how many are left out (see the CSV)."""
    from fpdf import FPDF  # lazy: a heavy library that only the PDF export needs

    loc = locale()
    money = lambda cents: _pdf_text(format_money(cents, loc))  # noqa: E731
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # the euro sign is in cp1252, not in Latin-1
    pdf.set_auto_page_break(False)
    pdf.set_creator("pos-tui")
    pdf.set_title(_pdf_text(_("Statement of account")))
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.cell(0, 8, _pdf_text(shop_name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "B", 12)
    pdf.cell(0, 7, _pdf_text(_("Statement of account")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 10)
    for label, value in ((_("Customer"), stmt.customer_name), (_("Card"), stmt.card_code or "—"),
                         (_("Period"), f"{stmt.date_from} -> {stmt.date_to}"),
                         (_("Debt limit"), format_money(stmt.debt_limit, loc)),
                         (_("Printed"), documents.when(printed_at))):
        pdf.cell(35, 5, _pdf_text(label))
        pdf.cell(0, 5, _pdf_text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    widths = (28, 62, 18, 14, 22, 23, 23)
    head = (_("Date"), _("What"), _("Sale"), _("Method"), _("Card"), _("Amount"), _("Balance"))
    pdf.set_font("helvetica", "B", 9)
    for w, text in zip(widths, head):
        pdf.cell(w, 6, _pdf_text(text), border="B", align="R" if w == 23 else "L")
    pdf.ln()
    pdf.set_font("helvetica", "", 9)

    def row(cells: tuple[str, ...], bold: bool = False) -> None:
        pdf.set_font("helvetica", "B" if bold else "", 9)
        for w, text in zip(widths, cells):
            pdf.cell(w, 5, _pdf_text(text)[:40], align="R" if w == 23 else "L")
        pdf.ln()

    row(("", _("Opening balance"), "", "", "", "", money(stmt.opening)), bold=True)
    shown = stmt.lines if len(stmt.lines) <= PDF_ROWS else stmt.lines[-PDF_ROWS:]
    if len(shown) < len(stmt.lines):
        n = len(stmt.lines) - len(shown)
        row(("", ngettext("… {n} earlier entry (see the CSV)", "… {n} earlier entries (see the CSV)", n).format(n=n),
             "", "", "", "", ""))
    for line in shown:
        what = kind_label(line.kind) + (f" · {line.label}" if line.label and not line.sale_number else "")
        row((documents.when(line.created_at), what, str(line.sale_number or ""), line.method or "", line.card,
             money(line.amount), money(line.balance_after)))
    pdf.ln(1)
    row(("", _("Credits"), "", "", "", money(stmt.credits), ""))
    row(("", _("Debits"), "", "", "", money(stmt.debits), ""))
    row(("", _("Closing balance"), "", "", "", "", money(stmt.closing)), bold=True)
    if stmt.debt_since:
        pdf.ln(2)
        pdf.set_font("helvetica", "", 9)
        pdf.multi_cell(0, 5, _pdf_text(_("In debt since {date}. Customer credit is free of interest and fees.")
                                       .format(date=documents.when(stmt.debt_since)[:10])))
    return bytes(pdf.output())


def export_statement_pdf(ctx: Context, stmt: Statement, path: Path) -> Path:
    ctx.require(Right.EXPORT_DATA)
    data = statement_pdf(stmt, settings.get(ctx.store, settings.SHOP_NAME), ctx.store.now())

    def produce() -> bytes:
        with ctx.store.write():
            ctx.journal("export", what="statement_pdf", customer=stmt.customer_id, date_from=stmt.date_from,
                        date_to=stmt.date_to)
        return data

    return write_export(path, produce)


def statement_receipt(store: Store, stmt: Statement) -> Receipt:
    """The statement as a thermal-printer document."""
    return documents.statement_receipt(stmt, settings.shop_info(store), store.now())


def balance_slip(ctx: Context, customer_id: int, entries: int = 5) -> Receipt:
    """A slip with the balance, the last entries and the debt limit."""
    ctx.require(Right.VIEW_CREDIT)
    customer = customers_store.by_id(ctx.store, customer_id)
    if customer is None or customer.erased:
        raise NotFound("Unknown customer.")
    lines = [_line(r) for r in accounts_store.last_entries(ctx.store, customer_id, entries)]
    return documents.balance_slip({"customer_name": customer.display_name, "balance": customer.balance,
                                   "debt_limit": customer.debt_limit, "lines": lines,
                                   "printed_at": ctx.store.now()}, settings.shop_info(ctx.store))


# -- debts that age ----------------------------------------------------------------------------

def _today(store: Store) -> date:
    return store.clock().date()


def debt_age(store: Store, customer_id: int) -> int | None:
    """Days since the customer's balance went below zero and stayed there (None: not in debt)."""
    return debt_age_days(accounts_store.debt_since(store, customer_id), _today(store))


def old_debts(store: Store, older_than_days: int | None = None, today: date | None = None) -> list[dict]:
    """Debts that began more than ``older_than_days`` days ago (default: the shop's threshold), oldest first.

    Each row: id, names, phone, email, balance, debt_limit, since, age_days.
    """
    days = debt_age_threshold(store) if older_than_days is None else older_than_days
    if days < 0:
        raise PosError("The age must be 0 days or more.")
    today = today or _today(store)
    # A debt that began on day D is (today - D) days old: older than N days means D < today - N.
    cutoff = (today - timedelta(days=days)).isoformat()
    rows = accounts_store.debtors(store, started_before=cutoff)
    for row in rows:
        row["age_days"] = debt_age_days(row["since"], today)
    return [r for r in rows if r["age_days"] > days]


def debtors(ctx: Context, older_than_days: int | None = None) -> list[dict]:
    """The call list: customers whose debt is older than the threshold (view-credit right)."""
    ctx.require(Right.VIEW_CREDIT)
    return old_debts(ctx.store, older_than_days)


DEBTOR_COLUMNS = (
    Column("customer_id", N_("Customer no."), "int"), Column("first_name", N_("First name")),
    Column("last_name", N_("Last name")), Column("company", N_("Company")), Column("phone", N_("Phone")),
    Column("email", N_("E-mail")), Column("balance_cents", N_("Balance (€)"), "cents"),
    Column("debt_limit_cents", N_("Debt limit (€)"), "cents"), Column("in_debt_since", N_("In debt since"), "date"),
    Column("age_days", N_("Days"), "int"),
)


def debtors_table(rows: list[dict]) -> list[list]:
    """The call list as raw rows (no header)."""
    table: list[list] = []
    for r in rows:
        table.append([r["id"], r["first_name"], r["last_name"], r["company"], r["phone"], r["email"], r["balance"],
                      r["debt_limit"], r["since"], r["age_days"]])
    return table


def export_debtors_csv(ctx: Context, rows: list[dict], path: Path, older_than_days: int, fmt: str = SHEET) -> Path:
    ctx.require(Right.EXPORT_DATA)

    def produce() -> str:
        with ctx.store.write():
            ctx.journal("export", what="debtors", older_than=older_than_days, count=len(rows))
        return table_csv(DEBTOR_COLUMNS, debtors_table(rows), fmt)

    return write_export(path, produce)


def counter_warning(store: Store, customer: Customer) -> str | None:
    """What the checkout shows under the customer's name about their debt: its age past the
    threshold, and a warning once the longest allowed age is reached."""
    if customer is None or customer.balance >= 0:
        return None
    age = debt_age(store, customer.id)
    if age is None:
        return None
    if age >= debt_max_age(store):
        return ngettext("Debt {days} day old: the longest allowed is {max} days — ask for payment.",
                        "Debt {days} days old: the longest allowed is {max} days — ask for payment.", age).format(
            days=age, max=debt_max_age(store))
    if age > debt_age_threshold(store):
        return ngettext("In debt for {days} day", "In debt for {days} days", age).format(days=age)
    return None


def paper_width(store: Store) -> int:
    return settings.get(store, settings.PAPER_WIDTH)


def send_receipt(target, receipt: Receipt, width: int) -> None:
    """Print a statement or balance slip without touching the store (a worker thread has none)."""
    send(target, receipt, width)


def print_receipt(store: Store, target, receipt: Receipt) -> None:
    """Send a statement or balance slip to the printer (not a fiscal document: no copy count).

    Raises ``PrinterOffline`` when the printer does not take it; call from a worker thread.
    """
    send(target, receipt, settings.get(store, settings.PAPER_WIDTH))  # target.model: printer_target() set it
