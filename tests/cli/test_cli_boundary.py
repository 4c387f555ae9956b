"""Issue 12: one error boundary. Every subcommand, with no terminal, a damaged database or a bad
output path, ends with a one-line message and exit 2 (refused) or 1 (problems found): never a
traceback, never a half-done export."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers_core import MANAGER_NAME, MANAGER_PIN, corrupt_table, make_customer, make_store
from pos_tui.cli import main
from pos_tui.domain.cart import Cart
from pos_tui.domain.payment import Tender
from pos_tui.services import checkout, credit

LOGIN = ["--user", MANAGER_NAME, "--pin", MANAGER_PIN]
CUSTOMERS_CSV = "first_name,last_name\nLéa,Roux\n"


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Path:
    """A store with a customer, a top-up and a sale, plus a good customers file beside it."""
    folder = tmp_path_factory.mktemp("boundary")
    store, manager, cashier = make_store(folder)
    claire = make_customer(manager, "Claire", "Martin")
    credit.top_up(manager, claire.id, 2000, "CB")
    cart = Cart()
    cart.add_free("Pain", 120, 550)
    checkout.close_sale(cashier, cart, [Tender("ESP", 120)])
    store.close()
    (folder / "c.csv").write_text(CUSTOMERS_CSV, encoding="utf-8")
    return folder / "shop.db"


@pytest.fixture
def db(shop, tmp_path) -> Path:
    """A private copy of the shop for one test (with its key)."""
    for suffix in ("", ".key"):
        if Path(f"{shop}{suffix}").exists():
            shutil.copy(f"{shop}{suffix}", tmp_path / f"shop.db{suffix}")
    (tmp_path / "c.csv").write_text(CUSTOMERS_CSV, encoding="utf-8")
    return tmp_path / "shop.db"


def _cli(*args: str, stdin: str = "closed") -> subprocess.CompletedProcess:
    """Run ``pos-tui`` as a user would, stdin closed (``<&-``) or at end of file (``</dev/null``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("POS_TUI_USER", "POS_TUI_PIN", "POS_TUI_DB")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    cmd = [sys.executable, "-m", "pos_tui", "--lang", "en", *args]
    if stdin == "closed":
        cmd = ["sh", "-c", 'exec "$@" <&-', "sh", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    return subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=60)


def _commands(db: Path) -> dict[str, list[str]]:
    folder = db.parent
    return {
        "import customers": ["import", "customers", str(folder / "c.csv")],
        "import products": ["import", "products", str(folder / "c.csv")],
        "credit report": ["credit", "report"],
        "credit report --csv": ["credit", "report", "--csv", str(folder / "r.csv")],
        "credit statement": ["credit", "statement", "Claire"],
        "credit statement --pdf": ["credit", "statement", "Claire", "--pdf", str(folder / "s.pdf")],
        "credit debtors --csv": ["credit", "debtors", "--csv", str(folder / "d.csv")],
        "z": ["z"],
        "z --csv": ["z", "--csv", str(folder / "z.csv")],
    }


@pytest.mark.parametrize("stdin", ["closed", "eof"])
def test_every_prompt_without_a_terminal_fails_cleanly(db, stdin):
    for name, args in _commands(db).items():
        out = _cli("--db", str(db), *args, stdin=stdin)
        assert (out.returncode, out.stdout) == (2, ""), (name, out)
        assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1, (name, out.stderr)
        assert "--user and --pin" in out.stderr and "POS_TUI_USER" in out.stderr, (name, out.stderr)
    fresh = db.parent / "new" / "pos.db"
    out = _cli("--db", str(fresh), "init", stdin=stdin)
    assert out.returncode == 2 and "--name and --pin" in out.stderr and "Traceback" not in out.stderr
    out = _cli("--db", str(db), "verify", stdin=stdin)  # needs no login
    assert out.returncode == 0 and "Store verified" in out.stdout, out


def test_missing_store_is_refused_by_every_command_and_nothing_is_created(tmp_path):
    missing = tmp_path / "none" / "x.db"
    (tmp_path / "c.csv").write_text(CUSTOMERS_CSV)
    for name, args in {**_commands(tmp_path / "x.db"), "verify": ["verify"], "app": []}.items():
        out = _cli("--db", str(missing), *args)
        assert out.returncode == 2 and "no such file" in out.stderr and "Traceback" not in out.stderr, (name, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv"]


def _damaged(db: Path, how: str) -> None:
    if how == "garbage":
        db.write_bytes(b"these bytes were never a database\n" * 200)
    else:
        corrupt_table(db, "users")


@pytest.mark.parametrize("how, code", [("garbage", 2), ("corrupted", 1)])
def test_a_damaged_database_gives_one_clear_line(db, capsys, how, code):
    _damaged(db, how)
    commands = {**_commands(db), "verify": ["verify"], "init": ["init", "--name", "Zoé", "--pin", "135790"],
                "app": []}
    for name, args in commands.items():
        extra = LOGIN if args and args[0] in ("import", "credit", "z") else []
        assert main(["--lang", "en", "--db", str(db), *args, *extra]) == code, name
        err = capsys.readouterr().err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, (name, err)
        assert ("not a database" if how == "garbage" else "malformed") in err, (name, err)


def test_unwritable_output_paths_are_refused_and_not_journaled(db, capsys):
    from pos_tui.store import Store

    def exports() -> int:
        store = Store(db)
        try:
            return store.scalar("SELECT count(*) FROM journal WHERE kind = 'export'")
        finally:
            store.close()

    before = exports()
    folder = db.parent
    cases = {
        "credit report into a missing folder": ["credit", "report", "--csv", str(folder / "no" / "r.csv")],
        "credit report into a folder": ["credit", "report", "--csv", str(folder)],
        "z into a missing folder": ["z", "--csv", str(folder / "no" / "z.csv")],
        "statement into a missing folder": ["credit", "statement", "Claire", "--csv", str(folder / "no" / "s.csv")],
        "statement PDF into a folder": ["credit", "statement", "Claire", "--pdf", str(folder)],
        "call list into a missing folder": ["credit", "debtors", "--csv", str(folder / "no" / "d.csv")],
        "import of a folder": ["import", "customers", str(folder)],
        "import of a missing file": ["import", "products", str(folder / "no.csv")],
    }
    for name, args in cases.items():
        assert main(["--lang", "en", "--db", str(db), *args, *LOGIN]) == 2, name
        err = capsys.readouterr().err
        assert "Traceback" not in err and err.startswith("pos-tui: ") and str(folder) in err, (name, err)
    assert exports() == before
    assert not (folder / "no").exists()


def test_exports_are_owner_only(db, capsys):
    assert main(["--lang", "en", "--db", str(db), "credit", "report", "--csv", str(db.parent / "r.csv"), *LOGIN]) == 0
    assert main(["--lang", "en", "--db", str(db), "z", "--csv", str(db.parent / "z.csv"), *LOGIN]) == 0
    for name in ("r.csv", "z.csv"):
        assert (db.parent / name).stat().st_mode & 0o777 == 0o600
    assert "Claire" in (db.parent / "r.csv").read_text()


@pytest.mark.parametrize("args", [
    ["credit", "report", "--from", "garbage"],
    ["credit", "report", "--to", "2026-02-30"],
    ["credit", "report", "--from", "2026-11-30", "--to", "2026-11-01"],
    ["z", "--date", "30/11/2026"],
])
def test_dates_are_validated(db, capsys, args):
    assert main(["--lang", "en", "--db", str(db), *args, *LOGIN]) == 2
    err = capsys.readouterr().err
    assert ("Not a date" in err or "ends before it starts" in err) and "Traceback" not in err


def test_stdin_at_eof_in_process(db, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["--lang", "en", "--db", str(db), "z"]) == 2
    assert "POS_TUI_PIN" in capsys.readouterr().err


def test_a_closed_pipe_ends_quietly(db):
    env = {k: v for k, v in os.environ.items() if k not in ("POS_TUI_USER", "POS_TUI_PIN")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    proc = subprocess.Popen([sys.executable, "-m", "pos_tui", "--lang", "en", "--db", str(db), "z", *LOGIN],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    proc.stdout.close()  # `pos-tui z | head -0`: the reader is gone before the first line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert err == ""
