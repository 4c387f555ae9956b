"""E-mail (issue 16): a real SMTP server on 127.0.0.1 (aiosmtpd) and an unreachable one."""

from __future__ import annotations

import email
import email.policy
import time

import pytest
from aiosmtpd.controller import Controller

from helpers_smtp import Inbox, free_port, smtp_server  # noqa: F401 - the fixture
from helpers_core import FixedClock, english, make_customer, make_store  # noqa: F401
from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError, RightDenied
from pos_tui.domain.payment import Tender
from pos_tui.services import checkout, credit
from pos_tui.services import email as mail


@pytest.fixture
def shop(tmp_path):
    store, manager, cashier = make_store(tmp_path)
    claire = make_customer(manager, "Claire", "Martin", email="claire@example.org")
    credit.top_up(manager, claire.id, 3000, "CB")
    return store, manager, cashier, claire


def _sale(cashier, claire):
    cart = Cart(customer_id=claire.id)
    cart.add_free("Thé vert", 1250, 550)
    return checkout.close_sale(cashier, cart, [Tender("CRED", 1250)])


def test_receipt_and_statement_reach_a_real_smtp_server(shop, smtp_server):
    store, manager, cashier, claire = shop
    port, inbox = smtp_server
    mail.set_smtp_settings(manager, "127.0.0.1", port, "none", "", "secret-pw", "caisse@boutique.fr")
    sale = _sale(cashier, claire)
    receipt_id = mail.queue_receipt(cashier, sale.sale_id)
    statement_id = mail.queue_statement(manager, claire.id)
    assert mail.send_due(store) == {"sent": 2, "failed": 0}
    assert [m[0] for m in inbox.messages] == [["claire@example.org"], ["claire@example.org"]]
    receipt, statement = inbox.messages[0][1], inbox.messages[1][1]
    assert receipt["From"] == "caisse@boutique.fr" and f"n° {sale.number}" in receipt["Subject"]
    assert "12,50" in receipt.get_payload(decode=True).decode("utf-8")
    parts = list(statement.walk())
    pdf = [p for p in parts if p.get_content_type() == "application/pdf"]
    assert len(pdf) == 1 and pdf[0].get_payload(decode=True).startswith(b"%PDF")
    assert "17,50" in parts[1].get_payload(decode=True).decode("utf-8")  # closing balance in the text
    statuses = {r["id"]: r["status"] for r in mail.queue(store)}
    assert statuses == {receipt_id: "sent", statement_id: "sent"}
    assert mail.send_due(store) == {"sent": 0, "failed": 0}  # nothing is sent twice
    # the password is stored but never journaled
    assert "secret-pw" not in "".join(r["detail"] for r in store.query("SELECT detail FROM journal"))


def test_unreachable_server_leaves_the_message_queued_and_the_sale_closed(tmp_path, english):
    clock = FixedClock()
    store, manager, cashier = make_store(tmp_path, clock=clock)
    claire = make_customer(manager, "Claire", "Martin", email="claire@example.org")
    credit.top_up(manager, claire.id, 3000, "CB")
    mail.set_smtp_settings(manager, "127.0.0.1", free_port(), "none", "", None, "caisse@boutique.fr")
    sale = _sale(cashier, claire)
    message_id = mail.queue_receipt(cashier, sale.sale_id)
    assert mail.send_due(store) == {"sent": 0, "failed": 1}
    (row,) = mail.queue(store)
    assert (row["status"], row["attempts"]) == ("queued", 1) and row["last_error"]
    assert store.scalar("SELECT count(*) FROM sales WHERE id = ?", (sale.sale_id,)) == 1
    assert store.scalar("SELECT balance FROM customers WHERE id = ?", (claire.id,)) == 1750
    assert mail.send_due(store) == {"sent": 0, "failed": 0}  # not due again before the retry delay
    for _ in range(len(mail.RETRY_DELAYS_MIN)):
        clock.advance(hours=13)
        mail.send_due(store)
    (row,) = mail.queue(store)
    assert row["status"] == "failed" and row["attempts"] == len(mail.RETRY_DELAYS_MIN) + 1
    mail.resend(manager, message_id)
    assert mail.queue(store)[0]["status"] == "queued"


def test_background_worker_sends_without_blocking(shop, smtp_server):
    store, manager, cashier, claire = shop
    port, inbox = smtp_server
    mail.set_smtp_settings(manager, "127.0.0.1", port, "none", "", "", "caisse@boutique.fr")
    worker = mail.EmailWorker(store.target, interval=0.05)
    worker.start()
    try:
        mail.queue_receipt(cashier, _sale(cashier, claire).sale_id)
        worker.wake()
        for _ in range(200):  # waits for an outcome, asserts no duration
            if inbox.messages:
                break
            time.sleep(0.05)
    finally:
        worker.stop()
    assert len(inbox.messages) == 1 and mail.queue(store)[0]["status"] == "sent"


