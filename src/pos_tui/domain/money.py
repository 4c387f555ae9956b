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
    """Format cents for display; Babel's narrow no-break space becomes a no-break space.

    Babel decides the shape (signs, symbol, separators) once per locale and currency; amounts are then
    laid out from that shape, byte for byte what Babel gives (checked on probes when the shape is taken,
    else Babel formats every amount). One Babel call costs ~0.3 ms: a 50-row search result or a day
    summary showed dozens per key (issue 17)."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise TypeError("money must be integer cents")
    shape = _SHAPES.get((locale, currency), _UNKNOWN)
    if shape is _UNKNOWN:
        shape = _SHAPES[(locale, currency)] = _shape(locale, currency)
    if shape is None:
        return _babel_money(cents, locale, currency)
    return _laid_out(cents, shape)


def _babel_money(cents: int, locale: str, currency: str) -> str:
    from babel.numbers import format_currency  # slow to import: paid at the first amount shown, not at start-up

    # Decimal built from integers: exact, and already rounded (Babel rounds half-even).
    text = format_currency(Decimal(cents).scaleb(-2), currency, locale=locale)
    return text.replace("\u202f", "\u00a0")


_UNKNOWN = object()
_SHAPES: dict[tuple[str, str], tuple[str, str, str, str, str, str] | None] = {}
_PROBE_DIGITS = re.compile(r"1(\D?)234(\D?)567(\D)89")
_CHECKED = (0, 5, 99, 100, 1234, 12345, 123456, 1234567, 100000000, 123456789012, -5, -1234, -100000, -98765432)


def _shape(locale: str, currency: str) -> tuple[str, str, str, str, str, str] | None:
    """(prefix, suffix, negative prefix, negative suffix, group separator, decimal mark) as Babel shows
    1 234 567,89 and its negative; None when the locale groups otherwise (India) or the probes differ."""
    found = []
    for probe in (123456789, -123456789):
        text = _babel_money(probe, locale, currency)
        match = _PROBE_DIGITS.search(text)
        if match is None or match.group(1) != match.group(2):
            return None
        found.append((text[:match.start()], text[match.end():], match.group(1), match.group(3)))
    (prefix, suffix, group, mark), (nprefix, nsuffix, ngroup, nmark) = found
    if (group, mark) != (ngroup, nmark):
        return None
    shape = (prefix, suffix, nprefix, nsuffix, group, mark)
    if any(_laid_out(c, shape) != _babel_money(c, locale, currency) for c in _CHECKED):
        return None
    return shape


def _laid_out(cents: int, shape: tuple[str, str, str, str, str, str]) -> str:
    prefix, suffix, nprefix, nsuffix, group, mark = shape
    units, rest = divmod(-cents if cents < 0 else cents, 100)
    digits = f"{units:,}".replace(",", group) if group != "," else f"{units:,}"
    if cents < 0:
        return f"{nprefix}{digits}{mark}{rest:02d}{nsuffix}"
    return f"{prefix}{digits}{mark}{rest:02d}{suffix}"


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
