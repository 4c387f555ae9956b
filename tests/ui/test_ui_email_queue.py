"""The e-mail queue screen (issue 16): waiting / failed / sent messages, resend through a real SMTP
server on 127.0.0.1 (aiosmtpd), reachable by Ctrl+F and the palette."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from helpers_smtp import free_port, smtp_server  # noqa: F401 - the fixture
from helpers_ui_credit import french, log_in, make_shop, text_of  # noqa: F401
from pos_tui.services import email as mail
from pos_tui.store import email as email_store
from pos_tui.ui.screens.email_queue import EmailQueueScreen

pytestmark = pytest.mark.usefixtures("french")


def _failed_statement(shop, port: int) -> int:
    """A statement whose attempts all failed (the server was down): it waits for a resend."""
    ctx = shop.manager_ctx
    with shop.store.write():
        shop.store.conn.execute("UPDATE customers SET email = 'claire@example.org' WHERE id = ?", (shop.claire.id,))
    mail.set_smtp_settings(ctx, "127.0.0.1", port, "none", "", None, "caisse@boutique.fr")
    message_id = mail.queue_statement(ctx, shop.claire.id)
    with shop.store.write():
        email_store.mark_failed(shop.store, message_id, "Connection refused", None)
    return message_id


async def test_failed_email_shown_and_resent(tmp_path, smtp_server):
    port, inbox = smtp_server
    shop = make_shop(tmp_path)
    message_id = _failed_statement(shop, port)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, shop.marie)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, EmailQueueScreen)
        table = app.screen.query_one("#email-table", DataTable)
        assert table.get_cell(str(message_id), "status").plain == "en échec"
        assert "Connection refused" in text_of(app, "#email-detail")
        await pilot.press("r")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.get_cell(str(message_id), "status").plain == "envoyé"
    assert [m[0] for m in inbox.messages] == [["claire@example.org"]]
    assert shop.store.scalar("SELECT status FROM email_queue WHERE id = ?", (message_id,)) == "sent"


async def test_unreachable_server_never_blocks_and_stays_queued(tmp_path):
    shop = make_shop(tmp_path)
    message_id = _failed_statement(shop, free_port())  # nobody listens there
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, shop.marie)
        app.action_email_queue()
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, EmailQueueScreen)
        row = shop.store.one("SELECT status, attempts, last_error FROM email_queue WHERE id = ?", (message_id,))
        assert row["status"] == "queued" and row["attempts"] == 2 and row["last_error"]
        assert text_of(app, "#email-status").startswith("En attente : 1 · en échec : 0")


async def test_palette_offers_the_email_queue(tmp_path):
    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, shop.marie)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"file d'envoi")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EmailQueueScreen)


async def test_debt_reminders_after_the_manager_confirms_the_list(tmp_path):
    from datetime import timedelta

    from helpers_ui_credit import FIXED_NOW
    from pos_tui.services import credit, settings
    from pos_tui.ui.screens.confirm import ConfirmScreen

    shop = make_shop(tmp_path)
    settings.set_customer_debt_limit(shop.manager_ctx, shop.claire.id, 5000)
    with shop.store.write():
        shop.store.conn.execute("UPDATE customers SET email = 'claire@example.org' WHERE id = ?", (shop.claire.id,))
    shop.store.clock = lambda: FIXED_NOW - timedelta(days=40)  # the debt began 40 days ago
    credit.refund(shop.manager_ctx, shop.claire.id, 2000, "ESP")
    shop.store.clock = lambda: FIXED_NOW
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, shop.marie)
        await pilot.press("ctrl+f", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = text_of(app, "#confirm-question")
        assert "Claire Martin <claire@example.org>" in question and "40 jours" in question
        await pilot.press("n")  # nothing goes out before the manager says yes
        await pilot.pause()
        assert shop.store.scalar("SELECT count(*) FROM email_queue") == 0
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, EmailQueueScreen)
        assert app.screen.query_one("#email-table", DataTable).row_count == 1
    rows = shop.store.query("SELECT kind, to_addr, body FROM email_queue")
    assert len(rows) == 1 and rows[0]["kind"] == "reminder" and rows[0]["to_addr"] == "claire@example.org"
    assert "20,00" in rows[0]["body"]
