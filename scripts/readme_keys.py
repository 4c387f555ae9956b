#!/usr/bin/env python3
"""Rewrite the README's key tables from the screens' bindings (what F1 shows), between the markers.

    PYTHONPATH=src python scripts/readme_keys.py          # rewrite README.md
    PYTHONPATH=src python scripts/readme_keys.py --check  # exit 1 when the README is out of date
"""

import sys
from pathlib import Path

from pos_tui.ui.app import PosApp
from pos_tui.ui.screens.help import README_END, README_START, readme_section

README = Path(__file__).resolve().parent.parent / "README.md"


def main() -> int:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    updated = text[:start] + "\n\n" + readme_section(PosApp) + "\n" + text[end:]
    if "--check" in sys.argv:
        return 0 if updated == text else 1
    README.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
