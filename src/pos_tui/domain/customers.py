"""Customers: field validation and normalisation (SPEC §3)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pos_tui.domain.errors import PosError
from pos_tui.domain.text import clean_text
from pos_tui.i18n import _

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_CARD = re.compile(r"^[A-Z0-9]{4,20}$")


def card_code(code: str) -> str:
    """A card code as stored (upper case), or "" for none; the one rule for account cards and extra cards."""
    code = (code or "").strip().upper()
    if code and not _CARD.match(code):
        raise PosError("Invalid card code {code!r}: 4 to 20 letters or digits.", code=code)
    return code


@dataclass(frozen=True)
class Customer:
    id: int
    first_name: str
    last_name: str
    company: str
    phone: str
    email: str
    card_code: str | None
    note: str
    debt_limit: int
    balance: int
    erased: bool = False

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        if self.company:
            return f"{name} ({self.company})" if name else self.company
        return name or "—"


CUSTOMER_FIELDS = ("first_name", "last_name", "company", "phone", "email", "card_code", "note")
FIELD_LABELS = {"first_name": "First name", "last_name": "Last name", "company": "Company", "phone": "Phone",
                "email": "Email", "card_code": "Card code", "note": "Note"}


def sort_key(last_name: str, first_name: str, company: str) -> str:
    """How a customer sorts in lists: accents and case ignored, so "Béranger" comes before "Brunet"."""
    text = " ".join(p for p in (last_name, first_name, company) if p)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalise_phone(phone: str) -> str:
    """Keep digits (and a leading +), so "06 12 34 56 78" is searchable as "0612"."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    digits = re.sub(r"[\s.\-()/]", "", phone)
    if not re.fullmatch(r"\+?\d{6,15}", digits):
        raise PosError("Invalid phone number {phone!r}: 6 to 15 digits, spaces allowed.", phone=phone)
    return digits


def format_phone(phone: str) -> str:
    """French numbers shown in pairs: 0612345678 -> 06 12 34 56 78."""
    if len(phone) == 10 and phone.isdigit():
        return " ".join(phone[i : i + 2] for i in range(0, 10, 2))
    return phone


def validate_customer(fields: dict) -> dict:
    """Return cleaned customer fields or raise ``PosError`` naming the bad field."""
    clean = {k: clean_text(fields.get(k), FIELD_LABELS.get(k, k), newlines=k == "note") for k in CUSTOMER_FIELDS}
    if not (clean["first_name"] or clean["last_name"] or clean["company"]):
        raise PosError("A customer needs a first name, a last name or a company.")
    for key in ("first_name", "last_name", "company"):
        if len(clean[key]) > 80:
            raise PosError("{field} is too long (80 characters at most).", field=_(FIELD_LABELS[key]))
    if clean["email"]:
        clean["email"] = clean["email"].lower()
        if not _EMAIL.match(clean["email"]):
            raise PosError("Invalid email address {email!r}.", email=clean["email"])
    clean["phone"] = normalise_phone(clean["phone"])
    clean["card_code"] = card_code(clean["card_code"]) or None
    if len(clean["note"]) > 500:
        raise PosError("The note is too long (500 characters at most).")
    return clean
