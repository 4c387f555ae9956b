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

from helpers_core import new_store

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
    store = new_store(tmp_path / "shop.db")
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
    code = main(["--lang", "en", "--db", store.target, "verify"])
    return code, capsys.readouterr()


def test_chain_is_sound_after_business(shop, capsys):
    store, *_ = shop
    assert verify_chain(store) == []
    assert store.scalar("SELECT count(*) FROM signatures") >= 6
    code, out = _verify(store, capsys)
    assert code == 0 and "signature chain ok" in out.out


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
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


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
def test_inserted_fake_sale_is_unsigned(shop, capsys):
    store, ctx, _ = shop
    raw = sqlite3.connect(store.path)
    raw.execute("INSERT INTO sales(number, user_id, terminal, created_at, business_day, total, change_given)"
                " VALUES (99, 1, 1, '2026-01-01T10:00:00', '2099-01-01', 100, 0)")
    raw.commit()
    raw.close()
    code, out = _verify(store, capsys)
    assert code == 1 and "sales #2: record has no signature" in out.err


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
def test_edited_sale_line_breaks_the_chain(shop):
    store, *_ = shop
    store.conn.execute("DROP TRIGGER sale_lines_no_update")
    store.conn.execute("UPDATE sale_lines SET name = 'autre chose'")
    problems = verify_chain(store)
    assert problems and problems[0].startswith("sale_lines #1")


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
def test_missing_key_refuses_to_sign(shop, tmp_path):
    store, ctx, claire = shop
    (tmp_path / "shop.db.key").rename(tmp_path / "elsewhere.key")
    reopened = store.reopen()
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


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
def test_s14_killed_while_closing_sales(tmp_path):
    store = new_store(tmp_path / "shop.db")
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
    store = new_store(tmp_path / "shop.db")
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


def test_every_signed_record_kind_verifies_when_signed_from_written_values(shop):
    """Signatures are computed from the values inserted, not re-read: each kind of fiscal row must
    still match what verify reads back (gift voucher, redemption, return, credit note, CRED both ways,
    cash movement, Z with a count)."""
    from pos_tui.services import closing, products
    from pos_tui.domain.credit import EntryKind

    store, ctx, claire = shop
    product = products.create(ctx, "4006381333931", "Stylo", 250, 2000)
    cart = Cart(customer_id=claire.id)
    cart.add_product(product, 3)
    cart.add_gift_voucher(2000)
    sold = checkout.close_sale(ctx, cart, [Tender("CB", 1000), Tender("CRED", cart.total - 1000)])
    voucher = sold.vouchers_issued[0]
    cart = Cart(customer_id=claire.id)
    cart.add_product(product)
    checkout.add_scanned_voucher(cart, checkout.scan(store, voucher.code).voucher)
    checkout.close_sale(ctx, cart, [Tender("CRED", cart.total)])  # the voucher's rest goes on the credit
    line = checkout.find_sale(store, str(sold.number))["returnable"][0]
    checkout.return_items(ctx, sold.number, {line["id"]: 1}, "credit_note")
    checkout.return_items(ctx, sold.number, {line["id"]: 1}, "credit", customer_id=claire.id)
    assert store.scalar("SELECT count(*) FROM credit_ledger WHERE kind = ?", (EntryKind.SALE_CREDIT.value,)) == 2
    closing.add_cash_movement(ctx, "float", 15000, "")
    closing.add_cash_movement(ctx, "out", 500, "Timbres")
    closing.close_day(ctx, count_detail={1000: 3, 50: 1})
    kinds = {r[0] for r in store.conn.execute("SELECT DISTINCT table_name FROM signatures")}
    assert kinds >= {"sales", "sale_lines", "sale_payments", "credit_ledger", "vouchers", "voucher_parts",
                     "voucher_redemptions", "cash_movements", "z_closings"}
    assert verify_chain(store) == []


