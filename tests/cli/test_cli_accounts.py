"""pos-tui credit statement / debtors (issue 16)."""

import csv
import io
import os
from datetime import date, timedelta

import pytest

from pos_tui.cli import main
from pos_tui.store.db import Store


def _run(db, *args):
    return main(["--lang", "en", "--db", str(db), *args, "--user", "Marie", "--pin", "123456"])


def _history(db):
    """Claire: +50 CB, -20 ESP today; Bob in debt since 40 days ago (written with an older clock)."""
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.payment import Tender
    from pos_tui.services import checkout, credit, customers, settings
    from pos_tui.services.context import Context
    from pos_tui.store import users

    from datetime import datetime

    old = datetime.now().astimezone() - timedelta(days=40)
    store = Store(db, clock=lambda: old)
    ctx = Context(store, users.by_id(store, 1), 1)
    settings.set_default_debt_limit(ctx, 10000)
    bob = customers.create(ctx, {"first_name": "Bob", "last_name": "Durand", "card_code": "BOB00001"})
    cart = Cart(customer_id=bob.id)
    cart.add_free("Courses", 3500, 550)
    checkout.close_sale(ctx, cart, [Tender("CRED", 3500)])
    from pos_tui.services import closing

    closing.close_day(ctx)  # the old day is closed, as a real shop would have done
    store.close()
    store = Store(db)
    ctx = Context(store, users.by_id(store, 1), 1)
    claire = customers.create(ctx, {"first_name": "Claire", "last_name": "Martin", "card_code": "CLAIRE01"})
    credit.top_up(ctx, claire.id, 5000, "CB")
    credit.refund(ctx, claire.id, 2000, "ESP")
    store.close()
    return claire, bob


def test_statement_to_stdout_csv_and_pdf(db, tmp_path, capsys):
    claire, _bob = _history(db)
    today = date.today().isoformat()
    assert _run(db, "credit", "statement", "claire01", "--from", today, "--to", today) == 0
    out = capsys.readouterr().out
    assert "STATEMENT OF ACCOUNT" in out and "Claire Martin" in out and "€30.00" in out and "-€20.00" in out
    target = tmp_path / "st.csv"
    assert _run(db, "credit", "statement", str(claire.id), "--csv", str(target), "--format", "raw") == 0
    rows = list(csv.reader(io.StringIO(target.read_text())))
    assert [r[-2] for r in rows[2:-1]] == ["5000", "-2000"] and rows[-1][-1] == "3000"
    assert _run(db, "credit", "statement", str(claire.id), "--csv", str(target)) == 0  # English sheet: euros
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows[0][-2:] == ["Amount (€)", "Balance (€)"]
    assert [r[-2] for r in rows[2:-1]] == ["50.00", "-20.00"] and rows[-1][-1] == "30.00"
    assert os.stat(target).st_mode & 0o777 == 0o600
    pdf = tmp_path / "st.pdf"
    assert _run(db, "credit", "statement", "Claire", "--pdf", str(pdf)) == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_statement_bad_input(db, tmp_path, capsys):
    _history(db)
    assert _run(db, "credit", "statement", "nobody") == 2
    assert "No customer matches" in capsys.readouterr().err
    assert _run(db, "credit", "statement", "claire01", "--from", "yesterday") == 2
    err = capsys.readouterr().err
    assert "Not a date" in err and "Traceback" not in err
    assert _run(db, "credit", "statement", "claire01", "--csv", str(tmp_path / "no" / "dir.csv")) == 2
    assert "Cannot write" in capsys.readouterr().err


def test_debtors_call_list(db, tmp_path, capsys):
    _claire, bob = _history(db)
    assert _run(db, "credit", "debtors", "--older-than", "30") == 0
    out = capsys.readouterr().out
    assert "Debts older than 30 days: 1" in out and "Bob Durand" in out and "40 days" in out
    assert _run(db, "credit", "debtors", "--older-than", "45") == 0
    assert "Debts older than 45 days: 0" in capsys.readouterr().out
    target = tmp_path / "calls.csv"
    assert _run(db, "credit", "debtors", "--csv", str(target), "--format", "raw") == 0
    rows = list(csv.reader(io.StringIO(target.read_text())))
    assert rows[1][0] == str(bob.id) and rows[1][6] == "-3500" and rows[1][-1] == "40"
    assert _run(db, "credit", "report") == 0
    assert "Debts older than 30 days" in capsys.readouterr().out


def test_cards_email_and_settings_from_the_command_line(db, tmp_path, capsys, monkeypatch):
    claire, bob = _history(db)
    assert _run(db, "card", "add", "BOB00001", "bob00002", "Léa Durand", "--daily-limit", "20,00") == 0
    assert "Card BOB00002 (Léa Durand) added to Bob Durand." in capsys.readouterr().out
    assert _run(db, "card", "block", "bob00002") == 0
    assert _run(db, "card", "list", "Bob") == 0
    out = capsys.readouterr().out
    assert "BOB00002" in out and "€20.00" in out and "blocked" in out
    assert _run(db, "card", "block", "NOPE0000") == 2
    assert "Unknown card." in capsys.readouterr().err

    assert _run(db, "settings", "--old-debt-days", "45", "--cash-limit", "500", "--voucher-kind", "single",
                "--single-purpose-rate", "5,5") == 0
    out = capsys.readouterr().out
    assert "45" in out and "€500.00" in out and "single" in out and "5.5 %" in out
    assert _run(db, "credit", "debtors") == 0
    assert "Debts older than 45 days: 0" in capsys.readouterr().out
    assert _run(db, "settings", "--old-debt-days", "0") == 2

    template = tmp_path / "reminder.txt"
    template.write_text("Hello {name}: {amount}", encoding="utf-8")
    assert _run(db, "settings", "--old-debt-days", "30", "--reminder-file", str(template)) == 0
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "")
    assert _run(db, "email", "setup", "--host", "127.0.0.1", "--port", "9", "--security", "none",
                "--from", "caisse@boutique.fr") == 0
    assert _run(db, "email", "statement", "claire01", "--address", "claire@example.org") == 0
    assert _run(db, "email", "reminders") == 0
    out = capsys.readouterr().out
    assert "Statement queued (e-mail 1)." in out and "No debt to remind." in out  # Bob has no address
    assert _run(db, "email", "queue") == 0
    out = capsys.readouterr().out
    assert "statement" in out and "queued" in out and "claire@example.org" in out


def test_manager_home_set_from_the_command_line(db, capsys):
    """Managers land on the sale unless the shop chose the customer lookup (issue 13); a cashier may not change it."""
    from pos_tui.services import auth, settings
    from pos_tui.services.context import Context
    from pos_tui.store import users

    store = Store(db)
    try:
        assert settings.home_after_login(store, "manager") == "sale"
        auth.create_user(Context(store, users.by_id(store, 1), 1), "Paul", "0000", "cashier")
    finally:
        store.close()
    assert _run(db, "settings", "--manager-home", "lookup") == 0
    assert "Managers land on" in capsys.readouterr().out
    assert main(["--lang", "en", "--db", str(db), "settings", "--manager-home", "sale",
                 "--user", "Paul", "--pin", "0000"]) == 2
    with pytest.raises(SystemExit) as refused:  # argparse refuses an unknown choice: exit 2, usage on stderr
        _run(db, "settings", "--manager-home", "elsewhere")
    assert refused.value.code == 2 and "invalid choice" in capsys.readouterr().err
    store = Store(db)
    try:
        assert settings.home_after_login(store, "manager") == "lookup"
        assert settings.home_after_login(store, "cashier") == "sale"
    finally:
        store.close()
