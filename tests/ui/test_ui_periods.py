"""Issue 15: the closing screen's "Months and years" tab (F11) lists, prints and archives the closings."""

from __future__ import annotations

import stat

import pytest
from helpers_fiscal import FiscalShop
from textual.widgets import DataTable, TabbedContent

from pos_tui.i18n import _
from pos_tui.services import archive, periods
from pos_tui.ui.app import PosApp

SIZE = (110, 34)


@pytest.fixture
def shop(tmp_path):
    shop = FiscalShop(tmp_path)
    shop.day("2026-10-30", (1200, "ESP", 2000), (3400, "CB", 550))
    shop.day("2026-11-02", (500, "ESP", 2000))  # closes October
    yield shop
    shop.store.close()


async def _open_periods(app, pilot, shop):
    app.logged_in(shop.manager.user)
    await pilot.pause()
    await pilot.press("f9")
    await pilot.pause()
    await pilot.press("f11")
    await pilot.pause()
    return app.screen


async def test_months_tab_lists_prints_and_archives_the_closings(shop):
    app = PosApp(store=shop.store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await _open_periods(app, pilot, shop)
        assert screen.query_one("#closing-tabs", TabbedContent).active == "tab-periods"
        table = screen.query_one("#periods-table", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][0] == _("Month n° {number}").format(number=1) and rows[0][1] == "2026-10"
        assert rows[0][2] == "1" and "46,00" in rows[0][3] and "46,00" in rows[0][4]
        assert app.focused is table
        await pilot.press("f10")  # prints the selected closing (no printer here: it must not fail)
        await pilot.pause()
        await pilot.press("ctrl+a")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        folder = shop.path.parent / "archives"
        written = folder / "pos-tui-archive-2026-10.zip"
        assert written.exists() and stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert any(str(written) in m for m in messages), messages
    assert archive.verify(written, archive.read_key(shop.path.with_name("shop.db.key"))).problems == []


async def test_fiscal_year_start_is_chosen_by_a_manager_only(shop):
    from textual.widgets import Select

    app = PosApp(store=shop.store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await _open_periods(app, pilot, shop)
        screen.query_one("#fiscal-year-start", Select).value = 4
        await pilot.pause()
    assert periods.fiscal_year_start_month(shop.store) == 4
    cashier_app = PosApp(store=shop.store)
    async with cashier_app.run_test(size=SIZE, notifications=True) as pilot:
        cashier_app.logged_in(shop.cashier.user)
        await pilot.pause()
        await pilot.press("f9")  # a cashier has no closing right: the screen says so
        await pilot.pause()
        assert not cashier_app.screen.query("#periods-table")
