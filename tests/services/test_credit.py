"""Customer credit services (SPEC §4, stories S1, S2, S3, S12)."""

from __future__ import annotations

import sqlite3

import pytest

from helpers_core import (  # noqa: F401
    FixedClock,
    cached_balance,
    ledger_rows,
    make_customer,
    make_store,
    raw_connect,
)
from pos_tui.domain.credit import CreditPolicy, DebtLimitExceeded, EntryKind
from pos_tui.domain.errors import NotFound, PosError, RightDenied
from pos_tui.domain.rights import Right
from pos_tui.services import auth, credit, methods, settings
from pos_tui.services.context import Context
from pos_tui.store import ledger as ledger_store


@pytest.fixture
def shop(tmp_path):
    store, manager, cashier = make_store(tmp_path)
    claire = make_customer(manager, "Claire", "Martin")
    return store, manager, cashier, claire


def _rows(store):
    return store.scalar("SELECT count(*) FROM credit_ledger")


# -- stories --------------------------------------------------------------------------

def test_s1_top_up_service(shop):
    store, manager, _cashier, claire = shop
    assert credit.status(manager, claire.id).balance == 0
    result = credit.top_up(manager, claire.id, 5000, "CB", label="Avance")
    assert (result.old_balance, result.new_balance, result.replayed) == (0, 5000, False)
    assert result.customer.balance == 5000
    rows = ledger_rows(store)
    assert len(rows) == 1
    row = rows[0]
    assert row["customer_id"] == claire.id
    assert row["user_id"] == manager.user.id
    assert row["terminal"] == manager.terminal
    assert (row["kind"], row["method"], row["amount"], row["balance_after"]) == ("top_up", "CB", 5000, 5000)
    assert row["label"] == "Avance" and row["sale_id"] is None and row["created_at"]
    assert cached_balance(store, claire.id) == 5000
    assert result.entry.id == row["id"] and result.entry.user_name == manager.user.name
    assert credit.status(manager, claire.id).balance == 5000


def test_s2_refund_cash(shop):
    store, manager, _cashier, claire = shop
    credit.top_up(manager, claire.id, 5000, "CB")
    result = credit.adjust(manager, claire.id, -2000, "ESP", label="Rendu")
    assert (result.old_balance, result.new_balance) == (5000, 3000)
    assert result.entry.kind is EntryKind.REFUND
    rows = ledger_rows(store, claire.id)
    assert [(r["kind"], r["amount"], r["method"], r["balance_after"]) for r in rows] == [
        ("top_up", 5000, "CB", 5000), ("refund", -2000, "ESP", 3000)]
    assert cached_balance(store, claire.id) == 3000
    # the panel's one field: a positive amount is a top-up
    assert credit.adjust(manager, claire.id, 150, "CHQ").entry.kind is EntryKind.TOP_UP
    assert cached_balance(store, claire.id) == 3150


def test_s3_cashier_cannot_top_up(shop, english):
    store, manager, cashier, claire = shop
    credit.top_up(manager, claire.id, 1000, "CB")
    before_rows, before_journal = _rows(store), store.scalar("SELECT count(*) FROM journal")
    with pytest.raises(RightDenied) as info:
        credit.top_up(cashier, claire.id, 5000, "CB")
    assert str(info.value) == "You do not have the right to add credit."
    with pytest.raises(RightDenied) as info:
        credit.refund(cashier, claire.id, 500, "ESP")
    assert "enter negative credit" in str(info.value)
    with pytest.raises(RightDenied):
        credit.adjust(cashier, claire.id, -500, "ESP")
    assert _rows(store) == before_rows
    assert store.scalar("SELECT count(*) FROM journal") == before_journal
    assert cached_balance(store, claire.id) == 1000
    assert credit.status(cashier, claire.id).balance == 1000


# -- top-up rules ---------------------------------------------------------------------------

