"""The signature chain, verify, and crash safety (S12, S14)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from pos_tui.cli import main
from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError
from pos_tui.domain.payment import Tender
from pos_tui.services import auth, checkout, credit, customers
from pos_tui.services.context import Context
from pos_tui.store.db import Store
from pos_tui.store.integrity import verify_chain


@pytest.fixture
def shop(tmp_path):
    store = Store(tmp_path / "shop.db")
    manager = auth.create_first_manager(store, "Marie", "123456")
    ctx = Context(store, manager, 1)
    claire = customers.create(ctx, {"first_name": "Claire", "last_name": "Martin"})
    credit.top_up(ctx, claire.id, 5000, "CB")
    credit.refund(ctx, claire.id, 2000, "ESP")
    cart = Cart(customer_id=claire.id)
    cart.add_free("Panier", 1800, 550)
    checkout.close_sale(ctx, cart, [Tender("CRED", 1000), Tender("ESP", 1000)])
    return store, ctx, claire


def _verify(store, capsys):
    code = main(["--lang", "en", "--db", str(store.path), "verify"])
    return code, capsys.readouterr()


def test_chain_is_sound_after_business(shop, capsys):
    store, *_ = shop
    assert verify_chain(store) == []
    assert store.scalar("SELECT count(*) FROM signatures") >= 6
    code, out = _verify(store, capsys)
    assert code == 0 and "signature chain ok" in out.out


def test_s12_edited_ledger_amount_is_named_by_verify(shop, capsys):
    store, ctx, claire = shop
    raw = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM credit_ledger")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("UPDATE credit_ledger SET amount = 9000 WHERE id = 1")
    # Someone determined drops the guard and edits the first top-up with the sqlite3 shell.
    raw.execute("DROP TRIGGER credit_ledger_no_update")
    raw.execute("UPDATE credit_ledger SET amount = 9000, balance_after = 9000 WHERE id = 1")
    raw.commit()
    raw.close()
    code, out = _verify(store, capsys)
    assert code == 1
    assert "credit_ledger #1" in out.err


def test_inserted_fake_sale_is_unsigned(shop, capsys):
    store, ctx, _ = shop
    raw = sqlite3.connect(store.path)
    raw.execute("INSERT INTO sales(number, user_id, terminal, created_at, business_day, total, change_given)"
                " VALUES (99, 1, 1, '2026-01-01T10:00:00', '2099-01-01', 100, 0)")
    raw.commit()
    raw.close()
    code, out = _verify(store, capsys)
    assert code == 1 and "sales #2: record has no signature" in out.err


def test_edited_sale_line_breaks_the_chain(shop):
    store, *_ = shop
    store.conn.execute("DROP TRIGGER sale_lines_no_update")
    store.conn.execute("UPDATE sale_lines SET name = 'autre chose'")
    problems = verify_chain(store)
    assert problems and problems[0].startswith("sale_lines #1")


def test_missing_key_refuses_to_sign(shop, tmp_path):
    store, ctx, claire = shop
    (tmp_path / "shop.db.key").rename(tmp_path / "elsewhere.key")
    reopened = Store(store.path)
    rows = reopened.scalar("SELECT count(*) FROM credit_ledger")
    with pytest.raises(PosError, match=r"shop\.db\.key"):
        credit.top_up(Context(reopened, ctx.user, 1), claire.id, 100, "CB")
    assert reopened.scalar("SELECT count(*) FROM credit_ledger") == rows
    assert customers.get(reopened, claire.id).balance == 5000 - 2000 - 1000


def test_z_carries_the_last_signature(shop):
    from pos_tui.services import closing

    store, ctx, _ = shop
    before = store.scalar("SELECT sig FROM signatures ORDER BY id DESC LIMIT 1")
    closing.close_day(ctx, counted=0)
    assert store.scalar("SELECT last_sig FROM z_closings") == before
    assert verify_chain(store) == []


WORKER = r"""
import sys
from pos_tui.domain.cart import Cart
from pos_tui.domain.payment import Tender
from pos_tui.services import checkout
from pos_tui.services.context import Context
from pos_tui.store import users
from pos_tui.store.db import Store

store = Store(sys.argv[1])
ctx = Context(store, users.by_id(store, 1), 1)
print("ready", flush=True)
while True:
    cart = Cart(customer_id=1)
    for price in (120, 250, 330):
        cart.add_free("Article", price, 2000)
    checkout.close_sale(ctx, cart, [Tender("CRED", 300), Tender("ESP", 400)])
"""


def test_s14_killed_while_closing_sales(tmp_path):
    store = Store(tmp_path / "shop.db")
    manager = auth.create_first_manager(store, "Marie", "123456")
    ctx = Context(store, manager, 1)
    claire = customers.create(ctx, {"first_name": "Claire", "last_name": "Martin"})
    credit.top_up(ctx, claire.id, 10_000_000, "CB")
    store.close()
    rng = random.Random(14)
    for _ in range(8):
        proc = subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path / "shop.db")], stdout=subprocess.PIPE,
                                text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    store = Store(tmp_path / "shop.db")
    assert store.scalar("PRAGMA integrity_check") == "ok"
    assert verify_chain(store) == []
    sales = store.query("SELECT id, number, total FROM sales ORDER BY number")
    assert len(sales) > 8
    assert [s["number"] for s in sales] == list(range(1, len(sales) + 1))
    for sale in sales:
        assert sale["total"] == 700
        assert store.scalar("SELECT count(*) FROM sale_lines WHERE sale_id = ?", (sale["id"],)) == 3
        assert store.scalar("SELECT sum(amount) FROM sale_payments WHERE sale_id = ?", (sale["id"],)) == 700
        assert store.scalar("SELECT count(*) FROM credit_ledger WHERE sale_id = ?", (sale["id"],)) == 1
    assert store.scalar("SELECT balance FROM customers WHERE id = 1") == 10_000_000 - 300 * len(sales)
    assert main(["--lang", "en", "--db", str(tmp_path / "shop.db"), "verify"]) == 0
