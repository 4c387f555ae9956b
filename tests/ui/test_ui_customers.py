"""Pilot tests: login, customer lookup, card, create / edit form (SPEC §2, §3, §12)."""

from __future__ import annotations

from helpers_ui import CASHIER_NAME, CASHIER_PIN, MANAGER_NAME, MANAGER_PIN, login, text_of, ui_shop  # noqa: F401
from textual.widgets import DataTable, Input

from pos_tui import i18n
from pos_tui.services import auth
from pos_tui.ui.app import PosApp
from pos_tui.ui.screens.customer import CustomerCardScreen, CustomerFormScreen
from pos_tui.ui.screens.login import LoginScreen
from pos_tui.ui.screens.lookup import LookupScreen

SIZE = (100, 30)


def result_names(app) -> list[str]:
    table = app.screen.query_one("#lookup-results", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def search(pilot, text: str) -> None:
    """Put ``text`` in the search field (as a paste would: one Input.Changed) and wait."""
    search_input = pilot.app.screen.query_one("#lookup-search", Input)
    search_input.focus()
    search_input.value = text
    await pilot.pause()


async def open_form_and_fill(pilot, **fields: str) -> None:
    """Ctrl+N, then fill the form (values set directly: typing every key is slow under Pilot)."""
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CustomerFormScreen)
    for key, value in fields.items():
        pilot.app.screen.query_one(f"#form-{key}", Input).value = value


# -- login ----------------------------------------------------------------------------

async def test_login_wrong_pin_shows_error_and_stays(ui_shop):
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, CASHIER_NAME, "9999")
        assert isinstance(app.screen, LoginScreen)
        error = text_of(app.screen.query_one("#login-error"))
        assert error == "Code PIN erroné (4 essais restants)."
        assert app.ctx is None
    assert ui_shop.store.scalar("SELECT failed_pins FROM users WHERE name = ?", (CASHIER_NAME,)) == 1


async def test_login_right_pin_then_lookup_lists_everyone(ui_shop):
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        assert isinstance(app.screen, LookupScreen)
        assert app.ctx.user.name == MANAGER_NAME
        assert app.focused is app.screen.query_one("#lookup-search", Input)
        # the empty search lists every customer, by last name
        assert result_names(app) == ["Hélène Dubois", "Jérôme Lefèvre", "Françoise Lemaître",
                                     "Claire Martin", "Louis Martin", "Sofia Martinez"]
        assert text_of(app.screen.query_one("#lookup-status")) == "6 clients"


# -- lookup ---------------------------------------------------------------------------

async def test_search_mart_lists_the_martins(ui_shop):
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        await pilot.press(*"mart")
        await pilot.pause()
        assert sorted(result_names(app)) == ["Claire Martin", "Louis Martin", "Sofia Martinez"]
        assert text_of(app.screen.query_one("#lookup-status")) == "3 clients"

        await search(pilot, "hel")
        assert result_names(app) == ["Hélène Dubois"]
        assert text_of(app.screen.query_one("#lookup-status")) == "1 client"

        await search(pilot, "zzz")
        assert result_names(app) == []
        assert text_of(app.screen.query_one("#lookup-status")) == "Aucun client ne correspond à « zzz »."

        await pilot.press("escape")  # clears the search: everyone again
        await pilot.pause()
        assert app.screen.query_one("#lookup-search", Input).value == ""
        assert len(result_names(app)) == 6


async def test_keys_between_search_and_results(ui_shop):
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        search_input = app.screen.query_one("#lookup-search", Input)
        table = app.screen.query_one("#lookup-results", DataTable)
        await search(pilot, "mar")
        await pilot.press("down", "down")
        assert app.focused is table and table.cursor_row == 1
        await pilot.press("up", "up")  # Up on the first row goes back to the search
        assert app.focused is search_input
        await pilot.press("down")
        await pilot.press("t")  # typing in the table goes on with the search
        assert app.focused is search_input
        assert search_input.value == "mart"
        await pilot.pause()
        assert len(result_names(app)) == 3


