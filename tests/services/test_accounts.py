"""Customer accounts (issue 16): statement of account, debts that age."""

from __future__ import annotations

import csv
import io
import os
from datetime import datetime, timedelta, timezone

import pytest

from helpers_core import (
    CASHIER_NAME,
    CASHIER_PIN,
    MANAGER_NAME,
    MANAGER_PIN,
    FixedClock,
    make_customer,
    make_store,
)
from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError, RightDenied
from pos_tui.domain.payment import Tender
from pos_tui.printing.receipt import render_text
from pos_tui.services import accounts, checkout, credit
from pos_tui.services import settings as shop_settings
from pos_tui.store import ledger as ledger_store

PARIS = timezone(timedelta(hours=1))


def at(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def shop(tmp_path):
    clock = FixedClock(at(1))
    store, manager, cashier = make_store(tmp_path, clock=clock)
    shop_settings.set_default_debt_limit(manager, 10000)
    claire = make_customer(manager, "Claire", "Martin", email="claire@example.org", card_code="CLAIRE01")
    return store, manager, cashier, claire, clock


def _scan_voucher(store, cart, code):
    return checkout.add_scanned_voucher(cart, checkout.scan(store, code).voucher)


def scripted_history(shop):
    """Mar 1 top-up 100,00; in March 2..10: a CRED sale, a refund, a voucher rest put on credit, a credit
    note whose rest goes to credit; Mar 11 a top-up after the period."""
    store, manager, cashier, claire, clock = shop
    credit.top_up(manager, claire.id, 10000, "CB", label="Avance")  # Mar 1, before the period
    clock.now = at(2, 11)
    cart = Cart(customer_id=claire.id)
    cart.add_free("Panier", 1840, 2000)
    sale = checkout.close_sale(cashier, cart, [Tender("CRED", 1840)])  # -18,40
    clock.now = at(3, 9, 30)
    credit.refund(manager, claire.id, 2000, "ESP", label="Rendu")  # -20,00
    clock.now = at(4, 15)
    gift = Cart()
    gift.add_gift_voucher(5000)
    voucher = checkout.close_sale(cashier, gift, [Tender("CB", 5000)]).vouchers_issued[0]
    used = Cart(customer_id=claire.id)
    used.add_free("Bougie", 3000, 2000)
    _scan_voucher(store, used, voucher.code)
    voucher_sale = checkout.close_sale(cashier, used, [Tender("CRED", -2000)])  # +20,00 (voucher rest)
    clock.now = at(5, 16)
    returned = checkout.return_items(manager, sale.number, {checkout.find_sale(store, str(sale.number))
                                                            ["returnable"][0]["id"]: 1}, "credit_note")
    note = returned.vouchers_issued[0]
    clock.now = at(10, 18)
    small = Cart(customer_id=claire.id)
    small.add_free("Thé", 840, 550)
    _scan_voucher(store, small, note.code)
    note_sale = checkout.close_sale(cashier, small, [Tender("CRED", -1000)])  # +10,00 (credit-note rest)
    clock.now = at(11, 9)
    credit.top_up(manager, claire.id, 500, "ESP")  # after the period
    return {"sale": sale, "voucher_sale": voucher_sale, "note_sale": note_sale}


def test_statement_of_scripted_history_matches_hand_figures_and_the_ledger(shop):
    store, manager, _cashier, claire, clock = shop
    history = scripted_history(shop)
    stmt = accounts.statement(manager, claire.id, "2025-03-02", "2025-03-10")
    # by hand: 100,00 - 18,40 - 20,00 + 20,00 + 10,00 = 91,60
    assert stmt.opening == 10000
    assert [(line.kind, line.amount, line.balance_after, line.sale_number, line.method) for line in stmt.lines] == [
        ("sale_payment", -1840, 8160, history["sale"].number, None),
        ("refund", -2000, 6160, None, "ESP"),
        ("sale_credit", 2000, 8160, history["voucher_sale"].number, None),
        ("sale_credit", 1000, 9160, history["note_sale"].number, None),
    ]
    assert (stmt.credits, stmt.debits, stmt.closing) == (3000, -3840, 9160)
    assert stmt.debt_limit == 10000 and stmt.customer_name == "Claire Martin"
    # Totals equal the ledger's: the entries of the period are exactly the ledger rows of those days,
    # and the closing balance is the balance the ledger stood at after the last one.
    rows = store.query("SELECT id, amount, balance_after FROM credit_ledger WHERE customer_id = ?"
                       " AND created_at >= '2025-03-02' AND created_at < '2025-03-11' ORDER BY id", (claire.id,))
    assert [r["id"] for r in rows] == [line.entry_id for line in stmt.lines]
    assert stmt.opening + sum(r["amount"] for r in rows) == stmt.closing == rows[-1]["balance_after"]
    assert ledger_store.sum_for(store, claire.id) == stmt.closing + 500  # the top-up of Mar 11 is outside


def test_statement_of_an_empty_period_and_bad_periods(shop, english):
    store, manager, _cashier, claire, clock = shop
    scripted_history(shop)
    empty = accounts.statement(manager, claire.id, "2025-03-06", "2025-03-09")
    assert empty.lines == () and empty.opening == empty.closing == 6160 + 2000
    with pytest.raises(PosError, match="Not a date"):
        accounts.statement(manager, claire.id, "2025-3-1", "2025-03-09")
    with pytest.raises(PosError, match="ends before it starts"):
        accounts.statement(manager, claire.id, "2025-03-09", "2025-03-01")


def test_statement_csv_pdf_and_thermal(shop, tmp_path):
    store, manager, cashier, claire, clock = shop
    scripted_history(shop)
    stmt = accounts.statement(manager, claire.id, "2025-03-02", "2025-03-10")
    path = accounts.export_statement_csv(manager, stmt, tmp_path / "st.csv", "raw")
    assert os.stat(path).st_mode & 0o777 == 0o600
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0][-2:] == ["amount_cents", "balance_cents"]
    assert rows[1][1] == "opening balance" and rows[1][-1] == "10000"
    assert [r[-2] for r in rows[2:-1]] == ["-1840", "-2000", "2000", "1000"]
    assert rows[-1][1:] == ["closing balance", "", "", "", "", "-840", "9160"]
    pdf = accounts.export_statement_pdf(manager, stmt, tmp_path / "st.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") == 1
    assert os.stat(pdf).st_mode & 0o777 == 0o600
    assert store.scalar("SELECT count(*) FROM journal WHERE kind = 'export' AND detail LIKE '%statement%'") == 2
    text = "\n".join(render_text(accounts.statement_receipt(store, stmt), 48))
    assert "91,60" in text and "100,00" in text and "-18,40" in text
    with pytest.raises(RightDenied):
        accounts.export_statement_csv(cashier, stmt, tmp_path / "no.csv")
    assert not (tmp_path / "no.csv").exists()


