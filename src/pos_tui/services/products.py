"""Products: barcode lookup and creation."""

from __future__ import annotations

from pos_tui.domain.errors import PosError
from pos_tui.domain.products import Product, validate_barcode, validate_price, validate_product_name
from pos_tui.domain.money import SHOP_VAT_RATES
from pos_tui.domain.rights import Right
from pos_tui.services.context import Context
from pos_tui.store import products as products_store
from pos_tui.store.db import Store


def by_barcode(store: Store, code: str) -> Product | None:
    return products_store.by_barcode(store, code.strip())


def create(ctx: Context, barcode: str, name: str, price: int, vat_rate: int) -> Product:
    ctx.require(Right.MANAGE_PRODUCTS)
    barcode, name, price = validate_barcode(barcode), validate_product_name(name), validate_price(price)
    if vat_rate not in SHOP_VAT_RATES:
        raise PosError("Unknown VAT rate.")
    with ctx.store.write():
        if products_store.barcode_taken(ctx.store, barcode):
            raise PosError("The barcode {code} is already used by another product.", code=barcode)
        products_store.insert(ctx.store, barcode, name, price, vat_rate)
    return products_store.by_barcode(ctx.store, barcode)