def test_canonical_form_is_exactly_the_json_one():
    """The signed bytes are built by hand for speed; they must stay json.dumps' sorted compact form."""
    from pos_tui.store.integrity import _canonical_slow, canonical

    rng = random.Random(5)
    alphabet = 'aé€"\\\n\t\x00\x1f/ <>&\u2028\U0001F600zZ09'
    for _ in range(2000):
        row = {"id": rng.randint(1, 10**12)}
        for col in ("name", "label", "barcode", "amount", "sale_id", "created_at"):
            kind = rng.random()
            if kind < 0.4:
                row[col] = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
            elif kind < 0.8:
                row[col] = rng.randint(-10**15, 10**15)
            else:
                row[col] = None
        assert canonical("sale_lines", row) == _canonical_slow("sale_lines", row)
    odd = {"id": 1, "flag": True, "rate": 5.5}  # not what records hold: still the json form
    assert canonical("t", odd) == _canonical_slow("t", odd)


def test_outstanding_totals_follow_every_balance_move_and_verify_checks_them(shop, capsys):
    """The X reads credit/debt outstanding from totals the triggers keep; they must equal the balances."""
    from pos_tui.services import closing, settings
    from pos_tui.store import ledger

    store, ctx, claire = shop
    bob = customers.create(ctx, {"first_name": "Bob", "last_name": "Durand"})
    settings.set_customer_debt_limit(ctx, bob.id, 5000)
    ana = customers.create(ctx, {"first_name": "Ana", "last_name": "Petit"})
    credit.top_up(ctx, ana.id, 700, "ESP")
    cart = Cart(customer_id=bob.id)
    cart.add_free("Pain", 1200, 550)
    checkout.close_sale(ctx, cart, [Tender("CRED", 1200)])  # Bob goes into debt
    credit.top_up(ctx, bob.id, 200, "CB")
    credit.refund(ctx, claire.id, 500, "ESP")  # Claire stays in credit (2000 - 500)
    assert ledger.outstanding(store) == ledger.outstanding_from_balances(store) == {
        "credit": 1500 + 700, "debt": 1000, "n_credit": 2, "n_debt": 1}
    x = closing.summary(store, closing.business_day(store))
    assert x["outstanding"] == {"credit": 2200, "debt": 1000}
    code, _out = _verify(store, capsys)
    assert code == 0
    store.conn.execute("UPDATE credit_outstanding SET debt = 0")
    code, out = _verify(store, capsys)
    assert code == 1 and "outstanding credit/debt totals" in out.err


def test_debt_start_kept_on_the_customer_follows_the_ledger_and_verify_checks_it(shop, capsys):
    """The X's old-debts block reads when each debt began from the customer row (a ledger trigger keeps
    it): into debt, deeper, back above zero, into debt again; verify recomputes it from the ledger."""
    from datetime import datetime, timedelta

    from pos_tui.services import accounts, settings
    from pos_tui.store.accounts import wrong_debt_since

    store, ctx, _claire = shop
    start = datetime(2026, 3, 2, 10, 0).astimezone()
    clock = [start]
    store.clock = lambda: clock[0]
    bob = customers.create(ctx, {"first_name": "Bob", "last_name": "Durand"})
    settings.set_customer_debt_limit(ctx, bob.id, 9000)

    def spend(amount: int, day: int) -> None:
        clock[0] = start + timedelta(days=day)
        cart = Cart(customer_id=bob.id)
        cart.add_free("Pain", amount, 550)
        checkout.close_sale(ctx, cart, [Tender("CRED", amount)])

    spend(1000, 0)
    spend(500, 3)  # deeper: the debt still began on day 0
    assert accounts.debt_age(store, bob.id) == 3
    clock[0] = start + timedelta(days=5)
    credit.top_up(ctx, bob.id, 1500, "ESP")  # back to zero
    assert accounts_debt_since(store, bob.id) is None
    spend(200, 8)  # a new debt
    assert accounts_debt_since(store, bob.id).startswith("2026-03-10")
    assert wrong_debt_since(store) == []
    code, _out = _verify(store, capsys)
    assert code == 0
    store.conn.execute("UPDATE customers SET debt_since = '2020-01-01T00:00:00+01:00' WHERE id = ?", (bob.id,))
    code, out = _verify(store, capsys)
    assert code == 1 and f"customer {bob.id}: debt start" in out.err


