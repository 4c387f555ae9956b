"""The command line: init, import (all or nothing), credit report, verify, bad input."""

import sqlite3
import subprocess
import sys

import pytest

from pos_tui import __version__
from pos_tui.cli import main
from pos_tui.store.db import Store

GOOD_CUSTOMERS = """first_name,last_name,company,phone,email,card_code,note,debt_limit
Hélène,Dubois,,06 12 34 56 78,helene@example.fr,CL000002,,50
Claire,Martin,,,claire@example.fr,CL000001,,0
"""

BAD_CUSTOMERS = """first_name,last_name,company,phone,email,card_code,note,debt_limit
Jean,Bon,,,jean@example.fr,CL000010,,0
Anne,Faux,,,pas-un-email,CL000011,,0
,,,,,,,
Zoé,Double,,,,CL000010,,0
Luc,Limite,,,,CL000012,,douze
"""


def _run(db, *args):
    return main(["--lang", "en", "--db", str(db), *args])


def test_version():
    out = subprocess.run([sys.executable, "-m", "pos_tui", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"pos-tui {__version__}"


def test_init_creates_manager_once(db, capsys):
    store = Store(db)
    assert store.query("SELECT name, role FROM users") == [{"name": "Marie", "role": "manager"}]
    assert _run(db, "init", "--name", "Other", "--pin", "999999") == 2
    assert "already has users" in capsys.readouterr().err
    assert Store(db).scalar("SELECT count(*) FROM users") == 1


def test_init_bad_pin_refused(tmp_path, capsys):
    path = tmp_path / "x.db"
    assert main(["--lang", "en", "--db", str(path), "init", "--name", "Marie", "--pin", "12"]) == 2
    assert "4 to 8 digits" in capsys.readouterr().err
    assert Store(path).scalar("SELECT count(*) FROM users") == 0


def test_import_customers_good(db, tmp_path, capsys):
    csv_file = tmp_path / "c.csv"
    csv_file.write_text(GOOD_CUSTOMERS, encoding="utf-8")
    assert _run(db, "import", "customers", str(csv_file), "--user", "Marie", "--pin", "123456") == 0
    assert "2 customers imported" in capsys.readouterr().out
    rows = Store(db).query("SELECT first_name, phone, debt_limit FROM customers ORDER BY id")
    assert rows == [
        {"first_name": "Hélène", "phone": "0612345678", "debt_limit": 5000},
        {"first_name": "Claire", "phone": "", "debt_limit": 0},
    ]


def test_import_customers_bad_rows_reported_and_nothing_written(db, tmp_path, capsys):
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(BAD_CUSTOMERS, encoding="utf-8")
    assert _run(db, "import", "customers", str(csv_file), "--user", "Marie", "--pin", "123456") == 1
    err = capsys.readouterr().err
    assert "4 bad rows" in err
    assert "line 3:" in err and "email" in err
    assert "line 4:" in err
    assert "line 5:" in err and "repeats line 2" in err
    assert "line 6:" in err and "douze" in err
    assert "line 2:" not in err
    assert Store(db).scalar("SELECT count(*) FROM customers") == 0


def test_import_products_checks_ean(db, tmp_path, capsys):
    csv_file = tmp_path / "p.csv"
    csv_file.write_text(
        "barcode,name,price,vat_rate\n4006381333931,Surligneur,\"1,90\",20\n4006381333932,Faux,\"2,00\",20\n",
        encoding="utf-8",
    )
    assert _run(db, "import", "products", str(csv_file), "--user", "Marie", "--pin", "123456") == 1
    assert "line 3:" in capsys.readouterr().err
    assert Store(db).scalar("SELECT count(*) FROM products") == 0
    csv_file.write_text("barcode,name,price,vat_rate\n4006381333931,Surligneur,\"1,90\",\"5,5\"\n", encoding="utf-8")
    assert _run(db, "import", "products", str(csv_file), "--user", "Marie", "--pin", "123456") == 0
    assert Store(db).query("SELECT price, vat_rate FROM products") == [{"price": 190, "vat_rate": 550}]


def test_import_malformed_header(db, tmp_path, capsys):
    csv_file = tmp_path / "h.csv"
    csv_file.write_text("nom;prenom\nA;B\n", encoding="utf-8")
    assert _run(db, "import", "customers", str(csv_file), "--user", "Marie", "--pin", "123456") == 2
    assert "Bad CSV header" in capsys.readouterr().err


def test_import_wrong_pin(db, tmp_path, capsys):
    csv_file = tmp_path / "c.csv"
    csv_file.write_text(GOOD_CUSTOMERS, encoding="utf-8")
    assert _run(db, "import", "customers", str(csv_file), "--user", "Marie", "--pin", "9999") == 2
    assert "Wrong PIN" in capsys.readouterr().err
    assert Store(db).scalar("SELECT count(*) FROM customers") == 0


def test_unwritable_database_path(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["--lang", "en", "--db", str(blocker / "shop.db"), "verify"]) == 2
    err = capsys.readouterr().err
    assert "Cannot open the database" in err and "Traceback" not in err


def test_locked_database(db, capsys, monkeypatch):
    monkeypatch.setattr("pos_tui.store.db.BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert _run(db, "init", "--name", "X", "--pin", "123456") == 2
        assert "busy" in capsys.readouterr().err
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_credit_report_and_verify(db, tmp_path, capsys):
    from pos_tui.services import credit, customers
    from pos_tui.services.context import Context
    from pos_tui.store import users

    store = Store(db)
    ctx = Context(store, users.by_id(store, 1), 1)
    claire = customers.create(ctx, {"first_name": "Claire", "last_name": "Martin"})
    credit.top_up(ctx, claire.id, 5000, "CB")
    credit.refund(ctx, claire.id, 2000, "ESP")
    out_csv = tmp_path / "r.csv"
    assert _run(db, "credit", "report", "--csv", str(out_csv), "--format", "raw", "--user", "Marie", "--pin",
                "123456") == 0
    out = capsys.readouterr().out
    assert "CB" in out and "€50.00" in out and "-€20.00" in out and "€30.00" in out
    assert "3000" in out_csv.read_text()
    assert _run(db, "verify") == 0
    assert "verified" in capsys.readouterr().out


def test_newer_schema_refused(db, capsys):
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('pos_tui', 'm9999_future', 'x')")
    conn.commit()
    conn.close()
    assert _run(db, "verify") == 2
    assert "newer version" in capsys.readouterr().err


def test_app_refuses_store_without_users(tmp_path, capsys):
    assert main(["--lang", "en", "--db", str(tmp_path / "empty.db")]) == 2
    assert "pos-tui init" in capsys.readouterr().err
