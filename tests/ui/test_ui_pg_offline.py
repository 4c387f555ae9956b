"""Issue 18 on the till: the PostgreSQL server goes away while a sale is being paid. The till says so, keeps
the sale on screen and writes nothing; the same sale closes on the next attempt once the server is back."""

from __future__ import annotations

import pytest

from helpers_pg import copy_store_files
from helpers_ui_checkout import CANDLE, JAM, SIZE, method_key, open_checkout, scan, text
from helpers_ui_screens import MARIE, fixed_now
from pos_tui.services.context import Context
from pos_tui.services.pg_migrate import migrate_to_pg
from pos_tui.store import users
from pos_tui.store.db import Store
from pos_tui.ui.app import PosApp
from pos_tui.ui.screens.checkout import CheckoutScreen
from pos_tui.ui.screens.payment import PaymentScreen


@pytest.fixture
def pg_store(demo_sqlite_file, tmp_path, pg_url, monkeypatch):
    """The demo shop moved to a database of the test cluster (``pos-tui migrate``), opened as a till."""
    from pos_tui.store.pg import PgStore

    monkeypatch.setenv("POS_TUI_PG_FILES", str(tmp_path / "pgfiles"))
    source = Store(copy_store_files(demo_sqlite_file, tmp_path / "shop.db"), readonly=True, clock=fixed_now)
    try:
        migrate_to_pg(Context(source, users.by_id(source, MARIE)), source, pg_url)
    finally:
        source.close()
    store = PgStore(pg_url, clock=fixed_now)
    try:
        yield store
    finally:
        store.close()


def _server_away(pg_server, url: str, away: bool) -> None:
    """Away: every connection to the database is dropped and new ones are refused. Back: accepted again."""
    name = url.rsplit("/", 1)[1]
    with pg_server.connect() as conn:
        conn.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS {'false' if away else 'true'}")
        if away:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                         " WHERE datname = %s AND pid <> pg_backend_pid()", (name,))


def _sales(pg_server, url: str) -> list[tuple]:
    with pg_server.connect(url.rsplit("/", 1)[1]) as conn:
        return conn.execute("SELECT number, total FROM sales ORDER BY id").fetchall()


async def test_s18_sale_kept_while_the_server_is_gone_and_closed_once_back(pg_store, pg_server, pg_url):
    before = _sales(pg_server, pg_url)
    card = method_key(pg_store, "CB")
    app = PosApp(store=pg_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot)
        await scan(pilot, JAM)
        await scan(pilot, CANDLE)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, PaymentScreen)

        _server_away(pg_server, pg_url, True)
        try:
            await pilot.press(card, "enter")  # pays the rest by card: the sale tries to close
            await pilot.pause()
            assert isinstance(app.screen, PaymentScreen)  # the sale is still open, on screen
            error = text(app, "#payment-error")
            assert "serveur" in error and "vente en cours est conservée" in error, error
            assert app.screen.cart.total == 1840 and len(app.screen.cart.lines) == 2
            await pilot.press("f10")  # tried again while the server is still away: refused again
            await pilot.pause()
            assert isinstance(app.screen, PaymentScreen)
            error = text(app, "#payment-error")
            assert "n'accepte pas" in error or "not currently accepting" in error, error  # the server's reason
            assert "vente en cours est conservée" in error, error
        finally:
            _server_away(pg_server, pg_url, False)
        assert _sales(pg_server, pg_url) == before  # nothing was written

        await pilot.press("f10")  # the server is back: the same sale closes
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
    after = _sales(pg_server, pg_url)
    assert len(after) == len(before) + 1 and after[-1][1] == 1840
    from pos_tui.services import integrity

    assert integrity.problems(pg_store) == []


async def test_s18_a_screen_that_cannot_read_the_server_stops_the_app_with_the_right_words(pg_store, pg_server,
                                                                                              pg_url):
    """F9 reads the day from the server as it opens: while the server is away the app stops with one line
    that says so, and neither sends the manager to verify nor to a backup (nothing is damaged)."""
    app = PosApp(store=pg_store)
    said: list[str] = []
    stop = app.exit

    def exit_(*args, **kwargs):
        said.append(str(kwargs.get("message", "")))
        return stop(*args, **kwargs)

    app.exit = exit_
    async with app.run_test(size=SIZE) as pilot:
        await open_checkout(app, pilot)
        _server_away(pg_server, pg_url, True)
        try:
            await pilot.press("f9")
            await pilot.pause()
        finally:
            _server_away(pg_server, pg_url, False)
    assert app.return_code == 1
    assert len(said) == 1 and "serveur de base de données sera de retour" in said[0], said
    assert "verify" not in said[0] and "sauvegarde" not in said[0]
