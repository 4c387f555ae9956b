"""Printing receipts (SPEC §9): build the document, send it, count the copies.

Each print is recorded in ``receipt_prints``; a reprint is "DUPLICATA n" and is
journaled. A failing printer raises ``PrinterOffline`` after the business action
is already saved: printing never loses a sale. Call from a worker thread with
its own ``Store`` (sqlite3 connections belong to their thread).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from pos_tui.domain.cart import CartLine, vat_breakdown
from pos_tui.domain.customers import Customer
from pos_tui.domain.text import check_text
from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.rights import Right
from pos_tui.domain.money import format_money
from pos_tui.i18n import N_, _, locale
from pos_tui.printing.connection import PrinterOffline, PrinterTarget, parse_printer_url, send
from pos_tui.printing.escpos_out import CODE_PAGES, DEFAULT_CODE_PAGE, DEFAULT_PROFILE, PrinterModel, as_printed, \
    profile_names
from pos_tui.printing.receipt import PAPER_WIDTHS, Pair, Receipt, Rule, Text, render_text
from pos_tui.services import settings, stores
from pos_tui.lazy import lazy_function, lazy_module

# Printing documents needs these; the till reading its printer at start-up does not (issue 17).
closing = lazy_module("pos_tui.services.closing")
periods = lazy_module("pos_tui.services.periods")
documents = lazy_module("pos_tui.printing.documents")
day_report = lazy_function("pos_tui.printing.day_report", "day_report")
from pos_tui.services.context import Context
from pos_tui.store import closing as closing_store
from pos_tui.store import customers as customers_store
from pos_tui.store import ledger as ledger_store
from pos_tui.store import methods as methods_store
from pos_tui.store import receipts as receipts_store
from pos_tui.store import sales as sales_store
from pos_tui.store import users as users_store
from pos_tui.store import vouchers as vouchers_store
from pos_tui.store.db import Store
from pos_tui.store.methods import PaymentMethod

DOC_KINDS = ("sale", "credit", "voucher", "z", "x")  # x: doc_id is the day as YYYYMMDD
PRINTER_PROFILE = "printer_profile"
PRINTER_CODE_PAGE = "printer_code_page"
DEFAULT_FOOTER = N_("Thank you for your visit!")  # until the shop types its own, in the user's language


@dataclass(frozen=True)
class PrintOutcome:
    doc_kind: str
    doc_id: int
    copy_no: int
    lines: list[str]


def shop_info(store: Store) -> dict:
    return {**settings.shop_info(store), "footer": receipt_footer(store), "store": stores.shown_code(store)}


def receipt_footer(store: Store) -> str:
    """The shop's footer, or until it types one, a thank-you in the user's language."""
    footer = store.get_setting(settings.RECEIPT_FOOTER)
    return _(DEFAULT_FOOTER) if footer is None else footer


def paper_width(store: Store) -> int:
    return settings.get(store, settings.PAPER_WIDTH)


def auto_print(store: Store) -> bool:
    return settings.get(store, settings.AUTO_PRINT)


def receipt_print_from(store: Store) -> int:
    """Sales from this total (cents) print a receipt without asking (0: never), where the shop must hand one."""
    return settings.get(store, settings.RECEIPT_PRINT_FROM)


def set_receipt_print_from(ctx: Context, cents: int) -> None:
    ctx.require(Right.MANAGE_SETTINGS)
    if not isinstance(cents, int) or isinstance(cents, bool) or cents < 0:
        raise PosError("The amount from which receipts always print must be 0 or more.")
    with ctx.store.write():
        if cents != receipt_print_from(ctx.store):
            settings.change(ctx, settings.RECEIPT_PRINT_FROM, cents)


def after_sale_receipt(store: Store, sale_id: int, printer_enabled: bool, email_enabled: bool) -> str:
    """What happens to a closed sale's receipt (French rule since August 2023: printed only on request).

    ``print``: the shop prints every receipt, or this sale is an exception the shop set (a total from
    ``receipt_print_from``) or it issued a voucher or credit note (its slip is the voucher itself);
    ``ask``: the counter asks "paper, e-mail or none"; ``none``: no channel to offer (no printer, no e-mail).
    """
    sale = sales_store.by_id(store, sale_id)
    if sale is None:
        raise NotFound("No such sale.")
    threshold = receipt_print_from(store)
    must_print = auto_print(store) or bool(vouchers_store.issued_by_sale(store, sale_id)) or (
        threshold > 0 and abs(sale["total"]) >= threshold)
    if must_print:
        return "print" if printer_enabled else "none"
    return "ask" if printer_enabled or email_enabled else "none"


def printer_target(store: Store, override_url: str | None = None, override_profile: str | None = None) -> PrinterTarget:
    """``--printer`` / ``--printer-profile`` win over the shop settings; the default is ``none`` (preview only)."""
    target = parse_printer_url(override_url or settings.get(store, settings.PRINTER_URL))
    return dataclasses.replace(target, model=printer_model(store, override_profile))


def check_profile(name: str) -> str:
    """A python-escpos capability profile name (``TM-T88V``, ``TM-T20II``, ``default``...), else a clear refusal."""
    name = (name or "").strip()
    names = profile_names()
    match = next((n for n in names if n.lower() == name.lower()), None)
    if match is None:
        raise PosError("Unknown printer profile {name!r}. Known profiles: {names}.", name=name, names=", ".join(names))
    return match


def printer_model(store: Store, override_profile: str | None = None) -> PrinterModel:
    """The printer model documents are encoded for: profile and code page (CP858 unless set otherwise)."""
    profile = check_profile(override_profile) if override_profile else store.get_setting(PRINTER_PROFILE, DEFAULT_PROFILE)
    return PrinterModel(profile, store.get_setting(PRINTER_CODE_PAGE, DEFAULT_CODE_PAGE))


def set_printer_model(ctx: Context, profile: str, code_page: str) -> PrinterModel:
    """Save the printer profile and the code page (one of ``CODE_PAGES``); each change is journaled."""
    ctx.require(Right.MANAGE_SETTINGS)
    profile = check_profile(profile)
    code_page = (code_page or "").strip().upper()
    if code_page not in CODE_PAGES:
        raise PosError("The code page must be one of {pages}.", pages=", ".join(CODE_PAGES))
    current = printer_model(ctx.store)
    with ctx.store.write():
        for key, value, before in ((PRINTER_PROFILE, profile, current.profile),
                                   (PRINTER_CODE_PAGE, code_page, current.code_page)):
            if value != before:
                ctx.store.put_setting(key, value)
                ctx.journal("setting_changed", key=key, value=value)
    return printer_model(ctx.store)


@dataclass(frozen=True)
class PrinterSettings:
    url: str
    width: int
    auto: bool
    header: str
    footer: str


def printer_settings(store: Store) -> PrinterSettings:
    """The shop's printer settings as stored (the address is the one saved, not a ``--printer`` override)."""
    shop = settings.load(store)
    return PrinterSettings(shop.printer_url, shop.paper_width, shop.auto_print, shop.receipt_header,
                           receipt_footer(store))


