"""Sale checkout: cart and payment rules (domain) and the closing service (S4, S5, S6, S13)."""

from __future__ import annotations

import multiprocessing as mp

import pytest

from helpers_core import new_store
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_tui.domain.cart import Cart, CartLine, parse_quantity_prefix, vat_breakdown
from pos_tui.domain.credit import DebtLimitExceeded
from pos_tui.domain.errors import PosError, RightDenied
from pos_tui.domain.money import SHOP_VAT_RATES
from pos_tui.domain.payment import Tender, settle
from pos_tui.domain.products import Product
from pos_tui.services import auth, checkout, credit, customers
from pos_tui.services import settings as shop_settings
from pos_tui.services.context import Context
from pos_tui.store.db import Store

CASH = {"ESP"}


pytestmark = pytest.mark.usefixtures("english")  # these tests match the English source messages (conftest.py)


JAM = Product(1, "3762428454229", "Confiture abricot 370 g", 460, 550)
CANDLE = Product(2, "3761917675602", "Bougie parfumée vanille", 1380, 2000)


# -- domain --------------------------------------------------------------------
@given(st.lists(st.tuples(st.integers(-50_000, 500_000), st.sampled_from(SHOP_VAT_RATES), st.integers(1, 20)),
                min_size=1, max_size=30))
def test_vat_parts_always_sum_to_the_total(items):
    lines = [CartLine("free", "x", q, price, rate) for price, rate, q in items]
    groups = vat_breakdown(lines)
    assert sum(g.ttc for g in groups) == sum(line.total for line in lines)
    assert sum(g.ht + g.tva for g in groups) == sum(line.total for line in lines)
    for g in groups:
        assert g.ht + g.tva == g.ttc
        if g.rate == 0:
            assert g.tva == 0


def test_vat_breakdown_of_s4_basket():
    cart = Cart()
    cart.add_product(JAM)
    cart.add_product(CANDLE)
    assert cart.total == 1840
    by_rate = {g.rate: (g.ht, g.tva, g.ttc) for g in cart.vat()}
    assert by_rate == {2000: (1150, 230, 1380), 550: (436, 24, 460)}


def test_exact_over_and_under_payment():
    assert settle(1840, [Tender("CB", 1840)], CASH).change == 0
    over = settle(2500, [Tender("CRED", 1160), Tender("ESP", 2000)], CASH)
    assert over.change == 660 and over.credit_used == 1160
    assert sum(t.amount for t in over.applied) == 2500
    with pytest.raises(PosError, match="still to pay"):
        settle(1840, [Tender("CB", 1000)], CASH)
    with pytest.raises(PosError, match="Only cash"):
        settle(1840, [Tender("CB", 2000)], CASH)
    with pytest.raises(PosError):
        settle(-500, [Tender("ESP", -400)], CASH)
    refund = settle(-500, [Tender("CRED", -500)], CASH)
    assert refund.credit_used == -500 and refund.change == 0


@given(st.integers(1, 100_000), st.lists(st.tuples(st.sampled_from(["ESP", "CB", "CHQ"]), st.integers(1, 100_000)),
                                          min_size=1, max_size=5))
def test_settlement_applies_exactly_the_total(total, lines):
    tenders = [Tender(m, a) for m, a in lines]
    try:
        result = settle(total, tenders, CASH)
    except PosError:
        paid = sum(a for _, a in lines)
        cash = sum(a for m, a in lines if m in CASH)
        assert paid < total or paid - total > cash
        return
    assert sum(t.amount for t in result.applied) == total
    assert result.change == sum(a for _, a in lines) - total
    assert all(t.amount > 0 for t in result.applied)


def test_quantity_prefix():
    assert parse_quantity_prefix("3*4006381333931") == (3, "4006381333931")
    assert parse_quantity_prefix("3*") == (3, "")
    assert parse_quantity_prefix("4006381333931") == (None, "4006381333931")
    with pytest.raises(PosError):
        parse_quantity_prefix("0*")


def test_cart_edit_lines():
    cart = Cart()
    cart.add_product(JAM)
    cart.repeat_last()
    cart.set_quantity(1, 3)
    assert [line.quantity for line in cart.lines] == [1, 3] and cart.total == 4 * 460
    cart.remove(0)
    assert cart.total == 3 * 460
    with pytest.raises(PosError):
        cart.remove(5)
    assert Cart.from_dict(cart.to_dict()).lines == cart.lines


