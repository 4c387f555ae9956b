"""The shop's identity (issue 11): name, address, SIRET, VAT number, phone — printed on every receipt."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pos_tui.domain.errors import PosError
from pos_tui.domain.text import clean_text


@dataclass(frozen=True)
class ShopIdentity:
    name: str = "pos-tui"
    address: str = ""  # several lines
    siret: str = ""  # 14 digits
    vat_number: str = ""  # intra-EU VAT number, e.g. FR40303265045
    phone: str = ""

    def header_lines(self) -> list[str]:
        """What goes under the shop name at the top of receipts and X/Z reports."""
        from pos_tui.i18n import _

        lines = [line for line in self.address.splitlines() if line.strip()]
        if self.phone:
            lines.append(_("Tel. {phone}").format(phone=self.phone))
        ids = []
        if self.siret:
            ids.append(_("SIRET {siret}").format(siret=format_siret(self.siret)))
        if self.vat_number:
            ids.append(_("VAT no. {number}").format(number=self.vat_number))
        return lines + ids


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def validate_siret(text: str) -> str:
    """14 digits (spaces allowed) with a right Luhn key; La Poste's establishments use their own rule."""
    digits = re.sub(r"\s", "", text or "")
    if not digits:
        return ""
    if not re.fullmatch(r"[0-9]{14}", digits):
        raise PosError("A SIRET is 14 digits.")
    la_poste = digits.startswith("356000000")
    if not (_luhn_ok(digits) or (la_poste and sum(int(d) for d in digits) % 5 == 0)):
        raise PosError("The SIRET {siret} has a wrong check key: check it on your Kbis.", siret=digits)
    return digits


def format_siret(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}" if len(digits) == 14 else digits


def validate_vat_number(text: str) -> str:
    """An intra-EU VAT number; a French one (FR + 2-character key + SIREN) has its key checked."""
    number = re.sub(r"[\s.\-]", "", text or "").upper()
    if not number:
        return ""
    if not re.fullmatch(r"[A-Z]{2}[0-9A-Z]{2,13}", number):
        raise PosError("A VAT number is a country code and 2 to 13 letters or digits, e.g. FR40303265045.")
    if number.startswith("FR"):
        if not re.fullmatch(r"FR[0-9A-Z]{2}[0-9]{9}", number):
            raise PosError("A French VAT number is FR, a 2-character key and the 9-digit SIREN.")
        key, siren = number[2:4], int(number[4:])
        if key.isdigit() and int(key) != (12 + 3 * (siren % 97)) % 97:
            raise PosError("The VAT number {number} has a wrong key.", number=number)
    return number


def validate_identity(name: str, address: str, siret: str, vat_number: str, phone: str) -> ShopIdentity:
    name = clean_text(name, "Shop name")
    if not name or len(name) > 60:
        raise PosError("A shop name is 1 to 60 characters.")
    lines = [clean_text(line, "Address").strip() for line in (address or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > 4 or any(len(line) > 60 for line in lines):
        raise PosError("An address is at most 4 lines of 60 characters.")
    phone = clean_text(phone, "Phone").strip()
    if phone and not re.fullmatch(r"\+?[0-9 .()\-]{6,25}", phone):
        raise PosError("A phone number is digits, spaces and + . ( ) - only.")
    return ShopIdentity(name, "\n".join(lines), validate_siret(siret), validate_vat_number(vat_number), phone)