def set_printer_settings(ctx: Context, url: str, width: int, auto: bool, header: str, footer: str) -> PrinterSettings:
    """Save the printer address, paper width, automatic printing and the receipt header / footer.

    The address must parse (``tcp://HOST:9100``, ``usb://VID:PID``, ``serial:///dev/…``, ``file:///…``
    or ``none``) and the width be one of ``PAPER_WIDTHS``; each changed key is journaled.
    """
    ctx.require(Right.MANAGE_SETTINGS)
    target = parse_printer_url(url)  # raises PosError on junk
    url = (url or "").strip() if target.enabled else "none"
    try:
        width = int(width)
    except (TypeError, ValueError):
        width = 0
    if width not in PAPER_WIDTHS:
        raise PosError("The paper width must be one of {widths} columns.",
                       widths=", ".join(str(w) for w in PAPER_WIDTHS))
    # An escape byte here would reach the printer as a command: refused like any control character.
    header = check_text(header, "Receipt header", newlines=True)
    footer = check_text(footer, "Receipt footer", newlines=True)
    header = "\n".join(line.rstrip() for line in header.strip("\n").splitlines())
    footer = "\n".join(line.rstrip() for line in footer.strip("\n").splitlines())
    wanted = {settings.PRINTER_URL: url, settings.PAPER_WIDTH: width, settings.AUTO_PRINT: bool(auto),
              settings.RECEIPT_HEADER: header, settings.RECEIPT_FOOTER: footer}
    with ctx.store.write():
        for key, value in wanted.items():
            if value != settings.get(ctx.store, key):
                settings.change(ctx, key, value)
    return printer_settings(ctx.store)


