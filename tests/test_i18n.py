"""Every UI string goes through _() and has a French translation."""

import ast
from pathlib import Path

import pytest

import pos_tui
from pos_tui import i18n
from pos_tui.i18n import _

SRC = Path(pos_tui.__file__).parent


def _translated_literals():
    """Every string literal passed to _() or used as a PosError template in the source."""
    found = {}
    for path in SRC.rglob("*.py"):
        if "i18n" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "_" or name in {"PosError", "RightDenied", "NotFound", "StoreBusy", "SchemaTooNew",
                                       "PrinterOffline"}:
                found.setdefault(first.value, f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_every_translated_string_has_french():
    missing = {text: where for text, where in _translated_literals().items() if text not in i18n.catalog("fr")}
    assert not missing, "missing French for:\n" + "\n".join(f"{w}: {t!r}" for t, w in sorted(missing.items(), key=lambda x: x[1]))


def test_french_catalog_keeps_placeholders():
    import string

    fmt = string.Formatter()
    for english, french in i18n.catalog("fr").items():
        names_en = {f for _, f, _, _ in fmt.parse(english) if f}
        names_fr = {f for _, f, _, _ in fmt.parse(french) if f}
        assert names_en == names_fr, (english, french)


def test_switch_language():
    try:
        i18n.set_language("en")
        assert _("Customers") == "Customers"
        i18n.set_language("fr")
        assert _("Customers") == "Clients"
    finally:
        i18n.set_language("fr")
    with pytest.raises(ValueError):
        i18n.set_language("de")
