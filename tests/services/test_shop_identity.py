"""Shop identity (issue 11): name, address, SIRET, VAT number, phone at the top of receipts and X/Z."""

from __future__ import annotations

import json

import pytest

from helpers_core import english, make_store  # noqa: F401
from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError, RightDenied
from pos_tui.domain.payment import Tender
from pos_tui.domain.shop import validate_siret, validate_vat_number
from pos_tui.services import checkout, closing, printing, settings

IDENTITY = dict(name="Épicerie du Marché", address="12 rue des Halles\n69001 Lyon", siret="512 345 679 00009",
                vat_number="FR 75 512345679", phone="04 78 00 00 00")


@pytest.fixture
def shop(tmp_path, english):
    return make_store(tmp_path)


def test_siret_and_vat_number_checks():
    assert validate_siret("512 345 679 00009") == "51234567900009"
    assert validate_vat_number("fr75 512 345 679") == "FR75512345679"
    assert validate_vat_number("DE123456789") == "DE123456789"
    assert validate_siret("") == "" and validate_vat_number("") == ""
    for bad in ("51234567900008", "5123456790000", "ABCDEFGHIJKLMN"):
        with pytest.raises(PosError):
            validate_siret(bad)
    for bad in ("FR76512345679", "FR75", "12345"):
        with pytest.raises(PosError):
            validate_vat_number(bad)


def test_identity_is_saved_journaled_and_refusals_write_nothing(shop):
    store, manager, cashier = shop
    with pytest.raises(RightDenied):
        settings.set_shop_identity(cashier, **IDENTITY)
    with pytest.raises(PosError, match="wrong check key"):
        settings.set_shop_identity(manager, **{**IDENTITY, "siret": "51234567900008"})
    assert settings.shop_identity(store).siret == ""
    assert store.scalar("SELECT count(*) FROM journal WHERE kind = 'setting_changed'") == 0
    saved = settings.set_shop_identity(manager, **IDENTITY)
    assert (saved.siret, saved.vat_number, saved.address) == ("51234567900009", "FR75512345679",
                                                              "12 rue des Halles\n69001 Lyon")
    entries = [json.loads(r["detail"]) for r in
               store.query("SELECT detail FROM journal WHERE kind = 'setting_changed' ORDER BY id")]
    assert {e["key"] for e in entries} == {"shop_name", "shop_address", "shop_siret", "shop_vat_number", "shop_phone"}
    assert next(e for e in entries if e["key"] == "shop_siret") == {"key": "shop_siret", "before": "",
                                                                   "after": "51234567900009"}


def _top(lines: list[str], n: int) -> list[str]:
    return [line.strip() for line in lines[:n]]


def test_identity_printed_at_the_top_of_receipts_and_x_z(shop):
    store, manager, cashier = shop
    settings.set_shop_identity(manager, **IDENTITY)
    with store.write():
        store.put_setting(settings.RECEIPT_HEADER, "Ouvert 7j/7")
    cart = Cart()
    cart.add_free("Panier", 1840, 2000)
    sale = checkout.close_sale(cashier, cart, [Tender("ESP", 2000)])
    expected = ["Épicerie du Marché", "12 rue des Halles", "69001 Lyon", "Tel. 04 78 00 00 00",
                "SIRET 512 345 679 00009", "VAT no. FR75512345679"]
    receipt = printing.preview(store, "sale", sale.sale_id)
    assert _top(receipt, 7) == expected + ["Ouvert 7j/7"]  # the free header follows the identity
    day = closing.business_day(store)
    assert _top(printing.preview(store, "x", printing.x_doc_id(day)), 6) == expected
    result = closing.close_day(manager, counted=2000)
    assert _top(printing.preview(store, "z", result.number), 6) == expected
