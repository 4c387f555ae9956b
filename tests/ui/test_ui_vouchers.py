"""Gift vouchers, credit notes, returns and payment methods through the real app with Pilot (S7-S11)."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select

from helpers_ui_checkout import (
    CASHIER_ID, CLAIRE_CARD, MANAGER_ID, SIZE, balance, claire_id, context, demo_store, last_sale,
    method_key, open_checkout, scan, scan_input, text,
)
from pos_tui.domain.cart import Cart
from pos_tui.domain.payment import Tender
from pos_tui.domain.vouchers import format_code, new_code
from pos_tui.services import auth, checkout, vouchers
from pos_tui.services.context import Context
from pos_tui.services.demo import open_demo
from pos_tui.store import users
from pos_tui.store.db import Store
from pos_tui.ui.app import PosApp
from pos_tui.ui.screens.checkout import CheckoutScreen
from pos_tui.ui.screens.confirm import ConfirmScreen
from pos_tui.ui.screens.payment import PaymentScreen
from pos_tui.ui.screens.returns import ReturnsScreen
from pos_tui.ui.screens.checkout_dialogs import GiftVoucherScreen
from pos_tui.ui.screens.payment_methods import AddMethodScreen, PaymentMethodsScreen
from pos_tui.ui.screens.vouchers import VouchersScreen

CODE_ON_SCREEN = re.compile(r"\b(?:BV|AV)[0-9A-Z]{2}(?:-[0-9A-Z]{4}){3}\b")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    """The demo store built once for this module; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("demo-template")
    demo_store(folder).close()
    return folder / "demo.db"


@pytest.fixture
def store(tmp_path, demo_template):
    for suffix in ("", ".key"):  # the database and its signing key, side by side
        source = Path(f"{demo_template}{suffix}")
        if source.exists():
            shutil.copyfile(source, tmp_path / f"demo.db{suffix}")
    store = open_demo(tmp_path / "demo.db")
    try:
        yield store
    finally:
        store.close()


# -- helpers ------------------------------------------------------------------------

async def settle(pilot, store, *payments: tuple[str, str]) -> None:
    """On the payment screen: for each (method, amount) press the method key, type the amount, Enter
    (an empty amount takes the rest); then Enter closes the sale."""
    for method, amount in payments:
        await pilot.press(method_key(store, method))
        await pilot.pause()
        await pilot.press(*amount, "enter")
        await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def sell_voucher(app, pilot, store, amount: str = "50,00", expiry: str = "") -> str:
    """Ctrl+B, the amount, the expiry, then pay by CB; returns the code the checkout shows."""
    await pilot.press("ctrl+b")
    await pilot.pause()
    assert isinstance(app.screen, GiftVoucherScreen)
    await pilot.press(*amount, "enter", *expiry, "enter")
    await pilot.pause()
    assert isinstance(app.screen, CheckoutScreen)
    await pilot.press("f10")
    await pilot.pause()
    await settle(pilot, store, ("CB", ""))
    assert isinstance(app.screen, CheckoutScreen)
    [code] = CODE_ON_SCREEN.findall(text(app, "#last-vouchers"))
    return code


async def free_line(pilot, amount: str, name: str = "Panier") -> None:
    await pilot.press("f6")
    await pilot.pause()
    await pilot.press(*name, "enter", *amount, "enter")
    await pilot.pause()


def fill(app, selector: str, value: str) -> None:
    """Put ``value`` in an Input at once (long codes typed key by key cost seconds)."""
    field = app.screen.query_one(selector, Input)
    field.focus()
    field.value = value
    field.cursor_position = len(value)


def voucher_sold_by_service(store: Store, amount: int) -> str:
    cart = Cart()
    cart.add_gift_voucher(amount)
    return checkout.close_sale(context(store), cart, [Tender("CB", amount)]).vouchers_issued[0].code


