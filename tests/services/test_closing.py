"""Day summary (X) and closing (Z), SPEC §8 and story S15, played through the services.

Every expected figure below is worked out by hand in the comments next to it and
written as a literal (cents); none is recomputed with the code under test.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from helpers_core import new_store

from pos_tui.domain.cart import Cart
from pos_tui.domain.credit import DebtLimitExceeded
from pos_tui.domain.errors import PosError, RightDenied
from pos_tui.domain.payment import Tender
from pos_tui.services import auth, checkout, closing, credit, customers, methods, products
from pos_tui.services import settings as shop_settings
from pos_tui.services.context import Context
from pos_tui.store.db import Store

JAM = ("3762428454229", "Confiture abricot 370 g", 460, 550)  # 5,5 %
CANDLE = ("3761917675602", "Bougie parfumée vanille", 1380, 2000)  # 20 %
TEA = ("3761000000014", "Thé vert bio 100 g", 1290, 1000)  # 10 %
MAG = ("3770000000023", "Magazine Déco", 750, 210)  # 2,1 %


pytestmark = pytest.mark.usefixtures("english")  # messages are asserted in English (conftest.py)


@dataclass
class Shop:
    store: Store
    moment: list
    marie: Context  # manager, terminal 1
    paul: Context  # cashier, terminal 2
    claire: int
    bernard: int  # debt limit 100,00

    def at(self, day: int, hour: int, minute: int = 0) -> None:
        """Move the shop's clock to 2026-11-<day> hour:minute, local time."""
        self.moment[0] = datetime(2026, 11, day, hour, minute).astimezone()

    def product(self, spec):
        return checkout.scan(self.store, spec[0]).product

    def cart(self, *items, customer: int | None = None) -> Cart:
        """A cart of (product spec, quantity) pairs, scanned like at the till."""
        cart = Cart(customer_id=customer)
        for spec, quantity in items:
            cart.add_product(self.product(spec), quantity)
        return cart

    def count(self, table: str) -> int:
        return self.store.scalar(f"SELECT count(*) FROM {table}")


@pytest.fixture
def shop(tmp_path):
    store = new_store(tmp_path / "shop.db")
    moment = [datetime(2026, 11, 28, 9, 0).astimezone()]
    store.clock = lambda: moment[0]
    marie = Context(store, auth.create_first_manager(store, "Marie", "123456"), 1)
    paul = Context(store, auth.create_user(marie, "Paul", "0000", "cashier"), 2)
    for spec in (JAM, CANDLE, TEA, MAG):
        products.create(marie, *spec)
    claire = customers.create(marie, {"first_name": "Claire", "last_name": "Martin", "card_code": "CL000001"})
    bernard = customers.create(marie, {"first_name": "Bernard", "last_name": "Dupuis", "card_code": "CL000002"})
    shop_settings.set_customer_debt_limit(marie, bernard.id, 10000)
    yield Shop(store, moment, marie, paul, claire.id, bernard.id)
    store.close()


def _balance(shop: Shop, customer_id: int) -> int:
    return customers.get(shop.store, customer_id).balance


def _sell_voucher(shop: Shop, ctx: Context, amount: int):
    cart = Cart()
    cart.add_gift_voucher(amount)
    result = checkout.close_sale(ctx, cart, [Tender("CB", amount)])
    (voucher,) = result.vouchers_issued
    return voucher, result


def _scan_voucher(shop: Shop, cart: Cart, code: str) -> None:
    found = checkout.scan(shop.store, code)
    assert found.voucher is not None
    checkout.add_scanned_voucher(cart, found.voucher)


def _line_id(shop: Shop, sale_id: int, spec) -> int:
    return shop.store.scalar("SELECT id FROM sale_lines WHERE sale_id = ? AND barcode = ?", (sale_id, spec[0]))


