"""Issue 12: PIN lockout under parallel guesses, managers' PIN length, overrides proven in the
service, control characters refused, CSV cells neutralised."""

from __future__ import annotations

import csv
import io
import multiprocessing
import queue

import pytest

from helpers_core import (
    CASHIER_NAME,
    CASHIER_PIN,
    MANAGER_NAME,
    MANAGER_PIN,
    english,  # noqa: F401 - fixture
    login_worker,
    make_customer,
    make_store,
)
from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError
from pos_tui.domain.payment import Tender
from pos_tui.domain.users import MAX_FAILED_PINS
from pos_tui.services import auth, checkout, closing, credit, customers, methods, printing
from pos_tui.services import settings as shop_settings
from pos_tui.services.context import Context
from pos_tui.services.exports import csv_text, safe_cell
from pos_tui.store import users as users_store


def _failed(store, name):
    user = users_store.by_name(store, name)[0]
    return user.failed_pins, user.locked


def _race(db_path: str, pins: list[str], name: str = CASHIER_NAME) -> list[tuple]:
    """Every PIN of ``pins`` tried at once, each by its own process (its own terminal)."""
    mp = multiprocessing.get_context("spawn")
    barrier = mp.Barrier(len(pins))
    results = mp.Queue()
    workers = [mp.Process(target=login_worker, args=(db_path, name, pin, barrier, results)) for pin in pins]
    for w in workers:
        w.start()
    outcomes = []
    try:
        for _ in workers:
            outcomes.append(results.get(timeout=120))
    except queue.Empty:  # pragma: no cover - a worker died: show what happened
        raise AssertionError(f"a worker gave no answer; got {outcomes}") from None
    finally:
        for w in workers:
            w.join(timeout=60)
            if w.is_alive():  # pragma: no cover
                w.kill()
    assert not [o for o in outcomes if o[0] == "crash"], outcomes
    return outcomes


# -- 1. lockout ---------------------------------------------------------------------------

def test_parallel_wrong_pins_never_check_more_than_the_limit(tmp_path):
    store, _manager, _cashier = make_store(tmp_path)
    outcomes = _race(str(store.path), ["9999"] * 10)
    hashes = sum(o[2] for o in outcomes)
    assert hashes == MAX_FAILED_PINS, outcomes
    assert all(o[0] == "refused" for o in outcomes)
    assert _failed(store, CASHIER_NAME) == (MAX_FAILED_PINS, True)
    assert store.scalar("SELECT count(*) FROM journal WHERE kind = 'pin_failed'") == MAX_FAILED_PINS


def test_right_pin_among_parallel_wrong_ones_does_not_reset_their_count(tmp_path):
    store, _manager, _cashier = make_store(tmp_path)
    outcomes = _race(str(store.path), ["9999"] * 6 + [CASHIER_PIN])
    assert sum(o[2] for o in outcomes) <= MAX_FAILED_PINS, outcomes
    wrong_checked = sum(o[2] for o in outcomes if o[1] == "9999")
    failed, locked = _failed(store, CASHIER_NAME)
    # every wrong PIN that was checked stays counted, whether or not the right one got in
    assert failed == wrong_checked
    assert locked == (wrong_checked >= MAX_FAILED_PINS)


def test_a_success_keeps_a_miss_counted_meanwhile_by_another_terminal(tmp_path, monkeypatch):
    store, _manager, _cashier = make_store(tmp_path)
    other = type(store)(store.path)
    real_check = auth.check_pin

    def check_while_another_terminal_misses(typed, stored):
        if typed == CASHIER_PIN:  # while this hash is being checked, terminal 9 types a wrong PIN
            with pytest.raises(PosError):
                auth.login(other, CASHIER_NAME, "1111", terminal=9)
        return real_check(typed, stored)

    monkeypatch.setattr(auth, "check_pin", check_while_another_terminal_misses)
    with pytest.raises(PosError):
        auth.login(store, CASHIER_NAME, "2222")  # an earlier miss of this cashier: a success forgets it
    user = auth.login(store, CASHIER_NAME, CASHIER_PIN)
    assert user.name == CASHIER_NAME
    assert _failed(store, CASHIER_NAME) == (1, False)  # terminal 9's miss is still counted


