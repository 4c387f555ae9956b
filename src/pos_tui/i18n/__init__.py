"""One translation function for every UI string.

Source strings are English; ``fr_*.py`` modules in this package hold the French
catalog (one module per area of the app, merged at import). ``_()`` returns the
string in the current language, falling back to the English source.
"""

from __future__ import annotations

import importlib
import pkgutil

LANGUAGES = ("fr", "en")
_current = "fr"
_catalogs: dict[str, dict[str, str]] = {"en": {}, "fr": {}}


def _load() -> None:
    for info in pkgutil.iter_modules(__path__):
        for lang in LANGUAGES:
            if info.name.startswith(f"{lang}_"):
                module = importlib.import_module(f"{__name__}.{info.name}")
                _catalogs[lang].update(module.MESSAGES)


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (use one of {', '.join(LANGUAGES)})")
    _current = lang


def get_language() -> str:
    return _current


def locale() -> str:
    """The Babel locale for money and dates in the current language."""
    return "fr_FR" if _current == "fr" else "en_GB"


def _(text: str) -> str:
    return _catalogs.get(_current, {}).get(text, text)


def catalog(lang: str) -> dict[str, str]:
    return dict(_catalogs[lang])


_load()