@pytest.mark.parametrize("amount", [0, -1, -5000])
def test_top_up_must_be_positive(shop, amount):
    store, manager, _c, claire = shop
    with pytest.raises(PosError):
        credit.top_up(manager, claire.id, amount, "CB")
    assert _rows(store) == 0 and cached_balance(store, claire.id) == 0


def test_top_up_adjust_zero_refused(shop):
    store, manager, _c, claire = shop
    with pytest.raises(PosError):
        credit.adjust(manager, claire.id, 0, "ESP")
    assert _rows(store) == 0


@pytest.mark.parametrize("code", ["CRED", "cred", " CRED "])
def test_cred_cannot_top_up(shop, code):
    store, manager, _c, claire = shop
    with pytest.raises(PosError) as info:
        credit.top_up(manager, claire.id, 1000, code)
    assert "CRED" in str(info.value)
    with pytest.raises(PosError):
        credit.refund(manager, claire.id, 1000, code)
    assert _rows(store) == 0
    assert "CRED" not in [m.code for m in methods.top_up_methods(store)]


def test_disabled_method_refused(shop):
    store, manager, _c, claire = shop
    methods.set_enabled(manager, "CHQ", False)
    with pytest.raises(PosError) as info:
        credit.top_up(manager, claire.id, 1000, "CHQ")
    assert "CHQ" in str(info.value)
    credit.top_up(manager, claire.id, 1000, "CB")
    with pytest.raises(PosError):
        credit.refund(manager, claire.id, 500, "CHQ")
    assert [r["method"] for r in ledger_rows(store)] == ["CB"]
    assert "CHQ" not in [m.code for m in methods.top_up_methods(store)]
    methods.set_enabled(manager, "CHQ", True)
    assert credit.top_up(manager, claire.id, 1000, "CHQ").new_balance == 2000


def test_unknown_method(shop):
    store, manager, _c, claire = shop
    with pytest.raises(NotFound):
        credit.top_up(manager, claire.id, 1000, "XYZ")
    with pytest.raises(NotFound):
        credit.refund(manager, claire.id, 1000, "")
    assert _rows(store) == 0


def test_method_codes_are_case_insensitive(shop):
    store, manager, _c, claire = shop
    credit.top_up(manager, claire.id, 1000, " cb ")
    assert ledger_rows(store)[0]["method"] == "CB"


def test_added_method_can_top_up(shop):
    store, manager, cashier, claire = shop
    with pytest.raises(RightDenied):
        methods.add_method(cashier, "BA", "Bon d'achat partenaire")
    methods.add_method(manager, "ba", "Bon d'achat partenaire")
    assert credit.top_up(manager, claire.id, 3000, "BA").new_balance == 3000
    assert ledger_rows(store)[0]["method"] == "BA"


def test_unknown_customer(shop):
    store, manager, _c, _claire = shop
    with pytest.raises(NotFound):
        credit.top_up(manager, 9999, 1000, "CB")
    with pytest.raises(NotFound):
        credit.status(manager, 9999)
    assert _rows(store) == 0


def test_erased_customer_keeps_ledger(shop):
    store, manager, _c, claire = shop
    credit.top_up(manager, claire.id, 1000, "CB")
    from pos_tui.services import customers

    customers.erase(manager, claire.id)
    with pytest.raises(NotFound):
        credit.top_up(manager, claire.id, 1000, "CB")
    assert len(ledger_rows(store, claire.id)) == 1
    assert cached_balance(store, claire.id) == 1000


# -- refunds and debt ------------------------------------------------------------------------