# -- S15: the scripted day ------------------------------------------------------------
def _play_the_day(shop: Shop) -> None:
    """S1-S11 in order on 2026-11-28, each at its own time of day."""
    store, marie, paul, claire, bernard = shop.store, shop.marie, shop.paul, shop.claire, shop.bernard
    day = "2026-11-28"

    shop.at(28, 8, 55)
    closing.add_cash_movement(marie, "float", 15000, "fond")

    # S1: top-up 50,00 by card: balance 50,00, a CB credit top-up and no turnover.
    shop.at(28, 9, 5)
    credit.top_up(marie, claire, 5000, "CB")
    assert _balance(shop, claire) == 5000
    x = closing.x_report(marie)
    assert x["turnover"]["ttc"] == 0 and x["sales_count"] == 0
    assert x["credit"]["top_ups"] == [{"method": "CB", "n": 1, "total": 5000}]
    assert x["cash"]["expected"] == 15000

    # S2: -20,00 by cash: balance 30,00, a cash credit refund, cash expected 20,00 lower.
    shop.at(28, 9, 10)
    credit.adjust(marie, claire, -2000, "ESP")
    assert _balance(shop, claire) == 3000
    x = closing.x_report(marie)
    assert x["credit"]["refunds"] == [{"method": "ESP", "n": 1, "total": 2000}]
    assert x["cash"]["expected"] == 13000

    # S4 (sale n° 1, 09:30): jam + candle = 18,40 on CRED; balance 11,60.
    shop.at(28, 9, 30)
    cart = shop.cart((JAM, 1), (CANDLE, 1))
    cart.customer_id = checkout.scan(store, "CL000001").customer.id
    assert cart.total == 1840
    assert checkout.close_sale(paul, cart, [Tender("CRED", 1840)]).new_balance == 1160

    # S5 (n° 2, 10:15): jam + tea + magazine = 25,00, paid 11,60 CRED + 20,00 cash; change 6,60.
    shop.at(28, 10, 15)
    cart = shop.cart((JAM, 1), (TEA, 1), (MAG, 1), customer=claire)
    assert cart.total == 2500
    result = checkout.close_sale(paul, cart, [Tender("CRED", 1160), Tender("ESP", 2000)])
    assert result.settlement.change == 660 and result.new_balance == 0

    # S6 (n° 3, 10:40): Bernard (limit 100,00) takes 80,00 on CRED.
    shop.at(28, 10, 40)
    first = Cart(customer_id=bernard)
    first.add_free("Panier garni", 8000, 2000)
    assert checkout.close_sale(paul, first, [Tender("CRED", 8000)]).new_balance == -8000
    # ... then 30,00 more is refused (it would leave -110,00): nothing is written.
    shop.at(28, 10, 45)
    second = Cart(customer_id=bernard)
    second.add_free("Coffret thé", 3000, 1000)
    written = {t: shop.count(t) for t in ("sales", "sale_lines", "sale_payments", "credit_ledger")}
    with pytest.raises(DebtLimitExceeded):
        checkout.close_sale(paul, second, [Tender("CRED", 3000)])
    assert {t: shop.count(t) for t in written} == written
    # ... until Marie overrides it with a reason (n° 4).
    override = checkout.authorize_override(store, "Marie", "123456", "client fidèle", 2)
    assert checkout.close_sale(paul, second, [Tender("CRED", 3000)], override=override).new_balance == -11000

    # S7 (n° 5, 11:20): a 50,00 gift voucher paid by card.
    shop.at(28, 11, 20)
    voucher, _ = _sell_voucher(shop, paul, 5000)

    # S8 (n° 6, 14:05): 62,00 of goods, the voucher (-50,00) and 12,00 cash.
    shop.at(28, 14, 5)
    cart = shop.cart((CANDLE, 2), (TEA, 2))
    cart.add_free("Composition florale", 860, 1000)
    assert cart.total == 6200
    _scan_voucher(shop, cart, voucher.code)
    assert cart.total == 1200
    s8 = checkout.close_sale(paul, cart, [Tender("ESP", 1200)])
    with pytest.raises(PosError, match="already used"):
        checkout.scan(store, voucher.code)

    # S9 (n° 7 and 8, 14:30): a new 50,00 voucher, then alone in a sale for Claire: -50,00 on CRED.
    shop.at(28, 14, 30)
    other, _ = _sell_voucher(shop, paul, 5000)
    shop.at(28, 14, 35)
    cart = Cart(customer_id=claire)
    _scan_voucher(shop, cart, other.code)
    assert checkout.close_sale(paul, cart, [Tender("CRED", -5000)]).new_balance == 5000

    # S10 (15:00): method BA, a 30,00 BA top-up; then a jam paid with a partner voucher (n° 9, 15:10).
    shop.at(28, 15, 0)
    methods.add_method(marie, "BA", "Bons d'achat partenaires")
    credit.top_up(marie, claire, 3000, "BA")
    assert _balance(shop, claire) == 8000
    shop.at(28, 15, 10)
    checkout.close_sale(paul, shop.cart((JAM, 1)), [Tender("BA", 460)])

    # S11 (n° 10, 16:20): one candle of sale S8 comes back as a credit note (20 %) ...
    shop.at(28, 16, 20)
    returned = checkout.return_items(marie, s8.number, {_line_id(shop, s8.sale_id, CANDLE): 1}, "credit_note")
    (note,) = returned.vouchers_issued
    assert note.kind == "credit_note" and note.parts == ((2000, 1380),)
    # ... used once in a later sale paid by card (n° 11, 17:05): jam + 2 teas - 13,80 = 16,60.
    shop.at(28, 17, 5)
    cart = shop.cart((JAM, 1), (TEA, 2))
    _scan_voucher(shop, cart, note.code)
    assert cart.total == 1660
    checkout.close_sale(paul, cart, [Tender("CB", 1660)])
    with pytest.raises(PosError, match="already used"):
        checkout.scan(store, note.code)

    shop.at(28, 17, 30)
    closing.add_cash_movement(marie, "out", 4000, "banque")
    assert closing.business_day(store) == day


