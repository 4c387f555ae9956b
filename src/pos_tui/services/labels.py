"""Shelf labels, customer cards and gift voucher slips (issue 11), drawn by printing/labels.py.

Files are written owner-only through ``write_export``; the thermal label goes to the receipt
printer as a raster image. Each action is journaled.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.money import format_money, format_vat_rate
from pos_tui.domain.rights import Right
from pos_tui.domain.vouchers import normalise_code
from pos_tui.i18n import _, locale
from pos_tui.printing import labels
from pos_tui.printing.connection import PrinterTarget, open_printer
from pos_tui.services.context import Context
from pos_tui.services.exports import write_export
from pos_tui.store import customers as customers_store
from pos_tui.store import products as products_store
from pos_tui.store import vouchers as vouchers_store


def _shop_name(ctx: Context) -> str:
    from pos_tui.services.printing import shop_info

    return shop_info(ctx.store)["name"]


def _product(ctx: Context, key: int | str) -> dict:
    row = (products_store.by_id(ctx.store, key) if isinstance(key, int)
           else products_store.any_by_barcode(ctx.store, str(key).strip()))
    if row is None:
        raise NotFound("Unknown product {code}.", code=key)
    if len(row["barcode"]) != 13:
        raise PosError("{name}: shelf labels carry EAN-13 codes; {code} is not one.", name=row["name"],
                       code=row["barcode"])
    return row


def shelf_label(row: dict) -> labels.ShelfLabel:
    return labels.ShelfLabel(row["name"], format_money(row["price"], locale()).replace("\u202f", " "),
                             row["barcode"], _("VAT {rate}").format(rate=format_vat_rate(row["vat_rate"], locale())))


def write_label_sheet(ctx: Context, products: list[int | str], path: str | Path, copies: int = 1) -> Path:
    """An A4 SVG sheet with ``copies`` labels of each product (24 labels at most)."""
    ctx.require(Right.MANAGE_PRODUCTS)
    if not 1 <= copies <= 24:
        raise PosError("Copies: 1 to 24.")
    rows = [_product(ctx, p) for p in products]
    sheet = labels.label_sheet_svg([shelf_label(r) for r in rows for _copy in range(copies)])
    written = write_export(path, lambda: sheet)
    with ctx.store.write():
        ctx.journal("labels_written", products=[r["id"] for r in rows], copies=copies, file=Path(path).name)
    return written


def print_shelf_label(ctx: Context, product: int | str, target: PrinterTarget, copies: int = 1) -> int:
    """Send the label as a raster image to the receipt printer; returns the bytes' count sent."""
    ctx.require(Right.MANAGE_PRODUCTS)
    if not 1 <= copies <= 24:
        raise PosError("Copies: 1 to 24.")
    row = _product(ctx, product)
    if not target.enabled:
        raise PosError("No printer is set up (preview only).")
    png = labels.shelf_label_png(shelf_label(row))
    try:
        device = open_printer(target)
        try:
            for _copy in range(copies):
                labels.print_png(device, png)
        finally:
            try:
                device.close()
            except Exception:  # the outcome is already known
                pass
    except PosError:
        raise
    except Exception as exc:  # socket, USB and serial errors of many types
        raise PosError("The printer did not take the label ({reason}); check it and try again.",
                       reason=str(exc) or type(exc).__name__) from exc
    with ctx.store.write():
        ctx.journal("labels_printed", product=row["id"], copies=copies)
    return copies


def write_customer_card(ctx: Context, customer_id: int, path: str | Path) -> Path:
    """A printable customer card (PNG) with the card code as Code128."""
    ctx.require(Right.MANAGE_SETTINGS)
    customer = customers_store.by_id(ctx.store, customer_id)
    if customer is None or customer.erased:
        raise NotFound("Unknown customer.")
    if not customer.card_code:
        raise PosError("{name} has no card code.", name=customer.display_name)
    png = labels.customer_card_png(_shop_name(ctx), customer.display_name, customer.card_code)
    written = write_export(path, lambda: png)
    with ctx.store.write():
        ctx.journal("card_written", customer=customer.id, file=Path(path).name)
    return written


def write_voucher_slip(ctx: Context, code: str, path: str | Path) -> Path:
    """A gift voucher (or credit note) slip (PNG): amount, expiry, the code as Code128."""
    ctx.require(Right.MANAGE_SETTINGS)
    voucher = vouchers_store.by_code(ctx.store, normalise_code(code or ""))
    if voucher is None:
        raise NotFound("Unknown voucher {code}.", code=(code or "").strip())
    title = _("Gift voucher") if voucher.kind == "gift" else _("Credit note")
    expiry = (_("valid until {date}").format(date=date.fromisoformat(voucher.expires_on).strftime("%d/%m/%Y"))
              if voucher.expires_on else _("no expiry date"))
    amount = format_money(voucher.amount, locale()).replace("\u202f", " ")
    png = labels.voucher_slip_png(_shop_name(ctx), title, amount, expiry, voucher.code)
    written = write_export(path, lambda: png)
    with ctx.store.write():
        ctx.journal("voucher_slip_written", voucher=voucher.id, file=Path(path).name)
    return written