def test_refund_beyond_debt_limit(shop, english):
    store, manager, _c, claire = shop
    settings.set_customer_debt_limit(manager, claire.id, 5000)
    with pytest.raises(DebtLimitExceeded) as info:
        credit.refund(manager, claire.id, 5001, "ESP")
    exc = info.value
    assert (exc.balance, exc.amount, exc.floor, exc.shortfall) == (0, -5001, -5000, 1)
    assert "0,01" in str(exc) or "0.01" in str(exc)
    assert _rows(store) == 0 and cached_balance(store, claire.id) == 0
    # exactly at the limit is fine
    result = credit.refund(manager, claire.id, 5000, "ESP")
    assert result.new_balance == -5000 and cached_balance(store, claire.id) == -5000
    # and not one cent more
    with pytest.raises(DebtLimitExceeded) as info:
        credit.refund(manager, claire.id, 1, "ESP")
    assert info.value.shortfall == 1
    assert _rows(store) == 1


def test_no_debt_by_default(shop):
    store, manager, _c, claire = shop
    assert credit.status(manager, claire.id).debt_limit == 0
    credit.top_up(manager, claire.id, 1000, "CB")
    with pytest.raises(DebtLimitExceeded) as info:
        credit.refund(manager, claire.id, 1200, "ESP")
    assert info.value.shortfall == 200
    assert credit.refund(manager, claire.id, 1000, "ESP").new_balance == 0


@pytest.mark.parametrize("amount", [0, -100])
def test_refund_must_be_positive(shop, amount):
    store, manager, _c, claire = shop
    credit.top_up(manager, claire.id, 1000, "CB")
    with pytest.raises(PosError):
        credit.refund(manager, claire.id, amount, "ESP")
    assert _rows(store) == 1 and cached_balance(store, claire.id) == 1000


def test_forbid_negative_entries(shop):
    store, manager, _c, claire = shop
    credit.top_up(manager, claire.id, 5000, "CB")
    policy = settings.set_credit_policy(manager, forbid_negative_entries=True)
    assert policy == CreditPolicy(forbid_negative_entries=True, forbid_negative_balance=False)
    with pytest.raises(PosError) as info:
        credit.refund(manager, claire.id, 100, "ESP")
    assert not isinstance(info.value, DebtLimitExceeded)
    assert _rows(store) == 1 and cached_balance(store, claire.id) == 5000
    # top-ups are still fine
    credit.top_up(manager, claire.id, 100, "CB")
    settings.set_credit_policy(manager, forbid_negative_entries=False)
    assert credit.refund(manager, claire.id, 100, "ESP").new_balance == 5000


def test_forbid_negative_balance_beats_debt_limit(shop):
    store, manager, _c, claire = shop
    settings.set_customer_debt_limit(manager, claire.id, 5000)
    credit.top_up(manager, claire.id, 1000, "CB")
    settings.set_credit_policy(manager, forbid_negative_balance=True)
    status = credit.status(manager, claire.id)
    assert (status.debt_limit, status.floor) == (5000, 0)
    with pytest.raises(DebtLimitExceeded) as info:
        credit.refund(manager, claire.id, 1001, "ESP")
    assert (info.value.floor, info.value.shortfall) == (0, 1)
    assert _rows(store) == 1 and cached_balance(store, claire.id) == 1000
    assert credit.refund(manager, claire.id, 1000, "ESP").new_balance == 0
    # lifting the setting restores the customer's limit
    settings.set_credit_policy(manager, forbid_negative_balance=False)
    assert credit.status(manager, claire.id).floor == -5000
    assert credit.refund(manager, claire.id, 5000, "ESP").new_balance == -5000


def test_paying_off_a_debt(shop):
    store, manager, _c, claire = shop
    settings.set_customer_debt_limit(manager, claire.id, 5000)
    credit.refund(manager, claire.id, 1000, "ESP")
    credit.refund(manager, claire.id, 2000, "ESP")
    assert cached_balance(store, claire.id) == -3000
    result = credit.top_up(manager, claire.id, 3000, "ESP")
    assert (result.old_balance, result.new_balance) == (-3000, 0)
    assert [r["balance_after"] for r in ledger_rows(store, claire.id)] == [-1000, -3000, 0]


