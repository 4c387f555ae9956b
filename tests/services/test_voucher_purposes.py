"""Single- vs multi-purpose gift vouchers (issue 16): VAT figures of a hand-computed X."""

from __future__ import annotations

import pytest

from helpers_core import english, make_store  # noqa: F401
from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError, RightDenied
from pos_tui.domain.payment import Tender
from pos_tui.printing.day_report import text_lines
from pos_tui.services import checkout, closing, vouchers


def test_single_and_multi_purpose_vouchers_on_a_hand_computed_x(tmp_path, english):
    store, manager, cashier = make_store(tmp_path)
    assert vouchers.voucher_defaults(store) == ("multi", 2000)
    sale = Cart()
    vouchers.add_gift_voucher(store, sale, 5000)  # the shop default: multi-purpose, 0 %
    vouchers.add_gift_voucher(store, sale, 3000, purpose="single")  # single-purpose at 20 %
    multi, single = checkout.close_sale(cashier, sale, [Tender("CB", 8000)]).vouchers_issued
    assert (multi.purpose, multi.parts) == ("multi", ((0, 5000),))
    assert (single.purpose, single.parts) == ("single", ((2000, 3000),))

    goods = Cart()
    goods.add_free("Lampe", 6000, 2000)
    checkout.add_scanned_voucher(goods, checkout.scan(store, multi.code).voucher)
    checkout.close_sale(cashier, goods, [Tender("ESP", 1000)])
    more = Cart()
    more.add_free("Vase", 3600, 2000)
    checkout.add_scanned_voucher(more, checkout.scan(store, single.code).voucher)
    checkout.close_sale(cashier, more, [Tender("ESP", 600)])

    x = closing.summary(store, closing.business_day(store))
    # By hand. Money in: 80 (vouchers) + 10 + 6 = 96,00, all of it turnover.
    # 0 %: +50 (MPV sold) - 50 (MPV used) = 0. 20 %: +30 (SPV sold) + 60 + 36 - 30 (SPV used) = 96,00.
    # VAT 20 %: HT = round(9600 / 1.2) = 8000, VAT 1600 = 5,00 on the SPV sold + 10,00 on the lamp
    # + 1,00 on the 6,00 of the vase not paid by the SPV.
    by_rate = {r["rate"]: (r["ttc"], r["ht"], r["tva"]) for r in x["turnover"]["by_rate"]}
    assert by_rate == {2000: (9600, 8000, 1600), 0: (0, 0, 0)}
    assert (x["turnover"]["ttc"], x["turnover"]["tva"]) == (9600, 1600)
    vp = x["voucher_purposes"]
    assert vp["multi"] == {"sold": {"n": 1, "total": 5000}, "redeemed": {"n": 1, "total": 5000}}
    assert vp["single"]["sold"] == {"n": 1, "total": 3000} and vp["single"]["redeemed"] == {"n": 1, "total": 3000}
    assert vp["single"]["by_rate"] == [{"rate": 2000, "sold": 3000, "redeemed": 3000, "sold_ht": 2500,
                                        "sold_tva": 500}]
    text = "\n".join(text_lines(x))
    assert "Gift vouchers by kind" in text and "Single-purpose sold" in text and "€5.00" in text
    assert "gift_vouchers_single_purpose,sold,1,3000" in closing.summary_csv(x)


def test_voucher_default_setting(tmp_path, english):
    store, manager, cashier = make_store(tmp_path)
    with pytest.raises(RightDenied):
        vouchers.set_voucher_defaults(cashier, "single", 2000)
    with pytest.raises(PosError):
        vouchers.set_voucher_defaults(manager, "single", 0)
    vouchers.set_voucher_defaults(manager, "single", 550)
    cart = Cart()
    assert vouchers.add_gift_voucher(store, cart, 1000).vat_rate == 550
    assert vouchers.add_gift_voucher(store, cart, 1000, purpose="multi").vat_rate == 0
    with pytest.raises(PosError):
        vouchers.add_gift_voucher(store, cart, 1000, purpose="other")