# -- services ------------------------------------------------------------------
@pytest.fixture
def shop(tmp_path):
    store = new_store(tmp_path / "shop.db")
    manager = auth.create_first_manager(store, "Marie", "123456")
    mctx = Context(store, manager, 1)
    cashier = auth.create_user(mctx, "Paul", "0000", "cashier")
    cctx = Context(store, cashier, 2)
    from pos_tui.services import products

    products.create(mctx, JAM.barcode, JAM.name, JAM.price, JAM.vat_rate)
    products.create(mctx, CANDLE.barcode, CANDLE.name, CANDLE.price, CANDLE.vat_rate)
    claire = customers.create(mctx, {"first_name": "Claire", "last_name": "Martin", "card_code": "CL000001"})
    return store, mctx, cctx, claire


def _scan_into(store, cart, *codes):
    for code in codes:
        found = checkout.scan(store, code)
        if found.product:
            cart.add_product(found.product)
        else:
            cart.customer_id = found.customer.id


def test_scan_order_and_errors(shop):
    store, *_ = shop
    assert checkout.scan(store, JAM.barcode).product.name == JAM.name
    assert checkout.scan(store, "cl000001").customer.last_name == "Martin"
    with pytest.raises(PosError, match="check digit"):
        checkout.scan(store, "3762428454228")
    with pytest.raises(PosError, match="Unknown code"):
        checkout.scan(store, "4006381333931")  # valid EAN, not in this store
    with pytest.raises(PosError):
        checkout.scan(store, "   ")


def test_s4_pay_with_credit(shop):
    store, mctx, cctx, claire = shop
    credit.top_up(mctx, claire.id, 3000, "CB")
    cart = Cart()
    _scan_into(store, cart, JAM.barcode, CANDLE.barcode, "CL000001")
    assert cart.total == 1840
    result = checkout.close_sale(cctx, cart, [Tender("CRED", 1840)])
    assert result.number == 1 and result.new_balance == 1160
    assert customers.get(store, claire.id).balance == 1160
    rows = store.query("SELECT kind, amount, sale_id, user_id FROM credit_ledger WHERE kind = 'sale_payment'")
    assert rows == [{"kind": "sale_payment", "amount": -1840, "sale_id": result.sale_id, "user_id": cctx.user.id}]
    assert store.query("SELECT method, amount FROM sale_payments") == [{"method": "CRED", "amount": 1840}]
    assert store.scalar("SELECT count(*) FROM sale_lines WHERE sale_id = ?", (result.sale_id,)) == 2


def test_s5_split_payment_with_change(shop):
    store, mctx, cctx, claire = shop
    credit.top_up(mctx, claire.id, 1160, "CB")
    cart = Cart(customer_id=claire.id)
    cart.add_free("Panier", 2500, 2000)
    result = checkout.close_sale(cctx, cart, [Tender("CRED", 1160), Tender("ESP", 2000)])
    assert result.settlement.change == 660
    assert result.new_balance == 0
    assert store.query("SELECT method, amount FROM sale_payments ORDER BY id") == [
        {"method": "CRED", "amount": 1160}, {"method": "ESP", "amount": 1340}]
    assert store.scalar("SELECT change_given FROM sales") == 660


def test_s6_debt_limit_then_override(shop):
    store, mctx, cctx, claire = shop
    shop_settings.set_customer_debt_limit(mctx, claire.id, 10000)
    first = Cart(customer_id=claire.id)
    first.add_free("A", 8000, 2000)
    assert checkout.close_sale(cctx, first, [Tender("CRED", 8000)]).new_balance == -8000
    second = Cart(customer_id=claire.id)
    second.add_free("B", 3000, 2000)
    with pytest.raises(DebtLimitExceeded) as refused:
        checkout.close_sale(cctx, second, [Tender("CRED", 3000)])
    assert refused.value.shortfall == 1000
    assert store.scalar("SELECT count(*) FROM sales") == 1
    with pytest.raises(PosError):
        checkout.authorize_override(store, "Paul", "0000", "ami du patron", 2)  # cashier lacks the right
    override = checkout.authorize_override(store, "Marie", "123456", "client fidèle", 2)
    assert checkout.close_sale(cctx, second, [Tender("CRED", 3000)], override=override).new_balance == -11000
    journal = store.query("SELECT detail FROM journal WHERE kind = 'debt_limit_override'")
    assert len(journal) == 1 and "client fidèle" in journal[0]["detail"]


def test_debt_limit_edges(shop):
    store, mctx, cctx, claire = shop
    shop_settings.set_customer_debt_limit(mctx, claire.id, 1000)
    at_limit = Cart(customer_id=claire.id)
    at_limit.add_free("A", 1000, 2000)
    assert checkout.close_sale(cctx, at_limit, [Tender("CRED", 1000)]).new_balance == -1000
    one_cent = Cart(customer_id=claire.id)
    one_cent.add_free("B", 1, 2000)
    with pytest.raises(DebtLimitExceeded):
        checkout.close_sale(cctx, one_cent, [Tender("CRED", 1)])


