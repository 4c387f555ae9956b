"""Printing receipts (SPEC §9): build the document, send it, count the copies.

Each print is recorded in ``receipt_prints``; a reprint is "DUPLICATA n" and is
journaled. A failing printer raises ``PrinterOffline`` after the business action
is already saved: printing never loses a sale. Call from a worker thread with
its own ``Store`` (sqlite3 connections belong to their thread).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pos_tui.domain.cart import CartLine, vat_breakdown
from pos_tui.domain.customers import Customer
from pos_tui.domain.text import check_text
from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.rights import Right
from pos_tui.domain.money import format_money
from pos_tui.i18n import _, locale
from pos_tui.printing import documents
from pos_tui.printing.day_report import day_report
from pos_tui.printing.connection import PrinterOffline, PrinterTarget, parse_printer_url, send
from pos_tui.printing.receipt import PAPER_WIDTHS, Pair, Receipt, Rule, Text, render_text
from pos_tui.services import closing, periods, settings
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
DEFAULT_FOOTER = settings.default(settings.RECEIPT_FOOTER)


@dataclass(frozen=True)
class PrintOutcome:
    doc_kind: str
    doc_id: int
    copy_no: int
    lines: list[str]


def shop_info(store: Store) -> dict:
    return settings.shop_info(store)


def paper_width(store: Store) -> int:
    return settings.get(store, settings.PAPER_WIDTH)


def auto_print(store: Store) -> bool:
    return settings.get(store, settings.AUTO_PRINT)


def printer_target(store: Store, override_url: str | None = None) -> PrinterTarget:
    """``--printer`` wins over the shop setting; the default is ``none`` (preview only)."""
    return parse_printer_url(override_url or settings.get(store, settings.PRINTER_URL))


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
                           shop.receipt_footer)


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
        "lines": [{**r, "voucher_code": codes.get(r["voucher_id"])} for r in sale["lines"]],
        "payments": [{"label": f"{p['method']} {methods[p['method']].label}", "amount": p["amount"]}
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
        "method_label": f"{entry.method} {method.label}" if method else "", "created_at": entry.created_at,
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
    labels = {code: m.label for code, m in _methods(store).items()}
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
    labels = {code: m.label for code, m in _methods(store).items()}
    title = periods.title(row) + f" · {row['day_from']} → {row['day_to']}"
    receipt = day_report(row["figures"], shop, title, copy_no, labels)
    receipt.add(Text(_("Period totals"), bold=True),
                Pair(_("Z closings"), f"{row['z_count']} ({row['z_first'] or '—'}–{row['z_last'] or '—'})"),
                Pair(_("Period grand total"), format_money(row["period_total"], locale()), bold=True),
                Pair(_("Perpetual grand total"), format_money(row["perpetual_total"], locale()), bold=True), Rule(),
                Text(_("Chain anchor"), bold=True), Text(periods.anchor_text(store, row), "center", bold=True))
    return receipt


def preview(store: Store, doc_kind: str, doc_id: int) -> list[str]:
    """The next copy of the document exactly as it will print, as text lines."""
    copy_no = copies_printed(store, doc_kind, doc_id)
    return render_text(build(store, doc_kind, doc_id, copy_no), paper_width(store))


def print_document(store: Store, target: PrinterTarget, doc_kind: str, doc_id: int, user_id: int | None,
                   terminal: int) -> PrintOutcome:
    """Send one copy (the first, or "DUPLICATA n") and record it; raises ``PrinterOffline`` on failure."""
    copy_no = copies_printed(store, doc_kind, doc_id)
    receipt = build(store, doc_kind, doc_id, copy_no)
    width = paper_width(store)
    try:
        send(target, receipt, width)
    except PrinterOffline:
        with store.write():
            receipts_store.record_print(store, doc_kind, doc_id, copy_no, user_id, terminal, "failed")
        raise
    with store.write():
        receipts_store.record_print(store, doc_kind, doc_id, copy_no, user_id, terminal, "ok")
        if copy_no:
            store.journal("reprint", user_id, terminal, doc=doc_kind, id=doc_id, copy=copy_no)
    return PrintOutcome(doc_kind, doc_id, copy_no, render_text(receipt, width))


def history(store: Store, limit: int = 50) -> list[dict]:
    """Recent printable documents, newest first: sales, credit operations and vouchers, each with
    ``copies`` (successful prints) and ``failed`` (failed attempts)."""
    return receipts_store.history(store, limit)
