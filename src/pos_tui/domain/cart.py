"""The open sale: lines, totals and VAT per rate (SPEC §1, §6). Pure and in memory."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pos_tui.domain.errors import PosError
from pos_tui.i18n import N_
from pos_tui.domain.text import clean_text
from pos_tui.domain.money import SHOP_VAT_RATES, vat_split
from pos_tui.domain.products import Product

MAX_QUANTITY = 9999


class LineKind:
    PRODUCT = "product"
    FREE = "free"  # free-price line for an item without barcode
    VOUCHER_SALE = "voucher_sale"  # a gift voucher sold (0 % VAT); its code is made when the sale closes
    VOUCHER_REDEEM = "voucher_redeem"  # a voucher or credit note used: a negative line of its value
    RETURN = "return"  # an item of a closed sale brought back: negative quantity
    CREDIT_NOTE_ISSUE = "credit_note_issue"  # a credit note given for a return, at the item's VAT rate


# Names stored in sale_lines for lines the till makes up itself (kept as the first stores wrote them);
# what users read is built in their language at display time by ``line_label``.
GIFT_VOUCHER_NAME = "Bon cadeau"
CREDIT_NOTE_NAME = "Avoir"
MISC_ITEM_NAME = "Article divers"  # a free-price line left without a name


def line_label(kind: str, name: str) -> str:
    """A sale line's name as shown and printed: vouchers and credit notes in the current language."""
    from pos_tui.i18n import _

    if kind == LineKind.VOUCHER_SALE:
        return _("Gift voucher")
    if kind == LineKind.CREDIT_NOTE_ISSUE:
        return _("Credit note")
    if kind == LineKind.FREE and name == MISC_ITEM_NAME:
        return _("Miscellaneous item")
    if kind == LineKind.VOUCHER_REDEEM:
        for stored, shown in ((GIFT_VOUCHER_NAME, "Gift voucher"), (CREDIT_NOTE_NAME, "Credit note")):
            if name.startswith(stored):
                return _(shown) + name[len(stored):]
    return name


@dataclass(frozen=True)
class CartLine:
    kind: str
    name: str
    quantity: int
    unit_price: int  # cents, VAT included
    vat_rate: int  # basis points
    product_id: int | None = None
    barcode: str | None = None
    voucher_code: str | None = None  # VOUCHER_REDEEM: the code used
    expires_on: str | None = None  # VOUCHER_SALE: optional expiry date
    returned_line_id: int | None = None  # RETURN: the sold line brought back

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price

    @property
    def label(self) -> str:
        return line_label(self.kind, self.name)

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("kind", "name", "quantity", "unit_price", "vat_rate", "product_id",
                                                "barcode", "voucher_code", "expires_on", "returned_line_id")}


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
    card_id: int | None = None  # an extra card of the account (None: the holder's card, or none scanned)

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
        name = clean_text(name, N_("Item name")) or MISC_ITEM_NAME
        if vat_rate not in SHOP_VAT_RATES:
            raise PosError("Unknown VAT rate.")
        if unit_price == 0:
            raise PosError("A free-price line needs a price.")
        line = CartLine(LineKind.FREE, name[:120], quantity, unit_price, vat_rate)
        self.lines.append(line)
        return line

    def add_gift_voucher(self, amount: int, expires_on: str | None = None, vat_rate: int = 0) -> CartLine:
        """Sell a gift voucher; the voucher exists once the sale closes.

        ``vat_rate`` 0: a multi-purpose voucher, sold at 0 % and taxed when used. A rate: a
        single-purpose voucher, taxed at that rate when sold; when used, its negative line at the
        same rate cancels that much of the goods' VAT, so nothing is taxed twice.
        """
        if amount <= 0:
            raise PosError("A gift voucher needs an amount above zero.")
        if vat_rate not in SHOP_VAT_RATES:
            raise PosError("Unknown VAT rate.")
        line = CartLine(LineKind.VOUCHER_SALE, "Bon cadeau" if vat_rate == 0 else "Bon cadeau (usage unique)", 1,
                        amount, vat_rate, expires_on=expires_on)
        self.lines.append(line)
        return line

    def add_voucher_redemption(self, code: str, kind: str, parts: tuple[tuple[int, int], ...]) -> list[CartLine]:
        """A scanned voucher or credit note: one negative line per VAT rate it carries."""
        if any(line.voucher_code == code for line in self.lines):
            raise PosError("This voucher is already in the sale.")
        name = GIFT_VOUCHER_NAME if kind == "gift" else CREDIT_NOTE_NAME
        added = [CartLine(LineKind.VOUCHER_REDEEM, f"{name} {code[-4:]}", 1, -amount, rate, voucher_code=code)
                 for rate, amount in parts]
        self.lines.extend(added)
        return added

    @property
    def has_vouchers(self) -> bool:
        return any(line.kind == LineKind.VOUCHER_REDEEM for line in self.lines)

    def repeat_last(self) -> CartLine:
        if not self.lines:
            raise PosError("No line to repeat.")
        if self.lines[-1].kind not in (LineKind.PRODUCT, LineKind.FREE):
            raise PosError("Only an article line can be repeated.")
        line = replace(self.lines[-1], quantity=1)
        self.lines.append(line)
        return line

    def set_quantity(self, index: int, quantity: int) -> CartLine:
        self._check_index(index)
        if self.lines[index].kind not in (LineKind.PRODUCT, LineKind.FREE):
            raise PosError("Only an article line has a quantity.")
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
        return {"customer_id": self.customer_id, "card_id": self.card_id,
                "lines": [line.to_dict() for line in self.lines]}

    @classmethod
    def from_dict(cls, data: dict) -> Cart:
        return cls([CartLine(**line) for line in data["lines"]], data.get("customer_id"), data.get("card_id"))