def test_s15_scripted_day_figures(shop):
    _play_the_day(shop)
    shop.at(28, 18, 0)
    s = closing.summary(shop.store, "2026-11-28")
    assert closing.x_report(shop.marie) == s
    assert (s["from"], s["to"]) == ("2026-11-28", "2026-11-28")

    # 11 sales: S4, S5, S6 (two), S7, S8, S9 (voucher sold, voucher to credit), S10, S11 (return, use).
    assert s["sales_count"] == 11

    # Turnover = every sale line by VAT rate (voucher lines at 0 %, credit-note lines at the item's rate):
    # 20 %: S4 candle 1380 + S6 panier 8000 + S8 two candles 2760 + return -1380 + note issued +1380
    #       + note used -1380                                           = 10760
    # 10 %: S5 tea 1290 + S6 coffret 3000 + S8 two teas 2580 + flowers 860 + S11 two teas 2580 = 10310
    # 5,5 %: jam in S4, S5, S10 and S11: 4 x 460                        = 1840
    # 2,1 %: S5 magazine                                                = 750
    # 0 %: vouchers sold +5000 +5000, redeemed -5000 (S8) -5000 (S9)    = 0
    # HT = round half-up (TTC / (1 + rate)):
    #   10760 / 1.2   = 8966.67 -> 8967, TVA 1793
    #   10310 / 1.1   = 9372.73 -> 9373, TVA 937
    #   1840 / 1.055  = 1744.08 -> 1744, TVA 96
    #   750 / 1.021   = 734.57  -> 735,  TVA 15
    assert s["turnover"]["by_rate"] == [
        {"rate": 2000, "ttc": 10760, "ht": 8967, "tva": 1793},
        {"rate": 1000, "ttc": 10310, "ht": 9373, "tva": 937},
        {"rate": 550, "ttc": 1840, "ht": 1744, "tva": 96},
        {"rate": 210, "ttc": 750, "ht": 735, "tva": 15},
        {"rate": 0, "ttc": 0, "ht": 0, "tva": 0},
    ]
    # 10760 + 10310 + 1840 + 750 = 23660 = the sum of the 11 sale totals
    # (1840 + 2500 + 8000 + 3000 + 5000 + 1200 + 5000 - 5000 + 460 + 0 + 1660).
    assert s["turnover"]["ttc"] == 23660
    assert s["turnover"]["ht"] == 20819  # 8967 + 9373 + 1744 + 735
    assert s["turnover"]["tva"] == 2841  # 1793 + 937 + 96 + 15

    # Payments of sales (net of change), CRED included:
    # BA: S10 460. CB: S7 5000 + S9 voucher 5000 + S11 1660 = 11660.
    # CRED: 1840 + 1160 + 8000 + 3000 - 5000 (S9 voucher put on credit) = 9000, five lines.
    # ESP: S5 2000 - 660 change = 1340, + S8 1200 = 2540.
    assert s["payments"] == [
        {"method": "BA", "n": 1, "total": 460},
        {"method": "CB", "n": 3, "total": 11660},
        {"method": "CRED", "n": 5, "total": 9000},
        {"method": "ESP", "n": 2, "total": 2540},
    ]
    assert 460 + 11660 + 9000 + 2540 == 23660

    # Credit: top-ups and refunds are not turnover; consumed = the CRED sale payments; created = S9.
    assert s["credit"] == {
        "top_ups": [{"method": "BA", "n": 1, "total": 3000}, {"method": "CB", "n": 1, "total": 5000}],
        "top_ups_total": 8000,
        "refunds": [{"method": "ESP", "n": 1, "total": 2000}],
        "refunds_total": 2000,
        "consumed": 14000,  # 1840 + 1160 + 8000 + 3000
        "created_by_sales": 5000,
    }
    assert s["vouchers"] == {
        "sold": {"n": 2, "total": 10000},
        "redeemed": {"n": 2, "total": 10000},
        "outstanding": {"n": 0, "total": 0},
    }
    assert s["credit_notes"] == {
        "issued": {"n": 1, "total": 1380},
        "used": {"n": 1, "total": 1380},
        "outstanding": {"n": 0, "total": 0},
    }
    assert s["returns"] == {"sales": 1, "total": -1380, "free_negative_lines": 0}

    # Cash: 15000 float + 2540 cash sales + 0 cash top-ups - 2000 cash refund + 0 in - 4000 out = 11540.
    assert s["cash"] == {"float": 15000, "sales": 2540, "top_ups": 0, "refunds": 2000, "cash_in": 0,
                         "cash_out": 4000, "expected": 11540}

    # Claire: 50 - 20 - 18,40 - 11,60 + 50 + 30 = 80,00; Bernard: -80 - 30 = -110,00.
    assert s["outstanding"] == {"credit": 8000, "debt": 11000}

    # Marie rang up the return (total 0); Paul the 10 others (23660).
    assert s["per_cashier"] == [{"cashier": "Marie", "n": 1, "total": 0},
                                {"cashier": "Paul", "n": 10, "total": 23660}]
    assert s["per_hour"] == [
        {"hour": 9, "n": 1, "total": 1840},
        {"hour": 10, "n": 3, "total": 13500},  # 2500 + 8000 + 3000
        {"hour": 11, "n": 1, "total": 5000},
        {"hour": 14, "n": 3, "total": 1200},  # 1200 + 5000 - 5000
        {"hour": 15, "n": 1, "total": 460},
        {"hour": 16, "n": 1, "total": 0},
        {"hour": 17, "n": 1, "total": 1660},
    ]
    assert s["perpetual_total"] == 23660

    # The CSV export carries the same figures.
    rows = closing.summary_csv(s).splitlines()
    assert "cash,expected,,11540" in rows and "payments,CRED,5,9000" in rows
    assert "credit_top_ups,BA,1,3000" in rows and "grand_total,perpetual,,23660" in rows