def sale_documents(store: Store, sale_id: int) -> list[tuple[str, int]]:
    """What a closed sale prints: its receipt, then a slip per voucher or credit note it issued."""
    return [("sale", sale_id)] + [("voucher", row["id"]) for row in vouchers_store.issued_by_sale(store, sale_id)]


def copies_printed(store: Store, doc_kind: str, doc_id: int) -> int:
    return receipts_store.copies_printed(store, doc_kind, doc_id)


def _customer_name(customer: Customer | None) -> str:
    return customer.display_name if customer else ""


def _methods(store: Store) -> dict[str, PaymentMethod]:
    return {m.code: m for m in methods_store.all_methods(store)}


def _sale_data(store: Store, sale_id: int) -> dict:
    sale = sales_store.by_id(store, sale_id)
    if sale is None:
        raise NotFound("No such sale.")
    methods = _methods(store)
    lines = [CartLine(r["kind"], r["name"], r["quantity"], r["unit_price"], r["vat_rate"]) for r in sale["lines"]]
    codes = vouchers_store.codes_redeemed_by_sale(store, sale_id)
    customer = customers_store.by_id(store, sale["customer_id"]) if sale["customer_id"] else None
    balance = None
    if customer is not None:
        balance = ledger_store.balance_after_sale(store, customer.id, sale_id, sale["created_at"])
    issued = vouchers_store.issued_by_sale(store, sale_id)
    return {
        "number": sale["number"], "created_at": sale["created_at"], "terminal": sale["terminal"],
        "cashier": users_store.name_of(store, sale["user_id"]),
        "total": sale["total"], "change_given": sale["change_given"],
        "cash_tendered": sale["change_given"] + sum(p["amount"] for p in sale["payments"]
                                                    if methods[p["method"]].is_cash),
        "lines": [{**r, "voucher_code": codes.get(r["voucher_id"])} for r in sale["lines"]],
        "payments": [{"label": f"{p['method']} {methods[p['method']].name}", "amount": p["amount"]}
                     for p in sale["payments"]],
        "vat": [g.__dict__ for g in vat_breakdown(lines)],
        "customer_name": _customer_name(customer), "customer_balance": balance,
        "vouchers_issued": [(v["code"], v["amount"], v["expires_on"]) for v in issued],
        "open_drawer": sale["change_given"] > 0 or any(methods[p["method"]].opens_drawer for p in sale["payments"]),
    }


def _credit_data(store: Store, entry_id: int) -> dict:
    entry = ledger_store.by_id(store, entry_id)
    if entry is None:
        raise NotFound("No such credit operation.")
    method = methods_store.by_code(store, entry.method) if entry.method else None
    return {
        "id": entry.id, "kind": entry.kind.value, "amount": entry.amount, "label": entry.label,
        "method_label": f"{entry.method} {method.name}" if method else "", "created_at": entry.created_at,
        "cashier": entry.user_name, "terminal": entry.terminal,
        "customer_name": _customer_name(customers_store.by_id(store, entry.customer_id)),
        "old_balance": entry.balance_after - entry.amount, "new_balance": entry.balance_after,
        "open_drawer": bool(method and method.opens_drawer),
    }


def _voucher_data(store: Store, voucher_id: int) -> dict:
    voucher = vouchers_store.by_id(store, voucher_id)
    if voucher is None:
        raise NotFound("No such voucher.")
    return {"code": voucher.code, "kind": voucher.kind, "amount": voucher.amount, "parts": voucher.parts,
            "issued_at": voucher.issued_at, "expires_on": voucher.expires_on,
            "sale_number": sales_store.number_of(store, voucher.issued_sale_id)}


def build(store: Store, doc_kind: str, doc_id: int, copy_no: int = 0) -> Receipt:
    """The document as data, for printing or preview."""
    shop = shop_info(store)
    if doc_kind == "sale":
        return documents.sale_receipt(_sale_data(store, doc_id), shop, copy_no)
    if doc_kind == "credit":
        return documents.credit_receipt(_credit_data(store, doc_id), shop, copy_no)
    if doc_kind == "voucher":
        return documents.voucher_slip(_voucher_data(store, doc_id), shop, copy_no)
    if doc_kind in ("z", "x"):
        return _day_report(store, doc_kind, doc_id, shop, copy_no)
    if doc_kind == "period":
        return _period_report(store, doc_id, shop, copy_no)
    raise PosError("Unknown document.")