async def palette(pilot, command: str) -> None:
    """Ctrl+P, type the command's name, Enter on the first hit."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*command)
    await pilot.pause(0.3)  # the palette searches in the background
    await pilot.press("enter")
    await pilot.pause()


# -- S7-S9: vouchers at the checkout ---------------------------------------------------

async def test_s7_sell_voucher_in_checkout(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot, CASHIER_ID)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, GiftVoucherScreen)
        await pilot.press(*"50,00", "enter", "enter")  # no expiry
        await pilot.pause()
        assert app.screen is screen and app.focused is scan_input(app)
        [line] = screen.cart.lines
        assert (line.kind, line.unit_price, line.vat_rate, line.expires_on) == ("voucher_sale", 5000, 0, None)
        assert str(screen.query_one("#lines", DataTable).get_row_at(0)[4]).startswith("0")
        assert "50,00" in text(app, "#total")

        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, PaymentScreen)
        await settle(pilot, store, ("CB", ""))
        assert app.screen is screen

        sale = last_sale(store)
        voucher = store.one("SELECT * FROM vouchers ORDER BY id DESC LIMIT 1")
        assert (voucher["amount"], voucher["kind"], voucher["issued_sale_id"]) == (5000, "gift", sale["id"])
        assert voucher["expires_on"] is None
        lines = store.query("SELECT kind, vat_rate, total FROM sale_lines WHERE sale_id = ?", (sale["id"],))
        assert lines == [{"kind": "voucher_sale", "vat_rate": 0, "total": 5000}]
        assert store.query("SELECT method, amount FROM sale_payments WHERE sale_id = ?", (sale["id"],)) == [
            {"method": "CB", "amount": 5000}]
        shown = text(app, "#last-vouchers")
        assert format_code(voucher["code"]) in shown and "Bon cadeau" in shown
        assert app.focused is scan_input(app)


async def test_s8_voucher_typed_in_later_sale(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot, CASHIER_ID)
        code = await sell_voucher(app, pilot, store)

        await free_line(pilot, "62,00")
        await scan(pilot, code)  # typed as shown, dashes and all
        assert text(app, "#checkout-error") == ""
        assert [line.total for line in screen.cart.lines] == [6200, -5000]
        assert "12,00" in text(app, "#total")
        assert not screen.query_one("#checkout-hint").display  # the voucher does not exceed the sale
        await pilot.press("f10")
        await pilot.pause()
        await settle(pilot, store, ("ESP", "12,00"))
        assert app.screen is screen

        sale = last_sale(store)
        assert sale["total"] == 1200
        voucher = store.one("SELECT id FROM vouchers WHERE code = ?", (code.replace("-", ""),))
        redemption = store.one("SELECT * FROM voucher_redemptions WHERE voucher_id = ?", (voucher["id"],))
        assert redemption["sale_id"] == sale["id"]
        assert store.query("SELECT method, amount FROM sale_payments WHERE sale_id = ?", (sale["id"],)) == [
            {"method": "ESP", "amount": 1200}]

        fill(app, "#scan", code)  # a second time
        await pilot.press("enter")
        await pilot.pause()
        error = text(app, "#checkout-error")
        assert "déjà été utilisé" in error and f"n° {sale['number']}" in error
        assert screen.cart.is_empty


async def test_s9_voucher_over_sale_to_credit(store):
    claire = claire_id(store)
    before = balance(store, claire)
    code = voucher_sold_by_service(store, 5000)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot, CASHIER_ID)
        await scan(pilot, code)
        assert "-50,00" in text(app, "#total")
        hint = text(app, "#checkout-hint")
        assert screen.query_one("#checkout-hint").display
        assert "Le bon dépasse la vente : le reste (50,00" in hint and "ira sur le crédit du client (CRED)" in hint
        assert "attachez un client (F2 ou carte)" in hint
        await scan(pilot, CLAIRE_CARD)
        hint = text(app, "#checkout-hint")
        assert "le reste (50,00" in hint and "attachez" not in hint

        await pilot.press("f10")
        await pilot.pause()
        await pilot.press(method_key(store, "CRED"), "enter")  # Enter on an empty amount: the remainder
        await pilot.pause()  # nothing left to pay: the sale closed at once (issue 13)
        assert app.screen is screen

        sale = last_sale(store)
        assert sale["total"] == -5000 and sale["customer_id"] == claire
        rows = store.query("SELECT kind, amount FROM credit_ledger WHERE sale_id = ?", (sale["id"],))
        assert rows == [{"kind": "sale_credit", "amount": 5000}]
        assert balance(store, claire) == before + 5000
        assert "50,00" in text(app, "#last-balance")
        assert not screen.query_one("#checkout-hint").display


async def test_voucher_over_sale_cash_refused(store):
    """Without the cash-back setting, the rest of a voucher cannot go out in cash."""
    code = voucher_sold_by_service(store, 2000)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot, CASHIER_ID)
        await scan(pilot, code)
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press(method_key(store, "ESP"), "enter")
        await pilot.pause()
        assert "Pas de rendu de monnaie sur un bon" in text(app, "#payment-error")
        assert isinstance(app.screen, PaymentScreen)


async def test_expired_voucher_refused_with_reason(store):
    [expired] = vouchers.listing(store, "expired")
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot, CASHIER_ID)
        await scan(pilot, expired["code"])
        day = date.fromisoformat(expired["expires_on"]).strftime("%d/%m/%Y")  # French dates on screen (issue 14)
        assert text(app, "#checkout-error") == f"Ce bon a expiré le {day}."
        assert screen.cart.is_empty
        unknown = new_code("gift")  # a well-formed code the shop never issued
        await scan(pilot, unknown)
        assert text(app, "#checkout-error") == f"Code de bon inconnu {format_code(unknown)}."
        await scan(pilot, expired["code"][:-1] + ("0" if expired["code"][-1] != "0" else "1"))  # a typo
        assert "Caractère de contrôle faux" in text(app, "#checkout-error")
        assert screen.cart.is_empty


# -- S11: returns -------------------------------------------------------------------

async def test_s11_return_as_credit_note_ui(store):
    sale_one = checkout.find_sale(store, "1")
    row = next(r for r in sale_one["returnable"] if r["sold"] > r["returned"])  # the demo returned line 1 already
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        checkout_screen = await open_checkout(app, pilot, MANAGER_ID)
        await pilot.press("f12")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReturnsScreen)
        await pilot.press("1", "enter")
        await pilot.pause()
        table = screen.query_one("#returns-lines", DataTable)
        assert app.focused is table and table.row_count == len(sale_one["returnable"])
        assert str(table.get_row_at(table.cursor_row)[0]) == row["name"]
        await pilot.press("plus")
        await pilot.pause()
        assert screen.quantities == {row["id"]: 1}
        await pilot.press("plus")  # only one was sold
        await pilot.pause()
        assert screen.quantities == {row["id"]: 1} and "Impossible de retourner plus" in text(app, "#returns-error")
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen

        note = store.one("SELECT * FROM vouchers ORDER BY id DESC LIMIT 1")
        assert (note["kind"], note["amount"]) == ("credit_note", row["unit_price"])
        parts = store.query("SELECT vat_rate, amount FROM voucher_parts WHERE voucher_id = ?", (note["id"],))
        assert parts == [{"vat_rate": row["vat_rate"], "amount": row["unit_price"]}]
        returned = last_sale(store)
        assert note["issued_sale_id"] == returned["id"]
        assert store.query("SELECT kind, vat_rate, total FROM sale_lines WHERE sale_id = ? ORDER BY line_no",
                           (returned["id"],)) == [
            {"kind": "return", "vat_rate": row["vat_rate"], "total": -row["unit_price"]},
            {"kind": "credit_note_issue", "vat_rate": row["vat_rate"], "total": row["unit_price"]}]
        assert format_code(note["code"]) in text(app, "#returns-result")
        # the table now says it was returned
        assert str(table.get_row_at(table.cursor_row)[2]) == "1" and screen.quantities == {}

        # Accepted in a later sale, at the item's VAT rate.
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen is checkout_screen
        await scan(pilot, format_code(note["code"]))
        assert text(app, "#checkout-error") == ""
        [line] = checkout_screen.cart.lines
        assert (line.total, line.vat_rate) == (-row["unit_price"], row["vat_rate"])


async def test_return_to_credit_needs_a_customer_and_cashier_refused(store):
    sale_one = checkout.find_sale(store, "1")
    row = next(r for r in sale_one["returnable"] if r["sold"] > r["returned"])
    customer = sale_one["customer_id"]
    before = balance(store, customer)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot, CASHIER_ID)
        await pilot.press("f12")
        await pilot.pause()
        assert "des retours et des annulations" in text(app, "#returns-error")  # said at once
        assert not app.screen.query("#returns-method")  # no refund method offered
        await pilot.press("T", *"000001", "enter", "plus", "f6", "y")
        await pilot.pause()
        assert "des retours et des annulations" in text(app, "#returns-error")
        assert balance(store, customer) == before

        app.logged_in(users.by_id(store, MANAGER_ID))  # Marie has the right
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("f12")
        await pilot.pause()
        await pilot.press("1", "enter", "plus", "f6", "y")
        await pilot.pause()
        assert balance(store, customer) == before + row["unit_price"]
        assert "nouveau solde" in text(app, "#returns-result")


# -- vouchers screen, payment methods, palette -----------------------------------------

async def test_vouchers_screen_lists_and_outstanding(store):
    valid = vouchers.listing(store, "valid")
    [used] = vouchers.listing(store, "used")
    owed = vouchers.outstanding(store)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        app.logged_in(users.by_id(store, MANAGER_ID))
        await pilot.pause()
        await palette(pilot, "Bons et avoirs")
        screen = app.screen
        assert isinstance(screen, VouchersScreen)
        table = screen.query_one("#vouchers-list", DataTable)
        assert table.row_count == len(valid) == owed["n"]
        assert str(table.get_row_at(0)[0]) == format_code(valid[0]["code"])
        assert {str(table.get_row_at(i)[1]) for i in range(table.row_count)} == {"Bon cadeau", "Avoir"}
        outstanding = text(app, "#vouchers-outstanding")
        assert f"{owed['n']} bons et avoirs valides" in outstanding
        assert outstanding.count(",") and f"{owed['total'] // 100},{owed['total'] % 100:02d}" in outstanding.replace(
            "\u202f", "").replace(" ", "")

        screen.query_one("#vouchers-status", Select).value = "used"
        await pilot.pause()
        assert table.row_count == 1
        assert str(table.get_row_at(0)[6]) == str(used["sale_number"])

        assert app.focused is screen.query_one("#vouchers-code")
        fill(app, "#vouchers-code", used["code"])
        await pilot.press("enter")
        await pilot.pause()
        detail = text(app, "#vouchers-detail")
        assert format_code(used["code"]) in detail and f"dans la vente n° {used['sale_number']}" in detail
        fill(app, "#vouchers-code", valid[0]["code"].lower())
        await pilot.press("enter")
        await pilot.pause()
        assert "Valide" in text(app, "#vouchers-detail")
        fill(app, "#vouchers-code", new_code("credit_note"))
        await pilot.press("enter")
        await pilot.pause()
        assert "Code de bon inconnu" in text(app, "#vouchers-error")

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, VouchersScreen)
        await palette(pilot, "monnaie sur bons : aut")
        assert store.get_setting("voucher_cash_back", False) is True


async def test_add_ba_method_and_cashier_refused(tmp_path):
    store = Store(tmp_path / "shop.db")
    try:
        manager = auth.create_first_manager(store, "Marie", "123456")
        cashier = auth.create_user(Context(store, manager, 1), "Paul", "0000", "cashier")
        app = PosApp(store=store)
        async with app.run_test(size=SIZE) as pilot:
            app.logged_in(manager)
            await pilot.pause()
            await palette(pilot, "Moyens de p")
            screen = app.screen
            assert isinstance(screen, PaymentMethodsScreen)
            table = screen.query_one("#methods-list", DataTable)
            assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["ESP", "CB", "CHQ", "CRED"]
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert isinstance(app.screen, AddMethodScreen)
            await pilot.press(*"ba", "enter")
            fill(app, "#method-label", "Bons d'achat partenaires")
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is screen
            row = store.one("SELECT * FROM payment_methods WHERE code = 'BA'")
            assert (row["label"], row["enabled"], row["opens_drawer"], row["is_cash"]) == (
                "Bons d'achat partenaires", 1, 0, 0)
            assert screen.highlighted_code() == "BA"
            await pilot.press("space")  # disable: never deleted
            await pilot.pause()
            assert store.scalar("SELECT enabled FROM payment_methods WHERE code = 'BA'") == 0
            await pilot.press("space")
            await pilot.pause()
            assert store.scalar("SELECT enabled FROM payment_methods WHERE code = 'BA'") == 1
            await pilot.press("ctrl+n", *"BA", "enter", *"Encore", "enter")  # twice: refused
            await pilot.pause()
            assert isinstance(app.screen, AddMethodScreen) and "existe déjà" in text(app, "#method-error")
            await pilot.press("escape")
            await pilot.pause()

            journal = store.scalar("SELECT count(*) FROM journal")
            app.logged_in(cashier)
            await pilot.pause()
            app.push_screen(PaymentMethodsScreen())
            await pilot.pause()
            assert "moyens de paiement" in text(app, "#methods-error")  # said at once
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert isinstance(app.screen, PaymentMethodsScreen)  # no form to fill in for nothing
            await pilot.press("space")
            await pilot.pause()
            assert "Vous n'avez pas le droit" in text(app, "#methods-error")
            assert store.query("SELECT code, enabled FROM payment_methods ORDER BY code") == [
                {"code": c, "enabled": 1} for c in ("BA", "CB", "CHQ", "CRED", "ESP")]
            assert store.scalar("SELECT count(*) FROM journal") == journal
    finally:
        store.close()
