"""The per-day debt totals behind the X/Z's old-debts block (``debts_by_start``, m0019): kept by triggers on
the customers, equal at every step to the same figures recomputed from the customers; the block's figures
are those of the customers; ``verify`` names a tampered row."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers_core import FixedClock, make_customer, make_store
from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError
from pos_tui.domain.payment import Tender
from pos_tui.services import checkout, closing, credit, customers, integrity
from pos_tui.services import settings as shop_settings
from pos_tui.store import accounts as accounts_store

PARIS = timezone(timedelta(hours=1))
START = datetime(2025, 3, 1, 10, 0, tzinfo=PARIS)


def _kept(store) -> list[tuple]:
    return [(r["day"], r["n"], r["total"]) for r in accounts_store.debts_by_start(store)]


def _recomputed(store) -> list[tuple]:
    """The GROUP BY of the customers, written here independently of the store module."""
    return [(r["day"], r["n"], r["total"]) for r in store.query(
        "SELECT substr(debt_since, 1, 10) AS day, count(*) AS n, sum(balance) AS total FROM customers"
        " WHERE balance < 0 AND erased = 0 AND debt_since IS NOT NULL GROUP BY substr(debt_since, 1, 10)"
        " ORDER BY day")]


def _old_debts_from_customers(store, before: str) -> tuple[int, int]:
    n, total = store.one("SELECT count(*) AS n, coalesce(sum(balance), 0) AS total FROM customers"
                         " WHERE balance < 0 AND erased = 0 AND debt_since < ?", (before,)).values()
    return n, total


def _spend(cashier, customer_id, cents):
    cart = Cart(customer_id=customer_id)
    cart.add_free("Courses", cents, 550)
    return checkout.close_sale(cashier, cart, [Tender("CRED", cents)])


ACTIONS = st.lists(st.one_of(
    st.tuples(st.just("spend"), st.integers(0, 3), st.integers(1, 6000)),
    st.tuples(st.just("top_up"), st.integers(0, 3), st.integers(1, 6000)),
    st.tuples(st.just("refund"), st.integers(0, 3), st.integers(1, 3000)),
    st.tuples(st.just("limit"), st.integers(0, 3), st.sampled_from([0, 2000, 10000, 50000])),
    st.tuples(st.just("erase"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("new"), st.just(0), st.just(0)),
    st.tuples(st.just("days"), st.just(0), st.integers(0, 3)),
    st.tuples(st.just("hours"), st.just(0), st.integers(1, 20)),
), min_size=1, max_size=25)


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(actions=ACTIONS)
# Always tried: two debts begun the same day, one paid in part then the other erased, a new customer's debt
# the same day, a later day's debt, a full repayment.
@example(actions=[("spend", 0, 3000), ("spend", 1, 2000), ("top_up", 0, 1000), ("erase", 1, 0), ("new", 0, 0),
                  ("spend", 2, 500), ("days", 0, 2), ("spend", 0, 100), ("spend", 3, 900), ("top_up", 2, 500),
                  ("limit", 0, 0), ("refund", 3, 100)])
def test_debts_by_start_follow_every_ledger_action(engine, actions):
    """Top-ups, CRED sales, refunds (debt payments and new debts), debt limits, erasure, new customers,
    days and hours passing: after each action the kept rows are the customers' GROUP BY, and the old-debts
    figures for every cut-off day are the customers' count and sum."""
    with tempfile.TemporaryDirectory(prefix="pos-tui-dbs-") as folder:
        clock = FixedClock(START)
        store, manager, cashier = make_store(Path(folder), clock=clock)
        try:
            shop_settings.set_default_debt_limit(manager, 10000)
            ids = [make_customer(manager, "Client", str(i)).id for i in range(2)]
            for kind, who, value in actions:
                cid = ids[who % len(ids)]
                try:
                    if kind == "spend":
                        _spend(cashier, cid, value)
                    elif kind == "top_up":
                        credit.top_up(manager, cid, value, "CB")
                    elif kind == "refund":
                        credit.refund(manager, cid, value, "ESP")
                    elif kind == "limit":
                        shop_settings.set_customer_debt_limit(manager, cid, value)
                    elif kind == "erase":
                        customers.erase(manager, cid)
                    elif kind == "new":
                        ids.append(make_customer(manager, "Client", str(len(ids))).id)
                    elif kind == "days":
                        clock.advance(days=value)
                    else:
                        clock.advance(hours=value)
                except PosError:
                    pass  # refused (over the debt limit, nothing to refund): changes nothing
                assert _kept(store) == _recomputed(store)
            today = clock.now.date()
            for back in range(0, 8):
                before = (today - timedelta(days=back)).isoformat()
                found = accounts_store.old_debts_summary(store, before, 10)
                assert (found["n"], found["total"]) == _old_debts_from_customers(store, before)
            assert not [p for p in integrity.problems(store, quick=True) if "debts begun" in p]
        finally:
            store.close()


