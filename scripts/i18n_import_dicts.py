#!/usr/bin/env python3
"""Refresh the French gettext catalog and fold any legacy ``fr_*.py`` dict modules into it.

Run from the repository root (with the project's virtualenv):

    python scripts/i18n_import_dicts.py          # extract, merge dicts, write .po + .mo, delete dicts
    python scripts/i18n_import_dicts.py --keep   # same, but leave the dict modules in place

Steps: extract every translatable string from src/ with Babel (babel.cfg), update
``pos_tui.po`` against it (new strings added empty, strings no longer in the code dropped),
copy the translations of every ``src/pos_tui/i18n/fr_*.py`` MESSAGES dict into it (a dict
entry wins: it is the newer work; a plural is a ``("singular", "plural"): ("un", "plusieurs")``
entry), then compile ``pos_tui.mo``. It prints what is still
untranslated and what a dict translated that the code no longer (or not literally) uses.
"""

from __future__ import annotations

import argparse
import ast
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "src" / "pos_tui" / "i18n"
PO = I18N / "locale" / "fr" / "LC_MESSAGES" / "pos_tui.po"
MO = PO.with_suffix(".mo")


def extract_template() -> Catalog:
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(ROOT / "babel.cfg"))
    template = Catalog(project="pos-tui", domain="pos_tui")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT / "src"), method_map, options_map, strip_comment_tags=True):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def dict_modules() -> list[Path]:
    return sorted(I18N.glob("fr_*.py"))


def read_dict(path: Path) -> dict[str, str]:
    """The MESSAGES literal of a dict module, read without importing it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        if any(isinstance(t, ast.Name) and t.id == "MESSAGES" for t in targets):
            return ast.literal_eval(node.value)
    return {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="do not delete the dict modules")
    args = parser.parse_args(argv)

    template = extract_template()
    if PO.exists():
        with open(PO, "rb") as handle:
            catalog = read_po(handle, locale="fr", domain="pos_tui")
    else:
        catalog = Catalog(locale="fr", domain="pos_tui", project="pos-tui",
                          language_team="French", creation_date=datetime.now(timezone.utc))
    # keep translations of strings whose code moved; drop the ones no longer in the code
    previous = {m.id: m.string for m in catalog if m.id}
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False)
    catalog.obsolete.clear()

    unused: list[tuple[str, str]] = []
    modules = dict_modules()
    for path in modules:
        for msgid, msgstr in read_dict(path).items():
            message = catalog.get(msgid)
            if message is None:
                unused.append((path.name, msgid))
                continue
            if isinstance(msgid, tuple) != isinstance(msgstr, tuple):
                unused.append((path.name, msgid))  # a plural needs one French form per plural form
                continue
            message.string = msgstr
    # a string that was translated before and now reads as a plain id gets its old text back
    for message in catalog:
        if message.id and not message.string and previous.get(message.id):
            message.string = previous[message.id]

    # classic gettext plural rule for French (0 and 1 singular), the one Poedit and Weblate propose;
    # Babel's CLDR default adds a third form for millions that nobody translates
    catalog._num_plurals, catalog._plural_expr = 2, "(n > 1)"
    catalog.fuzzy = False  # a fuzzy header is left out of the .mo, and the plural rule with it
    PO.parent.mkdir(parents=True, exist_ok=True)
    with open(PO, "wb") as handle:
        write_po(handle, catalog, width=100, sort_output=False, include_previous=False)
    with open(MO, "wb") as handle:
        write_mo(handle, catalog)

    missing = [m.id for m in catalog if m.id and not (all(m.string) if m.pluralizable else m.string)]
    print(f"{len(catalog)} messages, {len(missing)} without French, "
          f"{len(modules)} dict module(s) merged.")
    for msgid in missing:
        print(f"  untranslated: {msgid!r}")
    for name, msgid in unused:
        print(f"  {name}: not found in the code as a literal (mark it with N_() or drop it): {msgid!r}")
    if not args.keep:
        for path in modules:
            path.unlink()
            print(f"  removed {path.relative_to(ROOT)}")
    return 1 if missing or unused else 0


if __name__ == "__main__":
    sys.exit(main())
