"""Gift vouchers, credit notes, partner methods and returns (SPEC §6–§7; stories S7–S11)."""

from __future__ import annotations

import multiprocessing as mp
import random
from datetime import date, datetime

import pytest

from helpers_core import new_store

from pos_tui import i18n
from pos_tui.domain.cart import Cart, CartLine, LineKind
from pos_tui.domain.errors import NotFound, PosError, RightDenied
from pos_tui.domain.payment import Tender
from pos_tui.domain.products import Product
from pos_tui.domain.vouchers import (
    ALPHABET,
    CODE_LENGTH,
    format_code,
    is_valid_code,
    new_code,
    normalise_code,
    parse_expiry,
)
from pos_tui.services import auth, checkout, credit, customers, methods, products
from pos_tui.services import settings as shop_settings
from pos_tui.services import vouchers as vouchers_service
from pos_tui.services.context import Context
from pos_tui.store.db import Store

JAM = Product(1, "3762428454229", "Confiture abricot 370 g", 460, 550)  # 5,5 %
CANDLE = Product(2, "3761917675602", "Bougie parfumée vanille", 1380, 2000)  # 20 %
ALREADY_USED = "This voucher was already used on {date} in sale n° {number}."
JUST_USED = "This voucher was just used at another till."


pytestmark = pytest.mark.usefixtures("english")  # messages are asserted in English (conftest.py)


@pytest.fixture
def shop(tmp_path):
    store = new_store(tmp_path / "shop.db")
    manager = auth.create_first_manager(store, "Marie", "123456")
    mctx = Context(store, manager, 1)
    cashier = auth.create_user(mctx, "Paul", "0000", "cashier")
    cctx = Context(store, cashier, 2)
    products.create(mctx, JAM.barcode, JAM.name, JAM.price, JAM.vat_rate)
    products.create(mctx, CANDLE.barcode, CANDLE.name, CANDLE.price, CANDLE.vat_rate)
    claire = customers.create(mctx, {"first_name": "Claire", "last_name": "Martin", "card_code": "CL000001"})
    yield store, mctx, cctx, claire
    store.close()


def _sell_voucher(ctx, amount=5000, expires_on=None):
    cart = Cart()
    cart.add_gift_voucher(amount, expires_on)
    result = checkout.close_sale(ctx, cart, [Tender("CB", amount)])
    (voucher,) = result.vouchers_issued
    return voucher, result


def _scan_voucher(store, cart, code):
    found = checkout.scan(store, code)
    assert found.voucher is not None and found.product is None and found.customer is None
    return checkout.add_scanned_voucher(cart, found.voucher)


def _count(store, table, where="1 = 1", params=()):
    return store.scalar(f"SELECT count(*) FROM {table} WHERE {where}", params)


def _redemptions(store, voucher_id):
    return store.query("SELECT sale_id FROM voucher_redemptions WHERE voucher_id = ?", (voucher_id,))


def _sale_rows(store, sale_id):
    return (store.query("SELECT * FROM sales WHERE id = ?", (sale_id,)),
            store.query("SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY id", (sale_id,)),
            store.query("SELECT * FROM sale_payments WHERE sale_id = ? ORDER BY id", (sale_id,)))


