"""Products: barcodes with verified check digits, VAT-inclusive prices."""

from __future__ import annotations

from dataclasses import dataclass

from pos_tui.domain.errors import PosError
from pos_tui.i18n import N_
from pos_tui.domain.text import clean_text


@dataclass(frozen=True)
class Product:
    id: int
    barcode: str
    name: str
    price: int  # cents, VAT included
    vat_rate: int  # basis points


def gtin_check_digit(body: str) -> int:
    """Check digit of a GTIN body (EAN-8, UPC-A, EAN-13): weights 3,1 from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    """True for an EAN-13, EAN-8 or UPC-A code whose check digit is right."""
    return (
        code.isascii()
        and code.isdigit()
        and len(code) in (8, 12, 13)
        and gtin_check_digit(code[:-1]) == int(code[-1])
    )


def validate_barcode(code: str) -> str:
    code = (code or "").strip()
    if not is_valid_gtin(code):
        raise PosError("Invalid barcode {code!r}: not an EAN-13, EAN-8 or UPC-A with a correct check digit.", code=code)
    return code


def validate_product_name(name: str) -> str:
    name = clean_text(name, N_("Product name"))
    if not name or len(name) > 120:
        raise PosError("A product name is 1 to 120 characters.")
    return name


def validate_price(cents: int) -> int:
    if cents < 0:
        raise PosError("A product price cannot be negative.")
    return cents


IN_STORE_PREFIX = "20"  # GS1 "restricted circulation" range (prefix 2): valid only inside this shop


def in_store_ean13(number: int) -> str:
    """The ``number``-th in-store EAN-13: ``20`` + 10 digits + the GTIN check digit."""
    if not 0 < number < 10**10:
        raise PosError("No in-store barcode left.")
    body = f"{IN_STORE_PREFIX}{number:010d}"
    return body + str(gtin_check_digit(body))


def is_in_store(code: str) -> bool:
    return len(code) == 13 and code.startswith("2") and is_valid_gtin(code)
