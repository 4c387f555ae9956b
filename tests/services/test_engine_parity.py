"""The same shop history played on SQLite and on PostgreSQL gives the same figures (issue 18).

Twelve days of the demo (customers, top-ups, refunds, sales with every payment method, vouchers,
returns, Z closings) are played through the services on both engines from the same seed and
clock; then every day's Z figures, the month's summary, every balance, the outstanding totals,
customer search and ``verify`` must agree.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import helpers_core
from pos_tui.services import closing, integrity
from pos_tui.services.demo import build_demo
from pos_tui.store import customers as customers_store
from pos_tui.store.db import Store

NOW = datetime(2026, 11, 20, 17, 30, tzinfo=timezone.utc)


def _played(store: Store) -> Store:
    build_demo(store, history_days=12)  # every kind of record and several Z; fewer days keep the suite short
    return store


def _figures(store: Store) -> dict:
    days = [r["business_day"] for r in store.query("SELECT business_day FROM z_closings ORDER BY number")]
    z = {d: closing.z_of_day(store, d) for d in days}
    return {
        "z_days": days,
        "z_figures": {d: (row["figures"], row["expected_cash"], row["period_total"], row["perpetual_total"])
                      for d, row in z.items()},
        "summary_month": closing.summary(store, days[0], days[-1]) if days else None,
        "x_today": closing.summary(store, NOW.date().isoformat()),
        "balances": store.query("SELECT id, balance, debt_since FROM customers ORDER BY id"),
        "outstanding": store.one("SELECT credit, debt, n_credit, n_debt FROM credit_outstanding"),
        "ledger": store.query("SELECT id, customer_id, kind, amount, method, balance_after, store_id"
                              " FROM credit_ledger ORDER BY id"),
        "sales": store.query("SELECT id, number, total, customer_id, store_id FROM sales ORDER BY id"),
        # The same customers (ranking among equals may differ: FTS5's bm25 against tsvector order).
        "search": {q: sorted(c.id for c in customers_store.search(store, q, limit=500))
                   for q in ("", "dup", "DUP", "gre", "grégoire", "gregoire dup", "06 90", "cl0000", "zzz", "é")},
    }


def test_the_demo_history_gives_the_same_figures_on_both_engines(tmp_path, pg_server, pg_template):
    lite = _played(Store(tmp_path / "shop.db", clock=lambda: NOW))
    helpers_core.ENGINE.update(name="postgresql", server=pg_server, created=[])
    try:
        pg = _played(helpers_core.new_store(tmp_path / "unused", clock=lambda: NOW))
        try:
            a, b = _figures(lite), _figures(pg)
            assert a["z_days"] and a["sales"] and a["ledger"]
            for key in a:
                assert a[key] == b[key], key
            assert integrity.problems(lite) == [] and integrity.problems(pg) == []
        finally:
            pg.close()
    finally:
        created = helpers_core.ENGINE["created"]
        helpers_core.ENGINE.update(name="sqlite", server=None, created=[])
        with pg_server.connect() as conn:
            for db in created:
                conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        lite.close()


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_a_refused_write_leaves_nothing_on_postgresql(tmp_path, engine):
    """A trigger's refusal inside a business action rolls the whole action back (one transaction)."""
    from helpers_core import make_customer, make_store
    from pos_tui.services import credit

    store, manager, _cashier = make_store(tmp_path)
    claire = make_customer(manager, "Claire", "Martin")
    credit.top_up(manager, claire.id, 1000, "CB")
    before = store.scalar("SELECT count(*) FROM credit_ledger"), store.scalar("SELECT count(*) FROM journal")
    with pytest.raises(Exception):
        with store.write():
            store.execute("INSERT INTO journal(created_at, kind, user_id, terminal, detail) VALUES (?, ?, ?, ?, ?)",
                          (store.now(), "probe", None, 1, "{}"))
            store.execute("UPDATE credit_ledger SET amount = 1")  # refused by the append-only trigger
    assert (store.scalar("SELECT count(*) FROM credit_ledger"), store.scalar("SELECT count(*) FROM journal")) == before
    assert store.scalar("SELECT balance FROM customers WHERE id = ?", (claire.id,)) == 1000