def test_csv_neutralises_formulas():
    text = accounts.csv_text([["=HYPERLINK(1)", "+1", "@x", -5, "ok"]])
    assert text.strip() == "'=HYPERLINK(1),'+1,'@x,-5,ok"


def test_find_customer(shop, english):
    store, manager, _cashier, claire, clock = shop
    make_customer(manager, "Claude", "Martin")
    assert accounts.find_customer(store, str(claire.id)).id == claire.id
    assert accounts.find_customer(store, "claire01").id == claire.id
    assert accounts.find_customer(store, "Claire Mart").id == claire.id
    with pytest.raises(PosError, match="several customers"):
        accounts.find_customer(store, "Martin")
    with pytest.raises(PosError, match="No customer"):
        accounts.find_customer(store, "Zorglub")


def test_balance_slip(shop):
    store, manager, _cashier, claire, clock = shop
    scripted_history(shop)
    text = "\n".join(render_text(accounts.balance_slip(manager, claire.id, entries=3), 48))
    assert "96,60" in text and "100,00" in text  # balance; debt limit
    assert text.count("bal.") + text.count("solde") == 3


# -- debts that age -------------------------------------------------------------------------

def _spend(cashier, customer_id, cents):
    cart = Cart(customer_id=customer_id)
    cart.add_free("Courses", cents, 550)
    return checkout.close_sale(cashier, cart, [Tender("CRED", cents)])