# -- S7 ---------------------------------------------------------------------------
def test_s7_sell_gift_voucher(shop):
    store, mctx, cctx, claire = shop
    cart = Cart()
    line = cart.add_gift_voucher(5000)
    assert (line.kind, line.vat_rate, cart.total) == (LineKind.VOUCHER_SALE, 0, 5000)
    with pytest.raises(PosError, match="still to pay"):
        checkout.close_sale(cctx, cart, [Tender("CB", 4000)])
    # A cart that is not closed (or whose closing failed) creates no voucher and no sale.
    assert _count(store, "vouchers") == 0 and _count(store, "sales") == 0

    result = checkout.close_sale(cctx, cart, [Tender("CB", 5000)])
    (voucher,) = result.vouchers_issued
    assert is_valid_code(voucher.code)
    assert voucher.code.startswith("BV") and len(voucher.code) == CODE_LENGTH
    assert not voucher.code.isdigit()
    assert (voucher.kind, voucher.amount, voucher.parts) == ("gift", 5000, ((0, 5000),))
    assert voucher.issued_sale_id == result.sale_id and voucher.redeemed_at is None
    lines = store.query("SELECT kind, quantity, unit_price, vat_rate, total, voucher_id FROM sale_lines"
                        " WHERE sale_id = ?", (result.sale_id,))
    assert lines == [{"kind": "voucher_sale", "quantity": 1, "unit_price": 5000, "vat_rate": 0, "total": 5000,
                      "voucher_id": voucher.id}]
    row = store.one("SELECT code, kind, amount, issued_sale_id, customer_id FROM vouchers")
    assert row == {"code": voucher.code, "kind": "gift", "amount": 5000, "issued_sale_id": result.sale_id,
                   "customer_id": None}
    assert store.query("SELECT vat_rate, amount FROM voucher_parts WHERE voucher_id = ?", (voucher.id,)) == [
        {"vat_rate": 0, "amount": 5000}]
    assert store.query("SELECT method, amount FROM sale_payments WHERE sale_id = ?", (result.sale_id,)) == [
        {"method": "CB", "amount": 5000}]
    assert _count(store, "voucher_redemptions") == 0
    assert [v["code"] for v in vouchers_service.listing(store, "valid")] == [voucher.code]
    assert checkout.scan(store, voucher.code).voucher.id == voucher.id

    # A second voucher gets a different code; a zero or negative voucher is refused.
    other, _ = _sell_voucher(cctx, 2000)
    assert other.code != voucher.code
    with pytest.raises(PosError):
        Cart().add_gift_voucher(0)
    with pytest.raises(PosError):
        Cart().add_gift_voucher(-100)


# -- S8 ---------------------------------------------------------------------------
def test_s8_voucher_in_bigger_sale(shop):
    store, mctx, cctx, claire = shop
    voucher, _ = _sell_voucher(cctx)
    cart = Cart()
    cart.add_free("Panier", 6200, 2000)
    added = _scan_voucher(store, cart, voucher.code)
    assert [(ln.kind, ln.total, ln.vat_rate, ln.voucher_code) for ln in added] == [
        (LineKind.VOUCHER_REDEEM, -5000, 0, voucher.code)]
    assert cart.total == 1200
    with pytest.raises(PosError, match="already in the sale"):
        _scan_voucher(store, cart, voucher.code)
    assert cart.total == 1200

    result = checkout.close_sale(cctx, cart, [Tender("ESP", 1200)])
    assert result.total == 1200 and result.settlement.change == 0
    assert _redemptions(store, voucher.id) == [{"sale_id": result.sale_id}]
    lines = store.query("SELECT kind, total, vat_rate, voucher_id FROM sale_lines WHERE sale_id = ? ORDER BY line_no",
                        (result.sale_id,))
    assert lines == [{"kind": "free", "total": 6200, "vat_rate": 2000, "voucher_id": None},
                     {"kind": "voucher_redeem", "total": -5000, "vat_rate": 0, "voucher_id": voucher.id}]
    assert store.query("SELECT method, amount FROM sale_payments WHERE sale_id = ?", (result.sale_id,)) == [
        {"method": "ESP", "amount": 1200}]

    with pytest.raises(PosError) as again:
        checkout.scan(store, voucher.code)
    assert again.value.template == ALREADY_USED and again.value.params["number"] == result.number
    assert "already used" in str(again.value) and f"sale n° {result.number}" in str(again.value)
    i18n.set_language("fr")
    assert f"vente n° {result.number}" in str(again.value)
    assert vouchers_service.listing(store, "valid") == []
    assert [v["sale_number"] for v in vouchers_service.listing(store, "used")] == [result.number]


