"""The closing screen (F9) through Pilot, and ``pos-tui z`` (SPEC §8, issue 7, story S15).

Every test starts from the real demo store: 7 past days closed by Z and an open
"today" with every block of the summary filled. The demo is built once and copied.
"""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, TabbedContent

from pos_tui.cli import main
from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_amount, format_money
from pos_tui.i18n import _, locale
from pos_tui.services import auth, closing
from pos_tui.services.context import Context
from pos_tui.services.demo import open_demo
from pos_tui.store import users as users_store
from pos_tui.store.db import Store
from pos_tui.ui.app import PosApp
from pos_tui.ui.screens.closing import ClosingScreen, CloseDayConfirmScreen, SummaryView, ZDetailScreen, day_label

MARIE, PAUL = 1, 2
SIZE = (100, 32)


# -- fixtures and helpers ------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    open_demo(path).close()
    return path


def _copy_demo(template: Path, target: Path) -> Path:
    for suffix in ("", ".key"):
        source = Path(f"{template}{suffix}")
        if source.exists():
            shutil.copy(source, f"{target}{suffix}")
    return target


@pytest.fixture
def store(demo_template, tmp_path):
    s = open_demo(_copy_demo(demo_template, tmp_path / "demo.db"))
    try:
        yield s
    finally:
        s.close()


async def open_closing(app: PosApp, pilot, user_id: int = MARIE):
    """Log in without the PIN screen and press F9."""
    app.logged_in(users_store.by_id(app.store, user_id))
    await pilot.pause()
    await pilot.press("f9")
    await pilot.pause()
    return app.screen


async def focus_settled(pilot, widget_id: str, tries: int = 200) -> None:
    """Wait (bounded) until the screen's own deferred focus has landed on ``widget_id``."""
    for _attempt in range(tries):
        if pilot.app.focused is not None and pilot.app.focused.id == widget_id:
            return
        await pilot.pause(0.02)


async def type_into(pilot, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = ""
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector).content)


def z_count(store: Store) -> int:
    return store.scalar("SELECT count(*) FROM z_closings")


def sections(text: str, titles: list[str]) -> dict[str, list[str]]:
    """The lines of rendered summary text, grouped under the block titles they follow."""
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.strip() in titles:
            current = line.strip()
            found[current] = []
        elif current is not None and line.strip():
            found[current].append(line.strip())
    return found


def row_amount(lines: list[str], label: str) -> str:
    """The last column (the amount) of the row that starts with ``label``."""
    for line in lines:
        if line.startswith(label):
            return line[len(label):].split("  ")[-1].strip()
    raise AssertionError(f"no row {label!r} in {lines}")


# -- S15 ----------------------------------------------------------------------------------

async def test_s15_close_day_from_screen(store):
    day = closing.business_day(store)
    expected = closing.summary(store, day)["cash"]["expected"]
    before = z_count(store)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closing(app, pilot)
        assert isinstance(screen, ClosingScreen) and screen.day == day
        await pilot.press("f7")
        await focus_settled(pilot, "count-total")
        assert screen.query_one("#closing-tabs", TabbedContent).active == "tab-cash"
        assert app.focused.id == "count-total"
        await pilot.press(*"200,00")
        await pilot.pause()
        assert format_money(20000 - expected, locale()).lstrip("-") in text_of(app, "#count-status")

        # F12 asks first; "n" (or Escape) writes nothing.
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, CloseDayConfirmScreen)
        assert app.focused.id == "z-confirm-no"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and z_count(store) == before

        await pilot.press("f12")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, CloseDayConfirmScreen)
        assert (confirm.day, confirm.expected, confirm.counted) == (day, expected, 20000)
        assert day_label(day, "full") in text_of(app, "#z-confirm-title")
        await pilot.press("y")
        await pilot.pause()

        row = store.one("SELECT * FROM z_closings WHERE business_day = ?", (day,))
        assert row is not None and z_count(store) == before + 1
        assert (row["counted"], row["expected_cash"], row["cash_difference"]) == (20000, expected, 20000 - expected)
        assert row["user_id"] == MARIE
        # The screen now shows the next business day, empty.
        next_day = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
        assert app.screen is screen and screen.day == next_day
        assert screen.data["sales_count"] == 0 and screen.data["from"] == next_day
        assert day_label(next_day, "full") in text_of(app, "#x-day")
        assert _("Z n° {number} recorded for {day}.").format(number=row["number"], day=day_label(day)) \
            in text_of(app, "#closing-message")
        assert screen.query_one("#count-total", Input).value == ""

        # A second Z the same calendar day is refused, without asking first: nothing written.
        await pilot.press("f12")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("y")
        await pilot.pause()
        assert z_count(store) == before + 1
        assert _("The day {day} is already closed (Z).").format(day=day) in text_of(app, "#closing-message")


