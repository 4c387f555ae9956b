"""Gift voucher and credit note codes (SPEC §7).

A code is a two-letter prefix (``BV`` gift voucher, ``AV`` credit note — letters,
so never readable as a product EAN), 13 random base-36 characters from
``secrets`` (67 bits) and one check character. The check makes the weighted sum
``Σ (i+1)·value(c_i)`` over the whole code ≡ 0 (mod 37): 37 is prime and the
weights are distinct and non-zero, so every single-character substitution and
every adjacent swap changes the sum and is rejected.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from pos_tui.domain.errors import PosError
from pos_tui.i18n import format_day, format_moment

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
GIFT_PREFIX = "BV"
CREDIT_NOTE_PREFIX = "AV"
PREFIXES = {GIFT_PREFIX: "gift", CREDIT_NOTE_PREFIX: "credit_note"}
BODY_LENGTH = 13
CODE_LENGTH = 2 + BODY_LENGTH + 1
_MOD = 37


def _weighted_sum(text: str) -> int:
    return sum((i + 1) * _VALUE[c] for i, c in enumerate(text)) % _MOD


def new_code(kind: str) -> str:
    """A fresh unguessable code for a ``gift`` voucher or a ``credit_note``."""
    prefix = GIFT_PREFIX if kind == "gift" else CREDIT_NOTE_PREFIX
    weight = CODE_LENGTH  # the check character's position + 1
    inverse = pow(weight, -1, _MOD)
    while True:
        number = secrets.randbelow(36**BODY_LENGTH)
        digits = []
        for _ in range(BODY_LENGTH):
            number, digit = divmod(number, 36)
            digits.append(ALPHABET[digit])
        body = prefix + "".join(digits)
        check = (-_weighted_sum(body) * inverse) % _MOD
        if check < len(ALPHABET):  # 1 in 37 bodies would need a 37th symbol: draw again
            return body + ALPHABET[check]


def normalise_code(text: str) -> str:
    return "".join((text or "").split()).replace("-", "").upper()


def looks_like_voucher(text: str) -> bool:
    code = normalise_code(text)
    return len(code) == CODE_LENGTH and code[:2] in PREFIXES


def is_valid_code(text: str) -> bool:
    code = normalise_code(text)
    return (looks_like_voucher(code) and all(c in _VALUE for c in code) and _weighted_sum(code) == 0)


def kind_of(code: str) -> str:
    return PREFIXES[normalise_code(code)[:2]]


def format_code(code: str) -> str:
    """Grouped for reading aloud: BV12-3456-7890-ABCD."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class Voucher:
    id: int
    code: str
    kind: str  # gift | credit_note
    amount: int
    issued_sale_id: int
    issued_at: str
    expires_on: str | None
    parts: tuple[tuple[int, int], ...]  # (vat_rate, amount)
    redeemed_sale_number: int | None = None
    redeemed_at: str | None = None

    @property
    def purpose(self) -> str:
        """A gift voucher taxed when sold (a part at a VAT rate) is single-purpose; one sold at 0 % is
        multi-purpose. Credit notes keep their items' rates and are neither."""
        if self.kind != "gift":
            return ""
        return "single" if any(rate for rate, _amount in self.parts) else "multi"

    def status(self, today: date) -> str:
        if self.redeemed_at:
            return "used"
        if self.expires_on and date.fromisoformat(self.expires_on) < today:
            return "expired"
        return "valid"


def check_redeemable(voucher: Voucher | None, code: str, today: date) -> Voucher:
    """Refuse unknown, used and expired codes with the reason."""
    if voucher is None:
        raise PosError("Unknown voucher code {code}.", code=format_code(code))
    status = voucher.status(today)
    if status == "used":
        raise PosError("This voucher was already used on {date} in sale n° {number}.",
                       date=format_moment(voucher.redeemed_at), number=voucher.redeemed_sale_number)
    if status == "expired":
        raise PosError("This voucher expired on {date}.", date=format_day(voucher.expires_on))
    return voucher


def parse_expiry(text: str, today: date) -> str | None:
    """``''`` -> no expiry; ``2027-06-30`` or ``30/06/2027`` -> ISO date, not in the past."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        if "/" in text:
            d, m, y = (int(x) for x in text.split("/"))
            value = date(y, m, d)
        else:
            value = date.fromisoformat(text)
    except ValueError as exc:
        raise PosError("Not a date: {text!r} (for example 30/06/2027).", text=text) from exc
    if value < today:
        raise PosError("The expiry date is in the past.")
    return value.isoformat()