# -- S9 ---------------------------------------------------------------------------
def test_s9_voucher_over_sale_goes_to_credit(shop):
    store, mctx, cctx, claire = shop
    voucher, _ = _sell_voucher(cctx)
    sales_before = _count(store, "sales")

    anonymous = Cart()
    _scan_voucher(store, anonymous, voucher.code)
    with pytest.raises(PosError, match="CRED needs a customer"):
        checkout.close_sale(cctx, anonymous, [Tender("CRED", -5000)])

    cart = Cart(customer_id=claire.id)
    _scan_voucher(store, cart, voucher.code)
    assert cart.total == -5000
    with pytest.raises(PosError, match="No cash back"):
        checkout.close_sale(cctx, cart, [Tender("ESP", -5000)])
    with pytest.raises(PosError, match="No cash back"):
        checkout.close_sale(cctx, cart, [Tender("CRED", -3000), Tender("ESP", -2000)])
    assert _count(store, "sales") == sales_before and _redemptions(store, voucher.id) == []
    assert customers.get(store, claire.id).balance == 0

    result = checkout.close_sale(cctx, cart, [Tender("CRED", -5000)])
    assert result.new_balance == 5000 and customers.get(store, claire.id).balance == 5000
    assert store.query("SELECT kind, amount, sale_id, method, balance_after FROM credit_ledger"
                       " WHERE customer_id = ?", (claire.id,)) == [
        {"kind": "sale_credit", "amount": 5000, "sale_id": result.sale_id, "method": None, "balance_after": 5000}]
    assert _redemptions(store, voucher.id) == [{"sale_id": result.sale_id}]
    assert store.query("SELECT method, amount FROM sale_payments WHERE sale_id = ?", (result.sale_id,)) == [
        {"method": "CRED", "amount": -5000}]

    # Cash back only once the manager allows it (a cashier cannot change the setting).
    with pytest.raises(RightDenied):
        shop_settings.set_voucher_cash_back(cctx, True)
    second, _ = _sell_voucher(cctx)
    cash_back = Cart()
    _scan_voucher(store, cash_back, second.code)
    with pytest.raises(PosError, match="No cash back"):
        checkout.close_sale(cctx, cash_back, [Tender("ESP", -5000)])
    shop_settings.set_voucher_cash_back(mctx, True)
    paid_out = checkout.close_sale(cctx, cash_back, [Tender("ESP", -5000)])
    assert store.query("SELECT method, amount FROM sale_payments WHERE sale_id = ?", (paid_out.sale_id,)) == [
        {"method": "ESP", "amount": -5000}]
    assert _redemptions(store, second.id) == [{"sale_id": paid_out.sale_id}]
    assert customers.get(store, claire.id).balance == 5000


# -- S10 --------------------------------------------------------------------------
def test_s10_partner_method_ba(shop):
    store, mctx, cctx, claire = shop
    with pytest.raises(RightDenied):
        methods.add_method(cctx, "BA", "Bons d'achat partenaires")
    assert _count(store, "payment_methods", "code = 'BA'") == 0
    methods.add_method(mctx, "BA", "Bons d'achat partenaires")
    assert methods.get(store, "ba").label == "Bons d'achat partenaires"
    assert "BA" in [m.code for m in methods.top_up_methods(store)]

    credit.top_up(mctx, claire.id, 3000, "BA")
    assert customers.get(store, claire.id).balance == 3000
    assert store.query("SELECT kind, amount, method, user_id FROM credit_ledger WHERE customer_id = ?",
                       (claire.id,)) == [{"kind": "top_up", "amount": 3000, "method": "BA", "user_id": mctx.user.id}]

    cart = Cart()
    cart.add_product(JAM)
    cart.add_product(CANDLE)
    result = checkout.close_sale(cctx, cart, [Tender("BA", cart.total)])
    assert store.query("SELECT method, amount FROM sale_payments WHERE sale_id = ?", (result.sale_id,)) == [
        {"method": "BA", "amount": 1840}]
    over = Cart()
    over.add_product(JAM)
    with pytest.raises(PosError, match="Only cash"):
        checkout.close_sale(cctx, over, [Tender("BA", 1000)])  # a partner voucher gives no change


# -- S11 and returns ---------------------------------------------------------------
def _two_rate_sale(ctx, customer_id=None):
    """JAM ×2 (5,5 %) and CANDLE ×1 (20 %), paid by card: 23,00."""
    cart = Cart(customer_id=customer_id)
    cart.add_product(JAM, 2)
    cart.add_product(CANDLE)
    result = checkout.close_sale(ctx, cart, [Tender("CB", cart.total)])
    sale = checkout.find_sale(ctx.store, str(result.number))
    by_product = {row["product_id"]: row for row in sale["returnable"]}
    jam_product = ctx.store.scalar("SELECT id FROM products WHERE barcode = ?", (JAM.barcode,))
    candle_product = ctx.store.scalar("SELECT id FROM products WHERE barcode = ?", (CANDLE.barcode,))
    return result, by_product[jam_product]["id"], by_product[candle_product]["id"]


