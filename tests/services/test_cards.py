"""Several cards on one account (issue 16)."""

from __future__ import annotations

import multiprocessing
import queue

import pytest

from helpers_accounts import card_spend_worker
from helpers_core import MANAGER_NAME, MANAGER_PIN, english, make_customer, make_store  # noqa: F401
from pos_tui.domain.cards import CardLimitExceeded
from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError, RightDenied
from pos_tui.domain.payment import Tender
from pos_tui.services import accounts, cards, checkout, credit, customers
from pos_tui.services import settings as shop_settings
from pos_tui.store.integrity import verify_chain


@pytest.fixture
def company(tmp_path):
    store, manager, cashier = make_store(tmp_path)
    shop_settings.set_default_debt_limit(manager, 10000)
    acme = make_customer(manager, "", "", company="Acme SARL", card_code="ACME0001")
    alice = cards.add_card(manager, acme.id, "acme0002", "  Alice   Roux ", daily_limit=6000)
    bruno = cards.add_card(manager, acme.id, "ACME0003", "Bruno Lenoir")
    return store, manager, cashier, acme, alice, bruno


def _pay(ctx, scanned, cents, **kw):
    cart = Cart(customer_id=scanned.customer.id, card_id=scanned.card.id if scanned.card else None)
    cart.add_free("Repas", cents, 1000)
    return checkout.close_sale(ctx, cart, [Tender("CRED", cents)], **kw)


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
def test_scanning_an_extra_card_attaches_the_account_and_names_who_buys(company, english):
    store, manager, cashier, acme, alice, bruno = company
    assert (alice.code, alice.name, alice.daily_limit, alice.blocked) == ("ACME0002", "Alice Roux", 6000, False)
    scanned = checkout.scan(store, "acme0002")
    assert scanned.customer.id == acme.id and scanned.card.name == "Alice Roux"
    holder = checkout.scan(store, "ACME0001")
    assert holder.customer.id == acme.id and holder.card is None
    result = _pay(cashier, scanned, 2500)
    row = store.one("SELECT card_id, amount FROM credit_ledger WHERE sale_id = ?", (result.sale_id,))
    assert row == {"card_id": alice.id, "amount": -2500}
    _pay(cashier, holder, 1000)
    stmt = accounts.statement(manager, acme.id)
    assert [(line.card, line.amount) for line in stmt.lines] == [("Alice Roux", -2500), ("", -1000)]
    assert cards.spent_today(store, alice.id) == 2500 and cards.spent_today(store, bruno.id) == 0
    assert verify_chain(store) == []
    # the card is part of the signed record: changing it by hand breaks the chain
    store.conn.execute("DROP TRIGGER credit_ledger_no_update")
    store.conn.execute("UPDATE credit_ledger SET card_id = ? WHERE sale_id = ?", (bruno.id, result.sale_id))
    assert any("credit_ledger" in p for p in verify_chain(store))


def test_card_daily_limit_and_blocking(company, english):
    store, manager, cashier, acme, alice, bruno = company
    scanned = checkout.scan(store, "ACME0002")
    _pay(cashier, scanned, 4000)
    with pytest.raises(CardLimitExceeded, match="may spend €60.00 a day; €40.00 already spent today, €20.00 left"):
        _pay(cashier, scanned, 2500)
    # a manager's debt-limit override does not lift the card's own limit
    override = checkout.authorize_override(store, MANAGER_NAME, MANAGER_PIN, "client connu", cashier.terminal)
    with pytest.raises(CardLimitExceeded):
        _pay(cashier, scanned, 2500, override=override)
    _pay(cashier, scanned, 2000)  # exactly up to the limit
    assert store.scalar("SELECT balance FROM customers WHERE id = ?", (acme.id,)) == -6000
    cards.block_card(cashier, bruno.id)  # anyone may block a lost card at once
    with pytest.raises(PosError, match="is blocked"):
        checkout.scan(store, "ACME0003")
    with pytest.raises(RightDenied):
        cards.block_card(cashier, bruno.id, blocked=False)
    assert cards.block_card(manager, bruno.id, blocked=False).blocked is False
    assert store.scalar("SELECT count(*) FROM journal WHERE kind IN ('card_blocked', 'card_unblocked')") == 2