def test_cred_needs_customer_and_right(shop):
    store, mctx, cctx, claire = shop
    cart = Cart()
    cart.add_free("A", 100, 2000)
    with pytest.raises(PosError, match="customer"):
        checkout.close_sale(cctx, cart, [Tender("CRED", 100)])
    auth.set_rights(mctx, cctx.user.id, set())
    nobody = Context(store, auth.users_store.by_id(store, cctx.user.id), 2)
    cart.customer_id = claire.id
    credit.top_up(mctx, claire.id, 500, "CB")
    with pytest.raises(RightDenied):
        checkout.close_sale(nobody, cart, [Tender("CRED", 100)])
    assert store.scalar("SELECT count(*) FROM sales") == 0


def test_negative_total_goes_to_credit_or_cash(shop):
    store, mctx, cctx, claire = shop
    cart = Cart(customer_id=claire.id)
    with pytest.raises(RightDenied):
        checkout.free_line(cctx, cart, "Retour", -1500, 2000)
    checkout.free_line(mctx, cart, "Retour", -1500, 2000)
    with pytest.raises(RightDenied):
        checkout.close_sale(cctx, cart, [Tender("CRED", -1500)])
    result = checkout.close_sale(mctx, cart, [Tender("CRED", -1500)])
    assert result.new_balance == 1500
    assert store.query("SELECT kind, amount FROM credit_ledger") == [{"kind": "sale_credit", "amount": 1500}]
    paid_out = Cart()
    checkout.free_line(mctx, paid_out, "Retour", -700, 550)
    assert checkout.close_sale(mctx, paid_out, [Tender("ESP", -700)]).total == -700


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
def test_sale_numbers_are_gapless_and_records_append_only(shop):
    import sqlite3

    store, mctx, cctx, claire = shop
    for _ in range(3):
        cart = Cart()
        cart.add_free("A", 100, 2000)
        checkout.close_sale(cctx, cart, [Tender("CB", 100)])
    bad = Cart()
    bad.add_free("A", 100, 2000)
    with pytest.raises(PosError):
        checkout.close_sale(cctx, bad, [Tender("CB", 50)])
    assert [r["number"] for r in store.query("SELECT number FROM sales ORDER BY id")] == [1, 2, 3]
    for sql in ("UPDATE sales SET total = 0", "DELETE FROM sale_lines", "UPDATE sale_payments SET amount = 1"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.db.execute(sql)


def test_park_resume_cancel(shop):
    store, mctx, cctx, claire = shop
    cart = Cart(customer_id=claire.id)
    cart.add_product(JAM)
    parked_id = checkout.park_sale(cctx, cart)
    assert [p["total"] for p in checkout.parked_sales(cctx)] == [460]
    resumed = checkout.resume_sale(cctx, parked_id)
    assert resumed.lines == cart.lines and resumed.customer_id == claire.id
    with pytest.raises(PosError):
        checkout.resume_sale(cctx, parked_id)
    checkout.cancel_sale(cctx, resumed)
    assert store.scalar("SELECT count(*) FROM journal WHERE kind = 'sale_cancelled'") == 1
    assert store.scalar("SELECT count(*) FROM sales") == 0


def _pay_800_with_credit(path, customer_id, barrier, results):
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.payment import Tender
    from pos_tui.services import checkout
    from pos_tui.services.context import Context
    from pos_tui.store import users
    from pos_tui.services.context import open_store

    store = open_store(path)
    ctx = Context(store, users.by_id(store, 2), 2)
    cart = Cart(customer_id=customer_id)
    cart.add_free("A", 800, 2000)
    barrier.wait()
    try:
        checkout.close_sale(ctx, cart, [Tender("CRED", 800)])
        results.put("ok")
    except PosError as exc:
        results.put(type(exc).__name__)


def test_s13_two_terminals_pay_with_the_same_credit(shop, tmp_path, engine):
    store, mctx, cctx, claire = shop
    spawn = mp.get_context("spawn")
    for attempt in range(3 if engine == "sqlite" else 2):  # PostgreSQL's run: one race fewer (suite time)
        customer = customers.create(mctx, {"first_name": f"Race{attempt}", "last_name": "Test"})
        credit.top_up(mctx, customer.id, 1000, "CB")
        barrier, results = spawn.Barrier(2), spawn.Queue()
        procs = [spawn.Process(target=_pay_800_with_credit, args=(store.target, customer.id, barrier, results))
                 for _ in range(2)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        outcomes = sorted(results.get(timeout=5) for _ in procs)
        assert outcomes == ["DebtLimitExceeded", "ok"]
        assert customers.get(store, customer.id).balance == 200
        assert store.scalar("SELECT count(*) FROM credit_ledger WHERE customer_id = ? AND kind = 'sale_payment'",
                            (customer.id,)) == 1
