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


STARTUP_PROBE = r"""
import sys
from textual.app import App

real_run = App.run

def run(self, *args, **kwargs):
    async def pilot(p):
        while type(p.app.screen).__name__ != "LoginScreen":
            await p.pause(0.01)
        await p.pause()
        keys = sorted(k for k, b in p.app.screen.active_bindings.items() if b.binding.show and b.enabled)
        print("LOADED", " ".join(sorted(sys.modules)))
        print("KEYS", " ".join(keys))
        p.app.exit()

    kwargs.update(headless=True, auto_pilot=pilot)
    return real_run(self, *args, **kwargs)

App.run = run
from pos_tui.cli import main
sys.exit(main(["--lang", "en", "--db", sys.argv[1], "--printer", "none"]))
"""


def test_startup_to_the_login_screen_loads_only_what_it_shows(tmp_path):
    """Issue 17 (start-up <= 1.3x a bare Textual app): the login screen needs neither the other modes'
    screens nor the palette's providers, nor the heavy libraries used later (Babel at the first amount,
    sqlite-utils only to migrate, python-escpos to print, fpdf2 for a PDF, the e-mail stack)."""
    from pos_tui.services import auth
    from pos_tui.store.db import Store

    db = tmp_path / "shop.db"
    store = Store(db)
    auth.create_first_manager(store, "Marie", "123456")
    store.close()
    result = subprocess.run([sys.executable, "-c", STARTUP_PROBE, str(db)], capture_output=True, text=True,
                            timeout=120, env={**__import__("os").environ, "TEXTUAL_ANIMATIONS": "none"})
    assert result.returncode == 0, result.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if line.startswith(("LOADED", "KEYS")))
    loaded = set(lines["LOADED"].split())
    assert "pos_tui.ui.screens.login" in loaded  # the probe did reach the login screen
    heavy = {"babel", "sqlite_utils", "escpos", "fpdf", "smtplib", "email", "pos_tui.ui.commands",
             "pos_tui.ui.screens.checkout", "pos_tui.ui.screens.closing", "pos_tui.ui.screens.lookup",
             "pos_tui.ui.screens.receipts", "pos_tui.ui.screens.credit_panel", "pos_tui.services.closing",
             "pos_tui.services.accounts", "pos_tui.services.checkout", "pos_tui.printing.documents",
             # PostgreSQL (issue 18): only for a postgresql:// store
             "psycopg", "pos_tui.store.pg", "pos_tui.store.pg_schema"}
    assert sorted(heavy & loaded) == []
    # Keys that need someone logged in are not offered on the login screen (they would do nothing).
    shown = lines["KEYS"].split()
    assert "ctrl+q" in shown and not {"f2", "f3", "f9", "ctrl+l", "ctrl+o"} & set(shown)
