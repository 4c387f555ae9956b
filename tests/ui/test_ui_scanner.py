"""Scanner bursts (issue 13): codes are cut at each Enter from the key stream itself, whatever follows.

The keys are posted to the app in one go (``helpers_ui_scan.burst``), as a keyboard-wedge scanner
delivers them; ``pilot.press`` would wait for the app between keys and hide the defect.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from helpers_ui_checkout import (
    CASHIER_ID, CLAIRE_CARD, JAM, SIZE, claire_id, last_sale, open_checkout, sale_count, text, store,  # noqa: F401 - store: the demo-store fixture
)
from helpers_ui_scan import burst, scans
from pos_tui.ui.app import PosApp


def barcodes(store, n: int) -> list[str]:
    rows = store.query("SELECT barcode FROM products WHERE active = 1 AND barcode IS NOT NULL ORDER BY id")
    codes = [row["barcode"] for row in rows]
    return [codes[i % len(codes)] for i in range(n)]


@pytest.mark.parametrize("focus", ["#scan", "#lines"])
async def test_fifty_scans_in_one_burst_make_fifty_lines(store, focus):
    codes = barcodes(store, 50)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot, CASHIER_ID)
        app.set_focus(screen.query_one(focus))
        await pilot.pause()
        await burst(pilot, scans(*codes))
        assert text(app, "#checkout-error") == ""
        assert [line.barcode for line in screen.cart.lines] == codes
        assert [line.quantity for line in screen.cart.lines] == [1] * 50
        assert screen.query_one("#lines", DataTable).row_count == 50
        assert text(app, "#scan") == ""


async def test_quantity_prefixes_in_a_burst(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot, CASHIER_ID)
        await burst(pilot, scans("3*" + JAM, "2*", JAM, JAM))
        assert [line.quantity for line in screen.cart.lines] == [3, 2, 1]
        assert "27,60" in text(app, "#total")  # 6 jams at 4,60


# -- the payment screen: scanned codes, amounts, keys (issue 13) -----------------------------------------

from pos_tui.services import credit, customers, settings, vouchers as vouchers_service  # noqa: E402
from pos_tui.ui.screens.checkout import CheckoutScreen  # noqa: E402
from pos_tui.ui.screens.payment import PaymentScreen  # noqa: E402
from helpers_ui_checkout import CANDLE, context, method_key, scan  # noqa: E402


def valid_voucher(store, below: int) -> dict:
    """A valid gift voucher of the demo worth less than ``below`` cents."""
    rows = [r for r in vouchers_service.listing(store, "valid") if r["kind"] == "gift" and r["amount"] < below]
    assert rows, "the demo has a valid gift voucher"
    return rows[0]


async def to_payment(app, pilot, *codes: str) -> PaymentScreen:
    await open_checkout(app, pilot, CASHIER_ID)
    for code in codes:
        await scan(pilot, code)
    await pilot.press("f10")
    await pilot.pause()
    assert isinstance(app.screen, PaymentScreen)
    return app.screen


async def test_card_voucher_and_cred_in_one_burst_on_the_payment_screen(store):
    claire = claire_id(store)
    credit.top_up(context(store), claire, 10000, "ESP")
    voucher = valid_voucher(store, 5 * 1380)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await to_payment(app, pilot, *[CANDLE] * 5)  # 69,00
        await burst(pilot, scans(CLAIRE_CARD, voucher["code"], method_key(store, "CRED")))
        assert isinstance(app.screen, CheckoutScreen), text(app, "#payment-error")
        sale = last_sale(store)
        assert sale["customer_id"] == claire and sale["total"] == 6900 - voucher["amount"]
        payments = store.query("SELECT method, amount FROM sale_payments WHERE sale_id = ?", (sale["id"],))
        assert payments == [{"method": "CRED", "amount": 6900 - voucher["amount"]}]
        assert store.query("SELECT kind, total FROM sale_lines WHERE sale_id = ? AND total < 0", (sale["id"],)) == [
            {"kind": "voucher_redeem", "total": -voucher["amount"]}]


async def test_a_card_code_starting_with_a_method_digit_attaches_the_customer(store):
    """Before: the card's first digit picked a payment method and the rest became an amount."""
    manager = context(store)
    digits_card = "2" + "0" * 8 + "17"
    customer = customers.create(manager, {"first_name": "Nina", "last_name": "Roux", "card_code": digits_card})
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_payment(app, pilot, JAM)
        await burst(pilot, scans(digits_card))
        assert screen.cart.customer_id == customer.id
        assert screen.tenders == [] and text(app, "#payment-error") == ""
        assert "Nina Roux" in text(app, "#pay-customer-name")


