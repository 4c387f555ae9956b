"""The sale checkout and payment screens, driven through the real app with Pilot (SPEC §6, S4-S6)."""

from __future__ import annotations

import json

from textual.widgets import DataTable

from helpers_ui_checkout import (
    CANDLE, CASHIER_ID, CLAIRE_CARD, JAM, SIZE, balance, claire_id, context, last_sale, method_key,
    open_checkout, sale_count, scan, scan_input, text, store,  # noqa: F401 - store: the demo-store fixture
)
from pos_tui.services import credit, settings
from pos_tui.ui.app import PosApp
from pos_tui.ui.screens.checkout import CheckoutScreen
from pos_tui.ui.screens.payment import PaymentScreen


async def test_s4_pay_with_credit_ui(store):
    claire = claire_id(store)
    credit.top_up(context(store), claire, 3000, "ESP")
    before = sale_count(store)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot, CASHIER_ID)
        assert isinstance(screen, CheckoutScreen)
        assert app.focused is scan_input(app)
        await scan(pilot, JAM)
        await scan(pilot, CANDLE)
        await scan(pilot, CLAIRE_CARD)
        assert text(app, "#checkout-error") == ""
        assert "18,40" in text(app, "#total")
        # the balance right under the customer's name, before paying
        assert text(app, "#customer-name") == "Claire Martin"
        assert "30,00" in text(app, "#customer-balance")
        assert app.screen.query_one("#customer-balance").has_class("credit")

        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, PaymentScreen)
        assert "30,00" in text(app, "#pay-customer-balance")
        # Enter on an empty amount pays the remainder; nothing is left, so the sale closes (issue 13)
        await pilot.press(method_key(store, "CRED"), "enter")
        await pilot.pause()

        assert isinstance(app.screen, CheckoutScreen)
        assert sale_count(store) == before + 1
        sale = last_sale(store)
        assert sale["total"] == 1840 and sale["customer_id"] == claire
        rows = store.query("SELECT kind, amount FROM credit_ledger WHERE sale_id = ?", (sale["id"],))
        assert rows == [{"kind": "sale_payment", "amount": -1840}]
        assert balance(store, claire) == 1160
        assert "11,60" in text(app, "#last-balance")
        assert f"{sale['number']}" in text(app, "#last-sale-number")
        assert app.focused is scan_input(app)
        assert app.screen.cart.is_empty
        assert app.screen.query_one("#lines", DataTable).row_count == 0


async def free_line(pilot, amount: str, name: str = "Panier") -> None:
    """F6, a name, an amount, Enter (VAT stays at 20 %)."""
    await pilot.press("f6")
    await pilot.pause()
    await pilot.press(*name, "enter", *amount, "enter")
    await pilot.pause()


async def pay(pilot, store, *payments: tuple[str, str]) -> None:
    """On the payment screen: for each (method, amount) press the method key, type the amount, Enter."""
    for method, amount in payments:
        await pilot.press(method_key(store, method))
        await pilot.pause()
        await pilot.press(*amount, "enter")
        await pilot.pause()


async def test_s5_split_payment_change(store):
    claire = claire_id(store)
    credit.top_up(context(store), claire, 1160, "ESP")
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot, CASHIER_ID)
        await free_line(pilot, "25,00")
        await scan(pilot, CLAIRE_CARD)
        assert "25,00" in text(app, "#total")
        assert "11,60" in text(app, "#customer-balance")
        await pilot.press("f10")
        await pilot.pause()
        await pay(pilot, store, ("CRED", "11,60"), ("ESP", "20"))  # covered: the sale closes (issue 13)
        assert isinstance(app.screen, CheckoutScreen)
        sale = last_sale(store)
        assert (sale["total"], sale["change_given"]) == (2500, 660)
        payments = store.query("SELECT method, amount FROM sale_payments WHERE sale_id = ? ORDER BY id", (sale["id"],))
        assert payments == [{"method": "CRED", "amount": 1160}, {"method": "ESP", "amount": 1340}]
        assert balance(store, claire) == 0
        assert "6,60" in text(app, "#last-change")
        assert "0,00" in text(app, "#last-balance")
        assert app.focused is scan_input(app)


