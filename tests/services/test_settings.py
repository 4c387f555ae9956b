"""Typed shop settings: one dataclass holds every default; storage stays one JSON value per key."""

from __future__ import annotations

from helpers_core import make_store
from pos_tui.services import settings


def test_defaults_come_from_the_dataclass_when_nothing_is_stored(tmp_path):
    store, _, _ = make_store(tmp_path)
    shop = settings.load(store)
    assert shop == settings.ShopSettings()
    assert (shop.paper_width, shop.printer_url, shop.voucher_cash_back, shop.debt_age_threshold_days,
            shop.debt_max_age_days, shop.receipt_footer) == (48, "none", False, 30, 90, "Merci de votre visite !")
    assert settings.get(store, settings.DEFAULT_DEBT_LIMIT) == 0


def test_values_written_by_earlier_versions_read_back_typed(tmp_path):
    store, manager, _ = make_store(tmp_path)
    with store.write():  # as the store held them before typed settings: raw JSON values
        store.put_setting("paper_width", "32")
        store.put_setting("auto_print", 1)
        store.put_setting("shop_name", "Épicerie")
    shop = settings.load(store)
    assert (shop.paper_width, shop.auto_print, shop.shop_name) == (32, True, "Épicerie")
    with store.write():
        settings.change(manager, settings.VOUCHER_CASH_BACK, 1)
    assert store.get_setting("voucher_cash_back") is True  # stored as JSON true, readable by older code
    assert settings.voucher_cash_back(store) is True
    assert store.scalar("SELECT count(*) FROM journal WHERE kind = 'setting_changed'") == 1