def test_the_wait_after_a_wrong_pin_grows(tmp_path, _instant_pin_delay):
    store, _manager, _cashier = make_store(tmp_path)
    for _ in range(3):
        with pytest.raises(PosError):
            auth.login(store, CASHIER_NAME, "9999")
    assert _instant_pin_delay == [auth.failure_delay(1), auth.failure_delay(2), auth.failure_delay(3)]
    assert 0 < _instant_pin_delay[0] < _instant_pin_delay[1] < _instant_pin_delay[2] <= 2
    auth.login(store, CASHIER_NAME, CASHIER_PIN)
    assert len(_instant_pin_delay) == 3  # a right PIN answers at once


def test_locked_user_is_refused_without_checking_a_hash(tmp_path, monkeypatch):
    store, _manager, _cashier = make_store(tmp_path)
    for _ in range(MAX_FAILED_PINS):
        with pytest.raises(PosError):
            auth.login(store, CASHIER_NAME, "9999")
    checked = []
    monkeypatch.setattr(auth, "check_pin", lambda pin, stored: checked.append(pin) or True)
    with pytest.raises(PosError, match="locked|verrouillé"):
        auth.login(store, CASHIER_NAME, CASHIER_PIN)
    assert checked == []


def test_managers_need_six_digit_pins_cashiers_four(tmp_path, english):
    store, manager, _cashier = make_store(tmp_path)
    with pytest.raises(PosError, match="manager's PIN is 6 to 8 digits"):
        auth.create_user(manager, "Boss", "1234", "manager")
    assert auth.create_user(manager, "Boss", "123456", "manager").role == "manager"
    assert auth.create_user(manager, "Caisse", "1234", "cashier").role == "cashier"
    assert auth.login(store, "Boss", "123456").pin_change_due is False


def test_an_existing_short_manager_pin_still_works_and_asks_for_a_change(tmp_path):
    from pos_tui.store import Store

    store = Store(tmp_path / "old.db")
    auth.create_first_manager(store, "Marie", "1234", short_pin_ok=True)  # as the demo, or a store made before
    user = auth.login(store, "Marie", "1234")
    assert user.role == "manager" and user.pin_change_due is True


def test_demo_store_keeps_its_documented_pins(tmp_path):
    from pos_tui.services.demo import DEMO_USERS

    assert DEMO_USERS[0][:3] == ("Marie", "1234", "manager") and DEMO_USERS[1][:2] == ("Paul", "0000")


# -- 2. overrides ---------------------------------------------------------------------------

@pytest.fixture
def over_limit(tmp_path):
    store, manager, cashier = make_store(tmp_path)
    claire = make_customer(manager, "Claire", "Martin")
    shop_settings.set_customer_debt_limit(manager, claire.id, 10000)
    cart = Cart(customer_id=claire.id)
    cart.add_free("Caviar", 100000, 2000)
    return store, manager, cashier, claire, cart


def test_a_hand_made_override_is_refused(over_limit, english):
    store, manager, cashier, claire, cart = over_limit
    forged = checkout.Override(manager.user, "trust me")
    with pytest.raises(PosError, match="not authorised here"):
        checkout.close_sale(cashier, cart, [Tender("CRED", cart.total)], override=forged)
    assert store.scalar("SELECT count(*) FROM sales") == 0
    assert customers.get(store, claire.id).balance == 0


def test_an_issued_override_is_spent_once_and_only_at_its_till(over_limit, english):
    store, _manager, cashier, claire, cart = over_limit
    elsewhere = checkout.authorize_override(store, MANAGER_NAME, MANAGER_PIN, "client fidèle", terminal=7)
    with pytest.raises(PosError, match="not authorised here"):
        checkout.close_sale(cashier, cart, [Tender("CRED", cart.total)], override=elsewhere)
    token = checkout.authorize_override(store, MANAGER_NAME, MANAGER_PIN, "client fidèle", cashier.terminal)
    checkout.close_sale(cashier, cart, [Tender("CRED", cart.total)], override=token)
    assert customers.get(store, claire.id).balance == -100000
    with pytest.raises(PosError, match="already used"):
        checkout.close_sale(cashier, cart, [Tender("CRED", cart.total)], override=token)
    assert store.scalar("SELECT count(*) FROM sales") == 1