async def test_s6_debt_limit_refused_then_override(store):
    claire = claire_id(store)
    settings.set_customer_debt_limit(context(store), claire, 10000)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot, CASHIER_ID)
        # 80,00 on CRED: within the limit
        await free_line(pilot, "80")
        await scan(pilot, CLAIRE_CARD)
        await pilot.press("f10")
        await pilot.pause()
        await pay(pilot, store, ("CRED", ""))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert balance(store, claire) == -8000
        assert "-80,00" in text(app, "#last-balance")

        # 30,00 more would leave -110,00: refused with the figures, nothing written
        sales_before = sale_count(store)
        await free_line(pilot, "30")
        await scan(pilot, CLAIRE_CARD)
        assert "-80,00" in text(app, "#customer-balance")
        assert "100,00" in text(app, "#customer-limit")
        await pilot.press("f10")
        await pilot.pause()
        await pay(pilot, store, ("CRED", ""))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PaymentScreen)
        error = text(app, "#payment-error")
        for figure in ("-80,00", "100,00", "-110,00", "10,00"):
            assert figure in error, error
        assert sale_count(store) == sales_before and balance(store, claire) == -8000

        # a wrong PIN keeps the dialog open; Marie's PIN and a reason close the sale
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*"Marie", "enter", *"9999", "enter", *"client fidèle", "enter")
        await pilot.pause()
        assert "PIN" in text(app, "#override-error")
        await pilot.press(*"1234", "enter")  # the PIN field has the focus again; the reason is kept
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen), text(app, "#override-error")
        assert sale_count(store) == sales_before + 1
        assert balance(store, claire) == -11000
        rows = store.query("SELECT user_id, detail FROM journal WHERE kind = 'debt_limit_override'")
        assert len(rows) == 1
        detail = json.loads(rows[0]["detail"])
        assert detail["reason"] == "client fidèle" and detail["by"] == 1
        assert "-110,00" in text(app, "#last-balance")


async def test_unknown_code_shows_error_adds_nothing(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot)
        await scan(pilot, "ZZ9999")
        assert "ZZ9999" in text(app, "#checkout-error")
        assert app.screen.query_one("#checkout-error").has_class("error")
        assert screen.cart.is_empty and screen.query_one("#lines", DataTable).row_count == 0
        assert scan_input(app).value == "" and app.focused is scan_input(app)
        # the next good scan clears the message
        await scan(pilot, JAM)
        assert text(app, "#checkout-error") == ""
        assert len(screen.cart.lines) == 1


async def test_bad_check_digit(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot)
        await scan(pilot, JAM[:-1] + "8")
        assert JAM[:-1] + "8" in text(app, "#checkout-error")
        assert screen.cart.is_empty
        assert scan_input(app).value == ""


async def test_focus_returns_to_scan_after_payment_modal(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot)
        await scan(pilot, JAM)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, PaymentScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert app.focused is scan_input(app)
        assert len(screen.cart.lines) == 1  # nothing closed, nothing lost
        await scan(pilot, CANDLE)
        assert len(screen.cart.lines) == 2


async def test_typing_while_table_focused_goes_to_scan(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot)
        await scan(pilot, JAM)
        screen.query_one("#lines", DataTable).focus()
        await pilot.pause()
        assert app.focused is screen.query_one("#lines")
        await pilot.press(*CANDLE)
        await pilot.pause()
        assert app.focused is scan_input(app)
        assert scan_input(app).value == CANDLE
        await pilot.press("enter")
        await pilot.pause()
        assert [line.name for line in screen.cart.lines] == ["Confiture abricot 370 g", "Bougie parfumée vanille"]


async def test_quantity_prefix(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot)
        await scan(pilot, "3*")  # a quantity first, then the scan
        assert "3" in str(scan_input(app).border_title)
        await scan(pilot, JAM)
        await scan(pilot, "2*" + CANDLE)  # or both at once
        await scan(pilot, JAM)  # the prefix is used once
        assert [line.quantity for line in screen.cart.lines] == [3, 2, 1]
        assert screen.cart.total == 3 * 460 + 2 * 1380 + 460
        assert "46,00" in text(app, "#total")
        assert not scan_input(app).border_title