async def test_pick_mode_returns_the_customer(ui_shop):
    """The sale opens the lookup with pick=True: Enter hands the customer back, Esc cancels."""
    picked = []
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        await app.push_screen(LookupScreen(pick=True), picked.append)
        await pilot.pause()
        await search(pilot, "sofia")
        await pilot.press("enter")
        await pilot.pause()
        assert picked == [ui_shop.ids["Sofia Martinez"]]
        assert isinstance(app.screen, LookupScreen) and not app.screen.pick

        await app.push_screen(LookupScreen(pick=True), picked.append)
        await pilot.pause()
        await search(pilot, "zz")
        await pilot.press("escape")  # clears the search
        await pilot.pause()
        assert isinstance(app.screen, LookupScreen) and app.screen.pick
        await pilot.press("escape")  # on an empty search: back without a customer
        await pilot.pause()
        assert picked[-1] is None
        assert not app.screen.pick


async def test_search_by_phone_and_card_code(ui_shop):
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        await search(pilot, "06 98")
        assert result_names(app) == ["Louis Martin"]
        await search(pilot, "cl000004")
        assert result_names(app) == ["Françoise Lemaître"]


async def test_open_customer_card(ui_shop):
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        await search(pilot, "dubois")
        await pilot.press("enter")  # Enter in the search opens the first result
        await pilot.pause()
        assert isinstance(app.screen, CustomerCardScreen)
        assert text_of(app.screen.query_one("#card-name")) == "Hélène Dubois"
        assert text_of(app.screen.query_one("#card-phone")) == "02 10 65 49 12"
        assert text_of(app.screen.query_one("#card-card-code")) == "CL000002"
        assert app.current_customer_id == ui_shop.ids["Hélène Dubois"]

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LookupScreen)

        # Down into the table, Down again, Enter on the row
        await search(pilot, "martin")
        await pilot.press("down")
        assert app.focused is app.screen.query_one("#lookup-results", DataTable)
        table = app.screen.query_one("#lookup-results", DataTable)
        second = str(table.get_row_at(1)[0])
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CustomerCardScreen)
        assert text_of(app.screen.query_one("#card-name")) == second
        assert app.current_customer_id == ui_shop.ids[second]

        await pilot.press("f2")  # F2 from anywhere: back to the lookup, cursor kept
        await pilot.pause()
        assert isinstance(app.screen, LookupScreen)
        assert table.cursor_row == 1


async def test_create_customer(ui_shop):
    before = ui_shop.customer_count()
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, CASHIER_NAME, CASHIER_PIN)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, CustomerFormScreen)
        assert app.focused is app.screen.query_one("#form-first_name", Input)
        # typed like a cashier: Enter or Tab moves to the next field
        await pilot.press(*"Anne", "enter", *"Petit", "tab", "tab", *"0611223344")
        assert app.focused is app.screen.query_one("#form-phone", Input)
        app.screen.query_one("#form-email", Input).value = "Anne.Petit@Example.fr"
        app.screen.query_one("#form-card_code", Input).value = "cl000099"
        await pilot.press("ctrl+s")
        await pilot.pause()
        row = ui_shop.store.one("SELECT * FROM customers WHERE last_name = 'Petit'")
        assert row is not None
        assert (row["first_name"], row["phone"], row["email"], row["card_code"]) == (
            "Anne", "0611223344", "anne.petit@example.fr", "CL000099")
        assert ui_shop.customer_count() == before + 1
        assert isinstance(app.screen, CustomerCardScreen)
        assert app.screen.customer_id == row["id"]
        assert text_of(app.screen.query_one("#card-name")) == "Anne Petit"
        assert app.current_customer_id == row["id"]

        await pilot.press("escape")  # the lookup now lists her too
        await pilot.pause()
        assert isinstance(app.screen, LookupScreen)
        assert "Anne Petit" in result_names(app)