def test_s11_return_as_credit_note(shop):
    store, mctx, cctx, claire = shop
    original, jam_line, candle_line = _two_rate_sale(cctx)
    before = _sale_rows(store, original.sale_id)

    result = checkout.return_items(mctx, original.number, {jam_line: 1, candle_line: 1}, "credit_note")
    assert result.sale_id != original.sale_id and result.number == original.number + 1
    assert _sale_rows(store, original.sale_id) == before
    returns = store.query("SELECT kind, quantity, unit_price, vat_rate, total, returned_line_id FROM sale_lines"
                          " WHERE sale_id = ? AND kind = 'return' ORDER BY line_no", (result.sale_id,))
    assert returns == [
        {"kind": "return", "quantity": -1, "unit_price": 460, "vat_rate": 550, "total": -460,
         "returned_line_id": jam_line},
        {"kind": "return", "quantity": -1, "unit_price": 1380, "vat_rate": 2000, "total": -1380,
         "returned_line_id": candle_line}]
    (note,) = result.vouchers_issued
    assert note.code.startswith("AV") and is_valid_code(note.code) and note.kind == "credit_note"
    assert note.amount == 1840 and dict(note.parts) == {2000: 1380, 550: 460}
    issue_lines = store.query("SELECT vat_rate, total, voucher_id FROM sale_lines WHERE sale_id = ?"
                              " AND kind = 'credit_note_issue' ORDER BY vat_rate", (result.sale_id,))
    assert issue_lines == [{"vat_rate": 550, "total": 460, "voucher_id": note.id},
                           {"vat_rate": 2000, "total": 1380, "voucher_id": note.id}]
    assert result.total == 0 and store.query("SELECT * FROM sale_payments WHERE sale_id = ?", (result.sale_id,)) == []
    assert _count(store, "vouchers", "kind = 'credit_note'") == 1
    remaining = {row["id"]: row["sold"] - row["returned"]
                 for row in checkout.find_sale(store, str(original.number))["returnable"]}
    assert remaining == {jam_line: 1, candle_line: 0}

    later = Cart()
    later.add_free("Panier", 3000, 2000)
    added = _scan_voucher(store, later, note.code.lower())
    assert sorted((ln.vat_rate, ln.total) for ln in added) == [(550, -460), (2000, -1380)]
    assert later.total == 1160
    used = checkout.close_sale(cctx, later, [Tender("CB", 1160)])
    assert _redemptions(store, note.id) == [{"sale_id": used.sale_id}]
    assert store.query("SELECT vat_rate, total FROM sale_lines WHERE sale_id = ? AND kind = 'voucher_redeem'"
                       " ORDER BY vat_rate", (used.sale_id,)) == [{"vat_rate": 550, "total": -460},
                                                                   {"vat_rate": 2000, "total": -1380}]
    with pytest.raises(PosError) as again:
        checkout.scan(store, note.code)
    assert again.value.template == ALREADY_USED and again.value.params["number"] == used.number


def test_return_more_than_sold_is_refused(shop):
    store, mctx, cctx, claire = shop
    original, jam_line, candle_line = _two_rate_sale(cctx)
    sales = _count(store, "sales")
    with pytest.raises(PosError, match="Cannot return more than was sold"):
        checkout.return_items(mctx, original.number, {jam_line: 3}, "credit_note")
    with pytest.raises(PosError, match="at least one item"):
        checkout.return_items(mctx, original.number, {jam_line: 0}, "credit_note")
    with pytest.raises(PosError, match="not part of sale"):
        checkout.return_items(mctx, original.number, {999_999: 1}, "credit_note")
    assert _count(store, "sales") == sales

    checkout.return_items(mctx, original.number, {jam_line: 1}, "refund", method="ESP")
    with pytest.raises(PosError, match="Cannot return more than was sold") as refused:
        checkout.return_items(mctx, original.number, {jam_line: 2}, "credit_note")
    assert refused.value.params == {"sold": 2, "returned": 1}
    assert _count(store, "sales") == sales + 1 and _count(store, "vouchers", "kind = 'credit_note'") == 0
    checkout.return_items(mctx, original.number, {jam_line: 1}, "refund", method="ESP")
    with pytest.raises(PosError, match="Cannot return more than was sold"):
        checkout.return_items(mctx, original.number, {jam_line: 1}, "refund", method="ESP")

    # The check is repeated inside the write transaction (another till may have returned it meanwhile).
    cart = Cart()
    cart.lines.append(CartLine(LineKind.RETURN, CANDLE.name, -2, CANDLE.price, CANDLE.vat_rate,
                                        returned_line_id=candle_line))
    with pytest.raises(PosError, match="Cannot return more than was sold"):
        checkout.close_sale(mctx, cart, [Tender("ESP", -2760)])
    assert _count(store, "sales") == sales + 2