async def test_line_keys_quantity_delete_repeat(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot)
        await scan(pilot, JAM)
        await scan(pilot, CANDLE)
        await pilot.press("plus")  # repeat the last line
        await pilot.pause()
        assert [line.name[:6] for line in screen.cart.lines] == ["Confit", "Bougie", "Bougie"]
        await pilot.press("up", "up")  # the scan field keeps the focus; the table cursor moves
        await pilot.pause()
        assert app.focused is scan_input(app)
        assert screen.query_one("#lines", DataTable).cursor_row == 0
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("backspace", "4", "enter")
        await pilot.pause()
        assert screen.cart.lines[0].quantity == 4
        assert app.focused is scan_input(app)
        await pilot.press("down", "ctrl+d")
        await pilot.pause()
        assert [line.quantity for line in screen.cart.lines] == [4, 1]
        assert screen.cart.total == 4 * 460 + 1380
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert len(screen.cart.lines) == 3


async def test_free_line_return_needs_the_right(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot, CASHIER_ID)
        await free_line(pilot, "-5", name="Retour")
        assert "retour" in text(app, "#free-error").lower()  # Paul has no right to returns
        await pilot.press("escape")
        await pilot.pause()
        assert screen.cart.is_empty and app.focused is scan_input(app)


async def test_cred_without_customer_is_refused(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot, CASHIER_ID)
        before = sale_count(store)
        await scan(pilot, JAM)
        await pilot.press("f10")
        await pilot.pause()
        await pay(pilot, store, ("CRED", ""))
        assert "CRED" in text(app, "#payment-error")
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, PaymentScreen) and sale_count(store) == before
        await pilot.press("ctrl+d")  # remove the CRED line, pay cash instead
        await pilot.pause()
        await pay(pilot, store, ("ESP", "5"))  # covered: the sale closes, the change stays on the checkout
        assert "0,40" in text(app, "#last-change")
        assert isinstance(app.screen, CheckoutScreen) and sale_count(store) == before + 1
        assert last_sale(store)["change_given"] == 40


async def test_park_and_resume(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot)
        await scan(pilot, JAM)
        await scan(pilot, CLAIRE_CARD)
        await pilot.press("f5")
        await pilot.pause()
        assert screen.cart.is_empty and screen.cart.customer_id is None
        assert store.scalar("SELECT count(*) FROM parked_sales") == 1
        assert text(app, "#customer-name") != "Claire Martin"
        await scan(pilot, CANDLE)
        await pilot.press("f7")  # refused while a sale is open
        await pilot.pause()
        assert app.screen is screen and text(app, "#checkout-error")
        await pilot.press("ctrl+d")
        await pilot.press("f7")
        await pilot.pause()
        assert app.screen is not screen
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and app.focused is scan_input(app)
        assert [line.name for line in screen.cart.lines] == ["Confiture abricot 370 g"]
        assert screen.cart.customer_id == claire_id(store)
        assert text(app, "#customer-name") == "Claire Martin"
        assert store.scalar("SELECT count(*) FROM parked_sales") == 0


async def test_cancel_sale(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot)
        await scan(pilot, JAM)
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and len(screen.cart.lines) == 1
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen and screen.cart.is_empty
        assert app.focused is scan_input(app)
        assert store.scalar("SELECT count(*) FROM journal WHERE kind = 'sale_cancelled'") == 1


async def test_escape_keeps_the_open_sale(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot)
        await scan(pilot, JAM)
        await scan(pilot, CLAIRE_CARD)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CheckoutScreen)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert len(app.screen.cart.lines) == 1
        assert text(app, "#customer-name") == "Claire Martin"
        assert "4,60" in text(app, "#total")


def _inside(app, selector: str) -> None:
    widget = app.screen.query_one(selector)
    region, screen = widget.region, app.screen.region
    assert region.height > 0 and region.width > 0, selector
    assert screen.contains_region(region), (selector, region, screen)