def test_s15_second_z_same_day_refused_by_service(tmp_path):
    now = datetime(2025, 3, 14, 18, 0, 0, tzinfo=timezone(timedelta(hours=1)))
    store = Store(tmp_path / "t.db", clock=lambda: now)
    try:
        marie = Context(store, auth.create_first_manager(store, "Marie", "123456"), 1)
        closing.add_cash_movement(marie, "float", 10000, "")
        first = closing.close_day(marie, counted=9900)
        assert (first.number, first.business_day, first.difference) == (1, "2025-03-14", -100)
        with pytest.raises(PosError, match="2025-03-14"):
            closing.close_day(marie, counted=9900)
        assert z_count(store) == 1
    finally:
        store.close()


async def test_second_z_is_refused_before_the_confirmation(store):
    """Issue 13: the second Z of a day asked to close the *next* day, then refused."""
    marie = Context(store, users_store.by_id(store, MARIE), 1)
    day = closing.business_day(store)
    assert closing.check_close_day(marie, day) == day
    closing.close_day(marie, counted=0, day=day)
    with pytest.raises(PosError, match=day):
        closing.check_close_day(marie)
    before = z_count(store)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closing(app, pilot)
        await pilot.press("f12")
        await pilot.pause()
        assert app.screen is screen, "no confirmation for a Z that would be refused"
        assert _("The day {day} is already closed (Z).").format(day=day) in text_of(app, "#closing-message")
    assert z_count(store) == before


async def test_cashier_cannot_close(store):
    before = z_count(store)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closing(app, pilot, PAUL)
        assert isinstance(screen, ClosingScreen)
        assert text_of(app, "#closing-denied") == _("You do not have the right to {right}.").format(
            right=_("day closing"))
        assert not screen.query(TabbedContent) and not screen.query(SummaryView)
        for key in ("f12", "y", "ctrl+e", "f7"):
            await pilot.press(key)
            await pilot.pause()
        assert app.screen is screen
    assert z_count(store) == before


# -- the X ------------------------------------------------------------------------------------

