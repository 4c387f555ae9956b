"""The headless layers must never pull in Textual (ARCHITECTURE.md)."""

import subprocess
import sys

HEADLESS = [
    "pos_tui.domain.money", "pos_tui.domain.credit", "pos_tui.domain.customers", "pos_tui.domain.products",
    "pos_tui.domain.rights", "pos_tui.domain.users", "pos_tui.store", "pos_tui.store.ledger",
    "pos_tui.services.credit", "pos_tui.services.customers", "pos_tui.services.auth", "pos_tui.services.importer",
    "pos_tui.services.demo", "pos_tui.services.settings", "pos_tui.services.methods", "pos_tui.cli",
]


def test_headless_packages_do_not_import_textual():
    code = (
        "import sys, importlib\n"
        f"for name in {HEADLESS!r}: importlib.import_module(name)\n"
        "import pkgutil, pos_tui.domain, pos_tui.store, pos_tui.services, pos_tui.printing\n"
        "for pkg in (pos_tui.domain, pos_tui.store, pos_tui.services, pos_tui.printing):\n"
        "    for info in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + info.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(len(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "0"


def test_domain_does_not_import_sqlite():
    code = (
        "import sys, importlib, pkgutil, pos_tui.domain\n"
        "for info in pkgutil.iter_modules(pos_tui.domain.__path__):\n"
        "    importlib.import_module('pos_tui.domain.' + info.name)\n"
        "sys.exit(1 if 'sqlite3' in sys.modules or 'sqlite_utils' in sys.modules else 0)\n"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