def x_doc_id(day: str) -> int:
    """The document number of a day's X report: the day as YYYYMMDD."""
    return int(day.replace("-", ""))


def _day_report(store: Store, doc_kind: str, doc_id: int, shop: dict, copy_no: int) -> Receipt:
    """A Z prints its frozen figures (never recomputed); an X the live summary of its day."""
    labels = {code: m.name for code, m in _methods(store).items()}
    if doc_kind == "z":
        row = closing_store.z_by_number(store, doc_id)
        if row is None:
            raise NotFound("No such Z.")
        extra = [(_("Counted"), format_money(row["counted"], locale()) if row["counted"] is not None
                  else _("not counted"))]
        if row["cash_difference"] is not None:
            extra.append((_("Difference"), format_money(row["cash_difference"], locale())))
        title = _("Z n° {number} · {day}").format(number=row["number"], day=row["business_day"])
        return day_report(json.loads(row["figures"]), shop, title, copy_no, labels, extra,
                          anchor=closing.z_anchor_text(store, row))
    day = f"{str(doc_id)[:4]}-{str(doc_id)[4:6]}-{str(doc_id)[6:8]}"
    title = _("X (live) · {day} · printed {at}").format(day=day, at=store.now()[11:16])
    return day_report(closing.summary(store, day), shop, title, copy_no, labels)


def _period_report(store: Store, closing_id: int, shop: dict, copy_no: int) -> Receipt:
    """A monthly or yearly closing: its frozen figures, its Z range, both grand totals and its chain anchor."""
    row = periods.by_id(store, closing_id)
    labels = {code: m.name for code, m in _methods(store).items()}
    title = periods.title(row) + f" · {row['day_from']} → {row['day_to']}"
    receipt = day_report(row["figures"], shop, title, copy_no, labels)
    receipt.add(Text(_("Period totals"), bold=True),
                Pair(_("Z closings"), f"{row['z_count']} ({row['z_first'] or '—'}–{row['z_last'] or '—'})"),
                Pair(_("Period grand total"), format_money(row["period_total"], locale()), bold=True),
                Pair(_("Perpetual grand total"), format_money(row["perpetual_total"], locale()), bold=True), Rule(),
                Text(_("Chain anchor"), bold=True), Text(periods.anchor_text(store, row), "center", bold=True))
    return receipt


def preview(store: Store, doc_kind: str, doc_id: int, model: PrinterModel | None = None) -> list[str]:
    """The next copy of the document exactly as it will print, as text lines (in the printer's code page)."""
    copy_no = copies_printed(store, doc_kind, doc_id)
    return printed_text(build(store, doc_kind, doc_id, copy_no), paper_width(store), model or printer_model(store))


def printed_text(receipt: Receipt, width: int, model: PrinterModel) -> list[str]:
    """``render_text`` with each character as the printer's code page prints it (€ -> EUR without €)."""
    codec = model.codec
    return [as_printed(line, codec) for line in render_text(receipt, width)]


def print_document(store: Store, target: PrinterTarget, doc_kind: str, doc_id: int, user_id: int | None,
                   terminal: int) -> PrintOutcome:
    """Send one copy (the first, or "DUPLICATA n") and record it; raises ``PrinterOffline`` on failure."""
    copy_no = copies_printed(store, doc_kind, doc_id)
    receipt = build(store, doc_kind, doc_id, copy_no)
    width = paper_width(store)
    try:
        send(target, receipt, width, target.model or printer_model(store))
    except PrinterOffline:
        with store.write():
            receipts_store.record_print(store, doc_kind, doc_id, copy_no, user_id, terminal, "failed")
        raise
    with store.write():
        receipts_store.record_print(store, doc_kind, doc_id, copy_no, user_id, terminal, "ok")
        if copy_no:
            store.journal("reprint", user_id, terminal, doc=doc_kind, id=doc_id, copy=copy_no)
    return PrintOutcome(doc_kind, doc_id, copy_no, printed_text(receipt, width, target.model or printer_model(store)))


def history(store: Store, limit: int = 50) -> list[dict]:
    """Recent printable documents, newest first: sales, credit operations and vouchers, each with
    ``copies`` (successful prints) and ``failed`` (failed attempts)."""
    return receipts_store.history(store, limit)
