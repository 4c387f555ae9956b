"""Close a sale vs a bare SQLite transaction writing the same rows, interleaved.

On a copy of the 1M-sales store: ``checkout.close_sale`` with 3 scanned lines paid by card
(CB: sale, 3 lines, 1 payment, 1 journal row and their signatures) and on a customer's credit
(CRED: the same plus a ledger entry, its signature and the balance update), each paired
with a bare ``BEGIN IMMEDIATE`` transaction on its own connection with the same pragmas
(WAL, synchronous=FULL, foreign keys) inserting the same rows with precomputed values.
Runs alternate A-B / B-A so load from other processes hits both sides alike; the ratio
of medians is the figure compared with the target.

    python benchmarks/bench_close.py [--rounds 150]
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import sqlite3
import time

import benchlib
from benchlib import Stat, write_result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=150)
    ap.add_argument("--db", default=None, help="use this store as is (default: a copy of the big store)")
    ap.add_argument("--synchronous", default="FULL", choices=("FULL", "OFF"),
                    help="OFF on both sides: the CPU part alone, without the commit's fsync (a diagnostic)")
    args = ap.parse_args(argv)

    from pos_tui.domain.cart import Cart
    from pos_tui.domain.payment import Tender
    from pos_tui.services import auth, checkout, closing
    from pos_tui.services.context import Context
    from pos_tui.store.db import Store

    path = args.db or benchlib.work_copy(benchlib.big_store(), "close.db")
    store = Store(path)
    store.conn.execute(f"PRAGMA synchronous = {args.synchronous}")
    manager = next(u for u in auth.list_users(store) if u.role == "manager")
    ctx = Context(store, manager, terminal=1)
    rng = random.Random(17)
    products = [checkout.scan(store, r[0]).product for r in store.conn.execute(
        "SELECT barcode FROM products WHERE active = 1 ORDER BY id LIMIT 300")]
    room = [r[0] for r in store.conn.execute(
        "SELECT id FROM customers WHERE erased = 0 AND balance + debt_limit >= 20000 LIMIT 5000")]

    def cart(customer_id=None) -> Cart:
        c = Cart(customer_id=customer_id)
        for p in rng.sample(products, 3):
            c.add_product(p)
        return c

    bare = sqlite3.connect(str(path), isolation_level=None)
    for pragma in ("busy_timeout = 8000", "journal_mode = WAL", f"synchronous = {args.synchronous}", "foreign_keys = ON"):
        bare.execute(f"PRAGMA {pragma}")
    day = closing.business_day(store)
    # The same rows as the service writes: the journal row is signed where the journal is chained.
    journal_signed = "journal" in __import__("pos_tui.store.integrity", fromlist=["x"]).SIGNED_COLUMNS

    def bare_close(c: Cart, method: str) -> None:
        now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        x = bare.execute
        x("BEGIN IMMEDIATE")
        sale_id = x("INSERT INTO sales(store_id, number, customer_id, user_id, terminal, created_at, business_day,"
                    " total, change_given, voids_sale_id) VALUES (?, (SELECT coalesce(max(number), 0) + 1 FROM sales"
                    " WHERE store_id = ?), ?, ?, 1, ?, ?, ?, 0, NULL)",
                    (store.store_id, store.store_id, c.customer_id, manager.id, now, day, c.total)).lastrowid
        signed = [("sales", sale_id)]
        for no, line in enumerate(c.lines, 1):
            signed.append(("sale_lines", x(
                "INSERT INTO sale_lines(sale_id, line_no, kind, product_id, barcode, name, quantity, unit_price,"
                " vat_rate, total, voucher_id, returned_line_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                (sale_id, no, "product", line.product_id, line.barcode, line.name, line.quantity, line.unit_price,
                 line.vat_rate, line.total)).lastrowid))
        signed.append(("sale_payments", x("INSERT INTO sale_payments(sale_id, method, amount) VALUES (?, ?, ?)",
                                          (sale_id, method, c.total)).lastrowid))
        if method == "CRED":
            signed.append(("credit_ledger", x(
                "INSERT INTO credit_ledger(customer_id, kind, amount, method, sale_id, label, user_id, terminal,"
                " created_at, balance_after, idempotency_key, business_day) VALUES (?, 'sale_payment', ?, NULL, ?,"
                " 'Vente', ?, 1, ?, (SELECT balance FROM customers WHERE id = ?) - ?, NULL, ?)",
                (c.customer_id, -c.total, sale_id, manager.id, now, c.customer_id, c.total, day)).lastrowid))
        signed.append(("journal", x(
            "INSERT INTO journal(created_at, kind, user_id, terminal, detail) VALUES (?, 'sale_closed', ?, 1, ?)",
            (now, manager.id, json.dumps({"total": c.total}))).lastrowid))
        if not journal_signed:
            signed.pop()
        for table, rid in signed:
            x("INSERT INTO signatures(table_name, record_id, sig) VALUES (?, ?, ?)", (table, rid, secrets.token_hex(32)))
        x("COMMIT")

    def count_statements(fn) -> int:
        seen: list[str] = []
        store.conn.set_trace_callback(seen.append)
        try:
            fn()
        finally:
            store.conn.set_trace_callback(None)
        return sum(1 for s in seen if not s.lstrip().startswith("--"))

    def service_close(c: Cart, method: str) -> None:
        checkout.close_sale(ctx, c, [Tender(method, c.total)])

    out = {}
    for method in ("CB", "CRED"):
        customers = iter(rng.sample(room, 2 * args.rounds + 10)) if method == "CRED" else None

        def next_cart() -> Cart:
            return cart(next(customers) if customers else None)

        for _ in range(3):  # warm both paths (page cache, statement cache)
            service_close(next_cart(), method)
            bare_close(next_cart(), method)
        n_stmt = count_statements(lambda: service_close(next_cart(), method))
        svc, raw = [], []
        for i in range(args.rounds):
            a, b = next_cart(), next_cart()
            if i % 2:
                raw.append(benchlib.timed(bare_close, b, method))
                svc.append(benchlib.timed(service_close, a, method))
            else:
                svc.append(benchlib.timed(service_close, a, method))
                raw.append(benchlib.timed(bare_close, b, method))
        s, r = Stat(svc), Stat(raw)
        pair = Stat([x / y for x, y in zip(svc, raw)])
        out[method] = {"service": s.as_dict(), "bare": r.as_dict(), "ratio": s.median / r.median,
                       "pair_ratio": pair.as_dict(), "statements": n_stmt}
        print(f"close_sale {method}: service median {s.median:.2f} ms (p5 {s.p5:.2f}, p95 {s.p95:.2f}), "
              f"bare {r.median:.2f} ms (p5 {r.p5:.2f}, p95 {r.p95:.2f}); ratio of medians {s.median / r.median:.2f}x, "
              f"per-pair ratio median {pair.median:.2f}x (p25 {pair.p25:.2f}, p75 {pair.p75:.2f}); "
              f"{n_stmt} SQL statements", flush=True)
    bare.close()
    store.close()
    write_result("close", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
