"""``pos-tui stores list|add`` and the ``--store CODE`` a till runs with (issue 18)."""

from pos_tui.cli import main
from pos_tui.store.db import Store

LOGIN = ("--user", "Marie", "--pin", "123456")


def _run(db, *args):
    return main(["--lang", "en", "--db", str(db), *args])


def test_s18_cli_stores_add_and_list(db, capsys):
    assert _run(db, "stores", "list") == 0
    assert capsys.readouterr().out.split() == ["MAIN"]
    assert _run(db, "stores", "add", "paris-2", "Paris Bastille", *LOGIN) == 0
    assert "Store PARIS-2 added (Paris Bastille)." in capsys.readouterr().out
    assert _run(db, "stores", "add", "PARIS-2", "Again", *LOGIN) == 2
    assert "There is already a store PARIS-2." in capsys.readouterr().err
    assert _run(db, "stores", "add", "no good", "X", *LOGIN) == 2
    assert "A store code is 1 to 12" in capsys.readouterr().err
    assert _run(db, "stores", "add", "LYON", "Lyon", "--user", "Marie", "--pin", "000000") == 2
    capsys.readouterr()
    assert _run(db, "stores", "list") == 0
    assert capsys.readouterr().out.splitlines() == ["MAIN         ", "PARIS-2      Paris Bastille"]


def test_s18_cli_unknown_store_is_refused_and_changes_nothing(db, capsys):
    store = Store(db)
    journal = store.scalar("SELECT count(*) FROM journal")
    store.close()
    assert _run(db, "--store", "nowhere", "z", *LOGIN) == 2
    assert "There is no store NOWHERE" in capsys.readouterr().err
    assert _run(db, "z", "--store", "nowhere", *LOGIN) == 2  # also after the command
    assert "There is no store NOWHERE" in capsys.readouterr().err
    assert _run(db, "verify", "--store", "nowhere") == 2
    assert "There is no store NOWHERE" in capsys.readouterr().err
    store = Store(db)
    assert store.scalar("SELECT count(*) FROM journal") == journal  # not even a login was journaled
    store.close()


def test_s18_cli_store_till_and_verify_per_store(db, capsys):
    assert _run(db, "stores", "add", "PARIS", "Paris", *LOGIN) == 0
    capsys.readouterr()
    assert _run(db, "z", "--store", "paris", *LOGIN) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Store PARIS" and "X (live)" in out
    store = Store(db)  # the login was journaled in PARIS's journal and chain
    assert store.scalar("SELECT store_id FROM journal ORDER BY id DESC LIMIT 1") == 2
    assert store.scalar("SELECT store_id FROM signatures ORDER BY id DESC LIMIT 1") == 2
    store.close()
    assert _run(db, "verify", "--store", "PARIS", "--quick") == 0
    assert _run(db, "verify", "--quick") == 0
