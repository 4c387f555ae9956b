"""Free text typed or imported by people: control characters are refused everywhere.

A NUL, an escape sequence or a carriage return in a name would corrupt receipts,
CSV exports and terminal screens; nothing legitimate needs one.
"""

from __future__ import annotations

import unicodedata

from pos_tui.domain.errors import PosError
from pos_tui.i18n import _


def has_control(text: str, *, newlines: bool = False) -> bool:
    """True when ``text`` holds a control character (Unicode category Cc); ``newlines`` allows ``\\n``."""
    return any(unicodedata.category(ch) == "Cc" and not (newlines and ch == "\n") for ch in text)


def clean_text(text: str | None, field: str, *, newlines: bool = False) -> str:
    """``text`` stripped, or ``PosError`` naming ``field`` (an English label, translated here)."""
    text = (text or "").strip()
    if has_control(text, newlines=newlines):
        raise PosError("{field} contains a control character: type it again without it.", field=_(field))
    return text