async def test_x_shows_every_block_nonzero_on_demo(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closing(app, pilot)
        view = screen.query_one("#x-summary", SummaryView)
        assert view.data is screen.data and view.data["from"] == closing.business_day(store)
        titles = [_("Payments received (sales)"), _("Credit top-ups"), _("Credit refunds"), _("Customer credit"),
                  _("Gift vouchers"), _("Cash drawer"), _("Sales and turnover"), _("Sales per hour")]
        text = view.plain_text(width=100)
        blocks = sections(text, titles)
        zero = format_money(0, locale())
        for title in (_("Payments received (sales)"), _("Credit top-ups"), _("Credit refunds")):
            assert row_amount(blocks[title], _("Total")) != zero, title
        for label in (_("Credit consumed (CRED)"), _("Customer credit outstanding"), _("Customer debt")):
            assert row_amount(blocks[_("Customer credit")], label) != zero, label
        assert row_amount(blocks[_("Gift vouchers")], _("Vouchers sold")) != zero
        assert row_amount(blocks[_("Cash drawer")], _("Expected cash")) != zero
        assert row_amount(blocks[_("Sales and turnover")], _("Turnover incl. VAT")) != zero
        # The per-hour chart draws bars, and its tab shows the same chart.
        assert "█" in "\n".join(blocks[_("Sales per hour")])
        await pilot.press("f6")
        await pilot.pause()
        assert screen.query_one("#closing-tabs", TabbedContent).active == "tab-hours"
        assert "█" in str(screen.query_one("#hours-chart").content)


async def test_cash_movement_updates_expected(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closing(app, pilot)
        expected = screen.data["cash"]["expected"]
        await pilot.press("f7")
        await focus_settled(pilot, "count-total")  # the tab focuses its first field after a refresh
        await type_into(pilot, "#movement-amount", "12,50")
        await pilot.press("enter")  # on to the reason
        await pilot.pause()
        assert app.focused.id == "movement-reason"
        await pilot.press("enter")  # no reason: refused by the service
        await pilot.pause()
        assert text_of(app, "#closing-error") == _("Give a reason for the cash movement.")
        await pilot.press(*"monnaie", "enter")
        await pilot.pause()
        assert screen.data["cash"]["cash_in"] == 1250 and screen.data["cash"]["expected"] == expected + 1250
        rows = store.query("SELECT kind, amount, reason FROM cash_movements WHERE business_day = ?", (screen.day,))
        assert {"kind": "in", "amount": 1250, "reason": "monnaie"} in rows
        assert screen.query_one("#movement-table", DataTable).row_count == len(rows)


async def test_count_by_coins_total(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closing(app, pilot)
        expected = screen.data["cash"]["expected"]
        day = screen.day
        await pilot.press("f7")
        await focus_settled(pilot, "count-total")
        await type_into(pilot, "#count-total", "999")
        await type_into(pilot, "#coin-5000", "2")
        await type_into(pilot, "#coin-20", "3")
        total = 2 * 5000 + 3 * 20
        assert format_money(total, locale()) in text_of(app, "#count-coins-total")
        total_input = screen.query_one("#count-total", Input)
        assert total_input.value == format_amount(total, locale()) and total_input.disabled
        assert screen.counted() == (total, {5000: 2, 20: 3})
        status = text_of(app, "#count-status")
        assert format_money(expected, locale()) in status
        assert format_money(total - expected, locale()).lstrip("-") in status
        # Clearing the coins gives the total field back.
        await type_into(pilot, "#coin-5000", "")
        await type_into(pilot, "#coin-20", "")
        assert not total_input.disabled and screen.counted() == (None, None)
        await type_into(pilot, "#coin-5000", "2")
        await type_into(pilot, "#coin-20", "3")
        await pilot.press("f12")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    row = store.one("SELECT * FROM z_closings WHERE business_day = ?", (day,))
    assert row["counted"] == total and row["cash_difference"] == total - expected
    assert json.loads(row["count_detail"]) == {"5000": 2, "20": 3}


# -- past Z ----------------------------------------------------------------------------------

async def test_past_z_details(store):
    latest = closing.z_list(store)[0]
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closing(app, pilot)
        await pilot.press("f8")
        await pilot.pause()
        table = screen.query_one("#past-z", DataTable)
        assert app.focused is table and table.row_count == len(closing.z_list(store))
        assert str(table.get_row_at(0)[0]) == str(latest["number"])
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, ZDetailScreen) and detail.z["number"] == latest["number"]
        assert f"Z n° {latest['number']}" in text_of(app, "#z-detail-title")
        # The frozen figures, drawn by the renderer of the X.
        view = detail.query_one(SummaryView)
        assert view.data == latest["figures"]
        frozen = view.plain_text()
        assert format_money(latest["figures"]["turnover"]["ttc"], locale()) in frozen
        assert format_money(latest["figures"]["cash"]["expected"], locale()) in frozen
        assert format_money(latest["counted"], locale()) in text_of(app, "#z-detail-cash")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


# -- CSV -------------------------------------------------------------------------------------

async def test_csv_export(store, tmp_path, monkeypatch):
    from pos_tui.ui.screens.account_dialogs import SavePathScreen

    docs = tmp_path / "Documents"  # created (0700) on the first export
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(docs))
    latest = closing.z_list(store)[0]
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closing(app, pilot)
        day = screen.day
        await pilot.press("ctrl+e")  # asks where, the documents folder proposed (issue 14)
        await pilot.pause()
        assert isinstance(app.screen, SavePathScreen)
        await pilot.press("escape")  # nothing written
        await pilot.pause()
        assert app.screen is screen and not list(docs.iterdir())
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert (docs.stat().st_mode & 0o777) == 0o700
        path = docs / f"pos-tui-summary-{day}.csv"
        # the spreadsheet dialect of the user's language (French: ; and euros)
        assert path.read_bytes().decode("utf-8") == closing.summary_sheet(store, closing.summary(store, day))
        content = path.read_text(encoding="utf-8-sig")
        expected = f"{screen.data['cash']['expected'] / 100:.2f}".replace(".", ",")
        assert "Chiffre d'affaires TTC" in content and f"Espèces attendues;;{expected}" in content
        assert str(path) in text_of(app, "#closing-message")
        # From a past Z: its frozen figures, under its day.
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        z_path = tmp_path / "z.csv"
        app.screen.query_one("#save-path").value = str(z_path)
        await pilot.press("enter")
        await pilot.pause()
        assert z_path.read_bytes().decode("utf-8") == closing.summary_sheet(store, latest["figures"])
        assert str(z_path) in text_of(app, "#z-detail-message")


# -- 80 x 24 ---------------------------------------------------------------------------------

async def test_closing_fits_80x24(store):
    app = PosApp(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_closing(app, pilot)
        tabs = screen.query_one("#closing-tabs", TabbedContent)
        for key, pane, scrolled in (("f5", "tab-x", "#x-scroll"), ("f6", "tab-hours", "#hours-scroll"),
                                    ("f7", "tab-cash", "#cash-scroll"), ("f8", "tab-z", "#past-z")):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == pane
            widget = screen.query_one(scrolled)
            assert widget.region.height >= 10, pane  # room to read
            assert widget.region.right <= 80 and widget.max_scroll_x == 0, pane  # no sideways scrolling
        for tab in screen.query("Tab"):
            assert tab.region.right <= 80
        assert screen.query_one("#movement-table", DataTable).max_scroll_x == 0
        await pilot.press("f12")
        await pilot.pause()
        box = app.screen.query_one("#z-confirm-box")
        assert box.region.right <= 80 and box.region.bottom <= 24
        assert app.screen.query_one("#z-confirm-yes").region.bottom <= 24


# -- pos-tui z --------------------------------------------------------------------------------

@contextmanager
def _open(db: Path):
    s = Store(db)
    try:
        yield s
    finally:
        s.close()


def _cli(db: Path, *args: str) -> int:
    return main(["--lang", "en", "--demo", "--db", str(db), "z", *args])


def test_cli_z_prints_live_summary_and_csv(demo_template, tmp_path, capsys):
    db = _copy_demo(demo_template, tmp_path / "demo.db")
    assert _cli(db, "--user", "Marie", "--pin", "1234") == 0
    out = capsys.readouterr().out
    assert "X (live)" in out and "Payments received (sales)" in out and "Expected cash" in out
    with _open(db) as s:
        day = closing.business_day(s)
        data = closing.summary(s, day)
    assert day in out
    assert format_money(data["cash"]["expected"], "en_GB") in out
    assert format_money(data["turnover"]["ttc"], "en_GB") in out

    target = tmp_path / "x.csv"
    assert _cli(db, "--user", "Marie", "--pin", "1234", "--csv", str(target), "--format", "raw") == 0
    content = target.read_bytes().decode("utf-8")
    assert "turnover" in content and content == closing.summary_csv(data)


def test_cli_z_closed_day_prints_frozen_figures(demo_template, tmp_path, capsys):
    db = _copy_demo(demo_template, tmp_path / "demo.db")
    with _open(db) as s:
        z = closing.z_list(s)[0]
    assert _cli(db, "--user", "Marie", "--pin", "1234", "--date", z["business_day"]) == 0
    out = capsys.readouterr().out
    assert f"Z n° {z['number']}" in out and z["business_day"] in out
    assert format_money(z["figures"]["turnover"]["ttc"], "en_GB") in out
    assert format_money(z["counted"], "en_GB") in out and "Counted" in out


def test_cli_z_refusals_exit_2(demo_template, tmp_path, capsys):
    db = _copy_demo(demo_template, tmp_path / "demo.db")
    assert _cli(db, "--user", "Paul", "--pin", "0000") == 2
    assert "right to day closing" in capsys.readouterr().err
    assert _cli(db, "--user", "Marie", "--pin", "1234", "--date", "2026-13-01") == 2
    assert "Not a date" in capsys.readouterr().err
    assert _cli(db, "--user", "Marie", "--pin", "1234", "--date", "28/11/2026") == 2
    assert _cli(db, "--user", "Marie", "--pin", "9999") == 2
    assert "PIN" in capsys.readouterr().err