def test_lowering_limit_below_current_debt(shop):
    store, manager, _c, claire = shop
    settings.set_customer_debt_limit(manager, claire.id, 5000)
    credit.refund(manager, claire.id, 4000, "ESP")
    settings.set_customer_debt_limit(manager, claire.id, 1000)
    with pytest.raises(DebtLimitExceeded):
        credit.refund(manager, claire.id, 1, "ESP")
    # paying part of the debt is still allowed
    assert credit.top_up(manager, claire.id, 500, "ESP").new_balance == -3500


def test_negative_debt_limit_refused(shop):
    store, manager, _c, claire = shop
    with pytest.raises(PosError):
        settings.set_customer_debt_limit(manager, claire.id, -1)
    with pytest.raises(PosError):
        settings.set_default_debt_limit(manager, -100)
    assert credit.status(manager, claire.id).debt_limit == 0
    with pytest.raises(sqlite3.IntegrityError):  # the database refuses it too
        store.conn.execute("UPDATE customers SET debt_limit = -1 WHERE id = ?", (claire.id,))
    with pytest.raises(NotFound):
        settings.set_customer_debt_limit(manager, 9999, 100)


# -- idempotency -------------------------------------------------------------------------------

def test_idempotent_top_up(shop):
    store, manager, _c, claire = shop
    first = credit.top_up(manager, claire.id, 2500, "CB", idempotency_key="k-1")
    second = credit.top_up(manager, claire.id, 2500, "CB", idempotency_key="k-1")
    assert first.replayed is False and second.replayed is True
    assert second.entry.id == first.entry.id
    assert (second.old_balance, second.new_balance) == (0, 2500)
    assert _rows(store) == 1 and cached_balance(store, claire.id) == 2500


def test_idempotent_refund(shop):
    store, manager, _c, claire = shop
    credit.top_up(manager, claire.id, 2500, "CB")
    first = credit.refund(manager, claire.id, 1000, "ESP", idempotency_key="r-1")
    credit.top_up(manager, claire.id, 100, "CB")
    second = credit.adjust(manager, claire.id, -1000, "ESP", idempotency_key="r-1")
    assert second.replayed and second.entry.id == first.entry.id
    assert (second.old_balance, second.new_balance) == (2500, 1500)
    assert _rows(store) == 3 and cached_balance(store, claire.id) == 1600


@pytest.mark.parametrize(
    "call",
    [
        lambda ctx, cid, other: credit.top_up(ctx, cid, 2600, "CB", idempotency_key="k-1"),  # another amount
        lambda ctx, cid, other: credit.top_up(ctx, cid, 2500, "ESP", idempotency_key="k-1"),  # another method
        lambda ctx, cid, other: credit.top_up(ctx, other, 2500, "CB", idempotency_key="k-1"),  # another customer
        lambda ctx, cid, other: credit.refund(ctx, cid, 2500, "CB", idempotency_key="k-1"),  # another kind
    ],
)
def test_idempotency_key_reused_for_another_operation(shop, call):
    store, manager, _c, claire = shop
    other = make_customer(manager, "Paul", "Durand")
    credit.top_up(manager, claire.id, 2500, "CB", idempotency_key="k-1")
    with pytest.raises(PosError) as info:
        call(manager, claire.id, other.id)
    assert not isinstance(info.value, DebtLimitExceeded)
    assert _rows(store) == 1
    assert cached_balance(store, claire.id) == 2500 and cached_balance(store, other.id) == 0


def test_idempotency_key_unique_in_database(shop):
    store, manager, _c, claire = shop
    credit.top_up(manager, claire.id, 100, "CB", idempotency_key="dup")
    with pytest.raises(sqlite3.IntegrityError):
        with store.write():
            ledger_store.insert(store, customer_id=claire.id, kind=EntryKind.TOP_UP, amount=100, method="CB",
                                sale_id=None, label="", user_id=manager.user.id, terminal=1, balance_after=200,
                                idempotency_key="dup")
    assert _rows(store) == 1 and cached_balance(store, claire.id) == 100