def test_reminders_are_listed_then_confirmed(shop, english):
    store, manager, cashier, claire = shop
    from pos_tui.services import settings as shop_settings

    shop_settings.set_default_debt_limit(manager, 10000)
    bob = make_customer(manager, "Bob", "Durand", email="bob@example.org")
    make_customer(manager, "Ann", "Petit")  # no e-mail: not reminded
    clock_now = store.clock
    cart = Cart(customer_id=bob.id)
    cart.add_free("Courses", 4000, 550)
    checkout.close_sale(cashier, cart, [Tender("CRED", 4000)])
    assert mail.reminders(manager) == []  # a fresh debt
    store.clock = lambda: clock_now() + __import__("datetime").timedelta(days=45)
    (reminder,) = mail.reminders(manager)
    assert reminder.customer_id == bob.id and reminder.age_days == 45
    assert "€40.00" in reminder.body and "(45 jours)" in reminder.body
    with pytest.raises(RightDenied):
        mail.send_reminders(cashier, [reminder])
    mail.set_reminder_template(manager, "Dear {name}, you owe {amount} since {days} days. {unknown}")
    (reminder,) = mail.reminders(manager)
    assert reminder.body == "Dear Bob Durand, you owe €40.00 since 45 days. {unknown}"
    (queued,) = mail.send_reminders(manager, [reminder])
    assert mail.queue(store)[0]["kind"] == "reminder"


def test_bad_settings_and_addresses(shop, english):
    store, manager, cashier, claire = shop
    with pytest.raises(RightDenied):
        mail.set_smtp_settings(cashier, "smtp.example.org", 587, "starttls", "", "", "a@b.fr")
    with pytest.raises(PosError, match="port"):
        mail.set_smtp_settings(manager, "smtp.example.org", 0, "starttls", "", "", "a@b.fr")
    with pytest.raises(PosError, match="security"):
        mail.set_smtp_settings(manager, "smtp.example.org", 587, "tls?", "", "", "a@b.fr")
    sale = _sale(cashier, claire)
    with pytest.raises(PosError, match="Invalid email"):
        mail.queue_receipt(cashier, sale.sale_id, to="not-an-address")
    assert mail.queue(store) == []
    assert mail.send_due(store) == {"sent": 0, "failed": 0}  # no server set: nothing tried


def test_smtp_password_is_stored_sealed_with_the_shop_key(shop, tmp_path):
    store, manager, cashier, claire = shop
    mail.set_smtp_settings(manager, "127.0.0.1", 2525, "none", "caisse", "très-secret-pw", "caisse@boutique.fr")
    raw = store.get_setting(mail.SMTP_PASSWORD)
    assert raw.startswith("sealed:") and "secret" not in raw
    assert mail.smtp_settings(store).password == "très-secret-pw"
    # sealed twice, two different texts (a fresh nonce each time)
    assert mail.seal_password(store, "très-secret-pw") != mail.seal_password(store, "très-secret-pw")
    # a tampered value opens to nothing, never to a wrong password
    with store.write():
        store.put_setting(mail.SMTP_PASSWORD, raw[:-4] + ("AAAA" if raw[-4:] != "AAAA" else "BBBB"))
    assert mail.smtp_settings(store).password == ""
    # an older plain value still reads (and is sealed at the next change)
    with store.write():
        store.put_setting(mail.SMTP_PASSWORD, "plain-old")
    assert mail.smtp_settings(store).password == "plain-old"
    mail.set_smtp_settings(manager, "127.0.0.1", 2525, "none", "caisse", "new-pw", "caisse@boutique.fr")
    assert store.get_setting(mail.SMTP_PASSWORD).startswith("sealed:")


def test_smtp_login_with_the_sealed_password(shop):
    """The worker opens the sealed password and logs in with it (aiosmtpd with AUTH on 127.0.0.1)."""
    from aiosmtpd.smtp import AuthResult

    store, manager, cashier, claire = shop
    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        seen.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    try:
        mail.set_smtp_settings(manager, "127.0.0.1", controller.port, "none", "caisse", "s3cret", "caisse@boutique.fr")
        mail.queue_receipt(cashier, _sale(cashier, claire).sale_id)
        assert mail.send_due(store) == {"sent": 1, "failed": 0}
    finally:
        controller.stop()
    assert seen == [(b"caisse", b"s3cret")] and len(inbox.messages) == 1