# -- S15: Z number, one Z per day, append-only --------------------------------------------
def _cash_sale(shop: Shop, ctx: Context | None = None, spec=JAM, quantity: int = 1, method: str = "ESP"):
    cart = shop.cart((spec, quantity))
    return checkout.close_sale(ctx or shop.paul, cart, [Tender(method, cart.total)])


def test_s15_z_number_and_second_z_refused(shop, monkeypatch):
    store, marie = shop.store, shop.marie
    shop.at(28, 9, 0)
    closing.add_cash_movement(marie, "float", 10000, "")
    shop.at(28, 11, 0)
    _cash_sale(shop, spec=CANDLE)  # 13,80 cash
    shop.at(28, 18, 0)
    z = closing.close_day(marie, counted=11300)
    # expected 10000 + 1380 = 11380; counted 11300: 0,80 short
    assert z == closing.ZResult(number=1, business_day="2026-11-28", expected_cash=11380, counted=11300,
                                difference=-80, also_closed=())
    row = closing.z_of_day(store, "2026-11-28")
    assert (row["number"], row["counted"], row["expected_cash"], row["cash_difference"]) == (1, 11300, 11380, -80)
    assert (row["period_total"], row["perpetual_total"], row["user_id"], row["terminal"]) == (1380, 1380,
                                                                                             marie.user.id, 1)
    assert row["figures"]["turnover"]["ttc"] == 1380 and row["figures"]["cash"]["expected"] == 11380
    assert store.scalar("SELECT count(*) FROM journal WHERE kind = 'z_closing'") == 1

    # A second Z the same day is refused, and writes nothing.
    shop.at(28, 18, 5)
    with pytest.raises(PosError) as again:
        closing.close_day(marie, counted=11300)
    assert str(again.value) == "The day 2026-11-28 is already closed (Z)."
    assert store.scalar("SELECT count(*) FROM z_closings") == 1
    assert store.scalar("SELECT count(*) FROM journal WHERE kind = 'z_closing'") == 1
    # The database itself holds one Z per business day and one per number.
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        store.conn.execute(
            "INSERT INTO z_closings(number, business_day, closed_at, user_id, terminal, figures, expected_cash,"
            " period_total, perpetual_total) VALUES (2, '2026-11-28', '2026-11-28T18:06:00+01:00', ?, 1, '{}',"
            " 0, 0, 0)", (marie.user.id,))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        store.conn.execute(
            "INSERT INTO z_closings(number, business_day, closed_at, user_id, terminal, figures, expected_cash,"
            " period_total, perpetual_total) VALUES (1, '2026-12-01', '2026-11-28T18:06:00+01:00', ?, 1, '{}',"
            " 0, 0, 0)", (marie.user.id,))
    # Should the current business day ever be found closed, close_day says so (the guarded path).
    shop.at(28, 18, 10)
    with monkeypatch.context() as patch:
        patch.setattr(closing, "business_day", lambda _store: "2026-11-28")
        with pytest.raises(PosError, match="already closed"):
            closing.close_day(marie)
    assert store.scalar("SELECT count(*) FROM z_closings") == 1

    # The next day's Z is number 2.
    shop.at(29, 19, 0)
    assert closing.business_day(store) == "2026-11-29"
    z2 = closing.close_day(marie)
    assert (z2.number, z2.business_day, z2.counted, z2.difference) == (2, "2026-11-29", None, None)