# -- the ledger in the database (S12) ---------------------------------------------------------------

@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
def test_s12_ledger_append_only(shop):
    store, manager, _c, claire = shop
    credit.top_up(manager, claire.id, 5000, "CB")
    credit.refund(manager, claire.id, 2000, "ESP")
    before = ledger_rows(store)
    raw = raw_connect(store.path)  # as the sqlite3 shell would
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("UPDATE credit_ledger SET amount = 99999 WHERE id = ?", (before[0]["id"],))
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("DELETE FROM credit_ledger")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("DELETE FROM credit_ledger WHERE id = ?", (before[1]["id"],))
        # an inserted row must state the balance it leaves
        with pytest.raises(sqlite3.IntegrityError, match="does not follow the balance"):
            raw.execute(
                "INSERT INTO credit_ledger(customer_id, kind, amount, method, label, user_id, terminal, created_at,"
                " balance_after) VALUES (?, 'top_up', 1000, 'CB', '', ?, 1, '2025-01-01T00:00:00', 99999)",
                (claire.id, manager.user.id),
            )
        # and follow the sign of its kind
        with pytest.raises(sqlite3.IntegrityError, match="does not follow the balance"):
            raw.execute(
                "INSERT INTO credit_ledger(customer_id, kind, amount, method, label, user_id, terminal, created_at,"
                " balance_after) VALUES (?, 'top_up', -1000, 'CB', '', ?, 1, '2025-01-01T00:00:00', 2000)",
                (claire.id, manager.user.id),
            )
        with pytest.raises(sqlite3.IntegrityError, match="does not follow the balance"):
            raw.execute(
                "INSERT INTO credit_ledger(customer_id, kind, amount, method, label, user_id, terminal, created_at,"
                " balance_after) VALUES (?, 'gift', 1000, 'CB', '', ?, 1, '2025-01-01T00:00:00', 4000)",
                (claire.id, manager.user.id),
            )
        raw.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):  # unknown payment method
            raw.execute(
                "INSERT INTO credit_ledger(customer_id, kind, amount, method, label, user_id, terminal, created_at,"
                " balance_after) VALUES (?, 'top_up', 1000, 'NOPE', '', ?, 1, '2025-01-01T00:00:00', 4000)",
                (claire.id, manager.user.id),
            )
    finally:
        raw.close()
    assert ledger_rows(store) == before
    assert cached_balance(store, claire.id) == 3000
    assert ledger_store.mismatched_balances(store) == []


def test_ledger_correct_insert_moves_cached_balance(shop):
    """The database keeps customers.balance in step with the ledger (trigger)."""
    store, manager, _c, claire = shop
    credit.top_up(manager, claire.id, 700, "CB")
    with store.write():
        ledger_store.insert(store, customer_id=claire.id, kind=EntryKind.SALE_PAYMENT, amount=-200, method=None,
                            sale_id=None, label="test", user_id=manager.user.id, terminal=1, balance_after=500,
                            idempotency_key=None)
    assert cached_balance(store, claire.id) == 500 == ledger_store.sum_for(store, claire.id)


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
def test_mismatched_balance_is_detected(shop):
    store, manager, _c, claire = shop
    credit.top_up(manager, claire.id, 700, "CB")
    assert ledger_store.mismatched_balances(store) == []
    with pytest.raises(sqlite3.IntegrityError, match="follows the credit ledger"):
        store.conn.execute("UPDATE customers SET balance = 9999 WHERE id = ?", (claire.id,))
    # Someone with the sqlite3 shell drops the guard first: verify still sees it.
    store.conn.execute("DROP TRIGGER customers_balance_from_ledger")
    store.conn.execute("UPDATE customers SET balance = 9999 WHERE id = ?", (claire.id,))
    assert ledger_store.mismatched_balances(store) == [{"id": claire.id, "balance": 9999, "ledger_sum": 700}]


# -- history ------------------------------------------------------------------------------------------

