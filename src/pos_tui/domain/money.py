"""Money is integer cents. One parser, one rounding helper, one formatter."""

from __future__ import annotations

import re
from decimal import Decimal

from pos_tui.domain.errors import PosError

# Digits are ASCII; spaces are allowed only as thousands separators ("1 234,50").
_AMOUNT = re.compile(r"^([+-])?([0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3}){1,2}|[0-9]{1,9})(?:[.,]([0-9]{1,2}))?$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")


def parse_money(text: str) -> int:
    """Parse what a cashier types (``12,50``, ``12.50``, ``12``, ``-5``) into cents.

    Spaces (also thousands separators) and a trailing euro sign are ignored.
    Anything else, or more than two decimals, is a ``PosError``.
    """
    raw = (text or "").strip().removesuffix("€").strip()
    match = _AMOUNT.match(raw)
    if not match:
        raise PosError("Not an amount: {text!r} (examples: 12,50 or 12.50)", text=(text or "").strip())
    sign, units, decimals = match.groups()
    cents = int(_SPACES.sub("", units)) * 100 + int((decimals or "0").ljust(2, "0"))
    return -cents if sign == "-" else cents


def round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half away from zero (the shop's "half-up")."""
    if denominator == 0:
        raise ZeroDivisionError("denominator is zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    magnitude = (abs(numerator) * 2 + denominator) // (2 * denominator)
    return magnitude if numerator >= 0 else -magnitude


def format_money(cents: int, locale: str = "fr_FR", currency: str = "EUR") -> str:
    """Format cents for display; Babel's narrow no-break space becomes a no-break space."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise TypeError("money must be integer cents")
    from babel.numbers import format_currency  # slow to import: paid at the first amount shown, not at start-up

    # Decimal built from integers: exact, and already rounded (Babel rounds half-even).
    text = format_currency(Decimal(cents).scaleb(-2), currency, locale=locale)
    return text.replace("\u202f", "\u00a0")


def format_amount(cents: int, locale: str = "fr_FR") -> str:
    """The bare number (``12,50``), as a cashier would type it back."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    sep = "," if locale.startswith("fr") else "."
    return f"{sign}{units}{sep}{rest:02d}"


# VAT rates are integer basis points: 2000 = 20 %, 550 = 5,5 %.
SHOP_VAT_RATES = (2000, 1000, 550, 210, 0)


def parse_vat_rate(text: str) -> int:
    """``20``, ``5,5``, ``5.5``, ``2,1 %`` -> basis points; only the shop's rates."""
    raw = _SPACES.sub("", str(text or "")).removesuffix("%")
    match = re.match(r"^(\d{1,2})(?:[.,](\d{1,2}))?$", raw)
    rate = None
    if match:
        rate = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    if rate not in SHOP_VAT_RATES:
        raise PosError("Unknown VAT rate {text!r} (allowed: 20, 10, 5,5, 2,1, 0)", text=str(text).strip())
    return rate


def format_vat_rate(rate_bp: int, locale: str = "fr_FR") -> str:
    units, rest = divmod(rate_bp, 100)
    sep = "," if locale.startswith("fr") else "."
    return f"{units} %" if rest == 0 else f"{units}{sep}{str(rest).rstrip('0') if rest % 10 == 0 else rest} %"


def vat_split(ttc: int, rate_bp: int) -> tuple[int, int]:
    """Split a VAT-inclusive total into (HT, TVA): HT = round(TTC / (1 + rate)), TVA = TTC - HT."""
    ht = round_half_up(ttc * 10000, 10000 + rate_bp)
    return ht, ttc - ht
