"""``pos-tui import products FILE --update [--dry-run]``: a summary first, all or nothing."""

from __future__ import annotations

import pytest

from pos_tui.cli import main
from pos_tui.store.db import Store


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("POS_TUI_LANG", "en")
    path = tmp_path / "shop.db"
    assert main(["--lang", "en", "--db", str(path), "init", "--name", "Marie", "--pin", "123456"]) == 0
    first = tmp_path / "first.csv"
    first.write_text("barcode,name,price,vat_rate\n4006381333931,Surligneur,\"1,90\",20\n"
                     "3762428454229,Confiture abricot,\"4,60\",\"5,5\"\n", encoding="utf-8")
    assert _run(path, "import", "products", str(first)) == 0
    return path


def _run(db, *args):
    return main(["--lang", "en", "--db", str(db), *args, "--user", "Marie", "--pin", "123456"])


def _products(db):
    return Store(db).query("SELECT barcode, name, price FROM products ORDER BY barcode")


UPDATE = ("barcode,name,price,vat_rate\n4006381333931,Surligneur jaune,\"2,10\",20\n"
          "3762428454229,Confiture abricot,\"4,60\",\"5,5\"\n2000000000015,Olives vrac,\"2,90\",\"5,5\"\n")


def test_without_update_existing_barcodes_are_refused(db, tmp_path, capsys):
    path = tmp_path / "u.csv"
    path.write_text(UPDATE, encoding="utf-8")
    before = _products(db)
    assert _run(db, "import", "products", str(path)) == 1
    assert "already used" in capsys.readouterr().err
    assert _products(db) == before


def test_dry_run_shows_the_changes_and_writes_nothing(db, tmp_path, capsys):
    path = tmp_path / "u.csv"
    path.write_text(UPDATE, encoding="utf-8")
    before = _products(db)
    prices = Store(db).scalar("SELECT count(*) FROM product_prices")
    capsys.readouterr()
    assert _run(db, "import", "products", str(path), "--update", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "1 new, 1 changed, 1 unchanged" in out
    assert "'Surligneur' → 'Surligneur jaune'" in out and "€1.90 → €2.10" in out
    assert "2000000000015  new" in out and "nothing was written" in out
    assert _products(db) == before
    assert Store(db).scalar("SELECT count(*) FROM product_prices") == prices


def test_update_writes_after_the_summary(db, tmp_path, capsys):
    path = tmp_path / "u.csv"
    path.write_text(UPDATE, encoding="utf-8")
    capsys.readouterr()
    assert _run(db, "import", "products", str(path), "--update") == 0
    out = capsys.readouterr().out
    assert out.index("1 changed") < out.index("1 products created, 1 updated")
    assert _products(db) == [
        {"barcode": "2000000000015", "name": "Olives vrac", "price": 290},
        {"barcode": "3762428454229", "name": "Confiture abricot", "price": 460},
        {"barcode": "4006381333931", "name": "Surligneur jaune", "price": 210},
    ]


def test_one_bad_row_writes_nothing(db, tmp_path, capsys):
    path = tmp_path / "u.csv"
    path.write_text(UPDATE + "4006381333932,Faux,\"1,00\",20\n", encoding="utf-8")
    before = _products(db)
    assert _run(db, "import", "products", str(path), "--update") == 1
    assert "line 5:" in capsys.readouterr().err
    assert _products(db) == before


def test_update_is_for_products_only(db, tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text("first_name,last_name\nA,B\n", encoding="utf-8")
    assert _run(db, "import", "customers", str(path), "--update") == 2
    assert "products only" in capsys.readouterr().err
    assert Store(db).scalar("SELECT count(*) FROM customers") == 0


def test_labels_sheet_and_refusals(db, tmp_path, capsys):
    from helpers_barcode import read_svg

    out = tmp_path / "labels.svg"
    assert _run(db, "labels", "sheet", "4006381333931", "3762428454229", "--out", str(out)) == 0
    assert read_svg(out.read_text(encoding="utf-8")) == ["4006381333931", "3762428454229"]
    assert _run(db, "labels", "sheet", "4006381333932", "--out", str(tmp_path / "bad.svg")) == 2
    assert "Unknown product" in capsys.readouterr().err
    assert not (tmp_path / "bad.svg").exists()
    assert _run(db, "labels", "print", "4006381333931") == 2
    assert "No printer is set up" in capsys.readouterr().err


def test_shop_identity_from_the_command_line(db, capsys):
    assert _run(db, "shop", "set", "--name", "Épicerie du Marché", "--address", "12 rue des Halles|69001 Lyon",
                "--siret", "51234567900009", "--vat-number", "FR75512345679") == 0
    out = capsys.readouterr().out
    assert "69001 Lyon" in out and "SIRET 512 345 679 00009" in out and "VAT no. FR75512345679" in out
    assert _run(db, "shop", "set", "--siret", "51234567900008") == 2
    assert "wrong check key" in capsys.readouterr().err
    assert _run(db, "shop", "show") == 0
    assert "SIRET 512 345 679 00009" in capsys.readouterr().out