def test_history_paging_and_running_balance(shop):
    store, manager, _c, claire = shop
    settings.set_customer_debt_limit(manager, claire.id, 100_000)
    other = make_customer(manager, "Paul", "Durand")
    expected_amounts = []
    for i in range(120):
        if i % 3 == 2:
            credit.refund(manager, claire.id, 700 + i, "ESP")
            expected_amounts.append(-(700 + i))
        else:
            credit.top_up(manager, claire.id, 100 + i, "CB" if i % 2 else "CHQ")
            expected_amounts.append(100 + i)
        if i % 40 == 0:
            credit.top_up(manager, other.id, 1, "CB")  # interleaved rows of another customer
    assert credit.entry_count(manager, claire.id) == 120

    pages, before_id = [], None
    while True:
        page = credit.history(manager, claire.id, before_id=before_id, limit=50)
        if not page:
            break
        pages.append(page)
        before_id = page[-1].id
    assert [len(p) for p in pages] == [50, 50, 20]
    entries = [e for p in pages for e in p]
    ids = [e.id for e in entries]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 120  # newest first, no overlap
    assert all(e.customer_id == claire.id for e in entries)
    assert [e.amount for e in reversed(entries)] == expected_amounts
    for newer, older in zip(entries, entries[1:]):
        assert newer.balance_after - newer.amount == older.balance_after
    assert entries[-1].balance_after - entries[-1].amount == 0  # the oldest starts from zero
    assert entries[0].balance_after == sum(expected_amounts) == cached_balance(store, claire.id)
    assert credit.status(manager, claire.id).balance == sum(expected_amounts)


def test_history_empty(shop):
    _store, manager, _c, claire = shop
    assert credit.history(manager, claire.id) == []
    assert credit.entry_count(manager, claire.id) == 0


# -- report --------------------------------------------------------------------------------------------

def test_credit_report(tmp_path):
    clock = FixedClock()
    store, manager, cashier = make_store(tmp_path, clock=clock)
    claire = make_customer(manager, "Claire", "Martin")
    paul = make_customer(manager, "Paul", "Durand")
    settings.set_customer_debt_limit(manager, paul.id, 10_000)
    # day 1 (2025-03-14)
    credit.top_up(manager, claire.id, 5000, "CB")
    credit.refund(manager, claire.id, 2000, "ESP")
    credit.refund(manager, paul.id, 1500, "ESP")
    # day 2 (2025-03-15)
    clock.advance(days=1)
    credit.top_up(manager, claire.id, 1000, "ESP")
    credit.top_up(manager, claire.id, 250, "ESP")

    whole = credit.report(manager)
    assert {(r["kind"], r["method"]): (r["n"], r["total"]) for r in whole["by_method"]} == {
        ("top_up", "CB"): (1, 5000), ("top_up", "ESP"): (2, 1250), ("refund", "ESP"): (2, -3500)}
    assert whole["sales"] == []
    assert whole["outstanding"] == {"credit": 4250, "debt": 1500, "n_credit": 1, "n_debt": 1}
    assert [(c["id"], c["balance"], c["debt_limit"]) for c in whole["customers"]] == [
        (paul.id, -1500, 10_000), (claire.id, 4250, 0)]

    day1 = credit.report(manager, "2025-03-14", "2025-03-14")
    assert {(r["kind"], r["method"]): (r["n"], r["total"]) for r in day1["by_method"]} == {
        ("top_up", "CB"): (1, 5000), ("refund", "ESP"): (2, -3500)}
    day2 = credit.report(manager, "2025-03-15", None)
    assert {(r["kind"], r["method"]): (r["n"], r["total"]) for r in day2["by_method"]} == {
        ("top_up", "ESP"): (2, 1250)}
    assert credit.report(manager, "2025-03-16", None)["by_method"] == []

    exports = store.query("SELECT user_id, detail FROM journal WHERE kind = 'export'")
    assert len(exports) == 4 and all(r["user_id"] == manager.user.id for r in exports)
    with pytest.raises(RightDenied):
        credit.report(cashier)


