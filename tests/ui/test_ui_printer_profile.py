"""Issue 14: the printer profile and code page are a shop setting, saved from the printer settings
screen and from `pos-tui settings`, and the default of --printer-profile; issue 16: the amount from
which every sale prints its receipt."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from helpers_ui_credit import french, log_in, make_shop  # noqa: F401
from pos_tui.cli import main
from pos_tui.printing.connection import parse_printer_url
from pos_tui.services import printing
from pos_tui.ui.app import PosApp
from pos_tui.ui.screens.printer_settings import PrinterSettingsScreen

pytestmark = pytest.mark.usefixtures("french")


async def test_profile_code_page_and_print_from_saved_from_the_screen(tmp_path):
    shop = make_shop(tmp_path)
    app = PosApp(store=shop.store, printer=parse_printer_url(f"file://{tmp_path / 'p.bin'}"))
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, shop.marie)
        app.push_screen(PrinterSettingsScreen())
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#printer-profile", Select).value == "default"
        assert screen.query_one("#printer-code-page", Select).value == "CP858"
        screen.query_one("#printer-profile", Select).value = "TM-T88V"
        screen.query_one("#printer-code-page", Select).value = "CP1252"
        screen.query_one("#printer-print-from", Input).value = "25,00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, PrinterSettingsScreen)
        assert app.printer_target().model == printing.PrinterModel("TM-T88V", "CP1252")  # used at once
    assert printing.printer_model(shop.store) == printing.PrinterModel("TM-T88V", "CP1252")
    assert printing.receipt_print_from(shop.store) == 2500
    # --printer-profile still wins for one session; without it the saved one is the default
    assert printing.printer_target(shop.store, "none", "TM-T20II").model.profile == "TM-T20II"
    assert printing.printer_target(shop.store).model.profile == "TM-T88V"
    kinds = [r["detail"] for r in shop.store.query("SELECT detail FROM journal WHERE kind = 'setting_changed'")]
    assert any("printer_profile" in d for d in kinds) and any("receipt_print_from" in d for d in kinds)


def test_settings_command_saves_the_printer_model(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("POS_TUI_LANG", "en")
    db = tmp_path / "shop.db"
    assert main(["--lang", "en", "--db", str(db), "init", "--name", "Marie", "--pin", "123456"]) == 0
    run = lambda *a: main(["--lang", "en", "--db", str(db), *a, "--user", "Marie", "--pin", "123456"])  # noqa: E731
    assert run("settings", "--profile", "tm-t20ii", "--code-page", "cp1252", "--receipt-print-from", "30") == 0
    out = capsys.readouterr().out
    assert "TM-T20II" in out and "CP1252" in out and "€30.00" in out
    assert run("settings", "--profile", "NoSuchPrinter") == 2
    assert "Unknown printer profile" in capsys.readouterr().err
    assert run("settings", "--code-page", "CP999") == 2
    from pos_tui.store.db import Store

    store = Store(db)
    try:
        assert printing.printer_model(store) == printing.PrinterModel("TM-T20II", "CP1252")
    finally:
        store.close()