async def test_create_customer_duplicate_card_code_refused(ui_shop):
    before = ui_shop.customer_count()
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        await open_form_and_fill(pilot, first_name="Anne", last_name="Petit", card_code="CL000001")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CustomerFormScreen)
        assert text_of(app.screen.query_one("#form-error")) == (
            "Le code carte CL000001 est déjà utilisé par un autre client.")
        assert app.focused is app.screen.query_one("#form-card_code", Input)
        # fix it and save: accepted
        await pilot.press("backspace", "9")  # cursor at the end of the faulty field: CL000009 is free
        await pilot.click("#form-save")
        await pilot.pause()
        assert isinstance(app.screen, CustomerCardScreen)
    assert ui_shop.customer_count() == before + 1


async def test_create_customer_invalid_email_refused(ui_shop):
    before = ui_shop.customer_count()
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        await open_form_and_fill(pilot, last_name="Petit", email="anne.petit@example")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CustomerFormScreen)
        assert text_of(app.screen.query_one("#form-error")) == "Adresse e-mail invalide 'anne.petit@example'."
        assert ui_shop.customer_count() == before

        await pilot.press("escape")  # cancel: back on the lookup, nothing written
        await pilot.pause()
        assert isinstance(app.screen, LookupScreen)
    assert ui_shop.customer_count() == before


async def test_create_customer_refuses_bad_phone_and_empty_name(ui_shop):
    before = ui_shop.customer_count()
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        await open_form_and_fill(pilot, phone="12")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert text_of(app.screen.query_one("#form-error")) == "Un client doit avoir un prénom, un nom ou une société."
        app.screen.query_one("#form-company", Input).value = "ACME"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert text_of(app.screen.query_one("#form-error")).startswith("Numéro de téléphone invalide '12'")
        assert app.focused is app.screen.query_one("#form-phone", Input)
    assert ui_shop.customer_count() == before


async def test_edit_customer(ui_shop):
    claire = ui_shop.ids["Claire Martin"]
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        await search(pilot, "claire")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CustomerCardScreen)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        assert form.query_one("#form-first_name", Input).value == "Claire"
        assert form.query_one("#form-phone", Input).value == "06 12 34 56 78"
        form.query_one("#form-company", Input).value = "Boulangerie Martin"
        form.query_one("#form-email", Input).value = "claire@boulangerie.fr"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CustomerCardScreen)
        assert text_of(app.screen.query_one("#card-company")) == "Boulangerie Martin"
        assert text_of(app.screen.query_one("#card-email")) == "claire@boulangerie.fr"

        # an edit that would steal another customer's card code is refused
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#form-card_code", Input).value = "CL000002"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CustomerFormScreen)
        assert "CL000002" in text_of(app.screen.query_one("#form-error"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CustomerCardScreen)
    row = ui_shop.customer_row(claire)
    assert (row["company"], row["email"], row["card_code"]) == ("Boulangerie Martin", "claire@boulangerie.fr",
                                                                "CL000001")


# -- rights ---------------------------------------------------------------------------

async def test_cashier_sees_no_balance_without_view_right(ui_shop):
    auth.set_rights(ui_shop.manager, ui_shop.cashier.user.id, set())
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, CASHIER_NAME, CASHIER_PIN)
        table = app.screen.query_one("#lookup-results", DataTable)
        assert [c.value for c in table.columns] == ["name", "company", "phone", "card"]
        await search(pilot, "helene")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CustomerCardScreen)
        assert not app.screen.query("#card-balance")
        assert not app.screen.query("#card-debt-limit")
        assert "12,50" not in "".join(text_of(w) for w in app.screen.query("Static"))