# -- rights and settings -----------------------------------------------------------------------------------

def test_view_credit_rights(shop):
    store, manager, cashier, claire = shop
    credit.top_up(manager, claire.id, 1200, "CB")
    status = credit.status(cashier, claire.id)
    assert (status.balance, status.debt_limit, status.floor) == (1200, 0, 0)
    assert [e.amount for e in credit.history(cashier, claire.id)] == [1200]

    nobody = auth.set_rights(manager, cashier.user.id, set())
    assert nobody.rights == frozenset()
    ctx = Context(store, nobody, terminal=5)
    with pytest.raises(RightDenied):
        credit.status(ctx, claire.id)
    with pytest.raises(RightDenied):
        credit.history(ctx, claire.id)
    with pytest.raises(RightDenied):
        credit.entry_count(ctx, claire.id)


def test_custom_rights_allow_top_up_but_not_refund(shop):
    store, manager, cashier, claire = shop
    user = auth.set_rights(manager, cashier.user.id, {Right.VIEW_CREDIT, Right.ADD_CREDIT})
    ctx = Context(store, user, terminal=7)
    result = credit.top_up(ctx, claire.id, 1000, "ESP")
    assert (result.entry.user_id, result.entry.terminal) == (cashier.user.id, 7)
    with pytest.raises(RightDenied):
        credit.refund(ctx, claire.id, 100, "ESP")
    assert cached_balance(store, claire.id) == 1000


def test_settings_rights(shop):
    store, manager, cashier, claire = shop
    settings_before = store.query("SELECT * FROM settings ORDER BY key")
    with pytest.raises(RightDenied):
        settings.set_credit_policy(cashier, forbid_negative_entries=True)
    with pytest.raises(RightDenied):
        settings.set_customer_debt_limit(cashier, claire.id, 10_000)
    with pytest.raises(RightDenied):
        settings.set_default_debt_limit(cashier, 10_000)
    assert settings.credit_policy(store) == CreditPolicy()
    assert credit.status(manager, claire.id).debt_limit == 0
    assert settings.default_debt_limit(store) == 0
    assert store.query("SELECT * FROM settings ORDER BY key") == settings_before
    assert store.get_setting(settings.FORBID_NEGATIVE_ENTRIES) is None
    assert store.scalar("SELECT count(*) FROM journal WHERE kind IN ('setting_changed', 'debt_limit_changed')") == 0


def test_settings_are_journaled(shop):
    store, manager, _c, claire = shop
    settings.set_credit_policy(manager, forbid_negative_balance=True)
    settings.set_customer_debt_limit(manager, claire.id, 2500)
    import json

    rows = store.query("SELECT kind, user_id, detail FROM journal WHERE kind IN ('setting_changed',"
                       " 'debt_limit_changed') ORDER BY id")
    assert [(r["kind"], r["user_id"], json.loads(r["detail"])) for r in rows] == [
        ("setting_changed", manager.user.id, {"key": "forbid_negative_balance", "value": True}),
        ("debt_limit_changed", manager.user.id, {"customer": claire.id, "old": 0, "new": 2500}),
    ]


def test_new_customers_get_default_debt_limit(shop):
    store, manager, cashier, claire = shop
    settings.set_default_debt_limit(manager, 7500)
    assert settings.default_debt_limit(store) == 7500
    newcomer = make_customer(cashier, "Léa", "Petit")
    assert newcomer.debt_limit == 7500
    assert credit.status(manager, newcomer.id).floor == -7500
    assert credit.status(manager, claire.id).debt_limit == 0  # existing customers keep theirs
    assert credit.refund(manager, newcomer.id, 7500, "ESP").new_balance == -7500
    with pytest.raises(DebtLimitExceeded):
        credit.refund(manager, newcomer.id, 1, "ESP")