def accounts_debt_since(store, customer_id):
    return store.scalar("SELECT debt_since FROM customers WHERE id = ?", (customer_id,))


def _many_sales(store, ctx, n):
    for i in range(n):
        cart = Cart()
        cart.add_free(f"Article {i}", 100 + i, 550)
        checkout.close_sale(ctx, cart, [Tender("CB", cart.total)])


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
@pytest.mark.parametrize("workers", [1, 2])
def test_verify_in_pieces_names_the_first_bad_record_wherever_it_lies(shop, monkeypatch, workers):
    """verify checks the chain in pieces (in parallel on a long chain): an edit in a later piece is
    still named, and the earliest of two edits is the one reported, as a walk from the start does."""
    from pos_tui.store import integrity

    store, ctx, _claire = shop
    _many_sales(store, ctx, 40)
    monkeypatch.setattr(integrity, "CHUNK", 25)
    seen = []
    assert integrity.verify_chain(store, progress=lambda d, t: seen.append((d, t)), workers=workers) == []
    total = store.scalar("SELECT count(*) FROM signatures")
    assert seen[-1] == (total, total) and len(seen) >= 4
    late, early = store.conn.execute("SELECT max(id), max(id) - 30 FROM sale_lines").fetchone()
    for line_id in (late, early):
        store.conn.execute("DROP TRIGGER sale_lines_no_update")
        store.conn.execute("UPDATE sale_lines SET name = 'forged' WHERE id = ?", (line_id,))
        store.conn.execute("CREATE TRIGGER sale_lines_no_update BEFORE UPDATE ON sale_lines"
                           " BEGIN SELECT RAISE(ABORT, 'sale_lines is append-only'); END")
        problems = integrity.verify_chain(store, workers=workers)
        assert len(problems) == 1 and problems[0].startswith(f"sale_lines #{line_id}: record or signature altered")


@pytest.mark.sqlite_only  # SQLite's page-level check
def test_verify_quick_skips_the_page_check(shop, capsys, monkeypatch):
    store, *_ = shop
    calls = []
    real = Store.scalar
    monkeypatch.setattr(Store, "scalar", lambda self, sql, params=(): calls.append(sql) or real(self, sql, params))
    assert main(["--lang", "en", "--db", store.target, "verify", "--quick"]) == 0
    assert "quick: page-level check skipped" in capsys.readouterr().out
    assert not any("integrity_check" in sql for sql in calls)
    assert main(["--lang", "en", "--db", store.target, "verify"]) == 0
    assert any("integrity_check" in sql for sql in calls)


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
def test_verify_quick_still_names_a_tampered_row(shop, capsys):
    """--quick skips only SQLite's page check: the chain walk still catches an edited record."""
    store, *_ = shop
    store.conn.execute("DROP TRIGGER sale_lines_no_update")
    store.conn.execute("UPDATE sale_lines SET total = 1 WHERE id = 1")
    assert main(["--lang", "en", "--db", store.target, "verify", "--quick"]) == 1
    assert "sale_lines #1: record or signature altered" in capsys.readouterr().err


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
@pytest.mark.parametrize("workers", [1, 2])
def test_verify_names_a_deleted_record_and_a_forged_chain_head(shop, monkeypatch, workers):
    from pos_tui.services import closing
    from pos_tui.store import integrity

    store, ctx, _ = shop
    closing.close_day(ctx, counted=0)
    _many_sales(store, ctx, 10)
    monkeypatch.setattr(integrity, "CHUNK", 7)
    assert verify_chain(store, workers=workers) == []
    z_id = store.scalar("SELECT id FROM z_closings")
    store.conn.execute("DROP TRIGGER z_closings_no_update")
    store.conn.execute("UPDATE z_closings SET last_sig = 'f00d' WHERE id = ?", (z_id,))
    problems = verify_chain(store, workers=workers)
    # The forged head is also part of the signed record, so the signature check names it first.
    assert problems == [f"z_closings #{z_id}: record or signature altered (chain entry "
                        f"{store.scalar('SELECT id FROM signatures WHERE table_name = ? AND record_id = ?', ('z_closings', z_id))})"]
    store.conn.execute("DROP TRIGGER sale_payments_no_delete")
    last_payment = store.scalar("SELECT max(id) FROM sale_payments")
    store.conn.execute("DELETE FROM sale_payments WHERE id = ?", (last_payment,))
    problems = verify_chain(store, workers=workers)
    assert problems[0].startswith(f"z_closings #{z_id}")  # still the first bad entry of the chain
    store.conn.execute("UPDATE z_closings SET last_sig = (SELECT sig FROM signatures WHERE id = ("
                       "SELECT id - 1 FROM signatures WHERE table_name = 'z_closings' AND record_id = ?))", (z_id,))
    assert verify_chain(store, workers=workers) == [f"sale_payments #{last_payment}: signed record is missing (deleted)"]


