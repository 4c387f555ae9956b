"""One translation layer for every user-visible string: GNU gettext catalogs built with Babel.

Source strings are English. The French catalog is ``locale/fr/LC_MESSAGES/pos_tui.po``
(edit it in Poedit or Weblate); ``pos_tui.mo`` next to it is the compiled form, committed
and checked against the ``.po`` by tests/test_i18n.py. ``scripts/i18n_import_dicts.py`` re-extracts the
strings (configuration in ``babel.cfg``) and recompiles.

- ``_(text)``: the text in the current language, read at call time.
- ``ngettext(singular, plural, n)``: a count with its plural form (French: 0 and 1 are singular).
- ``_l(text)``: a lazy string for text defined at import time (key bindings, argparse help,
  column titles); it is translated each time it is shown, so a language switch reaches it.
- ``N_(text)``: marks a string for extraction only (it is translated later with ``_()``).
"""

from __future__ import annotations

import gettext as _gettext
from dataclasses import dataclass
from pathlib import Path


DOMAIN = "pos_tui"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("fr", "en")
_current = "fr"


def _load(lang: str) -> _gettext.NullTranslations:
    mo = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with open(mo, "rb") as handle:
            translations: _gettext.NullTranslations = _gettext.GNUTranslations(handle)
    except FileNotFoundError:  # English is the source language: no catalog
        translations = _gettext.NullTranslations()
    return translations


_translations = {lang: _load(lang) for lang in LANGUAGES}


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (use one of {', '.join(LANGUAGES)})")
    _current = lang


def get_language() -> str:
    return _current


def locale() -> str:
    """The Babel locale for money, numbers and dates in the current language."""
    return "fr_FR" if _current == "fr" else "en_GB"


def gettext(text: str) -> str:
    return _translations[_current].gettext(str(text))


_ = gettext


def pgettext(context: str, text: str) -> str:
    """A short word whose translation depends on where it is shown (``pgettext("payment method", "Cash")``)."""
    return _translations[_current].pgettext(context, text)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations[_current].ngettext(singular, plural, n)


class LazyText:
    """A message translated each time it is used (what ``babel.support.LazyProxy(gettext, text,
    enable_cache=False)`` does), kept here so that importing the translations does not load Babel's
    dates and numbers at start-up (issue 17); Babel loads at the first amount or date shown."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        object.__setattr__(self, "_text", text)

    @property
    def value(self) -> str:
        return gettext(self._text)

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return repr(self.value)

    def __contains__(self, key: object) -> bool:
        return key in self.value

    def __bool__(self) -> bool:
        return bool(self.value)

    def __iter__(self):
        return iter(self.value)

    def __len__(self) -> int:
        return len(self.value)

    def __getitem__(self, key):
        return self.value[key]

    def __add__(self, other):
        return self.value + other

    def __radd__(self, other):
        return other + self.value

    def __mod__(self, other):
        return self.value % other

    def __rmod__(self, other):
        return other % self.value

    def __mul__(self, other):
        return self.value * other

    def __rmul__(self, other):
        return other * self.value

    def __lt__(self, other) -> bool:
        return self.value < other

    def __le__(self, other) -> bool:
        return self.value <= other

    def __eq__(self, other) -> bool:
        return self.value == other

    def __ne__(self, other) -> bool:
        return self.value != other

    def __gt__(self, other) -> bool:
        return self.value > other

    def __ge__(self, other) -> bool:
        return self.value >= other

    __hash__ = None  # its value changes with the language: not a dictionary key (as LazyProxy)

    def __getattr__(self, name: str):
        return getattr(self.value, name)

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(name)

    def __copy__(self) -> LazyText:
        return LazyText(self._text)

    def __deepcopy__(self, memo) -> LazyText:
        return LazyText(self._text)


def _l(text: str) -> LazyText:
    return LazyText(text)


@dataclass(frozen=True)
class LazyPlural:
    """A count message kept untranslated until shown (a PosError template); plain data, so an error
    carrying it still pickles (multiprocessing)."""

    singular: str
    plural: str
    n: int

    def __str__(self) -> str:
        return ngettext(self.singular, self.plural, self.n)


def ngettext_lazy(singular: str, plural: str, n: int) -> LazyPlural:
    return LazyPlural(singular, plural, n)


def N_(text: str) -> str:
    return text


def format_day(iso: str | None) -> str:
    """An ISO date (or timestamp) as a day in the current locale's short format (``29/11/2026``)."""
    from datetime import date

    from babel.dates import format_date

    if not iso:
        return ""
    try:
        return format_date(date.fromisoformat(str(iso)[:10]), "short", locale=locale())
    except ValueError:
        return str(iso)


def parse_moment(iso: str | None):
    """A stored ISO timestamp as a ``datetime``, or None when empty or not a timestamp."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(str(iso)) if iso else None
    except ValueError:
        return None


def format_moment(iso: str | None) -> str:
    """An ISO timestamp as day and time in the current locale's short format (``29/11/2026 09:52``)."""
    from babel.dates import format_date, format_time

    moment = parse_moment(iso)
    if moment is None:
        return str(iso or "")
    return f"{format_date(moment, 'short', locale=locale())} {format_time(moment, 'short', locale=locale())}"


def catalog(lang: str) -> dict[str, str]:
    """Every singular message of a language (msgid -> translation), for tests."""
    translations = _translations[lang]
    found: dict[str, str] = {}
    while translations is not None:
        found = {**{k: v for k, v in getattr(translations, "_catalog", {}).items()
                    if isinstance(k, str) and k}, **found}
        translations = translations._fallback
    return found
