"""Issue 12: the app never shows a traceback — a damaged database stops it with one clear line."""

from __future__ import annotations

import os

from helpers_core import corrupt_table, make_store
from pos_tui.store import Store
from pos_tui.ui.app import PosApp


async def test_a_damaged_database_stops_the_app_with_a_clear_message(tmp_path, capsys):
    store, *_ = make_store(tmp_path)
    store.close()
    corrupt_table(store.path, "users")  # the login screen reads it first
    app = PosApp(store=Store(store.path))
    await app.run_async(headless=True, size=(80, 24))  # the login screen fails while mounting: the app ends
    assert app.return_code == 1
    shown = capsys.readouterr()
    message = " ".join((shown.out + shown.err).split())  # the line is wrapped to the terminal's width
    assert "pos-tui s'est arrêté : database disk image is malformed. Lancez pos-tui verify" in message
    assert "Traceback" not in message


async def test_a_store_readable_by_others_is_named_on_screen(tmp_path):
    store, *_ = make_store(tmp_path)
    os.chmod(store.path, 0o644)
    app = PosApp(store=store)
    async with app.run_test(notifications=True) as pilot:
        await pilot.pause()
        shown = [n.message for n in app._notifications]
    assert any(str(store.path) in m and "chmod 600" in m for m in shown), shown