def test_return_to_credit_raises_the_balance(shop):
    store, mctx, cctx, claire = shop
    original, jam_line, candle_line = _two_rate_sale(cctx, customer_id=claire.id)
    result = checkout.return_items(mctx, original.number, {candle_line: 1}, "credit")
    assert result.total == -1380 and result.new_balance == 1380
    assert customers.get(store, claire.id).balance == 1380
    assert store.query("SELECT kind, amount, sale_id FROM credit_ledger WHERE customer_id = ?", (claire.id,)) == [
        {"kind": "sale_credit", "amount": 1380, "sale_id": result.sale_id}]
    assert store.query("SELECT method, amount FROM sale_payments WHERE sale_id = ?", (result.sale_id,)) == [
        {"method": "CRED", "amount": -1380}]

    anonymous, anon_jam, _ = _two_rate_sale(cctx)
    with pytest.raises(PosError, match="needs a customer"):
        checkout.return_items(mctx, anonymous.number, {anon_jam: 1}, "credit")
    checkout.return_items(mctx, anonymous.number, {anon_jam: 1}, "credit", customer_id=claire.id)
    assert customers.get(store, claire.id).balance == 1840
    with pytest.raises(PosError, match="Unknown way"):
        checkout.return_items(mctx, anonymous.number, {anon_jam: 1}, "gift")


def test_cash_refund_needs_the_returns_right(shop):
    store, mctx, cctx, claire = shop
    original, jam_line, candle_line = _two_rate_sale(cctx)
    counts = {t: _count(store, t) for t in ("sales", "sale_lines", "sale_payments", "vouchers", "credit_ledger")}
    with pytest.raises(RightDenied):
        checkout.return_items(cctx, original.number, {jam_line: 1}, "refund", method="ESP")
    with pytest.raises(RightDenied):
        checkout.return_items(cctx, original.number, {jam_line: 1}, "credit_note")
    assert {t: _count(store, t) for t in counts} == counts

    result = checkout.return_items(mctx, original.number, {jam_line: 2}, "refund", method="esp")
    assert result.total == -920
    assert store.query("SELECT method, amount FROM sale_payments WHERE sale_id = ?", (result.sale_id,)) == [
        {"method": "ESP", "amount": -920}]
    assert store.scalar("SELECT voids_sale_id FROM sales WHERE id = ?", (result.sale_id,)) is None
    with pytest.raises(PosError, match="disabled or unknown"):
        checkout.return_items(mctx, original.number, {candle_line: 1}, "refund", method="XX")


def test_find_sale_by_number_or_receipt_barcode(shop):
    store, mctx, cctx, claire = shop
    first, _, _ = _two_rate_sale(cctx)
    for text in ("T000001", "t000001", "1", " 1 ", "000001", "T1"):
        assert checkout.find_sale(store, text)["id"] == first.sale_id
    for junk in ("", "   ", "T", "abc", "1.5", "-1", "T-1", "12a", "1 2", "²", "T²"):
        with pytest.raises(PosError, match="Type a sale number"):
            checkout.find_sale(store, junk)
    with pytest.raises(NotFound):
        checkout.find_sale(store, "T000099")


# -- codes --------------------------------------------------------------------------
def test_hundred_thousand_codes_without_a_collision():
    codes = {new_code("gift") for _ in range(100_000)}
    assert len(codes) == 100_000
    assert all(len(c) == CODE_LENGTH and c.startswith("BV") for c in codes)
    assert all(is_valid_code(c) for c in list(codes)[:2000])
    notes = [new_code("credit_note") for _ in range(200)]
    assert all(c.startswith("AV") and is_valid_code(c) for c in notes)


def test_every_substitution_and_adjacent_swap_is_rejected():
    rng = random.Random(20261128)
    codes = [new_code(rng.choice(("gift", "credit_note"))) for _ in range(200)]
    for code in codes:
        assert is_valid_code(code)
        for i, original in enumerate(code):
            for c in ALPHABET:
                if c != original:
                    assert not is_valid_code(code[:i] + c + code[i + 1:]), (code, i, c)
        for i in range(len(code) - 1):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
                assert not is_valid_code(swapped), (code, i)
    assert not is_valid_code(codes[0][:-1]) and not is_valid_code(codes[0] + "0")
    assert not is_valid_code("") and not is_valid_code(None)


