"""Products in the back office (issue 11): edit, price history, deactivate, in-store EAN-13, import --update."""

from __future__ import annotations

import pytest

from helpers_core import english, make_store  # noqa: F401
from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError, RightDenied
from pos_tui.domain.payment import Tender
from pos_tui.domain.products import in_store_ean13, is_valid_gtin
from pos_tui.services import checkout, importer, products


@pytest.fixture
def shop(tmp_path, english):
    return make_store(tmp_path)


def _sell(ctx, code):
    cart = Cart()
    cart.add_product(checkout.scan(ctx.store, code).product)
    return checkout.close_sale(ctx, cart, [Tender("ESP", cart.total)])


def test_in_store_ean13_check_digit():
    code = in_store_ean13(1)
    assert code == "2000000000015" and is_valid_gtin(code)
    assert all(is_valid_gtin(in_store_ean13(n)) and in_store_ean13(n).startswith("2") for n in (7, 12345, 9_999_999_999))


def test_create_without_barcode_gets_next_in_store_code(shop):
    store, manager, cashier = shop
    first = products.create(manager, "", "Olives vertes (vrac) 100 g", 290, 550)
    second = products.create(manager, "  ", "Pain de campagne maison", 350, 550)
    assert first.barcode == "2000000000015" and second.barcode == in_store_ean13(2)
    assert checkout.scan(store, second.barcode).product.name == "Pain de campagne maison"
    with pytest.raises(RightDenied):
        products.create(cashier, "", "X", 100, 2000)


def test_s11_price_change_new_scan_new_price_old_sale_keeps_old(shop):
    store, manager, cashier = shop
    p = products.create(manager, "4006381333931", "Surligneur", 190, 2000)
    old_sale = _sell(cashier, p.barcode)
    products.update(manager, p.id, "Surligneur jaune", 210, 2000)
    assert checkout.scan(store, p.barcode).product.price == 210
    new_sale = _sell(cashier, p.barcode)
    lines = store.query("SELECT sale_id, name, unit_price FROM sale_lines ORDER BY id")
    assert [r["unit_price"] for r in lines] == [190, 210]
    assert lines[0]["name"] == "Surligneur"
    history = products.price_history(manager, p.id)
    assert [(h["price"], h["user_name"], h["source"]) for h in history] == [(210, "Manon", "edited"),
                                                                            (190, "Manon", "created")]
    assert all(h["changed_at"] for h in history)
    assert store.scalar("SELECT count(*) FROM sales") == 2 and old_sale != new_sale


def test_edit_refusals_write_nothing(shop):
    store, manager, cashier = shop
    p = products.create(manager, "4006381333931", "Surligneur", 190, 2000)
    for call in (lambda: products.update(manager, p.id, "", 190, 2000),
                 lambda: products.update(manager, p.id, "X", -1, 2000),
                 lambda: products.update(manager, p.id, "X", 100, 1900),
                 lambda: products.update(cashier, p.id, "X", 100, 2000)):
        with pytest.raises(PosError):
            call()
    assert store.query("SELECT name, price, vat_rate FROM products") == [
        {"name": "Surligneur", "price": 190, "vat_rate": 2000}]
    assert store.scalar("SELECT count(*) FROM product_prices") == 1


def test_s11_deactivated_product_scan_refused_clearly(shop):
    store, manager, cashier = shop
    p = products.create(manager, "4006381333931", "Surligneur", 190, 2000)
    _sell(cashier, p.barcode)
    products.set_active(manager, p.id, False)
    with pytest.raises(PosError, match="Surligneur .4006381333931. is no longer sold"):
        checkout.scan(store, p.barcode)
    assert store.scalar("SELECT count(*) FROM sale_lines WHERE product_id = ?", (p.id,)) == 1
    assert [r.name for r in products.search(manager, "surl")] == ["Surligneur"]
    products.set_active(manager, p.id, True)
    assert checkout.scan(store, p.barcode).product.id == p.id


def test_search_by_name_or_barcode_prefix(shop):
    _store, manager, _ = shop
    products.create(manager, "4006381333931", "Surligneur", 190, 2000)
    products.create(manager, "", "Olives vertes", 290, 550)
    assert [r.name for r in products.search(manager, "OLIV")] == ["Olives vertes"]
    assert [r.name for r in products.search(manager, "400638")] == ["Surligneur"]
    assert [r.name for r in products.search(manager, "%")] == []
    assert len(products.search(manager, "")) == 2


CSV = "barcode,name,price,vat_rate\n4006381333931,Surligneur jaune,\"2,10\",20\n{extra}"


def test_import_update_dry_run_then_write(shop, tmp_path):
    store, manager, _ = shop
    p = products.create(manager, "4006381333931", "Surligneur", 190, 2000)
    path = tmp_path / "p.csv"
    path.write_text(CSV.format(extra="3762428454229,Confiture abricot,\"4,60\",\"5,5\"\n"), encoding="utf-8")
    refused = importer.import_products(manager, path)
    assert not refused.ok and "already used" in refused.errors[0][1]
    plan = importer.import_products(manager, path, update=True, dry_run=True)
    assert plan.ok and plan.created == ["3762428454229"]
    assert [(c.barcode, c.before["price"], c.after["price"]) for c in plan.changes] == [("4006381333931", 190, 210)]
    assert store.scalar("SELECT count(*) FROM products") == 1
    assert store.scalar("SELECT price FROM products WHERE id = ?", (p.id,)) == 190
    done = importer.import_products(manager, path, update=True)
    assert done.ok and store.scalar("SELECT price FROM products WHERE id = ?", (p.id,)) == 210
    assert store.scalar("SELECT count(*) FROM products") == 2
    assert [h["source"] for h in products.price_history(manager, p.id)] == ["import", "created"]


def test_import_update_one_bad_row_writes_nothing(shop, tmp_path):
    store, manager, _ = shop
    products.create(manager, "4006381333931", "Surligneur", 190, 2000)
    path = tmp_path / "p.csv"
    path.write_text(CSV.format(extra="3762428454229,Confiture,\"quatre\",\"5,5\"\n"), encoding="utf-8")
    report = importer.import_products(manager, path, update=True)
    assert not report.ok and report.errors[0][0] == 3
    assert store.query("SELECT name, price FROM products") == [{"name": "Surligneur", "price": 190}]
    assert store.scalar("SELECT count(*) FROM product_prices") == 1