def test_debt_age_across_a_day_boundary(shop):
    store, manager, cashier, claire, clock = shop
    clock.now = at(1, 23, 50)
    _spend(cashier, claire.id, 3000)
    assert accounts.debt_age(store, claire.id) == 0
    clock.now = at(2, 0, 10)  # twenty minutes later, but another day
    assert accounts.debt_age(store, claire.id) == 1
    clock.now = at(31, 9)
    assert accounts.debt_age(store, claire.id) == 30
    assert accounts.old_debts(store) == []  # 30 days is not older than 30 days
    clock.now = at(1, 0, 5, month=4)
    (row,) = accounts.old_debts(store)
    assert (row["id"], row["balance"], row["age_days"], row["since"]) == (claire.id, -3000, 31,
                                                                          "2025-03-01T23:50:00+01:00")


def test_partial_repayment_keeps_the_age_full_repayment_resets_it(shop):
    store, manager, cashier, claire, clock = shop
    _spend(cashier, claire.id, 5000)  # Mar 1
    clock.now = at(10)
    _spend(cashier, claire.id, 1000)  # more debt does not make it younger
    credit.top_up(manager, claire.id, 4000, "ESP")  # partial: -20,00 left
    clock.now = at(15)
    assert store.scalar("SELECT balance FROM customers WHERE id = ?", (claire.id,)) == -2000
    assert accounts.debt_age(store, claire.id) == 14
    assert [r["id"] for r in accounts.old_debts(store, 10)] == [claire.id]
    credit.top_up(manager, claire.id, 2000, "ESP")  # back to exactly zero
    assert accounts.debt_age(store, claire.id) is None and accounts.old_debts(store, 0) == []
    clock.now = at(20)
    _spend(cashier, claire.id, 700)  # a new debt starts its own clock
    clock.now = at(22)
    assert accounts.debt_age(store, claire.id) == 2
    assert accounts.old_debts(store, 10) == [] and [r["age_days"] for r in accounts.old_debts(store, 1)] == [2]


def test_debtors_list_oldest_first_and_counter_warning(shop, english):
    store, manager, cashier, claire, clock = shop
    bob = make_customer(manager, "Bob", "Durand", phone="0612345678")
    ann = make_customer(manager, "Ann", "Petit")
    _spend(cashier, bob.id, 2500)  # Mar 1
    clock.now = at(5)
    _spend(cashier, claire.id, 1200)
    credit.top_up(manager, ann.id, 1000, "CB")  # in credit: never listed
    clock.now = at(20, month=4)
    assert [(r["id"], r["age_days"]) for r in accounts.debtors(manager, 30)] == [(bob.id, 50), (claire.id, 46)]
    assert [r["id"] for r in accounts.debtors(cashier, 48)] == [bob.id]
    assert accounts.counter_warning(store, accounts.find_customer(store, str(claire.id))) == "In debt for 46 days"
    assert accounts.counter_warning(store, accounts.find_customer(store, str(ann.id))) is None
    accounts.set_debt_ages(manager, threshold_days=60, max_age_days=48)
    assert accounts.debt_age_threshold(store) == 60 and accounts.debt_max_age(store) == 48
    assert "longest allowed is 48 days" in accounts.counter_warning(store, accounts.find_customer(store, str(bob.id)))
    assert accounts.counter_warning(store, accounts.find_customer(store, str(claire.id))) is None
    with pytest.raises(PosError):
        accounts.set_debt_ages(manager, threshold_days=0)
    with pytest.raises(RightDenied):
        accounts.set_debt_ages(cashier, threshold_days=10)


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
def test_debt_age_queries_use_indexes(shop):
    store, *_ = shop
    from pos_tui.store.accounts import _DEBT_SINCE

    plan = " | ".join(r["detail"] for r in store.query(
        f"EXPLAIN QUERY PLAN SELECT c.id, {_DEBT_SINCE} FROM customers c WHERE c.balance < 0 AND c.erased = 0"))
    assert "credit_ledger_nonneg" in plan
    # the only scan walks a partial index of customers in debt (customers_in_debt, or customers_old_debts
    # which holds the same rows); the ledger is searched, never scanned
    assert [part for part in plan.split(" | ") if part.startswith("SCAN")] in (
        ["SCAN c USING INDEX customers_in_debt"], ["SCAN c USING COVERING INDEX customers_old_debts"])


