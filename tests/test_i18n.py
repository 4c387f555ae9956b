"""The French catalog matches the code: read and extracted with Babel's catalog API."""

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from pos_tui import i18n
from pos_tui.i18n import _, _l, ngettext

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src/pos_tui/i18n/locale/fr/LC_MESSAGES/pos_tui.po"


def _extracted() -> dict:
    """msgid (a string, or (singular, plural)) -> where it is, per babel.cfg (what pybabel extract sees)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(ROOT / "babel.cfg"))
    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(str(ROOT / "src"), method_map, options_map):
        found.setdefault((message, context), f"{filename}:{lineno}")
    return found


def _po():
    with open(PO, "rb") as handle:
        return read_po(handle)


def _key(msgid):
    return msgid[0] if isinstance(msgid, (tuple, list)) else msgid


def _translated(message) -> bool:
    if isinstance(message.string, (tuple, list)):
        return all(message.string)
    return bool(message.string)


def test_every_source_string_has_french():
    catalog = _po()
    missing = []
    for (msgid, context), where in _extracted().items():
        message = catalog.get(_key(msgid), context)
        if message is not None and _translated(message) and isinstance(message.id, tuple) == isinstance(msgid, tuple):
            continue
        missing.append(f"{where}: {msgid!r}")
    assert not missing, "no French for:\n" + "\n".join(sorted(missing))


def test_no_unused_translation():
    extracted = {_key(m) for m, _context in _extracted()}
    unused = [m.id for m in _po() if m.id and _key(m.id) not in extracted]
    assert not unused, f"translated but no longer in the code (run scripts/i18n_import_dicts.py): {unused}"


def test_compiled_mo_matches_the_po():
    with open(PO.with_suffix(".mo"), "rb") as handle:
        compiled = {(m.context, _key(m.id)): m.string for m in read_mo(handle) if m.id}
    source = {(m.context, _key(m.id)): m.string for m in _po() if m.id and _translated(m)}
    normalise = lambda d: {k: tuple(v) if isinstance(v, (list, tuple)) else v for k, v in d.items()}  # noqa: E731
    assert normalise(compiled) == normalise(source), "pos_tui.mo is stale: run scripts/i18n_import_dicts.py"


def test_french_plural_rule_is_the_gettext_one():
    catalog = _po()
    assert catalog.num_plurals == 2 and catalog.plural_expr == "(n > 1)"


def test_french_keeps_placeholders():
    fmt = string.Formatter()

    def fields(text):
        return {f for _, f, _, _ in fmt.parse(text) if f}

    for message in _po():
        if not message.id or not _translated(message):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(fields(i) for i in ids))
        for text in strings:
            assert fields(text) <= wanted and (len(ids) > 1 or fields(text) == wanted), (message.id, text)


@pytest.mark.parametrize("lang, expected", [
    ("fr", ["0 jour", "1 jour", "2 jours"]),
    ("en", ["0 days", "1 day", "2 days"]),
])
def test_plural_forms_for_0_1_2(lang, expected):
    previous = i18n.get_language()
    try:
        i18n.set_language(lang)
        assert [ngettext("{days} day", "{days} days", n).format(days=n) for n in (0, 1, 2)] == expected
    finally:
        i18n.set_language(previous)


def test_pos_error_with_a_count_reads_in_the_current_language():
    from pos_tui.domain.errors import PosError
    from pos_tui.i18n import ngettext_lazy

    error = PosError(ngettext_lazy("Wrong PIN ({left} try left).", "Wrong PIN ({left} tries left).", 1), left=1)
    previous = i18n.get_language()
    try:
        i18n.set_language("fr")
        assert error.message == "Code PIN erroné (1 essai restant)."
        i18n.set_language("en")
        assert error.message == "Wrong PIN (1 try left)."
    finally:
        i18n.set_language(previous)


def test_switch_language_reaches_lazy_strings():
    label = _l("Customers")
    previous = i18n.get_language()
    try:
        i18n.set_language("en")
        assert _("Customers") == "Customers" and str(label) == "Customers"
        i18n.set_language("fr")
        assert _("Customers") == "Clients" and str(label) == "Clients" and "Cl" + label[2:] == "Clients"
    finally:
        i18n.set_language(previous)
    with pytest.raises(ValueError):
        i18n.set_language("de")