def test_z_rows_are_append_only(shop):
    store, marie = shop.store, shop.marie
    shop.at(28, 10, 0)
    _cash_sale(shop)
    shop.at(28, 18, 0)
    closing.close_day(marie, counted=460)
    before = store.query("SELECT * FROM z_closings")
    for sql in ("UPDATE z_closings SET counted = 0", "UPDATE z_closings SET figures = '{}'",
                "UPDATE z_closings SET business_day = '2026-11-27'", "DELETE FROM z_closings"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.conn.execute(sql)
    assert store.query("SELECT * FROM z_closings") == before


def test_sale_after_z_belongs_to_next_day(shop):
    store, marie = shop.store, shop.marie
    shop.at(28, 10, 0)
    _cash_sale(shop)
    shop.at(28, 18, 0)
    closing.close_day(marie)
    frozen = closing.z_of_day(store, "2026-11-28")["figures"]

    shop.at(28, 18, 30)  # same calendar day, after the Z
    assert closing.business_day(store) == "2026-11-29"
    late = _cash_sale(shop, spec=CANDLE)
    assert store.scalar("SELECT business_day FROM sales WHERE id = ?", (late.sale_id,)) == "2026-11-29"
    top_up = credit.top_up(marie, shop.claire, 1000, "CB")
    assert store.scalar("SELECT business_day FROM credit_ledger WHERE id = ?", (top_up.entry.id,)) == "2026-11-29"
    movement = closing.add_cash_movement(marie, "in", 500, "monnaie")
    assert store.scalar("SELECT business_day FROM cash_movements WHERE id = ?", (movement,)) == "2026-11-29"
    x = closing.x_report(marie)
    assert (x["from"], x["sales_count"], x["turnover"]["ttc"], x["credit"]["top_ups_total"]) == (
        "2026-11-29", 1, 1380, 1000)
    assert x["perpetual_total"] == 460 + 1380
    assert closing.z_of_day(store, "2026-11-28")["figures"] == frozen

    # The database refuses anything dated on the closed day, whatever the code does.
    with pytest.raises(sqlite3.IntegrityError, match="closed"):
        store.conn.execute(
            "INSERT INTO sales(number, user_id, terminal, created_at, business_day, total, change_given)"
            " VALUES (99, ?, 2, '2026-11-28T18:40:00+01:00', '2026-11-28', 1000, 0)", (shop.paul.user.id,))
    with pytest.raises(sqlite3.IntegrityError, match="closed"):
        store.conn.execute(
            "INSERT INTO cash_movements(business_day, kind, amount, reason, user_id, terminal, created_at)"
            " VALUES ('2026-11-27', 'in', 100, 'oubli', ?, 1, '2026-11-28T18:40:00+01:00')", (marie.user.id,))
    assert store.scalar("SELECT count(*) FROM sales WHERE business_day = '2026-11-28'") == 1


def test_z_closes_earlier_unclosed_days(shop):
    store, marie, paul, claire, bernard = shop.store, shop.marie, shop.paul, shop.claire, shop.bernard
    # 26th: float 100,00, Claire +50,00 by card, a jam in cash, a 20,00 gift voucher by card.
    shop.at(26, 9, 0)
    closing.add_cash_movement(marie, "float", 10000, "")
    shop.at(26, 10, 0)
    credit.top_up(marie, claire, 5000, "CB")
    _cash_sale(shop)
    voucher, _ = _sell_voucher(shop, paul, 2000)
    # 27th: Bernard takes a candle on CRED; the voucher pays part of two candles, the rest by card.
    shop.at(27, 11, 0)
    cart = shop.cart((CANDLE, 1), customer=bernard)
    checkout.close_sale(paul, cart, [Tender("CRED", 1380)])
    cart = shop.cart((CANDLE, 2))
    _scan_voucher(shop, cart, voucher.code)
    checkout.close_sale(paul, cart, [Tender("CB", 760)])
    # 28th: float 100,00, Claire +10,00 by cheque, a tea by card; closed at 19:00 with the drawer counted.
    shop.at(28, 9, 0)
    closing.add_cash_movement(marie, "float", 10000, "")
    shop.at(28, 10, 0)
    credit.top_up(marie, claire, 1000, "CHQ")
    _cash_sale(shop, spec=TEA, method="CB")
    assert store.scalar("SELECT count(*) FROM z_closings") == 0

    shop.at(28, 19, 0)
    z = closing.close_day(marie, counted=9990)
    assert (z.number, z.business_day, z.also_closed) == (3, "2026-11-28", ("2026-11-26", "2026-11-27"))
    rows = store.query("SELECT number, business_day, counted, count_detail, cash_difference, expected_cash,"
                       " period_total, perpetual_total FROM z_closings ORDER BY id")
    # expected cash: 26th 10000 float + 460 jam; 27th nothing in cash; 28th the 10000 float (9990 counted).
    # period totals: 26th 460 + 2000; 27th 1380 + (2760 - 2000); 28th 1290.
    assert rows == [
        {"number": 1, "business_day": "2026-11-26", "counted": None, "count_detail": None,
         "cash_difference": None, "expected_cash": 10460, "period_total": 2460, "perpetual_total": 2460},
        {"number": 2, "business_day": "2026-11-27", "counted": None, "count_detail": None,
         "cash_difference": None, "expected_cash": 0, "period_total": 2140, "perpetual_total": 4600},
        {"number": 3, "business_day": "2026-11-28", "counted": 9990, "count_detail": None,
         "cash_difference": -10, "expected_cash": 10000, "period_total": 1290, "perpetual_total": 5890},
    ]
    # Each Z holds its own day's figures, outstanding amounts as they stood at the end of that day.
    day1 = closing.z_of_day(store, "2026-11-26")["figures"]
    day2 = closing.z_of_day(store, "2026-11-27")["figures"]
    day3 = closing.z_of_day(store, "2026-11-28")["figures"]
    assert (day1["sales_count"], day2["sales_count"], day3["sales_count"]) == (2, 2, 1)
    assert (day1["credit"]["top_ups_total"], day2["credit"]["top_ups_total"], day3["credit"]["top_ups_total"]) == (
        5000, 0, 1000)
    assert day1["outstanding"] == {"credit": 5000, "debt": 0}
    assert day2["outstanding"] == {"credit": 5000, "debt": 1380}
    assert day3["outstanding"] == {"credit": 6000, "debt": 1380}
    assert day1["vouchers"]["outstanding"] == {"n": 1, "total": 2000}  # sold that day, used the next
    assert day2["vouchers"]["outstanding"] == {"n": 0, "total": 0}
    assert day2["vouchers"]["redeemed"] == {"n": 1, "total": 2000}
    # A closed day recomputed later gives exactly what its Z froze.
    for day, frozen in (("2026-11-26", day1), ("2026-11-27", day2), ("2026-11-28", day3)):
        assert closing.summary(store, day) == frozen
    assert store.scalar("SELECT count(*) FROM journal WHERE kind = 'z_closing'") == 3


def test_cash_expected_vs_counted(shop):
    store, marie, claire = shop.store, shop.marie, shop.claire
    assert closing.count_total({2000: 3, 500: 1, 100: 2}) == 6700
    assert closing.count_total({50000: 1, 1: 3}) == 50003
    assert closing.count_total({}) == 0
    for bad in ({300: 1}, {2000: -1}, {0: 4}):
        with pytest.raises(PosError, match="Bad cash count"):
            closing.count_total(bad)

    shop.at(28, 8, 50)
    closing.add_cash_movement(marie, "float", 5000, "")
    shop.at(28, 10, 0)
    cart = shop.cart((CANDLE, 2))
    assert checkout.close_sale(shop.paul, cart, [Tender("ESP", 3000)]).settlement.change == 240
    credit.top_up(marie, claire, 1000, "ESP")
    credit.refund(marie, claire, 500, "ESP")
    credit.top_up(marie, claire, 4000, "CB")  # not cash
    _cash_sale(shop, method="CB")  # not cash
    closing.add_cash_movement(marie, "in", 2000, "monnaie")
    closing.add_cash_movement(marie, "out", 1000, "banque")
    # 5000 float + 2760 cash sales (3000 given - 240 change) + 1000 cash top-up - 500 cash refund
    # + 2000 in - 1000 out = 9260
    shop.at(28, 19, 0)
    assert closing.x_report(marie)["cash"] == {"float": 5000, "sales": 2760, "top_ups": 1000, "refunds": 500,
                                                "cash_in": 2000, "cash_out": 1000, "expected": 9260}
    with pytest.raises(PosError, match="Bad cash count"):
        closing.close_day(marie, count_detail={2000: 3, 300: 1})
    with pytest.raises(PosError, match="cannot be negative"):
        closing.close_day(marie, counted=-1)
    assert store.scalar("SELECT count(*) FROM z_closings") == 0

    # Counted by coins and notes: 5000 + 2 x 2000 + 2 x 100 = 9200, 0,60 short.
    z = closing.close_day(marie, count_detail={5000: 1, 2000: 2, 100: 2})
    assert (z.expected_cash, z.counted, z.difference) == (9260, 9200, -60)
    row = closing.z_of_day(store, "2026-11-28")
    assert (row["counted"], row["expected_cash"], row["cash_difference"]) == (9200, 9260, -60)
    assert json.loads(row["count_detail"]) == {"5000": 1, "2000": 2, "100": 2}

    # Next day: only a float, 0,50 too much in the drawer.
    shop.at(29, 9, 0)
    closing.add_cash_movement(marie, "float", 5000, "")
    shop.at(29, 19, 0)
    z = closing.close_day(marie, counted=5050)
    assert (z.number, z.expected_cash, z.counted, z.difference) == (2, 5000, 5050, 50)
    assert closing.z_of_day(store, "2026-11-29")["cash_difference"] == 50


def test_month_summary_equals_sum_of_z(shop):
    store, marie, paul, claire, bernard = shop.store, shop.marie, shop.paul, shop.claire, shop.bernard
    # Three trading days, each closed by a Z at 19:00.
    for day, hour in ((24, 10), (25, 11), (26, 15)):
        shop.at(day, 9, 0)
        closing.add_cash_movement(marie, "float", 10000, "")
        shop.at(day, hour, 0)
        credit.top_up(marie, claire, 1000 * (day - 20), "CB")
        _cash_sale(shop, spec=CANDLE, quantity=day - 23)
        _cash_sale(shop, spec=MAG, method="CB")
        cart = shop.cart((JAM, 2), (TEA, 1), customer=claire)
        checkout.close_sale(paul, cart, [Tender("CRED", 1000), Tender("ESP", cart.total - 1000)])
        if day == 25:
            credit.refund(marie, claire, 700, "ESP")
            _sell_voucher(shop, paul, 3000)
            checkout.close_sale(paul, shop.cart((TEA, 1), customer=bernard), [Tender("CRED", 1290)])
        shop.at(day, 19, 0)
        closing.close_day(marie, counted=10000)

    month = closing.summary(store, "2026-11-01", "2026-11-30")
    from_z = closing.period_from_z(store, "2026-11-01", "2026-11-30")
    assert from_z["days"] == 3
    assert {r["rate"]: r["ttc"] for r in month["turnover"]["by_rate"]} == from_z["by_rate"]
    assert {p["method"]: p["total"] for p in month["payments"]} == from_z["payments"]
    assert month["turnover"]["ttc"] == from_z["turnover_ttc"]
    assert month["sales_count"] == from_z["sales_count"] == 11  # 3 + 5 + 3
    assert (month["credit"]["top_ups_total"], month["credit"]["refunds_total"], month["credit"]["consumed"]) == (
        from_z["top_ups"], from_z["refunds"], from_z["consumed"])
    # By hand: candles 1 + 2 + 3 = 6 x 1380 = 8280 (20 %); teas 3 + 1 (Bernard) = 4 x 1290 = 5160 (10 %);
    # jams 6 x 460 = 2760 (5,5 %); magazines 3 x 750 = 2250 (2,1 %); one voucher 3000 (0 %).
    assert from_z["by_rate"] == {2000: 8280, 1000: 5160, 550: 2760, 210: 2250, 0: 3000}
    assert from_z["turnover_ttc"] == 21450
    # CB: magazines 2250 + voucher 3000; CRED: 3 x 1000 + 1290; ESP: candles 8280 + 3 x (2210 - 1000).
    assert from_z["payments"] == {"CB": 5250, "CRED": 4290, "ESP": 11910}
    assert (from_z["top_ups"], from_z["refunds"], from_z["consumed"]) == (4000 + 5000 + 6000, 700, 4290)

    # Z figures are frozen: later activity changes none of them.
    frozen = {row["business_day"]: row["figures"] for row in closing.z_list(store)}
    shop.at(27, 10, 0)
    _cash_sale(shop, spec=CANDLE, quantity=5)
    credit.top_up(marie, claire, 10000, "CB")
    checkout.close_sale(paul, shop.cart((TEA, 3), customer=bernard), [Tender("CRED", 3870)])
    for day, figures in frozen.items():
        assert closing.z_of_day(store, day)["figures"] == figures
        assert closing.summary(store, day) == figures
    assert closing.period_from_z(store, "2026-11-01", "2026-11-30") == from_z
    assert closing.summary(store, "2026-11-01", "2026-11-30")["turnover"]["ttc"] == 21450 + 6900 + 3870


def test_credit_note_over_two_rates_counts_once(shop):
    store, marie, paul = shop.store, shop.marie, shop.paul
    shop.at(28, 10, 0)
    sale = checkout.close_sale(paul, shop.cart((JAM, 1), (CANDLE, 1)), [Tender("CB", 1840)])
    shop.at(28, 11, 0)
    returned = checkout.return_items(marie, sale.number, {_line_id(shop, sale.sale_id, JAM): 1,
                                                          _line_id(shop, sale.sale_id, CANDLE): 1}, "credit_note")
    (note,) = returned.vouchers_issued
    assert dict(note.parts) == {2000: 1380, 550: 460}
    x = closing.x_report(marie)
    # one credit note of 18,40 (two VAT parts), one return sale with two lines
    assert x["credit_notes"] == {"issued": {"n": 1, "total": 1840}, "used": {"n": 0, "total": 0},
                                 "outstanding": {"n": 1, "total": 1840}}
    assert x["returns"] == {"sales": 1, "total": -1840, "free_negative_lines": 0}
    shop.at(28, 12, 0)
    cart = shop.cart((CANDLE, 2))
    _scan_voucher(shop, cart, note.code)
    checkout.close_sale(paul, cart, [Tender("CB", 920)])
    assert closing.x_report(marie)["credit_notes"] == {
        "issued": {"n": 1, "total": 1840}, "used": {"n": 1, "total": 1840}, "outstanding": {"n": 0, "total": 0}}


# -- rights -------------------------------------------------------------------------------
def test_x_report_needs_right(shop):
    store, marie, paul = shop.store, shop.marie, shop.paul
    with pytest.raises(RightDenied):
        closing.x_report(paul)
    with pytest.raises(RightDenied):
        closing.close_day(paul, counted=0)
    for kind in ("float", "in", "out"):
        with pytest.raises(RightDenied):
            closing.add_cash_movement(paul, kind, 1000, "banque")
    assert store.scalar("SELECT count(*) FROM cash_movements") == 0
    assert store.scalar("SELECT count(*) FROM z_closings") == 0

    for reason in ("", "  ", None, "ab"):
        with pytest.raises(PosError, match="Give a reason"):
            closing.add_cash_movement(marie, "out", 4000, reason)
    with pytest.raises(PosError, match="Give a reason"):
        closing.add_cash_movement(marie, "in", 4000, "")
    for amount in (0, -100):
        with pytest.raises(PosError, match="more than zero"):
            closing.add_cash_movement(marie, "out", amount, "banque")
    with pytest.raises(PosError, match="Unknown cash movement"):
        closing.add_cash_movement(marie, "steal", 100, "banque")
    assert store.scalar("SELECT count(*) FROM cash_movements") == 0
    closing.add_cash_movement(marie, "out", 4000, "banque")
    assert store.query("SELECT kind, amount, reason, user_id FROM cash_movements") == [
        {"kind": "out", "amount": 4000, "reason": "banque", "user_id": marie.user.id}]
    assert closing.x_report(marie)["cash"]["cash_out"] == 4000


# -- performance ----------------------------------------------------------------------------
_KEYWORDS = {"WHERE", "JOIN", "LEFT", "ON", "GROUP", "ORDER", "INNER", "AS", "USING", "LIMIT"}


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
def test_summary_uses_indexes(shop):
    store = shop.store
    _play_the_day(shop)
    shop.at(29, 10, 0)  # a later day, so outstanding amounts are taken as they stood on the 28th
    credit.top_up(shop.marie, shop.claire, 1000, "CB")
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        closing.summary(store, "2026-11-28")
        closing.summary(store, "2026-11-01", "2026-11-30")
    finally:
        store.conn.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(selects) >= 15
    full_scans, plans = [], []
    for sql in selects:
        watched = {"sales", "credit_ledger"}
        for table, alias in re.findall(r"\b(sales|credit_ledger)\s+(?:AS\s+)?(\w+)", sql, re.IGNORECASE):
            if alias.upper() not in _KEYWORDS:
                watched.add(alias)
        for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql):
            detail = row[-1]
            plans.append(detail)
            match = re.match(r"SCAN (\w+)", detail)
            if match and match.group(1) in watched:
                full_scans.append((detail, sql))
    assert full_scans == []
    # The outstanding amounts of the 28th were rebuilt from the ledger, one index look-up per customer.
    assert "SEARCH l USING INDEX credit_ledger_customer (customer_id=?)" in plans


