"""The open sale: lines, totals and VAT per rate (SPEC §1, §6). Pure and in memory."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pos_tui.domain.errors import PosError
from pos_tui.domain.money import SHOP_VAT_RATES, vat_split
from pos_tui.domain.products import Product

MAX_QUANTITY = 9999


class LineKind:
    PRODUCT = "product"
    FREE = "free"  # free-price line for an item without barcode


@dataclass(frozen=True)
class CartLine:
    kind: str
    name: str
    quantity: int
    unit_price: int  # cents, VAT included
    vat_rate: int  # basis points
    product_id: int | None = None
    barcode: str | None = None

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("kind", "name", "quantity", "unit_price", "vat_rate", "product_id",
                                                "barcode")}


@dataclass(frozen=True)
class VatGroup:
    rate: int
    ttc: int
    ht: int
    tva: int


def vat_breakdown(lines: list[CartLine]) -> list[VatGroup]:
    """Per-rate HT / TVA / TTC, computed from each rate's VAT-inclusive total, so parts add up to the ticket."""
    totals: dict[int, int] = {}
    for line in lines:
        totals[line.vat_rate] = totals.get(line.vat_rate, 0) + line.total
    groups = []
    for rate in sorted(totals, reverse=True):
        ht, tva = vat_split(totals[rate], rate)
        groups.append(VatGroup(rate, totals[rate], ht, tva))
    return groups


def parse_quantity_prefix(text: str) -> tuple[int | None, str]:
    """``3*4006381333931`` -> (3, code); ``3*`` -> (3, ''); a plain code -> (None, code)."""
    match = re.fullmatch(r"\s*(\d{1,4})\s*[*xX]\s*(\S*)\s*", text or "")
    if not match:
        return None, (text or "").strip()
    quantity = int(match.group(1))
    if not 1 <= quantity <= MAX_QUANTITY:
        raise PosError("A quantity is 1 to {max}.", max=MAX_QUANTITY)
    return quantity, match.group(2)


@dataclass
class Cart:
    """An open sale being rung up; becomes a closed sale through the checkout service."""

    lines: list[CartLine] = field(default_factory=list)
    customer_id: int | None = None

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    def add_product(self, product: Product, quantity: int = 1) -> CartLine:
        line = CartLine(LineKind.PRODUCT, product.name, quantity, product.price, product.vat_rate, product.id,
                        product.barcode)
        self.lines.append(line)
        return line

    def add_free(self, name: str, unit_price: int, vat_rate: int, quantity: int = 1) -> CartLine:
        name = (name or "").strip() or "Article divers"
        if vat_rate not in SHOP_VAT_RATES:
            raise PosError("Unknown VAT rate.")
        if unit_price == 0:
            raise PosError("A free-price line needs a price.")
        line = CartLine(LineKind.FREE, name[:120], quantity, unit_price, vat_rate)
        self.lines.append(line)
        return line

    def repeat_last(self) -> CartLine:
        if not self.lines:
            raise PosError("No line to repeat.")
        line = replace(self.lines[-1], quantity=1)
        self.lines.append(line)
        return line

    def set_quantity(self, index: int, quantity: int) -> CartLine:
        self._check_index(index)
        if not 1 <= quantity <= MAX_QUANTITY:
            raise PosError("A quantity is 1 to {max}.", max=MAX_QUANTITY)
        self.lines[index] = replace(self.lines[index], quantity=quantity)
        return self.lines[index]

    def remove(self, index: int) -> CartLine:
        self._check_index(index)
        return self.lines.pop(index)

    def vat(self) -> list[VatGroup]:
        return vat_breakdown(self.lines)

    def _check_index(self, index: int) -> None:
        if not 0 <= index < len(self.lines):
            raise PosError("No such line.")

    def to_dict(self) -> dict:
        return {"customer_id": self.customer_id, "lines": [line.to_dict() for line in self.lines]}

    @classmethod
    def from_dict(cls, data: dict) -> Cart:
        return cls([CartLine(**line) for line in data["lines"]], data.get("customer_id"))
