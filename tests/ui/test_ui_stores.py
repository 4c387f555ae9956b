"""A till of another store (issue 18): the header and the X say which store it is."""

from __future__ import annotations

from helpers_ui import MANAGER_NAME, MANAGER_PIN, login, text_of, ui_shop  # noqa: F401 - fixture

from pos_tui.services import stores
from pos_tui.store.db import Store
from pos_tui.ui.app import PosApp
from pos_tui.ui.screens.closing import ClosingScreen


async def test_s18_till_of_a_second_store_names_it(ui_shop):  # noqa: F811 - fixture
    stores.add_store(ui_shop.manager, "PARIS", "Paris Bastille")
    paris = Store(ui_shop.store.path, clock=ui_shop.store.clock, store_code="PARIS")
    try:
        app = PosApp(store=paris, terminal=3)
        async with app.run_test(size=(100, 32)) as pilot:
            await login(pilot, MANAGER_NAME, MANAGER_PIN, lookup=False)
            assert app.sub_title.startswith("PARIS · ")
            await pilot.press("f9")
            await pilot.pause()
            assert isinstance(app.screen, ClosingScreen)
            assert text_of(app.screen.query_one("#x-day")).startswith("Magasin PARIS · ")
    finally:
        paris.close()


async def test_s18_single_store_header_is_unchanged(ui_shop):  # noqa: F811 - fixture
    app = PosApp(store=ui_shop.store)
    async with app.run_test(size=(100, 32)) as pilot:
        await login(pilot, MANAGER_NAME, MANAGER_PIN, lookup=False)
        assert "MAIN" not in app.sub_title and app.sub_title.startswith("Caisse 1")
