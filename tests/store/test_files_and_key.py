"""Issue 12: the store's files are owner-only, the signing key is whole or refused, and a
read-only open (``verify``) never creates or migrates anything."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from helpers_core import make_customer, make_store
from pos_tui.cli import main
from pos_tui.domain.errors import PosError
from pos_tui.services import credit
from pos_tui.services.context import Context
from pos_tui.store import Store
from pos_tui.store.integrity import key_path, load_key, verify_chain


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _tree(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder`` with its mode and bytes: what 'unchanged' means."""
    return {str(p.relative_to(folder)): (_mode(p), p.read_bytes() if p.is_file() else b"")
            for p in sorted(folder.rglob("*"))}


def test_new_store_files_and_folders_are_owner_only(tmp_path):
    new = Store(tmp_path / "new" / "deeper" / "pos.db")
    assert _mode(tmp_path / "new") == 0o700 and _mode(tmp_path / "new" / "deeper") == 0o700
    assert _mode(new.path) == 0o600
    for suffix in ("-wal", "-shm"):
        assert _mode(Path(f"{new.path}{suffix}")) == 0o600
    assert new.exposed_files() == []


def test_signing_key_and_wal_of_a_working_store_are_owner_only(tmp_path):
    store, manager, _ = make_store(tmp_path)
    claire = make_customer(manager, "Claire", "Martin")
    credit.top_up(manager, claire.id, 500, "CB")  # the first signed record makes the key
    key = key_path(store)
    assert _mode(key) == 0o600 and _mode(Path(f"{store.path}-wal")) == 0o600
    assert len(key.read_bytes()) == 64 and bytes.fromhex(key.read_text())
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # no temporary file left


def test_readable_store_is_named_once_with_the_fix(tmp_path, capsys):
    store, *_ = make_store(tmp_path)
    os.chmod(store.path, 0o644)
    assert store.exposed_files() == [store.path]
    assert main(["--lang", "en", "--db", str(store.path), "verify"]) == 0
    err = capsys.readouterr().err
    assert err.count("can be read by other users") == 1 and f"chmod 600 {store.path}" in err


@pytest.mark.parametrize("content", [b"", b"abc123", b"zz" * 32, b"a" * 63, b"a" * 65, b"a" * 64 + b"\n\n"],
                         ids=["empty", "short", "not-hex", "63", "65", "two-newlines"])
def test_bad_key_is_refused_naming_the_file_and_nothing_is_signed(tmp_path, content):
    store, manager, _ = make_store(tmp_path)
    claire = make_customer(manager, "Claire", "Martin")
    key_path(store).write_bytes(content)
    before = (store.scalar("SELECT count(*) FROM credit_ledger"), store.scalar("SELECT count(*) FROM signatures"))
    fresh = Store(store.path)  # no key cached
    with pytest.raises(PosError, match=r"shop\.db\.key"):
        credit.top_up(Context(fresh, manager.user, 1), claire.id, 100, "CB")
    assert (fresh.scalar("SELECT count(*) FROM credit_ledger"), fresh.scalar("SELECT count(*) FROM signatures")) \
        == before
    assert key_path(store).read_bytes() == content  # never "repaired" behind the shop's back


def test_missing_key_with_signatures_is_refused(tmp_path, english):
    store, manager, _ = make_store(tmp_path)
    claire = make_customer(manager, "Claire", "Martin")
    credit.top_up(manager, claire.id, 500, "CB")
    key_path(store).unlink()
    fresh = Store(store.path)
    signed = fresh.scalar("SELECT count(*) FROM signatures")  # users and journal are signed too (issue 15)
    with pytest.raises(PosError, match=r"shop\.db\.key is missing"):
        credit.top_up(Context(fresh, manager.user, 1), claire.id, 100, "CB")
    assert fresh.scalar("SELECT count(*) FROM signatures") == signed
    assert not key_path(store).exists()


def test_key_with_a_final_newline_is_accepted(tmp_path):
    store, *_ = make_store(tmp_path)
    key_path(store).write_text("ab" * 32 + "\n")
    assert load_key(Store(store.path)) == bytes.fromhex("ab" * 32)


def test_key_made_by_another_process_meanwhile_wins(tmp_path, monkeypatch):
    """Two terminals signing their first record at once must end with one key, not two."""
    from pos_tui.store import integrity

    store = Store(tmp_path / "shop.db")  # no user yet, so nothing signed and no key (make_store's users are signed)
    real_link = os.link

    def other_process_first(src, dst):
        Path(dst).write_text("cd" * 32)
        return real_link(src, dst)

    monkeypatch.setattr(integrity.os, "link", other_process_first)
    assert load_key(store) == bytes.fromhex("cd" * 32)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# -- verify is read-only ------------------------------------------------------------------

def test_verify_on_a_missing_path_creates_nothing(tmp_path, capsys):
    before = _tree(tmp_path)
    assert main(["--lang", "en", "--db", str(tmp_path / "typo" / "pos.db"), "verify"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert _tree(tmp_path) == before


def test_verify_on_an_empty_file_changes_nothing(tmp_path, capsys):
    empty = tmp_path / "pos.db"
    empty.touch()
    before = _tree(tmp_path)
    assert main(["--lang", "en", "--db", str(empty), "verify"]) == 2
    assert "empty" in capsys.readouterr().err
    assert _tree(tmp_path) == before


def test_verify_makes_no_key_and_migrates_nothing(tmp_path, capsys):
    store, *_ = make_store(tmp_path)
    key_path(store).unlink()  # make_store copies a key along with its signed users (issue 15)
    store.conn.execute("DELETE FROM _sqlite_migrations WHERE name = (SELECT max(name) FROM _sqlite_migrations)")
    store.close()
    before = _tree(tmp_path)
    assert main(["--lang", "en", "--db", str(store.path), "verify"]) == 2
    assert "older pos-tui" in capsys.readouterr().err
    assert _tree(tmp_path) == before
    assert not key_path(store).exists()


def test_verify_of_an_unsigned_store_needs_no_key(tmp_path):
    store = Store(tmp_path / "shop.db")  # no user yet: unsigned (a user's creation is signed, issue 15)
    assert verify_chain(Store(store.path, readonly=True)) == []
    assert not key_path(store).exists()


def test_a_sqlite_file_that_is_not_a_store_is_refused(tmp_path, capsys):
    import sqlite3

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t(x)")
    conn.close()
    assert main(["--lang", "en", "--db", str(other), "verify"]) == 2
    assert "not a pos-tui store" in capsys.readouterr().err