async def test_checkout_fits_80x24(store):
    claire = claire_id(store)
    credit.top_up(context(store), claire, 3000, "ESP")
    app = PosApp(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkout(app, pilot, CASHIER_ID)
        for code in (JAM, CANDLE, CLAIRE_CARD):
            await scan(pilot, code)
        for selector in ("#scan", "#lines", "#total", "#customer-name", "#customer-balance", "#customer-limit"):
            _inside(app, selector)
        table = app.screen.query_one("#lines", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no sideways scrolling
        # the balance sits right under the name
        assert app.screen.query_one("#customer-balance").region.y == app.screen.query_one("#customer-name").region.y + 1
        await pilot.press("f10")
        await pilot.pause()
        await pay(pilot, store, ("ESP", "10"))
        for selector in ("#pay-total", "#pay-methods", "#pay-amount", "#pay-lines", "#remaining", "#change",
                         "#pay-customer-balance"):
            _inside(app, selector)
        await pay(pilot, store, ("ESP", "50"))  # covered: the sale closes
        for selector in ("#last-sale-number", "#last-change", "#total"):
            _inside(app, selector)


async def test_f2_picks_the_customer(store):
    from pos_tui.ui.screens.lookup import LookupScreen

    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot, CASHIER_ID)
        await scan(pilot, JAM)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, LookupScreen)
        await pilot.press(*CLAIRE_CARD, "enter")
        await pilot.pause()
        assert app.screen is screen and app.focused is scan_input(app)
        assert screen.cart.customer_id == claire_id(store) and len(screen.cart.lines) == 1
        assert text(app, "#customer-name") == "Claire Martin"
        assert "0,00" in text(app, "#customer-balance")
        await pilot.press("ctrl+u")  # detach
        await pilot.pause()
        assert screen.cart.customer_id is None and text(app, "#customer-name") != "Claire Martin"


async def test_without_view_credit_only_the_name_shows(store):
    from pos_tui.domain.rights import Right
    from pos_tui.services import auth

    auth.set_rights(context(store), CASHIER_ID, {Right.PAY_WITH_CREDIT})
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot, CASHIER_ID)
        await scan(pilot, CLAIRE_CARD)
        assert text(app, "#customer-name") == "Claire Martin"
        assert text(app, "#customer-balance") == "" and text(app, "#customer-limit") == ""
        assert text(app, "#checkout-error") == ""


async def test_return_put_on_credit(store):
    """A negative sale (a return, manager's right) settled on CRED credits the customer."""
    claire = claire_id(store)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot)  # Marie has the returns right
        await free_line(pilot, "-5,00", name="Retour")
        await scan(pilot, CLAIRE_CARD)
        assert "-5,00" in text(app, "#total")
        await pilot.press("f10")
        await pilot.pause()
        await pay(pilot, store, ("CRED", ""))  # Enter alone: the (negative) remainder; the sale closes
        assert isinstance(app.screen, CheckoutScreen)
        sale = last_sale(store)
        assert sale["total"] == -500
        rows = store.query("SELECT kind, amount FROM credit_ledger WHERE sale_id = ?", (sale["id"],))
        assert rows == [{"kind": "sale_credit", "amount": 500}]
        assert balance(store, claire) == 500
        assert "5,00" in text(app, "#last-balance")


async def test_free_line_with_name_and_vat_rate(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot, CASHIER_ID)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press(*"Bouquet", "enter", *"12,5", "tab")  # Tab: to the VAT rate
        await pilot.pause()
        await pilot.press("enter", "down", "down", "enter")  # open the list, 20 -> 10 -> 5,5 %
        await pilot.pause()
        assert app.focused is app.screen.query_one("#free-amount")  # back to the amount: Enter adds
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and app.focused is scan_input(app)
        [line] = screen.cart.lines
        assert (line.name, line.unit_price, line.vat_rate) == ("Bouquet", 1250, 550)
        assert "5,5 %" in str(screen.query_one("#lines", DataTable).get_row_at(0)[4])