def test_perpetual_total_from_last_z_equals_the_full_sum(shop_for_perpetual):
    """The perpetual grand total starts from the last Z; it must equal the sum of every sale."""
    store, ctx, moment = shop_for_perpetual
    for day in range(4):
        for amount in (1250 + day, 990, 4320):
            cart = Cart()
            cart.add_free("Article", amount, 2000)
            checkout.close_sale(ctx, cart, [Tender("CB", amount)])
        if day != 2:  # one day left open: the next Z closes it too
            closing.close_day(ctx, counted=0)
        moment[0] += timedelta(days=1)
    for day in sorted({r["business_day"] for r in store.query("SELECT business_day FROM sales")}):
        full = store.scalar("SELECT sum(total) FROM sales WHERE business_day <= ?", (day,))
        assert closing.summary(store, day)["perpetual_total"] == full
        z = closing.z_of_day(store, day)
        if z:
            assert z["perpetual_total"] == full


@pytest.fixture
def shop_for_perpetual(tmp_path):
    moment = [datetime(2026, 11, 20, 10, 0).astimezone()]
    store = new_store(tmp_path / "p.db", clock=lambda: moment[0])
    ctx = Context(store, auth.create_first_manager(store, "Marie", "123456"), 1)
    return store, ctx, moment


def test_z_of_a_day_another_till_closed_meanwhile_is_refused_under_the_lock(shop):
    """The screen passes the day the user confirmed; the service compares it inside BEGIN IMMEDIATE."""
    store, marie = shop.store, shop.marie
    shop.at(28, 10, 0)
    _cash_sale(shop)
    shop.at(28, 18, 0)
    closing.close_day(marie, day="2026-11-28")  # the other till
    with pytest.raises(PosError) as late:
        closing.close_day(marie, counted=0, day="2026-11-28")  # this till, confirmed before the other one wrote
    assert str(late.value) == "The day 2026-11-28 is already closed (Z)."
    assert store.scalar("SELECT count(*) FROM z_closings") == 1


def test_cash_movements_are_signed_as_they_move_the_drawer(shop):
    marie = shop.marie
    shop.at(28, 9, 0)
    closing.add_cash_movement(marie, "float", 10000, "")
    closing.add_cash_movement(marie, "in", 500, "monnaie")
    closing.add_cash_movement(marie, "out", 4000, "banque")
    rows = closing.cash_movements(shop.store, "2026-11-28")
    assert [(m["kind"], m["amount"], m["reason"]) for m in rows] == [
        ("float", 10000, "fond de caisse"), ("in", 500, "monnaie"), ("out", -4000, "banque")]
