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


def _count_x_reads(monkeypatch) -> list:
    """Every ``closing.summary`` call (one X read) from now on, appended to the list returned."""
    calls = []
    real = closing.summary
    monkeypatch.setattr(closing, "summary", lambda *a, **k: calls.append(a) or real(*a, **k))
    return calls


async def test_f9_computes_the_x_once_per_open(tmp_path, monkeypatch):
    shop = make_shop(tmp_path)
    credit.top_up(shop.manager_ctx, shop.claire.id, 2500, "CB")
    calls = _count_x_reads(monkeypatch)
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
    calls = _count_x_reads(monkeypatch)
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


# -- F9 built while the till is idle (issue 17: F9 painted within 150 ms) ------------------------------------

async def _prebuilt(app, pilot) -> ClosingScreen:
    """Wait (bounded) until the app has built the closing screen in the background."""
    for _attempt in range(250):
        stack = app._screen_stacks.get("closing", [])
        if stack and stack[0].prebuilt:
            await pilot.pause()
            return stack[0]
        await pilot.pause(0.02)
    raise AssertionError("the closing screen was not built in the background")


async def _log_in_and_prebuild(app, pilot, user) -> ClosingScreen:
    """Log ``user`` in and wait for the closing screen the app then builds in the background."""
    app.logged_in(user)
    await pilot.pause()
    return await _prebuilt(app, pilot)


def _quick_prebuild(app) -> None:
    app.PREBUILD_AFTER, app.PREBUILD_IDLE = 0.01, 0.0


async def test_f9_built_while_idle_shows_a_sale_closed_after_the_build(tmp_path, monkeypatch):
    """The screen built before F9 holds the X of its build; shown, it reads the X once more, so a sale closed in
    between is counted (and the X is read once per open)."""
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.payment import Tender
    from pos_tui.services import checkout

    shop = make_shop(tmp_path)
    calls = _count_x_reads(monkeypatch)
    app = shop.app()
    _quick_prebuild(app)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _log_in_and_prebuild(app, pilot, shop.marie)
        assert not isinstance(app.screen, ClosingScreen) and len(calls) == 1
        assert format_money(4321, locale()) not in _blocks_text(screen)
        cart = Cart()
        cart.add_free("Thé", 4321, 550)
        checkout.close_sale(shop.manager_ctx, cart, [Tender("CB", 4321)])
        await pilot.press("f9")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen and len(calls) == 2  # the one built before, one X read on showing it
        assert format_money(4321, locale()) in _blocks_text(screen)
        painted = "\n".join(strip.text for strip in screen._compositor.render_strips())
        assert "5,5 %" in painted and format_money(4321, locale()) in painted  # a row more, laid out and painted
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert app.screen is screen and len(calls) == 3


async def test_a_user_switch_drops_the_closing_screen_built_for_the_manager(tmp_path):
    """Ctrl+L then a cashier: F9 builds the cashier's own screen (refused), never shows the manager's; a cashier
    without the closing right gets nothing built in the background."""
    shop = make_shop(tmp_path)
    app = shop.app()
    _quick_prebuild(app)
    async with app.run_test(size=(120, 36)) as pilot:
        managers = await _log_in_and_prebuild(app, pilot, shop.marie)
        await pilot.press("ctrl+l")
        await pilot.pause()
        app.logged_in(shop.paul)
        for _attempt in range(10):  # longer than the build needed for the manager
            await pilot.pause(0.02)
        assert "closing" not in app._screen_stacks
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ClosingScreen) and app.screen is not managers
        assert app.screen.denied is not None and app.screen.query_one("#closing-denied")


def test_the_background_build_waits_for_an_idle_till_and_no_open_sale(tmp_path):
    """Never in the middle of a scan burst: the build starts only PREBUILD_IDLE seconds after the last key,
    and not while the sale holds lines."""
    from pos_tui.domain.cart import Cart

    shop = make_shop(tmp_path)
    app = shop.app()
    app._last_input = 100.0
    assert app.prebuild_wait(100.5) == app.PREBUILD_IDLE - 0.5
    assert app.prebuild_wait(100.0 + app.PREBUILD_IDLE) == 0
    app.till.cart = Cart()
    app.till.cart.add_free("Thé", 100, 550)
    assert app.prebuild_wait(1000.0) >= app.PREBUILD_IDLE


async def test_keys_of_a_screen_left_for_f9_are_shown_again_when_it_comes_back(tmp_path):
    """A footer does not rebuild its keys while its screen is hidden; shown again, it shows its keys."""
    from helpers_ui_screens import footer_keys

    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.logged_in(shop.marie)
        await pilot.pause()
        await pilot.pause()
        before = footer_keys(app)
        assert before[0]
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert footer_keys(app) == before


async def test_a_theme_changed_while_f9_was_away_shows_when_it_comes_back(tmp_path):
    """Showing the closing screen again skips Textual's restyle of every widget when nothing it depends on
    changed; a theme chosen on another screen (built before F9 or shown before) still shows on it."""
    from textual.widgets import Header

    shop = make_shop(tmp_path)
    app = shop.app()
    _quick_prebuild(app)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _log_in_and_prebuild(app, pilot, shop.marie)
        styled = []
        real = screen.update_node_styles
        screen.update_node_styles = lambda *a, **k: styled.append(1) or real(*a, **k)

        def header_background():
            return screen.query_one(Header).styles.background

        themes = [name for name in app.available_themes if name != app.theme]
        for theme in (themes[0], None, themes[1]):  # a theme changed before the first showing, none, one after
            before = header_background()
            if theme is not None:
                app.theme = theme
                await pilot.pause()
            shown = app.screen.query_one(Header).styles.background  # the screen in front: restyled at once
            styled.clear()
            await pilot.press("f9")
            await pilot.pause()
            await pilot.pause()
            assert app.screen is screen
            if theme is None:  # nothing changed: the restyle is skipped, the colours stay
                assert not styled and header_background() == before
            else:
                assert header_background() != before and header_background() == shown
            await pilot.press("f2")
            await pilot.pause()