def test_codes_are_normalised_and_grouped(shop):
    store, mctx, cctx, claire = shop
    code = new_code("gift")
    grouped = format_code(code)
    assert grouped.split("-") == [code[0:4], code[4:8], code[8:12], code[12:16]]
    for typed in (code.lower(), grouped, grouped.lower(), " ".join(grouped.split("-")), f"  {code[:7]} - {code[7:]} "):
        assert normalise_code(typed) == code
        assert is_valid_code(typed)

    voucher, _ = _sell_voucher(cctx)
    found = checkout.scan(store, " ".join(format_code(voucher.code).lower().split("-")))
    assert found.voucher.id == voucher.id
    bad = voucher.code[:-1] + ("0" if voucher.code[-1] != "0" else "1")
    with pytest.raises(PosError, match="Bad check character"):
        checkout.scan(store, bad)
    with pytest.raises(PosError, match="Unknown voucher code BV"):
        checkout.scan(store, new_code("gift"))


def test_parse_expiry():
    today = date(2026, 11, 28)
    assert parse_expiry("30/06/2027", today) == "2027-06-30"
    assert parse_expiry("2027-06-30", today) == "2027-06-30"
    assert parse_expiry(" 30/06/2027 ", today) == "2027-06-30"
    assert parse_expiry("28/11/2026", today) == "2026-11-28"  # today is not in the past
    assert parse_expiry("", today) is None and parse_expiry(None, today) is None
    for junk in ("demain", "31/02/2027", "30/06", "2027/06/30", "30-06-2027", "1/2/3/4", "x/06/2027", "²/06/2027"):
        with pytest.raises(PosError, match="Not a date"):
            parse_expiry(junk, today)
    for past in ("27/11/2026", "2020-01-01", "30/06/27"):
        with pytest.raises(PosError, match="in the past"):
            parse_expiry(past, today)


# -- redeemed once -------------------------------------------------------------------
def _redeem_worker(path, user_id, terminal, code, barrier, results):
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.errors import PosError
    from pos_tui.domain.payment import Tender
    from pos_tui.services import checkout
    from pos_tui.services.context import Context
    from pos_tui.store import users
    from pos_tui.services.context import open_store

    store = open_store(path)
    try:
        ctx = Context(store, users.by_id(store, user_id), terminal)
        cart = Cart()
        checkout.add_scanned_voucher(cart, checkout.scan(store, code).voucher)
        cart.add_free("Panier", 10000, 2000)
        barrier.wait(timeout=60)
        try:
            result = checkout.close_sale(ctx, cart, [Tender("CB", 5000)])
        except PosError as exc:
            results.put(("refused", exc.template))
        except Exception as exc:  # reported, so a crash fails the test readably
            results.put(("crash", repr(exc)))
        else:
            results.put(("ok", result.sale_id))
    finally:
        store.close()


def test_two_terminals_redeem_one_voucher_once(shop):
    store, mctx, cctx, claire = shop
    spawn = mp.get_context("spawn")
    for _ in range(3):
        voucher, _ = _sell_voucher(cctx)
        sales_before = _count(store, "sales")
        barrier, results = spawn.Barrier(2), spawn.Queue()
        procs = [spawn.Process(target=_redeem_worker,
                               args=(store.target, cctx.user.id, 10 + i, voucher.code, barrier, results))
                 for i in range(2)]
        for p in procs:
            p.start()
        outcomes = [results.get(timeout=90) for _ in procs]
        for p in procs:
            p.join(30)
        assert sorted(o[0] for o in outcomes) == ["ok", "refused"], outcomes
        (ok,) = [o for o in outcomes if o[0] == "ok"]
        (refused,) = [o for o in outcomes if o[0] == "refused"]
        assert refused[1] in (ALREADY_USED, JUST_USED)
        assert _redemptions(store, voucher.id) == [{"sale_id": ok[1]}]
        assert _count(store, "sales") == sales_before + 1
        assert _count(store, "sale_lines", "voucher_id = ? AND kind = 'voucher_redeem'", (voucher.id,)) == 1


