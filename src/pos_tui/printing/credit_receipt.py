"""The top-up / refund receipt as plain text lines (SPEC §4, §9).

Pure layout: no I/O, no Textual, no SQLite. The same lines feed the on-screen
preview now and the ESC/POS printer later.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pos_tui.domain.credit import EntryKind
from pos_tui.domain.money import format_money
from pos_tui.i18n import _, locale

if TYPE_CHECKING:  # services import the store (sqlite3); this module stays pure
    from pos_tui.services.credit import CreditResult

OPERATION_LABELS = {
    EntryKind.TOP_UP: "Credit top-up",
    EntryKind.REFUND: "Credit refund",
    EntryKind.SALE_PAYMENT: "Sale payment",
    EntryKind.SALE_CREDIT: "Sale credit",
}


def format_timestamp(iso: str) -> str:
    """``2025-03-14T10:00:00+01:00`` -> ``14/03/2025 10:00`` (the shop's local time as stored)."""
    try:
        return datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M")
    except (TypeError, ValueError):
        return str(iso or "")


def _pair(label: str, value: str, width: int) -> list[str]:
    """``label`` on the left, ``value`` flush right; the value wraps under the label if both don't fit."""
    label, value = label[:width], value[:width]
    if len(label) + 1 + len(value) <= width:
        return [label + " " * (width - len(label) - len(value)) + value]
    return [label, value.rjust(width)]


def credit_receipt_lines(result: CreditResult, shop_name: str, terminal: int, width: int = 48) -> list[str]:
    """The receipt of one credit movement, every line at most ``width`` characters."""
    if width < 16:
        raise ValueError("a receipt needs at least 16 columns")
    loc = locale()
    entry = result.entry

    def money(cents: int) -> str:
        return format_money(cents, loc)

    rule = "-" * width
    lines = [(shop_name or "")[:width].center(width).rstrip(), rule]
    lines += [_(OPERATION_LABELS.get(entry.kind, entry.kind.value)).upper()[:width].center(width).rstrip(), ""]
    rows = [
        (_("Date"), format_timestamp(entry.created_at)),
        (_("Customer"), result.customer.display_name),
        (_("Method"), entry.method or ""),
    ]
    if entry.label:
        rows.append((_("Label"), entry.label))
    for label, value in rows:
        lines += _pair(label, value, width)
    lines.append(rule)
    for label, value in (
        (_("Amount"), money(entry.amount)),
        (_("Previous balance"), money(result.old_balance)),
        (_("New balance"), money(result.new_balance)),
    ):
        lines += _pair(label, value, width)
    if result.new_balance < 0:
        lines += _pair("", _("(debt)"), width)
    lines.append(rule)
    lines += _pair(_("Cashier"), entry.user_name, width)
    lines += _pair(_("Terminal"), str(terminal), width)
    lines += _pair(_("Operation no."), str(entry.id), width)
    return lines