def test_verify_progress_bar_only_on_a_terminal_or_on_request(shop, capsys):
    store, *_ = shop
    total = store.scalar("SELECT count(*) FROM signatures")
    assert main(["--lang", "en", "--db", store.target, "verify", "--quick"]) == 0
    assert "Signatures" not in capsys.readouterr().err  # stderr is a pipe here: no bar in logs
    assert main(["--lang", "en", "--db", store.target, "verify", "--quick", "--progress"]) == 0
    assert f"Signatures [{'#' * 30}] {total:,}/{total:,}" in capsys.readouterr().err


# -- closing a sale signs its records at the end of the transaction (issue 17) --------------------------

def _business(store, ctx, claire):
    """Sales of every kind close_sale writes, the same in whichever store it runs."""
    from pos_tui.services import products

    credit.top_up(ctx, claire.id, 10000, "CB")
    product = products.create(ctx, "4006381333931", "Stylo \"bleu\" é", 250, 2000)
    cart = Cart(customer_id=claire.id)
    cart.add_product(product, 3)
    cart.add_free("Panier", 1800, 550)
    cart.add_gift_voucher(2000)
    sold = checkout.close_sale(ctx, cart, [Tender("CB", 1000), Tender("CRED", cart.total - 1000)])
    cart = Cart(customer_id=claire.id)
    cart.add_product(product)
    checkout.add_scanned_voucher(cart, checkout.scan(store, sold.vouchers_issued[0].code).voucher)
    checkout.close_sale(ctx, cart, [Tender("CRED", cart.total)])
    line = checkout.find_sale(store, str(sold.number))["returnable"][0]
    checkout.return_items(ctx, sold.number, {line["id"]: 1}, "credit_note")
    credit.top_up(ctx, claire.id, 700, "ESP")  # a record signed outside a batch, between batched ones
    cart = Cart()
    cart.add_product(product, 2)
    checkout.close_sale(ctx, cart, [Tender("ESP", 1000)])


def test_batched_close_signs_exactly_as_a_statement_per_record_did(tmp_path, monkeypatch):
    """close_sale signs its records at the end, from %-templates, with HMAC pad states, and writes the
    signature rows in one statement: the signatures table must be byte for byte what signing each record
    right after its INSERT the general way (json form, hmac.digest) writes, in the same chain order."""
    import hmac as hmac_mod
    from contextlib import nullcontext

    from helpers_core import FixedClock
    from pos_tui.domain import users as users_domain
    from pos_tui.domain import vouchers as vouchers_domain
    from pos_tui.store import integrity

    real_codes = [vouchers_domain.new_code(k) for k in ("gift", "credit_note")]
    monkeypatch.setattr(users_domain.secrets, "token_bytes", lambda n: bytes(n))  # the same PIN salt: same staff_log

    def run(name):
        codes = iter(real_codes)
        monkeypatch.setattr(checkout, "new_code", lambda kind: next(codes))
        store = new_store(tmp_path / name, clock=FixedClock())
        store._signing_key = b"k" * 32
        manager = auth.create_first_manager(store, "Marie", "123456")
        ctx = Context(store, manager, 1)
        claire = customers.create(ctx, {"first_name": "Claire", "last_name": "Martin"})
        _business(store, ctx, claire)
        assert verify_chain(store) == []
        return store.query("SELECT id, table_name, record_id, sig FROM signatures ORDER BY id")

    with monkeypatch.context() as old_way:
        old_way.setattr(checkout, "batched_signatures", lambda store: nullcontext())
        old_way.setattr(integrity._InsertPlan, "signed_form", lambda self, row: None)
        old_way.setattr(integrity, "_mac", lambda key, prev, message: hmac_mod.digest(
            key, prev.encode() + message, "sha256").hex())
        reference = run("reference.db")
    fast = run("fast.db")
    assert len(fast) > 20
    assert {r["table_name"] for r in fast} >= {"sales", "sale_lines", "sale_payments", "credit_ledger", "journal",
                                               "vouchers", "voucher_parts", "voucher_redemptions"}
    assert [(r["table_name"], r["record_id"], r["sig"]) for r in fast] == \
        [(r["table_name"], r["record_id"], r["sig"]) for r in reference]