def test_voucher_in_two_open_carts_is_redeemed_once(shop):
    store, mctx, cctx, claire = shop
    voucher, _ = _sell_voucher(cctx)
    first, second = Cart(), Cart()
    for cart in (first, second):
        cart.add_free("Panier", 8000, 2000)
        _scan_voucher(store, cart, voucher.code)
    used = checkout.close_sale(cctx, first, [Tender("CB", 3000)])
    sales = _count(store, "sales")
    with pytest.raises(PosError) as refused:
        checkout.close_sale(mctx, second, [Tender("CB", 3000)])
    assert refused.value.template == ALREADY_USED and refused.value.params["number"] == used.number
    assert _count(store, "sales") == sales and _redemptions(store, voucher.id) == [{"sale_id": used.sale_id}]


def test_abandoned_sale_leaves_the_voucher_valid(shop):
    store, mctx, cctx, claire = shop
    voucher, _ = _sell_voucher(cctx)
    cancelled = Cart()
    cancelled.add_product(CANDLE)
    _scan_voucher(store, cancelled, voucher.code)
    checkout.cancel_sale(cctx, cancelled)
    dropped = Cart()
    _scan_voucher(store, dropped, voucher.code)
    del dropped
    assert _count(store, "journal", "kind = 'sale_cancelled'") == 1
    assert _count(store, "voucher_redemptions") == 0
    assert voucher.code in [v["code"] for v in vouchers_service.listing(store, "valid")]
    assert vouchers_service.outstanding(store) == {"n": 1, "total": 5000}

    cart = Cart()
    cart.add_free("Panier", 6000, 2000)
    _scan_voucher(store, cart, voucher.code)
    result = checkout.close_sale(cctx, cart, [Tender("CB", 1000)])
    assert _redemptions(store, voucher.id) == [{"sale_id": result.sale_id}]


def test_voucher_equal_to_the_sale_closes_without_payment(shop):
    store, mctx, cctx, claire = shop
    voucher, _ = _sell_voucher(cctx, 1840)
    cart = Cart()
    cart.add_product(JAM)
    cart.add_product(CANDLE)
    _scan_voucher(store, cart, voucher.code)
    assert cart.total == 0
    result = checkout.close_sale(cctx, cart, [])
    assert result.total == 0 and result.settlement.change == 0
    assert store.query("SELECT * FROM sale_payments WHERE sale_id = ?", (result.sale_id,)) == []
    assert store.scalar("SELECT total FROM sales WHERE id = ?", (result.sale_id,)) == 0
    assert _redemptions(store, voucher.id) == [{"sale_id": result.sale_id}]
    assert vouchers_service.look_up(store, format_code(voucher.code)).redeemed_sale_number == result.number


def test_expired_voucher_is_refused_and_not_owed(shop):
    store, mctx, cctx, claire = shop
    store.clock = lambda: datetime(2026, 6, 1, 10, 0).astimezone()
    today = store.clock().date()
    short, _ = _sell_voucher(cctx, 5000, parse_expiry("31/10/2026", today))
    lasting, _ = _sell_voucher(cctx, 2000, parse_expiry("2027-06-30", today))
    forever, _ = _sell_voucher(cctx, 1500)
    assert vouchers_service.outstanding(store) == {"n": 3, "total": 8500}
    store.clock = lambda: datetime(2026, 10, 31, 18, 0).astimezone()
    assert checkout.scan(store, short.code).voucher.id == short.id  # still valid on its last day
    late = Cart()
    late.add_free("Panier", 6000, 2000)
    _scan_voucher(store, late, short.code)

    store.clock = lambda: datetime(2026, 11, 28, 10, 0).astimezone()
    with pytest.raises(PosError) as expired:
        checkout.scan(store, short.code)
    assert str(expired.value) == "This voucher expired on 31/10/2026."  # the locale's date, as on screen
    sales = _count(store, "sales")
    with pytest.raises(PosError, match="expired on 31/10/2026"):
        checkout.close_sale(cctx, late, [Tender("CB", 1000)])  # scanned before midnight, closed after
    assert _count(store, "sales") == sales and _count(store, "voucher_redemptions") == 0

    assert [v["code"] for v in vouchers_service.listing(store, "expired")] == [short.code]
    assert short.code not in [v["code"] for v in vouchers_service.listing(store, "valid")]
    assert {v["code"] for v in vouchers_service.listing(store, "valid")} == {lasting.code, forever.code}
    assert vouchers_service.outstanding(store) == {"n": 2, "total": 3500}
    assert vouchers_service.look_up(store, short.code).status(today=store.clock().date()) == "expired"
