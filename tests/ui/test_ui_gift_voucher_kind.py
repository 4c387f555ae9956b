"""The gift voucher dialog (issue 16): single-purpose (the shop's VAT rate at sale) or multi-purpose
(0 % at sale, taxed when used), proposed with the shop's default."""

from __future__ import annotations

import pytest
from textual.widgets import Select

from helpers_ui_credit import french, log_in, make_shop  # noqa: F401
from pos_tui.services import vouchers
from pos_tui.ui.screens.checkout_dialogs import GiftVoucherScreen

pytestmark = pytest.mark.usefixtures("french")


async def _voucher_line(app, pilot, change_to: str | None = None):
    await pilot.press("f3")
    await pilot.pause()
    await pilot.press("ctrl+b")
    await pilot.pause()
    assert isinstance(app.screen, GiftVoucherScreen)
    kind = app.screen.query_one("#gift-purpose", Select)
    default = kind.value
    if change_to:
        kind.value = change_to
    await pilot.press(*"30", "enter", "enter")
    await pilot.pause()
    assert not isinstance(app.screen, GiftVoucherScreen)
    return default, app.till.cart.lines[-1]


async def test_multi_purpose_by_default(tmp_path):
    shop = make_shop(tmp_path)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, shop.marie)
        default, line = await _voucher_line(app, pilot)
    assert default == "multi" and (line.kind, line.unit_price, line.vat_rate) == ("voucher_sale", 3000, 0)


async def test_shop_default_single_purpose_and_the_cashier_can_change_it(tmp_path):
    shop = make_shop(tmp_path)
    vouchers.set_voucher_defaults(shop.manager_ctx, "single", 2000)
    app = shop.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(app, pilot, shop.marie)
        default, line = await _voucher_line(app, pilot)
        assert default == "single" and line.vat_rate == 2000
        assert "20" in str(app.screen.query_one("#lines").get_row_at(0)[4])
        _default, other = await _voucher_line(app, pilot, change_to="multi")
    assert other.vat_rate == 0