def test_an_override_needs_the_right(over_limit):
    store, _manager, cashier, _claire, _cart = over_limit
    with pytest.raises(PosError):
        checkout.authorize_override(store, CASHIER_NAME, CASHIER_PIN, "client fidèle", cashier.terminal)


# -- 9. control characters ------------------------------------------------------------------

BAD_TEXTS = ["Ann\x00e", "Jo\x1b[31m", "Li\rne", "tab\there", "bell\x07"]


@pytest.mark.parametrize("bad", BAD_TEXTS)
def test_control_characters_are_refused_in_every_text_field(tmp_path, bad, english):
    store, manager, _cashier = make_store(tmp_path)
    claire = make_customer(manager, "Claire", "Martin")
    journal = store.scalar("SELECT count(*) FROM journal")
    attempts = [
        lambda: customers.create(manager, {"first_name": bad, "last_name": "X"}),
        lambda: customers.create(manager, {"last_name": "X", "company": bad}),
        lambda: customers.create(manager, {"last_name": "X", "note": bad}),
        lambda: customers.update(manager, claire.id, {"first_name": bad, "last_name": "Martin"}),
        lambda: auth.create_user(manager, bad, "5555", "cashier"),
        lambda: closing.add_cash_movement(manager, "out", 500, bad),
        lambda: credit.top_up(manager, claire.id, 500, "CB", label=bad),
        lambda: methods.add_method(manager, "TR", bad),
        lambda: checkout.free_line(manager, Cart(), bad, 500, 2000),
        lambda: checkout.authorize_override(store, MANAGER_NAME, MANAGER_PIN, f"raison {bad}", 1),
        lambda: printing.set_printer_settings(manager, "none", 48, False, f"Épicerie\n{bad}", ""),
        lambda: printing.set_printer_settings(manager, "none", 48, False, "", bad),
    ]
    for attempt in attempts:
        with pytest.raises(PosError, match="control character"):
            attempt()
    assert store.scalar("SELECT count(*) FROM journal") == journal
    assert store.scalar("SELECT count(*) FROM customers") == 1


def test_a_note_may_span_lines(tmp_path):
    _store, manager, _cashier = make_store(tmp_path)
    assert make_customer(manager, "Léa", "Roux", note="allergique\nau gluten").note == "allergique\nau gluten"


# -- 7. CSV cells ---------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://x\",\"clic\")", "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3", "=1+1"]


def test_safe_cell_rule():
    assert [safe_cell(v) for v in ("=A1", "+1", "-1", "@x", "\tx", "\rx", "ok", "", 12, -500)] == [
        "'=A1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "ok", "", 12, -500]
    assert list(csv.reader(io.StringIO(csv_text([["a", "b"], ["=x", -3]])))) == [["a", "b"], ["'=x", "-3"]]


def test_formula_names_round_trip_neutralised_in_the_credit_report(tmp_path):
    _store, manager, _cashier = make_store(tmp_path)
    for i, formula in enumerate(FORMULAS):
        c = customers.create(manager, {"first_name": formula, "last_name": f"L{i}", "company": formula})
        credit.top_up(manager, c.id, 100 + i, "CB")
    rows = list(csv.DictReader(io.StringIO(credit.report_csv(credit.report(manager), "raw"))))
    assert sorted(r["first_name"] for r in rows) == sorted("'" + f for f in FORMULAS)
    assert all(r["company"] == r["first_name"] for r in rows)
    assert sorted(int(r["balance_cents"]) for r in rows) == [100, 101, 102, 103, 104]  # numbers stay numbers


def test_formula_cashier_name_neutralised_in_the_z_export(tmp_path):
    store, manager, _cashier = make_store(tmp_path)
    evil = Context(store, auth.create_user(manager, "=cmd|calc", "4321", "cashier"), 3)
    cart = Cart()
    cart.add_free("Pain", 120, 550)
    checkout.close_sale(evil, cart, [Tender("ESP", 120)])
    rows = list(csv.reader(io.StringIO(closing.export_summary(manager, closing.x_report(manager), fmt="raw"))))
    cashier_rows = [r for r in rows if r[0] == "per_cashier"]
    assert cashier_rows == [["per_cashier", "'=cmd|calc", "1", "120"]]
    assert ["sales", "count", "1", ""] in rows
