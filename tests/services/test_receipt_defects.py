"""Receipt defects of issue 13: a voucher worth more than the basket still prints a sale, and a cash
receipt shows what was tendered as well as the change."""

from __future__ import annotations

import pytest

from helpers_core import english, make_store  # noqa: F401
from pos_tui.domain.cart import Cart
from pos_tui.domain.payment import Tender
from pos_tui.printing.receipt import render_text
from pos_tui.services import checkout, printing
from pos_tui.services import settings as shop_settings

pytestmark = pytest.mark.usefixtures("english")


def _text(store, sale_id: int) -> str:
    return "\n".join(render_text(printing.build(store, "sale", sale_id), 48))


def test_voucher_larger_than_the_basket_prints_a_sale(tmp_path):
    store, manager, cashier = make_store(tmp_path)
    shop_settings.set_voucher_cash_back(manager, True)
    cart = Cart()
    cart.add_gift_voucher(5000, None)
    (voucher,) = checkout.close_sale(cashier, cart, [Tender("CB", 5000)]).vouchers_issued
    cart = Cart()
    cart.add_free("Tea", 1200, 550)
    checkout.add_scanned_voucher(cart, checkout.scan(store, voucher.code).voucher)
    assert cart.total == -3800
    sale = checkout.close_sale(cashier, cart, [Tender("ESP", -3800)])
    text = _text(store, sale.sale_id)
    assert f"Sale n° {sale.number}" in text and "Return n°" not in text


def test_cash_receipt_shows_tendered_and_change(tmp_path):
    store, manager, cashier = make_store(tmp_path)
    cart = Cart()
    cart.add_free("Tea", 1840, 550)
    sale = checkout.close_sale(cashier, cart, [Tender("ESP", 2000)])
    lines = render_text(printing.build(store, "sale", sale.sale_id), 48)
    tendered = next(line for line in lines if line.startswith("Cash tendered"))
    change = next(line for line in lines if line.startswith("Change"))
    assert tendered.endswith("20.00"), tendered
    assert "1.60" in change
    assert lines.index(tendered) < lines.index(change)