def test_x_and_z_list_old_debts_without_names_in_the_z(shop, english):
    from pos_tui.printing.day_report import text_lines
    from pos_tui.services import closing

    store, manager, cashier, claire, clock = shop
    _spend(cashier, claire.id, 4200)  # Mar 1
    clock.now = at(5, month=4)
    x = closing.summary(store, closing.business_day(store))
    assert x["old_debts"] == {"threshold_days": 30, "n": 1, "total": 4200, "oldest": [
        {"customer": claire.id, "balance": -4200, "age_days": 35, "name": "Claire Martin"}]}
    text = "\n".join(text_lines(x))
    assert "Debts older than 30 days" in text and "Claire Martin" in text and "35 d" in text
    assert "old_debts,older than 30 days,1,4200" in closing.summary_csv(x)
    closing.close_day(manager)
    frozen = closing.z_list(store)[0]["figures"]["old_debts"]
    assert frozen["oldest"] == [{"customer": claire.id, "balance": -4200, "age_days": 35}]
    assert "Claire" not in store.scalar("SELECT figures FROM z_closings")


def test_large_cash_top_up_needs_a_manager_and_is_journaled(shop, english):
    from pos_tui.domain.errors import PosError as _PosError
    from pos_tui.services.credit import LargeCashNeedsConfirmation

    store, manager, cashier, claire, clock = shop
    _spend(cashier, claire.id, 5000)
    before = store.scalar("SELECT count(*) FROM credit_ledger")
    with pytest.raises(LargeCashNeedsConfirmation, match="€1,200.00 in cash is above €1,000.00"):
        credit.top_up(manager, claire.id, 120000, "ESP")
    assert store.scalar("SELECT count(*) FROM credit_ledger") == before
    credit.top_up(manager, claire.id, 100000, "ESP")  # exactly the limit: no confirmation
    credit.top_up(manager, claire.id, 150000, "CB")  # not cash
    with pytest.raises(_PosError, match="cannot confirm"):
        accounts.confirm_large_cash(store, CASHIER_NAME, CASHIER_PIN, 1, 120000)  # a cashier cannot confirm
    with pytest.raises(_PosError, match="Wrong PIN"):
        accounts.confirm_large_cash(store, MANAGER_NAME, "000000", 1, 120000)
    wrong_amount = accounts.confirm_large_cash(store, MANAGER_NAME, MANAGER_PIN, 1, 130000)
    with pytest.raises(_PosError, match="not given here for this amount"):
        credit.top_up(manager, claire.id, 120000, "ESP", confirmed_by=wrong_amount)
    forged = accounts.CashConfirmation(manager.user, 120000, "made-up")
    with pytest.raises(_PosError, match="not given here"):
        credit.top_up(manager, claire.id, 120000, "ESP", confirmed_by=forged)
    boss = accounts.confirm_large_cash(store, MANAGER_NAME, MANAGER_PIN, manager.terminal, 120000)
    result = credit.adjust(manager, claire.id, 120000, "ESP", confirmed_by=boss)
    assert result.new_balance == -5000 + 100000 + 150000 + 120000
    with pytest.raises(_PosError, match="already used"):  # one confirmation, one top-up
        credit.top_up(manager, claire.id, 120000, "ESP", confirmed_by=boss)
    (row,) = store.query("SELECT user_id, detail FROM journal WHERE kind = 'large_cash_confirmed'")
    assert '"amount": 120000' in row["detail"] and f'"by": {boss.user.id}' in row["detail"]
    accounts.set_cash_confirmation_limit(manager, 50000)
    with pytest.raises(LargeCashNeedsConfirmation):
        credit.top_up(manager, claire.id, 60000, "ESP")