def test_reading_the_chain_inside_a_batch_signs_what_is_held_first(shop):
    from pos_tui.store.integrity import batched_signatures, chain_entry, insert_signed, last_sig

    store, ctx, _claire = shop
    before = store.scalar("SELECT count(*) FROM signatures")
    with store.write(), batched_signatures(store):
        first = insert_signed(store, "journal", {"created_at": store.now(), "kind": "test", "user_id": None,
                                                 "terminal": 1, "detail": "{}"})
        second = insert_signed(store, "journal", {"created_at": store.now(), "kind": "test", "user_id": None,
                                                  "terminal": 1, "detail": "{}"})
        assert store.scalar("SELECT count(*) FROM signatures") == before  # held, not written yet
        tip = last_sig(store)  # the chain is read: what is held is signed and written first
        assert chain_entry(store, "journal", second)["sig"] == tip
        assert chain_entry(store, "journal", first)["id"] < chain_entry(store, "journal", second)["id"]
        third = insert_signed(store, "journal", {"created_at": store.now(), "kind": "test", "user_id": None,
                                                 "terminal": 1, "detail": "{}"})
    assert chain_entry(store, "journal", third)["id"] > chain_entry(store, "journal", second)["id"]
    assert store.scalar("SELECT count(*) FROM signatures") == before + 3
    assert verify_chain(store) == []


def test_a_failed_batched_close_writes_nothing_and_the_next_one_chains_on(shop, english):
    from dataclasses import replace

    store, ctx, claire = shop
    counts = {t: store.scalar(f"SELECT count(*) FROM {t}") for t in ("sales", "sale_lines", "signatures", "journal")}
    cart = Cart(customer_id=claire.id)
    cart.add_free("Panier", 1800, 550)
    cart.add_gift_voucher(1000)
    cart.lines[-1] = replace(cart.lines[-1], expires_on="2000-01-01")
    with pytest.raises(PosError, match="expiry date"):  # refused after the sale and a line were inserted
        checkout.close_sale(ctx, cart, [Tender("ESP", cart.total)])
    assert {t: store.scalar(f"SELECT count(*) FROM {t}") for t in counts} == counts
    assert store._pending_sigs is None
    cart = Cart()
    cart.add_free("Panier", 1800, 550)
    checkout.close_sale(ctx, cart, [Tender("ESP", 2000)])
    assert store.scalar("SELECT count(*) FROM signatures") == counts["signatures"] + 4
    assert verify_chain(store) == []


def test_insert_rows_keeps_the_order_given(shop, engine):
    store, *_ = shop
    kind = "INTEGER PRIMARY KEY" if engine == "sqlite" else "SERIAL PRIMARY KEY"
    store.conn.execute(f"CREATE TEMP TABLE scratch_order(id {kind}, n INTEGER, label TEXT)")
    rows = [(n, f"r{n}") for n in random.Random(3).sample(range(1000), 250)]  # more than one statement's worth
    with store.write():
        store.insert_rows("scratch_order", ("n", "label"), rows)
    assert [tuple(r.values()) for r in store.query("SELECT n, label FROM scratch_order ORDER BY id")] == rows
