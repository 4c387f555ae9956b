"""Back office screens (issue 11): staff, switch cashier, products, shelf labels, shop identity — Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from helpers_barcode import read_svg
from helpers_ui import CASHIER_NAME, CASHIER_PIN, MANAGER_NAME, MANAGER_PIN, build_ui_shop, login, text_of
from pos_tui.domain.cart import Cart
from pos_tui.domain.payment import Tender
from pos_tui.services import auth, checkout, products
from pos_tui.ui.app import PosApp
from pos_tui.ui.screens.products import PriceHistoryScreen, ProductFormScreen, ProductsScreen
from pos_tui.ui.screens.shop_settings import ShopSettingsScreen
from pos_tui.ui.screens.staff import AddUserScreen, PinScreen, RightsScreen, StaffScreen

SIZE = (80, 24)


@pytest.fixture
def shop(tmp_path, monkeypatch):
    monkeypatch.setattr(auth, "_sleep", lambda s: None)
    shop = build_ui_shop(tmp_path)
    try:
        yield shop
    finally:
        shop.store.close()


def fill(app, selector: str, value: str) -> None:
    app.screen.query_one(selector, Input).value = value


def user_row(store, name: str) -> dict:
    return store.one("SELECT * FROM users WHERE name = ?", (name,))


async def open_staff(app, pilot) -> StaffScreen:
    await login(pilot, MANAGER_NAME, MANAGER_PIN)
    await pilot.press("ctrl+y")
    await pilot.pause()
    assert isinstance(app.screen, StaffScreen)
    return app.screen


async def highlight(pilot, screen, table_id: str, key: str) -> None:
    table = screen.query_one(table_id, DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(key), animate=False)
    await pilot.pause()


async def test_s11_add_a_cashier_then_log_in_as_them(shop):
    app = PosApp(store=shop.store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_staff(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, AddUserScreen)
        await pilot.press(*"Léa", "enter", *"2468", "enter", *"2469", "enter")
        await pilot.press("enter")  # on the preset: save
        await pilot.pause()
        assert "differ" in text_of(app.screen.query_one("#user-error")) or "diffèrent" in text_of(
            app.screen.query_one("#user-error"))
        assert user_row(shop.store, "Léa") is None  # refused: nothing written
        fill(app, "#user-pin2", "2468")
        app.screen.query_one("#user-role").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RightsScreen)  # then the per-right toggles
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert user_row(shop.store, "Léa")["role"] == "cashier"
        await pilot.press("ctrl+l")  # switch cashier: back to the login
        await pilot.pause()
        assert app.ctx is None
        await login(pilot, "Léa", "2468")
        assert app.ctx is not None and app.ctx.user.name == "Léa"


async def test_s11_reset_a_pin_and_unlock(shop):
    for _ in range(5):
        with pytest.raises(Exception):
            auth.login(shop.store, CASHIER_NAME, "9999")
    assert user_row(shop.store, CASHIER_NAME)["locked"] == 1
    app = PosApp(store=shop.store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_staff(app, pilot)
        paul = str(user_row(shop.store, CASHIER_NAME)["id"])
        await highlight(pilot, screen, "#staff-list", paul)
        await pilot.press("u")
        await pilot.pause()
        assert user_row(shop.store, CASHIER_NAME)["locked"] == 0
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        await pilot.press(*"8642", "enter", *"8642", "enter")
        await pilot.pause()
        assert app.screen is screen
    assert auth.login(shop.store, CASHIER_NAME, "8642").name == CASHIER_NAME


async def test_s11_deactivate_and_refuse_the_last_manager(shop):
    app = PosApp(store=shop.store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_staff(app, pilot)
        marie = str(user_row(shop.store, MANAGER_NAME)["id"])
        await highlight(pilot, screen, "#staff-list", marie)
        await pilot.press("d")
        await pilot.pause()
        assert user_row(shop.store, MANAGER_NAME)["active"] == 1
        error = text_of(screen.query_one("#staff-error"))
        assert MANAGER_NAME in error and ("last active manager" in error or "dernier gérant actif" in error)
        paul = str(user_row(shop.store, CASHIER_NAME)["id"])
        await highlight(pilot, screen, "#staff-list", paul)
        await pilot.press("d")
        await pilot.pause()
        assert user_row(shop.store, CASHIER_NAME)["active"] == 0
        await pilot.press("d")
        await pilot.pause()
        assert user_row(shop.store, CASHIER_NAME)["active"] == 1


async def test_cashier_sees_the_refusal_on_the_staff_screen(shop):
    app = PosApp(store=shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, CASHIER_NAME, CASHIER_PIN)
        await pilot.press("ctrl+y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StaffScreen)
        assert screen.query_one("#staff-list", DataTable).row_count == 0
        assert text_of(screen.query_one("#staff-error"))  # the right it lacks, said at once


# -- products -------------------------------------------------------------------------------------

JAM = "3762428454229"  # demo: Confiture abricot 370 g, 4,60 at 5,5 %


@pytest.fixture
def demo(tmp_path, monkeypatch):
    from helpers_ui_checkout import demo_store

    monkeypatch.chdir(tmp_path)  # label sheets are written in the current folder
    store = demo_store(tmp_path)
    try:
        yield store
    finally:
        store.close()


async def open_products(app, pilot, search: str = "") -> ProductsScreen:
    from helpers_ui_checkout import MANAGER_ID
    from pos_tui.store import users

    app.logged_in(users.by_id(app.store, MANAGER_ID))
    await pilot.pause()
    await pilot.press("ctrl+g")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ProductsScreen)
    if search:
        await pilot.press(*search)
        await pilot.pause()
    return screen


def listed(screen) -> list[str]:
    table = screen.query_one("#products-list", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_search_as_you_type(demo):
    app = PosApp(store=demo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_products(app, pilot, "confit")
        assert JAM in listed(screen)
        assert all("onfit" in str(screen.query_one("#products-list", DataTable).get_row_at(i)[1])
                   for i in range(len(listed(screen))))
        await pilot.press(*"ure abr")
        await pilot.pause()
        assert listed(screen) == [JAM]


async def test_s11_price_change_new_scan_new_price_old_sale_keeps_old(demo):
    from helpers_ui_checkout import CASHIER_ID, context, scan

    cart = Cart()
    cart.add_product(checkout.scan(demo, JAM).product)
    old = checkout.close_sale(context(demo, CASHIER_ID), cart, [Tender("ESP", 460)])
    app = PosApp(store=demo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_products(app, pilot, JAM)
        await pilot.press("down", "e")
        await pilot.pause()
        assert isinstance(app.screen, ProductFormScreen)
        fill(app, "#product-price", "4,90")
        app.screen.query_one("#product-vat", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert demo.scalar("SELECT price FROM products WHERE barcode = ?", (JAM,)) == 490
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, PriceHistoryScreen)
        history = app.screen.query_one("#history-list", DataTable)
        assert history.row_count >= 1 and "Marie" in str(history.get_row_at(0)[3])
        await pilot.press("escape")
        await pilot.press("f3")
        await pilot.pause()
        await scan(pilot, JAM)
        assert app.till.cart.lines[-1].unit_price == 490
    assert demo.scalar("SELECT unit_price FROM sale_lines WHERE sale_id = ?", (old.sale_id,)) == 460


async def test_s11_deactivated_product_scan_refused_with_a_clear_message(demo):
    from helpers_ui_checkout import scan, text

    app = PosApp(store=demo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_products(app, pilot, JAM)
        await pilot.press("down", "d")
        await pilot.pause()
        assert demo.scalar("SELECT active FROM products WHERE barcode = ?", (JAM,)) == 0
        assert "inactive" in str(screen.query_one("#products-list", DataTable).get_row_at(0)[4]) or \
            "désactivé" in str(screen.query_one("#products-list", DataTable).get_row_at(0)[4])
        await pilot.press("f3")
        await pilot.pause()
        await scan(pilot, JAM)
        message = text(app, "#checkout-error")
        assert "Confiture abricot 370 g" in message and ("désactivé" in message or "deactivated" in message)
        assert not app.till.cart.lines


async def test_s11_new_bulk_product_with_shelf_labels(demo, tmp_path):
    app = PosApp(store=demo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_products(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ProductFormScreen)
        await pilot.press("enter")  # no barcode: the next in-store EAN-13
        await pilot.press(*"Olives vertes vrac", "enter", *"2,90", "enter", *"5,5", "enter")
        await pilot.pause()
        assert app.screen is screen
        row = demo.one("SELECT barcode, price, vat_rate FROM products WHERE name = 'Olives vertes vrac'")
        assert row["barcode"].startswith("2") and (row["price"], row["vat_rate"]) == (290, 550)
        assert listed(screen) == [row["barcode"]]
        await pilot.press("l")
        await pilot.pause()
    sheet = tmp_path / f"pos-tui-labels-{row['barcode']}.svg"
    assert read_svg(sheet.read_text(encoding="utf-8")) == [row["barcode"]] * 24


async def test_shop_identity_dialog(shop):
    from pos_tui.services import settings

    app = PosApp(store=shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        app.push_screen(ShopSettingsScreen())
        await pilot.pause()
        fill(app, "#shop-name", "Épicerie du Marché")
        fill(app, "#shop-address1", "12 rue des Halles")
        fill(app, "#shop-address2", "69001 Lyon")
        fill(app, "#shop-siret", "51234567900008")  # wrong key: refused, nothing saved
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ShopSettingsScreen)
        assert settings.shop_identity(shop.store).siret == ""
        fill(app, "#shop-siret", "512 345 679 00009")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ShopSettingsScreen)
    identity = settings.shop_identity(shop.store)
    assert (identity.address, identity.siret) == ("12 rue des Halles\n69001 Lyon", "51234567900009")


async def test_lock_badge_appears_without_a_restart(shop, monkeypatch):
    """Issue 13: a user locked while the staff screen is open shows as locked at once, not after a restart."""
    import pos_tui.ui.screens.staff as staff_screen

    monkeypatch.setattr(staff_screen, "STAFF_POLL_S", 0.05, raising=False)
    app = PosApp(store=shop.store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_staff(app, pilot)
        table = screen.query_one("#staff-list", DataTable)
        paul = str(user_row(shop.store, CASHIER_NAME)["id"])
        assert table.get_cell(paul, "state").plain != "verrouillé"
        for _ in range(5):  # another terminal's login screen
            with pytest.raises(Exception):
                auth.login(shop.store, CASHIER_NAME, "9999")
        await pilot.pause(0.3)
        assert table.get_cell(paul, "state").plain == "verrouillé"
        # and back from a dialog, the list is the database's
        with shop.store.write():
            shop.store.conn.execute("UPDATE users SET locked = 0, failed_pins = 0 WHERE id = ?", (int(paul),))
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert table.get_cell(paul, "state").plain == "actif"
