"""The credit panel under real hands (issue 13) and its account keys (issue 16): method list, letters,
the amount checked first, the sale number in the history, statements, the balance slip, large cash."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select

from helpers_ui_credit import FIXED_NOW, french, make_shop, open_panel, text_of  # noqa: F401
from pos_tui.domain.cart import Cart
from pos_tui.domain.payment import Tender
from pos_tui.printing.connection import parse_printer_url
from pos_tui.services import accounts, checkout, credit, settings
from pos_tui.ui.app import PosApp
from pos_tui.ui.screens.account_dialogs import CashConfirmScreen, SavePathScreen, StatementScreen
from pos_tui.ui.screens.confirm import ConfirmScreen
from pos_tui.ui.screens.credit_panel import CreditPanelScreen, shortcut_letters
from pos_tui.ui.screens.receipt_preview import ReceiptPreviewScreen

pytestmark = pytest.mark.usefixtures("french")


def _printing_app(shop, path: Path) -> PosApp:
    return PosApp(store=shop.store, terminal=1, clock=lambda: FIXED_NOW,
                  printer=parse_printer_url(f"file://{path}"))


def test_shortcut_letters_are_unique():
    assert shortcut_letters(["ESP", "CB", "CHQ", "BA"]) == {"ESP": "e", "CB": "c", "CHQ": "h", "BA": "b"}


async def test_method_list_opens_on_the_first_method_and_letters_pick(tmp_path):
    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        await pilot.press(*"10", "enter")
        await pilot.pause()
        select = app.screen.query_one("#credit-method", Select)
        assert select.expanded
        overlay = select.query_one("SelectOverlay")
        assert overlay.highlighted == 1  # the first method, not the blank prompt
        first = select._options[1][1]
        await pilot.press("enter")
        await pilot.pause()
        assert select.value == first and app.focused.id == "credit-label"
        # "h" (CHQ's letter) in the method list picks CHQ at once
        select.focus()
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert select.value == "CHQ" and app.focused.id == "credit-label"
        await pilot.press("enter")
        await pilot.pause()
    rows = shop.ledger()
    assert [(r["amount"], r["method"]) for r in rows] == [(1000, "CHQ")]


async def test_amount_is_checked_before_the_method(tmp_path):
    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        await pilot.press(*"12,3x", "enter")
        await pilot.pause()
        assert not app.screen.query_one("#credit-method", Select).expanded
        assert app.focused.id == "credit-amount"
        assert "12,3x" in text_of(app, "#credit-error")
        # a refund past the debt limit (0 here) is refused at the amount, before method and label
        field = app.screen.query_one("#credit-amount", Input)
        field.value = ""
        await pilot.press(*"-5", "enter")
        await pilot.pause()
        assert not app.screen.query_one("#credit-method", Select).expanded
        assert text_of(app, "#credit-error").startswith("Refusé")
    assert shop.ledger() == []


async def test_refund_within_limit_still_asks_confirmation(tmp_path):
    shop = make_shop(tmp_path)
    settings.set_customer_debt_limit(shop.manager_ctx, shop.claire.id, 1000)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        await pilot.press(*"-5", "enter", "e", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert [(r["amount"], r["method"]) for r in shop.ledger()] == [(-500, "ESP")]


async def test_history_shows_the_sale_number_at_80x24(tmp_path):
    shop = make_shop(tmp_path)
    credit.top_up(shop.manager_ctx, shop.claire.id, 5000, "CB")
    cart = Cart(customer_id=shop.claire.id)
    cart.add_free("Thé", 1250, 550)
    sale = checkout.close_sale(shop.manager_ctx, cart, [Tender("CRED", 1250)])
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        table = app.screen.query_one("#credit-history", DataTable)
        label = table.get_row_at(0)[3].plain
        assert label == f"n° {sale.number}"
        assert len(label) <= table.columns["label"].width
        balance = text_of(app, "#credit-balance")
        assert "37,50" in balance and "(crédit)" in balance


async def test_statement_csv_written_where_asked(tmp_path, monkeypatch):
    docs = tmp_path / "Documents"
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(docs))
    shop = make_shop(tmp_path)
    credit.top_up(shop.manager_ctx, shop.claire.id, 4200, "CB", "avance")
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, StatementScreen)
        await pilot.press("enter", "enter")  # both dates kept (this month) -> the output buttons
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, SavePathScreen)
        default = Path(app.screen.query_one("#save-path", Input).value)
        assert default.parent == docs and default.suffix == ".csv"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CreditPanelScreen)
        assert str(default) in text_of(app, "#credit-count")
    assert (docs.stat().st_mode & 0o777) == 0o700  # created owner-only
    assert (default.stat().st_mode & 0o777) == 0o600
    rows = list(csv.reader(io.StringIO(default.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[-1][-1] == "42,00" and any("avance" in r for r in rows)


async def test_statement_pdf_and_bad_date(tmp_path):
    shop = make_shop(tmp_path)
    credit.top_up(shop.manager_ctx, shop.claire.id, 4200, "CB")
    target = tmp_path / "out" / "releve.pdf"
    target.parent.mkdir()
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        await pilot.press("f5")
        await pilot.pause()
        app.screen.query_one("#statement-from", Input).value = "2025-13-01"
        await pilot.press("enter", "enter", "d")
        await pilot.pause()
        assert isinstance(app.screen, StatementScreen)  # refused, said, nothing asked
        assert "2025-13-01" in str(app.screen.query_one("#statement-error").content)
        app.screen.query_one("#statement-from", Input).value = "2025-03-01"
        await pilot.press("enter", "enter", "d")
        await pilot.pause()
        assert isinstance(app.screen, SavePathScreen)
        app.screen.query_one("#save-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
    assert target.read_bytes().startswith(b"%PDF")


async def test_statement_and_balance_slip_print(tmp_path):
    shop = make_shop(tmp_path)
    credit.top_up(shop.manager_ctx, shop.claire.id, 4200, "CB")
    settings.set_customer_debt_limit(shop.manager_ctx, shop.claire.id, 3000)
    out = tmp_path / "printer.bin"
    app = _printing_app(shop, out)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        await pilot.press("f6")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        slip = out.read_bytes()
        assert slip.startswith(b"\x1b@") and b"42,00" in slip and b"30,00" in slip  # balance, debt limit
        out.unlink()
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("enter", "enter", "p")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    statement = out.read_bytes()
    assert b"42,00" in statement and b"Claire Martin" in statement


async def test_large_cash_top_up_needs_a_manager_pin(tmp_path):
    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        await pilot.press(*"1500", "enter", "e", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CashConfirmScreen)
        warning = str(app.screen.query_one("#cash-confirm-warning").content)
        assert "1\xa0000,00" in warning and "responsable" in warning
        await pilot.press("escape")
        await pilot.pause()
        assert shop.ledger() == []
        assert "rien" in text_of(app, "#credit-error")
        app.screen.action_submit()
        await pilot.pause()
        await pilot.press(*"Paul", "enter", *"0000", "enter")  # a cashier cannot confirm
        await pilot.pause()
        assert isinstance(app.screen, CashConfirmScreen)
        name = app.screen.query_one("#cash-confirm-name", Input)
        name.value = "Marie"
        app.screen.query_one("#cash-confirm-pin", Input).focus()
        await pilot.press(*"123456", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReceiptPreviewScreen)
    assert [(r["amount"], r["method"]) for r in shop.ledger()] == [(150000, "ESP")]
    journal = shop.store.query("SELECT detail FROM journal WHERE kind = 'large_cash_confirmed'")
    assert len(journal) == 1 and json.loads(journal[0]["detail"])["by"] == shop.marie.id


def test_balance_slip_service_has_the_last_entries(tmp_path):
    shop = make_shop(tmp_path)
    for i in range(3):
        credit.top_up(shop.manager_ctx, shop.claire.id, 100 * (i + 1), "CB", f"op {i}")
    from pos_tui.printing.receipt import render_text

    text = "\n".join(render_text(accounts.balance_slip(shop.manager_ctx, shop.claire.id), 48))
    assert "solde 6,00 €" in text and "Plafond de dette" in text
    assert text.count("Alimentation CB") == 3


def test_slip_and_statement_say_debt_in_words(tmp_path):
    from pos_tui.printing.receipt import render_text

    shop = make_shop(tmp_path)
    settings.set_customer_debt_limit(shop.manager_ctx, shop.claire.id, 5000)
    credit.refund(shop.manager_ctx, shop.claire.id, 2000, "ESP")
    slip = render_text(accounts.balance_slip(shop.manager_ctx, shop.claire.id), 48)
    stmt = render_text(accounts.statement_receipt(shop.store, accounts.statement(shop.manager_ctx, shop.claire.id)), 48)
    for lines in (slip, stmt):
        at = next(i for i, line in enumerate(lines) if "- 2 0 , 0 0" in line)
        assert lines[at + 1].strip() == "(dette)"
