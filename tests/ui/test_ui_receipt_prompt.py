"""After a sale (issue 16): "Receipt? (p)aper, (e)-mail, Enter = none", unless the shop prints every
receipt or the sale is one it must print; a scan meanwhile goes on to the next sale."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from helpers_ui_credit import FIXED_NOW, french, log_in, make_shop  # noqa: F401
from pos_tui.domain.cart import Cart
from pos_tui.domain.payment import Tender
from pos_tui.printing.connection import parse_printer_url
from pos_tui.services import checkout, printing
from pos_tui.services import email as mail
from pos_tui.ui.app import PosApp
from pos_tui.ui.messages import ReceiptReady
from pos_tui.ui.screens.receipt_prompt import ReceiptPromptScreen

pytestmark = pytest.mark.usefixtures("french")


def _sale(shop, total: int = 1250, customer: bool = False, voucher: bool = False) -> int:
    cart = Cart(customer_id=shop.claire.id if customer else None)
    if voucher:
        cart.add_gift_voucher(total, None)
    else:
        cart.add_free("Thé", total, 550)
    return checkout.close_sale(shop.manager_ctx, cart, [Tender("CB", total)]).sale_id


def _app(shop, out: Path | None) -> PosApp:
    printer = parse_printer_url(f"file://{out}") if out else None
    return PosApp(store=shop.store, terminal=1, clock=lambda: FIXED_NOW, printer=printer)


def test_decision(tmp_path):
    shop = make_shop(tmp_path)
    sale = _sale(shop, 1250)
    assert printing.after_sale_receipt(shop.store, sale, True, False) == "ask"
    assert printing.after_sale_receipt(shop.store, sale, False, True) == "ask"
    assert printing.after_sale_receipt(shop.store, sale, False, False) == "none"  # nothing to offer
    assert printing.after_sale_receipt(shop.store, _sale(shop, 3000, voucher=True), True, False) == "print"
    printing.set_receipt_print_from(shop.manager_ctx, 1000)  # the shop's legal exception: from 10 €
    assert printing.after_sale_receipt(shop.store, sale, True, False) == "print"
    assert printing.after_sale_receipt(shop.store, _sale(shop, 999), True, False) == "ask"
    printing.set_receipt_print_from(shop.manager_ctx, 0)
    printing.set_printer_settings(shop.manager_ctx, "none", 48, True, "", "")  # automatic printing
    assert printing.after_sale_receipt(shop.store, sale, True, False) == "print"
    with pytest.raises(Exception):
        printing.set_receipt_print_from(shop.manager_ctx, -1)


async def _closed(app, pilot, sale_id: int) -> None:
    app.post_message(ReceiptReady("sale", sale_id))
    await pilot.pause()


async def test_paper_prints_and_enter_prints_nothing(tmp_path):
    shop = make_shop(tmp_path)
    out = tmp_path / "printer.bin"
    app = _app(shop, out)
    first, second = _sale(shop), _sale(shop, 800)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, shop.marie)
        await _closed(app, pilot, first)
        assert isinstance(app.screen, ReceiptPromptScreen)
        assert "(p)" in str(app.screen.query_one("#receipt-prompt-question").content)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ReceiptPromptScreen)
        await app.workers.wait_for_complete()
        assert not out.exists()
        await _closed(app, pilot, second)
        await pilot.press("p")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    data = out.read_bytes()
    assert b"8,00" in data and data.startswith(b"\x1b@")


async def test_email_uses_the_customer_address_or_asks_one(tmp_path):
    shop = make_shop(tmp_path)
    mail.set_smtp_settings(shop.manager_ctx, "127.0.0.1", 2525, "none", "", None, "caisse@boutique.fr")
    with shop.store.write():
        shop.store.conn.execute("UPDATE customers SET email = 'claire@example.org' WHERE id = ?", (shop.claire.id,))
    with_customer, anonymous = _sale(shop, customer=True), _sale(shop)
    app = _app(shop, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, shop.marie)
        await _closed(app, pilot, with_customer)
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, ReceiptPromptScreen)
        await _closed(app, pilot, anonymous)
        await pilot.press("e")
        await pilot.pause()
        assert app.focused.id == "receipt-prompt-email"
        await pilot.press(*"pas-une-adresse", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReceiptPromptScreen)  # refused, said
        app.screen.query_one("#receipt-prompt-email", Input).value = ""
        await pilot.press(*"bob@example.org", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ReceiptPromptScreen)
    rows = shop.store.query("SELECT kind, to_addr, status FROM email_queue ORDER BY id")
    assert rows == [{"kind": "receipt", "to_addr": "claire@example.org", "status": "queued"},
                    {"kind": "receipt", "to_addr": "bob@example.org", "status": "queued"}]


async def test_a_scan_closes_the_prompt_and_reaches_the_sale(tmp_path):
    shop = make_shop(tmp_path)
    app = _app(shop, tmp_path / "printer.bin")
    sale = _sale(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, shop.marie)
        await pilot.press("f3")
        await pilot.pause()
        await _closed(app, pilot, sale)
        assert isinstance(app.screen, ReceiptPromptScreen)
        await pilot.press(*"37612345")  # a scan's burst: the first digit closes the prompt, none is lost
        await pilot.pause()
        assert not isinstance(app.screen, ReceiptPromptScreen)
        assert app.screen.query_one("#scan", Input).value == "37612345"
    assert not (tmp_path / "printer.bin").exists()


async def test_no_printer_no_email_no_question(tmp_path):
    shop = make_shop(tmp_path)
    app = _app(shop, None)
    sale = _sale(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, shop.marie)
        await _closed(app, pilot, sale)
        assert not isinstance(app.screen, ReceiptPromptScreen)