def test_card_codes_are_unique_across_accounts(company, english):
    store, manager, cashier, acme, alice, bruno = company
    with pytest.raises(PosError, match="already used"):
        cards.add_card(manager, acme.id, "ACME0001", "Holder twice")
    with pytest.raises(PosError, match="already used"):
        customers.create(manager, {"first_name": "Eve", "card_code": "ACME0002"})
    with pytest.raises(PosError, match="needs the name"):
        cards.add_card(manager, acme.id, "ACME0009", " ")
    with pytest.raises(RightDenied):
        cards.add_card(cashier, acme.id, "ACME0009", "Cashier made")
    assert [c.code for c in cards.cards(store, acme.id)] == ["ACME0002", "ACME0003"]


def test_two_cards_spending_in_two_processes_stay_within_both_limits(tmp_path):
    """Account debt limit 100,00; each card 60,00 a day; each terminal tries five 15,00 sales at once.

    Whatever the interleaving, exactly six succeed (90,00): the account stops the seventh, and no card
    goes past four (60,00)."""
    store, manager, _cashier = make_store(tmp_path)
    shop_settings.set_default_debt_limit(manager, 10000)
    acme = make_customer(manager, "", "", company="Acme SARL")
    for code, name in (("CARDA001", "Alice"), ("CARDB001", "Bruno")):
        cards.add_card(manager, acme.id, code, name, daily_limit=6000)
    mp = multiprocessing.get_context("spawn")
    barrier, results = mp.Barrier(2), mp.Queue()
    workers = [mp.Process(target=card_spend_worker,
                          args=(store.target, manager.user.id, code, 1500, 5, barrier, results))
               for code in ("CARDA001", "CARDB001")]
    for w in workers:
        w.start()
    outcomes = {}
    try:
        for _ in workers:
            code, got = results.get(timeout=120)
            outcomes[code] = got
    except queue.Empty:  # pragma: no cover - a worker died: show what happened
        raise AssertionError(f"a worker gave no answer; got {outcomes}") from None
    finally:
        for w in workers:
            w.join(timeout=30)
            if w.is_alive():  # pragma: no cover
                w.kill()
    oks = {code: got.count("ok") for code, got in outcomes.items()}
    assert all(set(got) <= {"ok", "card_limit", "debt_limit"} for got in outcomes.values()), outcomes
    assert sum(oks.values()) == 6 and max(oks.values()) <= 4, outcomes
    assert store.scalar("SELECT balance FROM customers WHERE id = ?", (acme.id,)) == -9000
    per_card = {r["code"]: r["spent"] for r in store.query(
        "SELECT k.code, -sum(l.amount) AS spent FROM credit_ledger l JOIN customer_cards k ON k.id = l.card_id"
        " GROUP BY k.code")}
    assert per_card == {code: 1500 * n for code, n in oks.items() if n}
    assert all(spent <= 6000 for spent in per_card.values())
    assert verify_chain(store) == []


def test_customer_summary_names_the_card_and_the_debt_age(company, english):
    from datetime import timedelta

    store, manager, cashier, acme, alice, bruno = company
    scanned = checkout.scan(store, "ACME0002")
    _pay(cashier, scanned, 2000)
    summary = customers.customer_summary(cashier, acme.id, alice.id)
    assert (summary.name, summary.card_name, summary.status.balance, summary.debt_note) == (
        "Acme SARL", "Alice Roux", -2000, None)
    assert customers.customer_summary(cashier, acme.id).card_name is None
    now = store.clock
    store.clock = lambda: now() + timedelta(days=40)
    assert customers.customer_summary(cashier, acme.id).debt_note == "In debt for 40 days"
    store.clock = lambda: now() + timedelta(days=95)
    assert "longest allowed is 90 days" in customers.customer_summary(cashier, acme.id).debt_note
