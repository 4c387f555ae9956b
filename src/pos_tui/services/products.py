"""Products: barcode lookup, the products screen (search, create, edit, deactivate) and price history.

Every change of price, VAT rate or name is kept in ``product_prices`` with who and when; sale
lines carry the unit price they were sold at, so changing a price never touches old sales.
A deactivated product no longer scans (the counter names it) and is never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_tui.domain.errors import NotFound, PosError
from pos_tui.domain.money import SHOP_VAT_RATES
from pos_tui.domain.products import (
    Product,
    in_store_ean13,
    is_in_store,
    validate_barcode,
    validate_price,
    validate_product_name,
)
from pos_tui.domain.rights import Right
from pos_tui.services.context import Context
from pos_tui.store import products as products_store
from pos_tui.store.db import Store


@dataclass(frozen=True)
class ProductRow:
    id: int
    barcode: str
    name: str
    price: int
    vat_rate: int
    active: bool


def _row(r: dict) -> ProductRow:
    return ProductRow(r["id"], r["barcode"], r["name"], r["price"], r["vat_rate"], bool(r["active"]))


def by_barcode(store: Store, code: str) -> Product | None:
    return products_store.by_barcode(store, code.strip())


def _vat(vat_rate: int) -> int:
    if vat_rate not in SHOP_VAT_RATES:
        raise PosError("Unknown VAT rate.")
    return vat_rate


def create(ctx: Context, barcode: str, name: str, price: int, vat_rate: int) -> Product:
    """A new product; ``barcode`` empty gives it the next in-store EAN-13 (prefix 2)."""
    ctx.require(Right.MANAGE_PRODUCTS)
    name, price, vat_rate = validate_product_name(name), validate_price(price), _vat(vat_rate)
    barcode = validate_barcode(barcode) if (barcode or "").strip() else ""
    with ctx.store.write():
        if not barcode:
            barcode = _next_in_store(ctx.store)
        if products_store.barcode_taken(ctx.store, barcode):
            raise PosError("The barcode {code} is already used by another product.", code=barcode)
        product_id = products_store.insert(ctx.store, barcode, name, price, vat_rate)
        products_store.add_price(ctx.store, product_id, price, vat_rate, name, ctx.user.id, ctx.terminal, "created")
        ctx.journal("product_created", product=product_id, barcode=barcode, name=name, price=price, vat_rate=vat_rate)
    return products_store.by_barcode(ctx.store, barcode)


def _next_in_store(store: Store) -> str:
    used = {c for c in products_store.in_store_codes(store) if is_in_store(c)}
    n = 1 + max((int(c[2:12]) for c in used if c.startswith("20")), default=0)
    code = in_store_ean13(n)
    while code in used:  # pragma: no cover - max+1 is never used
        n += 1
        code = in_store_ean13(n)
    return code


def next_in_store_code(ctx: Context) -> str:
    """The in-store EAN-13 a new product without a barcode would get (shown before saving)."""
    ctx.require(Right.MANAGE_PRODUCTS)
    return _next_in_store(ctx.store)


def search(ctx: Context, text: str, limit: int = 50) -> list[ProductRow]:
    """Search as you type: name contains, or barcode starts with, ``text``; active ones first."""
    ctx.require(Right.MANAGE_PRODUCTS)
    return [_row(r) for r in products_store.search(ctx.store, text, limit)]


def get(ctx: Context, product_id: int) -> ProductRow:
    row = products_store.by_id(ctx.store, product_id)
    if row is None:
        raise NotFound("Unknown product.")
    return _row(row)


def update(ctx: Context, product_id: int, name: str, price: int, vat_rate: int, *, source: str = "edited") -> ProductRow:
    """Change a product's name, price or VAT rate; the old values stay in the price history."""
    ctx.require(Right.MANAGE_PRODUCTS)
    name, price, vat_rate = validate_product_name(name), validate_price(price), _vat(vat_rate)
    with ctx.store.write():
        before = products_store.by_id(ctx.store, product_id)
        if before is None:
            raise NotFound("Unknown product.")
        after = {"name": name, "price": price, "vat_rate": vat_rate}
        changed = {k: v for k, v in after.items() if before[k] != v}
        if changed:
            products_store.update(ctx.store, product_id, name, price, vat_rate)
            products_store.add_price(ctx.store, product_id, price, vat_rate, name, ctx.user.id, ctx.terminal, source)
            ctx.journal("product_changed", product=product_id, barcode=before["barcode"],
                        before={k: before[k] for k in changed}, after=changed)
    return get(ctx, product_id)


def set_active(ctx: Context, product_id: int, active: bool) -> ProductRow:
    """Deactivate (it no longer scans; old sales keep their lines) or reactivate a product."""
    ctx.require(Right.MANAGE_PRODUCTS)
    with ctx.store.write():
        before = products_store.by_id(ctx.store, product_id)
        if before is None:
            raise NotFound("Unknown product.")
        if bool(before["active"]) != active:
            products_store.set_active(ctx.store, product_id, active)
            ctx.journal("product_activated" if active else "product_deactivated", product=product_id,
                        barcode=before["barcode"], name=before["name"])
    return get(ctx, product_id)


def price_history(ctx: Context, product_id: int) -> list[dict]:
    """Newest first: price, vat_rate, name, changed_at, source, user_name."""
    ctx.require(Right.MANAGE_PRODUCTS)
    return products_store.price_history(ctx.store, product_id)
