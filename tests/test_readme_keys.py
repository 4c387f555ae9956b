"""The README's key tables are what the help screen (F1) shows, screen by screen (issue 13)."""

import re
from pathlib import Path

from pos_tui.ui.app import PosApp
from pos_tui.ui.keys import key_rows, screen_title
from pos_tui.ui.screens.help import README_END, README_START, documented_screens, readme_section

README = Path(__file__).resolve().parent.parent / "README.md"


def _readme_tables() -> dict[str, list[tuple[str, str]]]:
    """{table title: [(keys, description)]} parsed from the README's key section."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(README_START) + len(README_START):text.index(README_END)]
    tables: dict[str, list[tuple[str, str]]] = {}
    title = None
    for line in section.splitlines():
        heading = re.fullmatch(r"\*\*(.+)\*\*", line.strip())
        if heading:
            title = heading.group(1)
            tables[title] = []
        elif line.startswith("| ") and not line.startswith(("| Key |", "| --- |")):
            keys, description = (cell.strip() for cell in line.strip().strip("|").split(" | "))
            tables[title].append((keys, description))
    return tables


def test_readme_key_tables_match_the_help_screen(english):
    tables = _readme_tables()
    expected = {"Everywhere": [(r.keys_text(), r.description_text()) for r in key_rows(PosApp)]}
    for screen in documented_screens():
        expected[screen_title(screen)] = [(r.keys_text(), r.description_text()) for r in key_rows(screen)]
    assert tables == expected, "run: PYTHONPATH=src python scripts/readme_keys.py"


def test_readme_section_is_regenerated_text():
    text = README.read_text(encoding="utf-8")
    section = text[text.index(README_START) + len(README_START):text.index(README_END)]
    assert section.strip() == readme_section(PosApp).strip()