def test_old_debts_block_figures_from_the_kept_rows(engine, tmp_path, english):
    clock = FixedClock(START)
    store, manager, cashier = make_store(tmp_path, clock=clock)
    shop_settings.set_default_debt_limit(manager, 10000)
    ann, bob, cat, dan = (make_customer(manager, n, "Test").id for n in ("Ann", "Bob", "Cat", "Dan"))
    _spend(cashier, ann, 4200)  # Mar 1
    _spend(cashier, bob, 1000)  # Mar 1, paid back in part
    credit.top_up(manager, bob, 400, "ESP")
    clock.now = START + timedelta(days=2, hours=5)
    _spend(cashier, cat, 700)  # Mar 3
    _spend(cashier, dan, 900)  # Mar 3, erased: not counted
    customers.erase(manager, dan)
    clock.now = START + timedelta(days=4)
    _spend(cashier, ann, 300)  # more debt, same start
    assert _kept(store) == [("2025-03-01", 2, -4500 - 600), ("2025-03-03", 1, -700)]
    clock.now = datetime(2025, 4, 2, 9, 0, tzinfo=PARIS)  # Mar 1 is 32 days old, Mar 3 30 (not older than 30)
    block = closing.old_debts_block(store, clock.now.date().isoformat())
    assert (block["n"], block["total"]) == (2, 5100)
    assert [r["customer"] for r in block["oldest"]] == [ann, bob]
    clock.now = datetime(2025, 4, 3, 9, 0, tzinfo=PARIS)
    block = closing.old_debts_block(store, clock.now.date().isoformat())
    assert (block["n"], block["total"]) == (3, 5800)
    credit.top_up(manager, ann, 4500, "CB")  # paid off: its day keeps Bob only
    credit.top_up(manager, cat, 700, "CB")  # paid off: its day has no row left
    assert _kept(store) == [("2025-03-01", 1, -600)]
    block = closing.old_debts_block(store, date(2025, 4, 3).isoformat())
    assert (block["n"], block["total"]) == (1, 600)


@pytest.mark.sqlite_only  # tampers under the store
def test_verify_names_a_tampered_debts_by_start(tmp_path, english):
    clock = FixedClock(START)
    store, manager, cashier = make_store(tmp_path, clock=clock)
    shop_settings.set_default_debt_limit(manager, 10000)
    ann = make_customer(manager, "Ann", "Test").id
    _spend(cashier, ann, 4200)
    assert integrity.problems(store, quick=True) == []
    store.conn.execute("UPDATE debts_by_start SET total = -4000 WHERE day = '2025-03-01'")
    assert integrity.problems(store, quick=True) == [
        "debts begun on 2025-03-01: count/total kept 1/-4000 differ from the customers 1/-4200"]
    store.conn.execute("DELETE FROM debts_by_start")
    store.conn.execute("INSERT INTO debts_by_start(day, n, total) VALUES ('2025-02-28', 1, -1)")
    assert integrity.problems(store, quick=True) == [
        "debts begun on 2025-02-28: count/total kept 1/-1 differ from the customers 0/0",
        "debts begun on 2025-03-01: count/total kept 0/0 differ from the customers 1/-4200"]
