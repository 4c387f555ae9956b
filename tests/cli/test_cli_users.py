"""``pos-tui users``: the staff actions for scripts, with the screen's rights checks, and key-file recovery."""

from __future__ import annotations

import json

import pytest

from pos_tui.cli import main
from pos_tui.store.db import Store


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("POS_TUI_LANG", "en")
    monkeypatch.delenv("POS_TUI_USER", raising=False)
    monkeypatch.delenv("POS_TUI_PIN", raising=False)
    monkeypatch.setattr("pos_tui.services.auth._sleep", lambda s: None)
    path = tmp_path / "shop.db"
    assert main(["--lang", "en", "--db", str(path), "init", "--name", "Marie", "--pin", "123456"]) == 0
    return path


def _run(db, *args):
    return main(["--lang", "en", "--db", str(db), *args])


def _as_marie(db, *args):
    return _run(db, "users", *args, "--user", "Marie", "--pin", "123456")


def _lock(db, name):
    for _ in range(5):
        _run(db, "users", "list", "--user", name, "--pin", "000000")


def test_add_list_disable_enable(db, capsys):
    assert _as_marie(db, "add", "Paul", "--new-pin", "2468") == 0
    assert "User Paul added (cashier)" in capsys.readouterr().out
    assert _as_marie(db, "list") == 0
    out = capsys.readouterr().out
    assert "Paul" in out and "Marie" in out and "manage users" in out
    assert _as_marie(db, "disable", "Paul") == 0
    assert Store(db).scalar("SELECT active FROM users WHERE name = 'Paul'") == 0
    assert _as_marie(db, "list") == 0
    assert "inactive" in capsys.readouterr().out
    assert _as_marie(db, "enable", "paul") == 0
    assert Store(db).scalar("SELECT active FROM users WHERE name = 'Paul'") == 1
    # each change is a signed staff record: verify finds every user as last signed
    assert _run(db, "verify") == 0
    kinds = [r["kind"] for r in Store(db).query(
        "SELECT kind FROM staff_log WHERE user_id = (SELECT id FROM users WHERE name = 'Paul') ORDER BY id")]
    assert kinds == ["created", "deactivated", "activated"]


def test_cashier_is_refused_like_on_the_screen(db, capsys):
    assert _as_marie(db, "add", "Paul", "--new-pin", "2468") == 0
    capsys.readouterr()
    changes = "SELECT count(*) FROM journal WHERE kind LIKE 'user_%' OR kind LIKE 'pin_r%'"
    before = Store(db).scalar(changes)
    assert _run(db, "users", "add", "Zoé", "--new-pin", "1111", "--user", "Paul", "--pin", "2468") == 2
    assert "right to manage users" in capsys.readouterr().err
    assert _run(db, "users", "disable", "Marie", "--user", "Paul", "--pin", "2468") == 2
    store = Store(db)
    assert store.scalar("SELECT count(*) FROM users") == 2
    assert store.scalar(changes) == before
    assert store.scalar("SELECT active FROM users WHERE name = 'Marie'") == 1


def test_refusals_write_nothing(db, capsys):
    store = Store(db)
    journal = store.scalar("SELECT count(*) FROM journal WHERE kind NOT IN ('login')")
    assert _as_marie(db, "disable", "Marie") == 2
    assert "last active manager" in capsys.readouterr().err
    assert _as_marie(db, "add", "Boss", "--role", "manager", "--new-pin", "1234") == 2
    assert "6 to 8 digits" in capsys.readouterr().err
    assert _as_marie(db, "add", "X", "--rights", "view_credit,fly", "--new-pin", "1234") == 2
    assert "Unknown right" in capsys.readouterr().err
    assert _as_marie(db, "unlock", "Nobody") == 2
    assert store.scalar("SELECT count(*) FROM users") == 1
    assert store.scalar("SELECT count(*) FROM journal WHERE kind NOT IN ('login')") == journal


def test_s11_recovery_when_the_only_manager_is_locked(db, capsys):
    _lock(db, "Marie")
    assert _as_marie(db, "list") == 2
    assert "locked" in capsys.readouterr().err
    # No --user: whoever can read the signing key file beside the database may unlock.
    assert _run(db, "users", "unlock", "Marie") == 0
    assert "Marie is unlocked" in capsys.readouterr().out
    assert _as_marie(db, "list") == 0
    _lock(db, "Marie")
    assert _run(db, "users", "reset-pin", "Marie", "--new-pin", "975310") == 0
    assert _run(db, "users", "list", "--user", "Marie", "--pin", "975310") == 0
    rows = Store(db).query("SELECT kind, user_id, detail FROM journal WHERE kind IN ('user_unlocked', 'pin_reset') ORDER BY id")
    assert [r["kind"] for r in rows] == ["user_unlocked", "pin_reset"]
    assert all(r["user_id"] is None and json.loads(r["detail"])["via"] == "signing key" for r in rows)
    assert Store(db).query("SELECT kind, by_user_id FROM staff_log ORDER BY id DESC LIMIT 1") == [
        {"kind": "pin_reset", "by_user_id": None}]
    assert _run(db, "verify") == 0


def test_recovery_refused_without_the_key(db, tmp_path, monkeypatch, capsys):
    _lock(db, "Marie")
    capsys.readouterr()
    key = tmp_path / "elsewhere.key"
    key.write_text("x" * 64)
    monkeypatch.setenv("POS_TUI_KEY_FILE", str(key))
    assert _run(db, "users", "unlock", "Marie") == 2
    assert "signing key" in capsys.readouterr().err
    assert Store(db).scalar("SELECT locked FROM users WHERE name = 'Marie'") == 1
    # a recovery context cannot do anything else
    assert _run(db, "users", "disable", "Marie") == 2
