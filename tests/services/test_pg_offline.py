"""Issue 18: no silent fork when the PostgreSQL server is gone. A lost connection refuses the action with
``StoreOffline`` and writes nothing; the next action connects again by itself once the server is back."""

from __future__ import annotations

import pytest

from pos_tui.services import auth, credit, customers
from pos_tui.services.context import Context
from pos_tui.store.db import StoreOffline


def _kill(pg_server, url: str) -> int:
    """Drop every connection to the test database (as a server restart or a network cut would)."""
    name = url.rsplit("/", 1)[1]
    with pg_server.connect() as conn:
        return len(conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                " WHERE datname = %s AND pid <> pg_backend_pid()", (name,)).fetchall())


def _refuse_connections(pg_server, url: str, refuse: bool) -> None:
    """The database takes no new connection while ``refuse``: the server stays away for the till."""
    name = url.rsplit("/", 1)[1]
    with pg_server.connect() as conn:
        conn.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS {'false' if refuse else 'true'}")


@pytest.fixture
def shop(pg_url):
    from pos_tui.store.pg import PgStore

    store = PgStore(pg_url)
    try:
        manager = auth.create_first_manager(store, "Marie", "123456")
        ctx = Context(store, manager, terminal=1)
        yield store, ctx, customers.create(ctx, {"first_name": "Claire", "last_name": "Martin"}).id
    finally:
        store.close()


def test_s18_top_up_refused_while_the_server_is_gone_then_done_once(shop, pg_server, pg_url):
    store, ctx, claire = shop
    assert _kill(pg_server, pg_url) >= 1
    _refuse_connections(pg_server, pg_url, True)
    try:
        with pytest.raises(StoreOffline):  # the dead connection
            credit.top_up(ctx, claire, 2000, "ESP")
        with pytest.raises(StoreOffline):  # connecting again: the server is still away
            credit.top_up(ctx, claire, 2000, "ESP")
    finally:
        _refuse_connections(pg_server, pg_url, False)
    credit.top_up(ctx, claire, 2000, "ESP")  # the server is back: the same action goes through
    rows = store.query("SELECT kind, amount, balance_after FROM credit_ledger WHERE customer_id = ?", (claire,))
    assert rows == [{"kind": "top_up", "amount": 2000, "balance_after": 2000}]
    assert store.scalar("SELECT balance FROM customers WHERE id = ?", (claire,)) == 2000


def test_s18_a_write_cut_halfway_is_rolled_back_by_the_server(shop, pg_server, pg_url, monkeypatch):
    """The connection dies inside the top-up's transaction (customer locked, ledger row not yet written):
    nothing of it stays, and the retry writes it once."""
    store, ctx, claire = shop
    lock = type(store).lock_customer
    cuts = []

    def lock_then_cut(self, customer_id):
        lock(self, customer_id)
        if not cuts:
            cuts.append(_kill(pg_server, pg_url))

    monkeypatch.setattr(type(store), "lock_customer", lock_then_cut)
    journal_before = store.scalar("SELECT count(*) FROM journal")
    with pytest.raises(StoreOffline):
        credit.top_up(ctx, claire, 1500, "ESP", idempotency_key="till1-0001")
    assert cuts == [1]
    assert store.scalar("SELECT count(*) FROM credit_ledger") == 0  # this read connects again
    assert store.scalar("SELECT count(*) FROM journal") == journal_before
    credit.top_up(ctx, claire, 1500, "ESP", idempotency_key="till1-0001")
    assert store.query("SELECT amount, balance_after FROM credit_ledger") == [{"amount": 1500, "balance_after": 1500}]
    from pos_tui.services import integrity

    assert integrity.problems(store) == []