@pytest.mark.parametrize("typed", ["1e3", "١٢", "１２"])  # an exponent, Arabic-Indic and full-width digits
async def test_an_amount_that_is_not_one_is_refused_and_changes_nothing(store, typed):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_payment(app, pilot, JAM)
        await pilot.press(method_key(store, "ESP"), *typed, "enter")
        await pilot.pause()
        assert screen.tenders == []
        assert app.screen is screen
        assert typed in text(app, "#payment-error") and "montant invalide" in text(app, "#payment-error").lower()


async def test_after_removing_a_payment_the_hint_shows_the_current_rest(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_payment(app, pilot, CANDLE)  # 13,80
        await pilot.press(method_key(store, "ESP"), "5", "enter", method_key(store, "CB"))
        await pilot.pause()
        assert "8,80" in screen.entry.placeholder and "8,80" in text(app, "#payment-hint")
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert screen.tenders == []
        assert "13,80" in screen.entry.placeholder and "13,80" in text(app, "#payment-hint")
        assert "8,80" not in screen.entry.placeholder + text(app, "#payment-hint")


async def test_f2_on_the_payment_screen_attaches_a_customer_for_cred(store):
    claire = claire_id(store)
    credit.top_up(context(store), claire, 3000, "ESP")
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_payment(app, pilot, JAM)
        await pilot.press(method_key(store, "CRED"), "enter")
        await pilot.pause()
        assert "F2" in text(app, "#payment-error")  # "CRED needs a customer: ... press F2"
        await pilot.press("ctrl+d", "f2")
        await pilot.pause()
        await pilot.press(*"claire mar", "enter")
        await pilot.pause()
        assert app.screen is screen and screen.cart.customer_id == claire
        assert "Claire Martin" in text(app, "#pay-customer-name")
        await pilot.press(method_key(store, "CRED"), "enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert last_sale(store)["customer_id"] == claire


async def test_pay_all_on_cred_for_a_customer_found_by_name_takes_five_keys(store):
    claire = claire_id(store)
    credit.top_up(context(store), claire, 3000, "ESP")
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot, CASHIER_ID)
        await scan(pilot, JAM)
        before = sale_count(store)
        keys = []

        async def key(name: str) -> None:
            keys.append(name)
            await pilot.press(name)
            await pilot.pause()

        await key("f2")
        await pilot.press(*"claire mar")  # the search text, not counted
        await pilot.pause()
        await key("enter")
        await key("f10")
        await key(method_key(store, "CRED"))
        await key("enter")
        assert len(keys) == 5
        assert isinstance(app.screen, CheckoutScreen) and sale_count(store) == before + 1
        sale = last_sale(store)
        assert sale["customer_id"] == claire
        assert store.query("SELECT method, amount FROM sale_payments WHERE sale_id = ?", (sale["id"],)) == [
            {"method": "CRED", "amount": 460}]
        assert "25,40" in text(app, "#last-balance")


async def test_cash_over_the_rest_closes_at_once_and_the_change_stays_until_the_next_scan(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await to_payment(app, pilot, JAM)  # 4,60
        await pilot.press(method_key(store, "ESP"), "1", "0", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert last_sale(store)["change_given"] == 540
        assert "5,40" in text(app, "#last-change") and app.screen.query_one("#last-change").display


# -- balances in words, login, landing, lookup -> sale -------------------------------------------------

from textual.widgets import OptionList  # noqa: E402
from pos_tui.ui.screens.login import LoginScreen  # noqa: E402
from pos_tui.ui.screens.lookup import LookupScreen  # noqa: E402
from pos_tui.store import users as users_store  # noqa: E402


async def test_debt_is_written_in_words_in_the_customer_box_and_the_search_list(store):
    claire = claire_id(store)
    settings.set_customer_debt_limit(context(store), claire, 5000)
    credit.refund(context(store), claire, 1250, "ESP")
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot)
        await scan(pilot, JAM)
        await scan(pilot, CLAIRE_CARD)
        assert "-12,50 € (dette)" in text(app, "#customer-balance").replace("\u00a0", " ")
        await pilot.press("f10")
        await pilot.pause()
        assert "-12,50 € (dette)" in text(app, "#pay-customer-balance").replace("\u00a0", " ")
        await pilot.press("escape", "f2")
        await pilot.pause()
        await pilot.press(*"claire mar")
        await pilot.pause()
        table = app.screen.query_one("#lookup-results", DataTable)
        assert "(dette)" in str(table.get_row_at(0)[-1])


async def test_the_pin_can_be_typed_at_once_on_the_login_screen(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        first = app.screen.query_one("#login-users", OptionList)
        assert first.highlighted == 0 and first.get_option_at_index(0).id == "Marie"
        await pilot.press(*"1234", "enter")  # the demo's Marie
        await pilot.pause()
        assert app.till.logged_in and app.ctx.user.name == "Marie"


@pytest.mark.parametrize("user_id, manager_home, landing", [
    (CASHIER_ID, None, CheckoutScreen), (1, None, CheckoutScreen), (1, "lookup", LookupScreen),
    (CASHIER_ID, "lookup", CheckoutScreen)])
async def test_after_login_the_till_opens_on_the_sale(store, user_id, manager_home, landing):
    if manager_home:
        with store.write():
            settings.put(store, settings.MANAGER_HOME, manager_home)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        app.logged_in(users_store.by_id(store, user_id))
        await pilot.pause()
        assert isinstance(app.screen, landing)


async def test_a_customer_opened_in_the_lookup_goes_into_the_sale_with_f3(store):
    claire = claire_id(store)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot, CASHIER_ID)
        await scan(pilot, JAM)
        await pilot.press("f2")  # from the sale: the lookup picks...
        await pilot.pause()
        await pilot.press("escape")  # ...but here the cashier goes to the lookup screen itself
        await pilot.pause()
        app.action_customers()
        await pilot.pause()
        await pilot.press(*"claire mar", "enter")  # opens Claire's card
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert app.screen.cart.customer_id == claire and len(app.screen.cart.lines) == 1
        assert text(app, "#customer-name") == "Claire Martin"


# -- the other fields where a code is scanned: returns, vouchers, lookup ------------------------------

from pos_tui.ui.screens.customer import CustomerCardScreen  # noqa: E402
from pos_tui.ui.screens.returns import ReturnsScreen  # noqa: E402
from pos_tui.ui.screens.vouchers import VouchersScreen  # noqa: E402


async def test_two_receipts_scanned_back_to_back_on_the_returns_screen(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot)
        app.push_screen(ReturnsScreen())
        await pilot.pause()
        await burst(pilot, scans("1", "2"))
        assert text(app, "#returns-error") == ""
        assert app.screen.sale["number"] == 2


async def test_two_voucher_codes_scanned_back_to_back_on_the_vouchers_screen(store):
    first, second = vouchers_service.listing(store, "valid")[:2]
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot)
        app.push_screen(VouchersScreen())
        await pilot.pause()
        await burst(pilot, scans(first["code"], second["code"]))
        assert text(app, "#vouchers-error") == ""
        assert second["code"][:4] in text(app, "#vouchers-detail")


async def test_a_card_scanned_in_the_lookup_opens_that_customer_whatever_follows(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot)
        app.action_customers()
        await pilot.pause()
        await burst(pilot, [*scans(CLAIRE_CARD), *"zz"])
        assert isinstance(app.screen, CustomerCardScreen) and app.screen.customer_id == claire_id(store)
