"""Free text typed or imported by people: control characters are refused everywhere.

A NUL, an escape sequence or a carriage return in a name would corrupt receipts,
CSV exports and terminal screens; nothing legitimate needs one.
"""

from __future__ import annotations

import re

from pos_tui.domain.errors import PosError
from pos_tui.i18n import _


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # exactly Unicode's Cc category
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def has_control(text: str, *, newlines: bool = False) -> bool:
    """True when ``text`` holds a control character (Unicode category Cc); ``newlines`` allows ``\\n``."""
    return (_CONTROL_BUT_NEWLINE if newlines else _CONTROL).search(text) is not None


def check_text(text: str | None, field: str, *, newlines: bool = False) -> str:
    """``text`` as it is, or ``PosError`` naming ``field`` (an English label, translated here)."""
    text = text or ""
    if has_control(text, newlines=newlines):
        raise PosError("{field} contains a control character: type it again without it.", field=_(field))
    return text


def clean_text(text: str | None, field: str, *, newlines: bool = False) -> str:
    """``text`` stripped, once checked by ``check_text``."""
    return check_text(text, field, newlines=newlines).strip()