async def test_manager_sees_balances(ui_shop):
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        table = app.screen.query_one("#lookup-results", DataTable)
        assert [c.value for c in table.columns] == ["name", "company", "phone", "card", "balance"]
        await search(pilot, "martin")
        louis = table.get_row(str(ui_shop.ids["Louis Martin"]))
        assert str(louis[4]) == "-20,00\xa0€ (dette)"  # in words too (issue 13)
        assert "red" in str(louis[4].style)

        await search(pilot, "helene")
        helene = table.get_row(str(ui_shop.ids["Hélène Dubois"]))
        assert str(helene[4]) == "12,50\xa0€ (crédit)"
        assert "green" in str(helene[4].style)
        await pilot.press("enter")
        await pilot.pause()
        assert text_of(app.screen.query_one("#card-balance")) == "12,50\xa0€  crédit"
        assert text_of(app.screen.query_one("#card-debt-limit")) == "0,00\xa0€"


async def test_card_refreshes_balance_on_resume(ui_shop):
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        await search(pilot, "louis")
        await pilot.press("enter")
        await pilot.pause()
        card = app.screen
        assert text_of(card.query_one("#card-balance")) == "-20,00\xa0€  dette"
        assert text_of(card.query_one("#card-debt-limit")) == "50,00\xa0€"
        # another screen on top (as the credit panel would be), a top-up meanwhile, then back
        from pos_tui.services import credit
        from textual.screen import Screen

        await app.push_screen(Screen())
        credit.top_up(app.ctx, card.customer_id, 3000, "CB")
        app.pop_screen()
        await pilot.pause()
        assert app.screen is card
        assert text_of(card.query_one("#card-balance")) == "10,00\xa0€  crédit"


# -- layout and language --------------------------------------------------------------

async def test_lookup_usable_at_80x24(ui_shop):
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        screen = app.screen
        for selector in ("#lookup-search", "#lookup-results", "#lookup-status"):
            region = screen.query_one(selector).region
            assert region.area > 0, selector
            assert screen.region.contains_region(region), selector
        table = screen.query_one("#lookup-results", DataTable)
        assert table.region.height >= 8
        # every column fits: no horizontal scrolling needed
        assert table.virtual_size.width <= table.region.width

        # the card and the form fit too
        await pilot.press("enter")
        await pilot.pause()
        assert screen.region.contains_region(app.screen.query_one("#card-balance").region)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        for selector in ["#form-note", "#form-error", "#form-save", "#form-cancel"]:
            region = form.query_one(selector).region
            assert region.area > 0 and form.region.contains_region(region), selector


async def test_lookup_in_english(ui_shop):
    i18n.set_language("en")
    try:
        app = PosApp(store=ui_shop.store)
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, MANAGER_NAME, "1111")
            assert text_of(app.screen.query_one("#login-error")) == "Wrong PIN (4 tries left)."
            await login(pilot, MANAGER_NAME, MANAGER_PIN)
            await pilot.press(*"mart")
            await pilot.pause()
            assert text_of(app.screen.query_one("#lookup-status")) == "3 customers"
            table = app.screen.query_one("#lookup-results", DataTable)
            assert [str(c.label) for c in table.columns.values()] == ["Name", "Company", "Phone", "Card", "Balance"]
            await search(pilot, "helene")
            assert str(table.get_row_at(0)[4]) == "€12.50 (credit)"
            await pilot.press("ctrl+n")
            await pilot.pause()
            app.screen.query_one("#form-last_name", Input).value = "Smith"
            app.screen.query_one("#form-email", Input).value = "nope"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert text_of(app.screen.query_one("#form-error")) == "Invalid email address 'nope'."
    finally:
        i18n.set_language("fr")


async def test_lookup_in_french(ui_shop):
    assert i18n.get_language() == "fr"
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN)
        table = app.screen.query_one("#lookup-results", DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["Nom", "Société", "Téléphone", "Carte", "Solde"]
        await search(pilot, "louis")
        await pilot.press("enter")
        await pilot.pause()
        labels = [str(w.content) for w in app.screen.query(".card-label")]
        assert labels == ["Société", "Téléphone", "E-mail", "Code carte", "Note", "Solde", "Plafond de dette"]
