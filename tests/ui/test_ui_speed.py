"""What issue 17's speed work must not lose (Pilot): F9 computes the X once per open, and a long credit
history is paged through a window of rows (memory stays flat) without losing any entry on the way."""

from __future__ import annotations

from textual.widgets import DataTable, TabbedContent

from helpers_ui_credit import make_shop, open_panel, text_of
from pos_tui.domain.money import format_money
from pos_tui.i18n import locale
from pos_tui.services import closing, credit
from pos_tui.ui.screens import credit_panel
from pos_tui.ui.screens.closing import ClosingScreen


async def test_f9_computes_the_x_once_per_open(tmp_path, monkeypatch):
    shop = make_shop(tmp_path)
    credit.top_up(shop.manager_ctx, shop.claire.id, 2500, "CB")
    calls = []
    real = closing.summary
    monkeypatch.setattr(closing, "summary", lambda *a, **k: calls.append(a) or real(*a, **k))
    app = shop.app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.logged_in(shop.marie)
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ClosingScreen)
        assert app.screen.data is not None and len(calls) == 1
        await pilot.press("f6")  # another tab: the figures are re-read (other tills may have sold)
        await pilot.pause()
        assert len(calls) == 2
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f9")  # back later: one fresh X
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ClosingScreen) and len(calls) == 3


async def test_long_history_is_paged_through_a_window_of_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(credit_panel, "PAGE_SIZE", 5)
    monkeypatch.setattr(credit_panel, "WINDOW_PAGES", 2)
    shop = make_shop(tmp_path)
    for i in range(23):
        credit.top_up(shop.manager_ctx, shop.claire.id, 100 + i, "CB", f"op {i}")
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, shop.marie, shop.claire.id)
        table = app.screen.query_one("#credit-history", DataTable)
        table.focus()
        seen = []
        for _ in range(12):  # down to the oldest entry, one page at a time
            seen += [table.get_row_at(r)[3].plain for r in range(table.row_count)]
            assert table.row_count <= 10
            await pilot.press("ctrl+end")
            await pilot.pause()
        assert table.get_row_at(table.row_count - 1)[3].plain == "op 0"
        assert text_of(app, "#credit-count").startswith("23 sur 23")
        assert set(seen) | {table.get_row_at(r)[3].plain for r in range(table.row_count)} == {
            f"op {i}" for i in range(23)}
        for _ in range(6):  # and back up to the newest: the pages dropped above come back
            await pilot.press("ctrl+home")
            await pilot.pause()
            assert table.row_count <= 10
        assert table.get_row_at(0)[3].plain == "op 22"
        rows = [table.get_row_at(r)[3].plain for r in range(table.row_count)]
        assert rows == [f"op {i}" for i in range(22, 22 - len(rows), -1)]  # in order, nothing twice


def _blocks_text(screen) -> str:
    """What the X's block widgets hold (the tables painted), as plain text."""
    import io

    from rich.console import Console

    console = Console(width=100, file=io.StringIO(), record=True, color_system=None)
    for block in screen.query("#x-summary .summary-block"):
        console.print(block.content)
    return console.export_text()


async def test_f9_builds_the_cash_past_z_and_months_tabs_when_first_shown(tmp_path, monkeypatch):
    """Issue 17: F9 composes the X and the chart only; the other tabs are built when first shown (by their key
    or a click), filled from the X already read."""
    from textual.widgets import Input

    shop = make_shop(tmp_path)
    credit.top_up(shop.manager_ctx, shop.claire.id, 2500, "ESP")
    calls = []
    real = closing.summary
    monkeypatch.setattr(closing, "summary", lambda *a, **k: calls.append(a) or real(*a, **k))
    app = shop.app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.logged_in(shop.marie)
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClosingScreen) and len(calls) == 1
        assert app.focused.id == "x-scroll"
        for selector in ("#count-total", "#movement-table", "#past-z", "#periods-table"):
            assert not screen.query(selector), selector
        await pilot.press("f7")
        await pilot.pause()
        for _attempt in range(100):  # the tab focuses its first field once painted
            if app.focused is not None and app.focused.id == "count-total":
                break
            await pilot.pause(0.02)
        assert app.focused.id == "count-total" and isinstance(app.focused, Input)
        assert str(screen.query_one("#cash-day").content) == str(screen.query_one("#x-day").content)
        assert format_money(screen.data["cash"]["expected"], locale()) in str(screen.query_one("#count-status").content)
        await pilot.click("#--content-tab-tab-z")  # a tab clicked with the mouse is built too
        await pilot.pause()
        assert screen.query_one("#closing-tabs", TabbedContent).active == "tab-z"
        assert screen.query_one("#past-z", DataTable).row_count == len(closing.z_list(shop.store))
        assert len(calls) == 1  # neither tab read the X again


async def test_f9_reopened_after_a_top_up_paints_the_new_figures(tmp_path):
    """The X's blocks whose figures did not change are not drawn again on a re-open; those that did are."""
    shop = make_shop(tmp_path)
    credit.top_up(shop.manager_ctx, shop.claire.id, 2500, "CB")
    app = shop.app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.logged_in(shop.marie)
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        before = _blocks_text(app.screen)
        assert format_money(2500, locale()) in before and format_money(6725, locale()) not in before
        await pilot.press("f2")
        await pilot.pause()
        credit.top_up(shop.manager_ctx, shop.claire.id, 4225, "CB")
        await pilot.press("f9")
        await pilot.pause()
        after = _blocks_text(app.screen)
        assert format_money(6725, locale()) in after  # the top-ups' total, 25,00 + 42,25
        assert after != before


async def test_startup_objects_are_kept_out_of_the_collectors_full_passes(tmp_path):
    """Issue 17: the collector's full passes re-walked every module and Textual object (100-200 ms each, landing
    in the middle of opening F9); the app freezes what start-up loaded."""
    import gc

    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.get_freeze_count() > 0
