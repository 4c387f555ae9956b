"""PostgreSQL next to SQLite at 100k customers (issue 18 item 8): close a sale, search, X and verify.

Starts a throwaway PostgreSQL cluster (initdb + pg_ctl in a temporary folder under the data folder,
as the system user ``pos_pg`` when run as root, listening on 127.0.0.1 only, server defaults:
fsync and synchronous_commit ON, so a commit waits for the disk as SQLite's synchronous=FULL does),
builds the same shop on both engines with the same code and seed, measures both interleaved, and
stops the cluster and removes every file at the end.

The shop (per engine, built fresh each run, ~1-3 min in all): 100,000 customers, 100,000 credit-ledger
entries, 5,000 products and ~100,000 sales over ~110 days (one Z per past day, ~900 sales today) in
bulk SQL (``bench_counter``'s generators, as for the SQLite-only benchmarks), then through the real
services: 100 customers created, 200 top-ups and 300 sales closed. A second store per engine for
verify: 300 customers and their top-ups through the services, then ~100,000 signed records (sales,
lines, payments, credit entries) inserted in bulk with their signatures chained by
``integrity.canonical`` exactly as ``insert_signed`` chains them, then 200 more sales closed through
the services on top of that chain.

Measured, SQLite and PostgreSQL alternately (A-B / B-A), through the services the app calls:
``checkout.close_sale`` paid by card (CB) and on a customer's credit (CRED), ``customers.search`` for
``bench_counter.SEARCH_PREFIXES``, the live X (``closing.summary`` of today) and the chain walk of
``verify`` (``integrity.verify_chain``: signed records per second; plus the whole check of
``services.integrity.problems(quick=True)``). PostgreSQL is reached over TCP on 127.0.0.1, as a
till reaches its server, so every statement pays a round trip.

    python benchmarks/bench_pg.py [--rounds 60] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import benchlib
from benchlib import Stat, write_result

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import pg_cluster  # noqa: E402 - the tests' throwaway-cluster code, shared (no pytest in it)

SEED = 20261129
N_CUSTOMERS = 100_000
N_ENTRIES = 100_000
N_SALES = 100_000
N_PRODUCTS = 5_000
TODAY_BULK = 600
SERVICE_CUSTOMERS, SERVICE_TOP_UPS, SERVICE_SALES = 100, 200, 300
VERIFY_RECORDS = 100_000
VERIFY_CUSTOMERS, VERIFY_PRODUCTS, VERIFY_SERVICE_SALES = 300, 2_000, 200
SALES_CHUNK = 10_000
BULK_CHUNK = 10_000
LEDGER_CHUNK = 500


# -- a throwaway cluster (tests/pg_cluster.py, with the server's default settings: fsync on) ----------------

class Cluster:
    def __init__(self, bindir: Path, folder: Path) -> None:
        self.bindir, self.folder = bindir, folder
        self.prefix = pg_cluster.run_as()
        self.port = 0
        self.version = ""
        self._stop = pg_cluster.stop_command(bindir, folder, self.prefix, "fast")
        self._watchdog: subprocess.Popen | None = None

    def start(self) -> None:
        pg_cluster.hand_over(self.folder, self.prefix)
        self._watchdog = pg_cluster.watch(self.folder, self._stop, "pos-bench-pg-watchdog")
        self.port = pg_cluster.start(self.bindir, self.folder, self.prefix)  # the server's default settings
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            self.version = conn.execute("SHOW server_version").fetchone()[0]
            self.settings = {name: conn.execute(f"SHOW {name}").fetchone()[0]
                             for name in ("fsync", "synchronous_commit", "full_page_writes", "shared_buffers")}

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        if (self.folder / "data" / "postmaster.pid").exists():
            subprocess.run(self._stop, cwd="/", capture_output=True, timeout=120)
        if self._watchdog is not None:
            self._watchdog.kill()
            self._watchdog.wait()


# -- the same shop on both engines -----------------------------------------------------------------------------

def _is_pg(store) -> bool:
    return getattr(store, "engine", "sqlite") == "postgresql"


def _ids_follow(store, *tables: str) -> None:
    """Rows inserted with their ids: a PostgreSQL identity must continue after them (SQLite's rowid does)."""
    if _is_pg(store):
        for table in tables:
            store.conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                               f" (SELECT coalesce(max(id), 1) FROM {table}))")


def _settle(store) -> None:
    """After the bulk load: SQLite folds its WAL; PostgreSQL does what autovacuum would soon do by itself
    (statistics for the planner, the visibility map) and a checkpoint, so neither runs during the timing."""
    if _is_pg(store):
        store.conn.raw.execute("VACUUM ANALYZE")
        store.conn.raw.execute("CHECKPOINT")
    else:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _analyze(store, *tables: str) -> None:
    """PostgreSQL: statistics for tables just filled, as autovacuum gathers them in a live shop. Without them
    the ledger triggers' look-up of a customer's last entry is planned for an empty ledger and walks it:
    2.9 ms per entry after 8,000 entries in one bulk transaction, 0.07 ms once analysed."""
    if _is_pg(store):
        for table in tables:
            store.conn.raw.execute(f"ANALYZE {table}")


_NOW: list[int] = []


def _today_seconds() -> int:
    """Today's sales so far end at the same second on both engines (the random draws depend on it)."""
    if not _NOW:
        now = datetime.now().astimezone()
        _NOW.append(max(0, now.hour * 3600 + now.minute * 60 + now.second - 1))
    return _NOW[0]


def build_shop(store, log) -> dict:
    """100k customers, 100k ledger entries, ~100k sales; the last few hundred rows through the services."""
    import bench_counter as bc
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.payment import Tender
    from pos_tui.domain.customers import sort_key
    from pos_tui.services import auth, checkout, credit, customers
    from pos_tui.services.context import Context

    t0 = time.perf_counter()
    rng = random.Random(SEED)
    tz = timezone(timedelta(hours=1))
    manager = auth.create_first_manager(store, bc.MANAGER_NAME, bc.MANAGER_PIN)
    ctx = Context(store, manager, terminal=1)
    for name, pin in bc.CASHIERS:  # the X groups by cashier
        auth.create_user(ctx, name, pin, "cashier")
    with store.write():
        store.conn.executemany("INSERT INTO products(barcode, name, price, vat_rate) VALUES (?, ?, ?, ?)",
                               bc._catalogue_rows(rng, N_PRODUCTS))
    rows, debt_limits = bc._customer_rows(rng, N_CUSTOMERS, tz)
    for start in range(0, len(rows), BULK_CHUNK):
        with store.write():
            store.conn.executemany(
                "INSERT INTO customers(first_name, last_name, company, phone, email, card_code, note, debt_limit,"
                " created_at, updated_at, sort_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*r, sort_key(r[1], r[0], r[2])) for r in rows[start:start + BULK_CHUNK]])
    _analyze(store, "customers", "credit_ledger")
    ids = [r[0] for r in store.conn.execute("SELECT id FROM customers ORDER BY id")]
    t_customers = time.perf_counter() - t0
    # The ledger triggers check each running balance and move customers.balance (and, on PostgreSQL, the
    # one-row credit_outstanding totals, whose row versions pile up within a transaction: small transactions).
    entries = list(bc._ledger_rows(rng, N_ENTRIES, ids, dict(zip(ids, debt_limits)), manager.id, tz))
    for start in range(0, len(entries), LEDGER_CHUNK):
        with store.write():
            store.conn.executemany(
                "INSERT INTO credit_ledger(customer_id, kind, amount, method, sale_id, label, user_id, terminal,"
                " created_at, balance_after, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                entries[start:start + LEDGER_CHUNK])
        if start == 0:
            _analyze(store, "credit_ledger")
    t_ledger = time.perf_counter() - t0 - t_customers
    # Sales: ~900 a day over the days before today, one Z for each; today's bulk sales, then real ones.
    cat = bc.Catalogue.load(store.conn)
    _manager_id, user_ids = bc._users(store)
    today = store.clock().date()
    n_past = N_SALES - TODAY_BULK - SERVICE_SALES
    n_days = max(1, round(n_past / bc.SALES_PER_DAY))
    days = [today - timedelta(days=n_days - i) for i in range(n_days)]
    counts = [n_past // n_days + (1 if i < n_past % n_days else 0) for i in range(n_days)]
    plan = [(d, c, 8 * 3600, 19 * 3600 + 1800) for d, c in zip(days, counts)]
    plan.append((today, TODAY_BULK, 0, _today_seconds()))
    day_totals: dict[str, list[int]] = {}
    bc.SALES_CHUNK = SALES_CHUNK
    for chunk in bc._sales_chunks(rng, plan, 1, 1, cat, ids, user_ids, day_totals):
        bc._insert_sales(store, chunk)
    _ids_follow(store, "sales")
    with store.write():  # after the sales: the day_open triggers refuse a sale on a day that has a Z
        bc._insert_z_rows(store, [d.isoformat() for d in days], day_totals, manager.id)
    t_sales = time.perf_counter() - t0 - t_customers - t_ledger
    # The last rows go through the services, as a shop writes them.
    t1 = time.perf_counter()
    for i in range(SERVICE_CUSTOMERS):
        customers.create(ctx, {"first_name": rng.choice(bc.FIRST_NAMES), "last_name": rng.choice(bc._last_names()),
                               "phone": f"06{rng.randrange(10**8):08d}"})
    people = [r[0] for r in store.conn.execute("SELECT id FROM customers WHERE erased = 0 ORDER BY id")]
    for i in range(SERVICE_TOP_UPS):
        credit.top_up(ctx, rng.choice(people), rng.choice((2000, 5000, 10000)), rng.choice(("ESP", "CB")))
    products = [checkout.scan(store, r[0]).product for r in store.conn.execute(
        "SELECT barcode FROM products WHERE active = 1 ORDER BY id LIMIT 300")]
    room = [r[0] for r in store.conn.execute(
        "SELECT id FROM customers WHERE erased = 0 AND balance + debt_limit >= 20000 ORDER BY id LIMIT 5000")]
    for i in range(SERVICE_SALES):
        cart = Cart(customer_id=rng.choice(room) if i % 5 == 0 else None)
        for p in rng.sample(products, rng.randint(1, 4)):
            cart.add_product(p)
        method = "CRED" if cart.customer_id else rng.choice(("CB", "ESP"))
        checkout.close_sale(ctx, cart, [Tender(method, cart.total)])
    t_services = time.perf_counter() - t1
    _settle(store)
    counts_now = {t: store.scalar(f"SELECT count(*) FROM {t}") for t in
                  ("customers", "credit_ledger", "sales", "sale_lines", "products", "z_closings")}
    took = time.perf_counter() - t0
    log(f"  {store.engine}: shop built in {took:.0f} s (customers {t_customers:.0f} s, ledger {t_ledger:.0f} s, "
        f"sales {t_sales:.0f} s, services {t_services:.0f} s); {counts_now}")
    return {"seconds": took, "counts": counts_now}


def build_verify_store(store, log) -> dict:
    """~100k signed records: bulk rows signed in chain order as ``insert_signed`` signs them, then real sales."""
    import bench_counter as bc
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.payment import Tender
    from pos_tui.services import auth, checkout, credit, customers
    from pos_tui.services.context import Context
    from pos_tui.store import integrity

    t0 = time.perf_counter()
    rng = random.Random(SEED + 1)
    manager = auth.create_first_manager(store, bc.MANAGER_NAME, bc.MANAGER_PIN)
    ctx = Context(store, manager, terminal=1)
    with store.write():
        store.conn.executemany("INSERT INTO products(barcode, name, price, vat_rate) VALUES (?, ?, ?, ?)",
                               bc._catalogue_rows(rng, VERIFY_PRODUCTS))
    for _ in range(VERIFY_CUSTOMERS):
        c = customers.create(ctx, {"first_name": rng.choice(bc.FIRST_NAMES), "last_name": rng.choice(bc._last_names())})
        credit.top_up(ctx, c.id, 500_000, "CB")
    cat = store.query("SELECT id, barcode, name, price, vat_rate FROM products ORDER BY id")
    balances = {r["id"]: r["balance"] for r in store.query("SELECT id, balance FROM customers")}
    people = list(balances)
    key = integrity.load_key(store)
    canonical, mac = integrity.canonical, integrity._mac
    cols = integrity.SIGNED_COLUMNS
    day = store.clock().date().isoformat()
    stamp = store.now()

    def next_id(table: str) -> int:
        return (store.scalar(f"SELECT max(id) FROM {table}") or 0) + 1

    signed = store.scalar("SELECT count(*) FROM signatures")
    while signed < VERIFY_RECORDS - 6 * VERIFY_SERVICE_SALES:
        with store.write():
            prev = integrity.last_sig(store)
            sale_id, line_id, pay_id, entry_id = (next_id(t) for t in ("sales", "sale_lines", "sale_payments",
                                                                        "credit_ledger"))
            number = (store.scalar("SELECT max(number) FROM sales") or 0) + 1
            sales, lines, pays, entries, sigs = [], [], [], [], []

            def chain(table: str, values: tuple) -> None:
                nonlocal prev
                prev = mac(key, prev, canonical(table, dict(zip(cols[table], values))))
                sigs.append((table, values[0], prev))

            for _ in range(2_000):
                picked = rng.sample(cat, rng.randint(1, 4))
                sale_lines = []
                for no, p in enumerate(picked, 1):
                    qty = rng.choice((1, 1, 1, 2))
                    sale_lines.append((line_id, sale_id, no, "product", p["id"], p["barcode"], p["name"], qty,
                                       p["price"], p["vat_rate"], qty * p["price"], None, None))
                    line_id += 1
                total = sum(line[10] for line in sale_lines)
                customer = rng.choice(people) if rng.random() < 0.2 else None
                method = "CRED" if customer and balances[customer] >= total else rng.choice(("CB", "ESP"))
                sale = (sale_id, number, customer, manager.id, 1, stamp, day, total, 0, None)
                sales.append(sale)
                chain("sales", sale)
                for line in sale_lines:
                    lines.append(line)
                    chain("sale_lines", line)
                pay = (pay_id, sale_id, method, total)
                pays.append(pay)
                chain("sale_payments", pay)
                pay_id += 1
                if method == "CRED":
                    balances[customer] -= total
                    entry = (entry_id, customer, "sale_payment", -total, None, sale_id, "", manager.id, 1, stamp,
                             balances[customer], None, day, None)
                    entries.append(entry[:-1])
                    chain("credit_ledger", entry)
                    entry_id += 1
                sale_id += 1
                number += 1
            x = store.conn.executemany
            x("INSERT INTO sales(id, number, customer_id, user_id, terminal, created_at, business_day, total,"
              " change_given, voids_sale_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sales)
            x("INSERT INTO sale_lines(id, sale_id, line_no, kind, product_id, barcode, name, quantity, unit_price,"
              " vat_rate, total, voucher_id, returned_line_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", lines)
            x("INSERT INTO sale_payments(id, sale_id, method, amount) VALUES (?, ?, ?, ?)", pays)
            x("INSERT INTO credit_ledger(id, customer_id, kind, amount, method, sale_id, label, user_id, terminal,"
              " created_at, balance_after, idempotency_key, business_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
              " ?, ?)", entries)
            x("INSERT INTO signatures(table_name, record_id, sig) VALUES (?, ?, ?)", sigs)
        _ids_follow(store, "sales", "sale_lines", "sale_payments", "credit_ledger")
        _analyze(store, "credit_ledger", "signatures")
        signed = store.scalar("SELECT count(*) FROM signatures")
    t_bulk = time.perf_counter() - t0
    catalogue = [checkout.scan(store, p["barcode"]).product for p in cat[:300]]
    for i in range(VERIFY_SERVICE_SALES):  # the real services continue the chain the bulk rows made
        cart = Cart(customer_id=rng.choice(people) if i % 5 == 0 else None)
        for p in rng.sample(catalogue, 4):
            cart.add_product(p)
        checkout.close_sale(ctx, cart, [Tender("CRED" if cart.customer_id else "CB", cart.total)])
    _settle(store)
    n = store.scalar("SELECT count(*) FROM signatures")
    log(f"  {store.engine}: verify store built in {time.perf_counter() - t0:.0f} s (bulk {t_bulk:.0f} s); "
        f"{n:,} signed records")
    return {"seconds": time.perf_counter() - t0, "records": n}


# -- timing ----------------------------------------------------------------------------------------------------

def _pairs(stores: dict, rounds: int, fn, samples: dict) -> None:
    """``fn(engine, store)`` timed ``rounds`` times on each engine, alternating which goes first."""
    order = list(stores)
    for i in range(rounds):
        for engine in (order if i % 2 == 0 else order[::-1]):
            samples.setdefault(engine, []).append(benchlib.timed(fn, engine, stores[engine]))


def _figures(samples: dict[str, list[float]]) -> dict:
    s, p = Stat(samples["sqlite"]), Stat(samples["postgresql"])
    return {"sqlite": s.as_dict(), "postgresql": p.as_dict(), "ratio": p.median / s.median}


def measure(shops: dict, verify_stores: dict, rounds: int, log) -> dict:
    import bench_counter as bc
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.payment import Tender
    from pos_tui.services import auth, checkout, closing, customers
    from pos_tui.services import integrity as integrity_service
    from pos_tui.services.context import Context
    from pos_tui.store import integrity

    out: dict = {}
    ctxs, products, room = {}, {}, {}
    for engine, store in shops.items():
        manager = next(u for u in auth.list_users(store) if u.role == "manager")
        ctxs[engine] = Context(store, manager, terminal=1)
        products[engine] = [checkout.scan(store, r[0]).product for r in store.conn.execute(
            "SELECT barcode FROM products WHERE active = 1 ORDER BY id LIMIT 300")]
        room[engine] = [r[0] for r in store.conn.execute(
            "SELECT id FROM customers WHERE erased = 0 AND balance + debt_limit >= 20000 ORDER BY id LIMIT 5000")]
    assert room["sqlite"] == room["postgresql"], "the two shops differ"

    # Close a sale: the same carts (same products, same customers) on both engines.
    for method in ("CB", "CRED"):
        rng = random.Random(f"{SEED}-{method}")
        plans = []
        for _ in range(rounds + 3):
            lines = rng.sample(range(300), 3)
            plans.append((lines, rng.choice(room["sqlite"]) if method == "CRED" else None))
        it = {engine: iter(plans) for engine in shops}

        def close(engine: str, store, method=method) -> None:
            lines, customer = next(it[engine])
            cart = Cart(customer_id=customer)
            for i in lines:
                cart.add_product(products[engine][i])
            checkout.close_sale(ctxs[engine], cart, [Tender(method, cart.total)])

        warm: dict = {}
        _pairs(shops, 3, close, warm)
        samples: dict = {}
        _pairs(shops, rounds, close, samples)
        out[f"close_{method}"] = _figures(samples)
    # Customer search: every prefix, the same number of times on each engine.
    samples = {}
    per_prefix: dict[str, dict] = {}
    for prefix in bc.SEARCH_PREFIXES:
        hits = {engine: len(customers.search(store, prefix)) for engine, store in shops.items()}  # warm
        mine: dict = {}
        _pairs(shops, max(4, rounds // 6), lambda engine, store, q=prefix: customers.search(store, q), mine)
        per_prefix[prefix] = {engine: Stat(mine[engine]).median for engine in shops} | {"hits": hits}
        for engine in shops:
            samples.setdefault(engine, []).extend(mine[engine])
    out["search"] = _figures(samples) | {"prefixes": per_prefix}
    out["search"]["p95_ratio"] = out["search"]["postgresql"]["p95"] / out["search"]["sqlite"]["p95"]
    # The live X of today.
    days = {engine: closing.business_day(store) for engine, store in shops.items()}
    for engine, store in shops.items():
        closing.summary(store, days[engine])
    samples = {}
    _pairs(shops, max(10, rounds // 3), lambda engine, store: closing.summary(store, days[engine]), samples)
    out["x"] = _figures(samples) | {"sales_today": {e: s.scalar("SELECT count(*) FROM sales WHERE business_day = ?",
                                                                 (days[e],)) for e, s in shops.items()}}
    # verify: the chain walk (records/s) and the whole quick check.
    walks: dict = {}
    problems: dict = {}

    def walk(engine: str, store) -> None:
        problems[engine] = integrity.verify_chain(store)

    _pairs(verify_stores, 3, walk, walks)
    for engine, found in problems.items():
        if found:
            log(f"  verify on {engine} found problems: {found[:3]}")
    checks: dict = {}
    _pairs(verify_stores, 2, lambda engine, store: integrity_service.problems(store, quick=True), checks)
    records = {e: s.scalar("SELECT count(*) FROM signatures") for e, s in verify_stores.items()}
    rates = {e: sorted(records[e] / (ms / 1000.0) for ms in walks[e]) for e in verify_stores}
    out["verify"] = {"records": records, "walk_ms": {e: Stat(w).as_dict() for e, w in walks.items()},
                     "records_per_s": {e: r[len(r) // 2] for e, r in rates.items()},
                     "records_per_s_all": rates, "check_ms": {e: Stat(c).as_dict() for e, c in checks.items()},
                     "problems": {e: len(p) for e, p in problems.items()}}
    out["verify"]["ratio"] = out["verify"]["records_per_s"]["postgresql"] / out["verify"]["records_per_s"]["sqlite"]
    out["verify"]["check_ratio"] = (out["verify"]["check_ms"]["postgresql"]["median"]
                                    / out["verify"]["check_ms"]["sqlite"]["median"])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=60, help="sales closed per method and engine")
    ap.add_argument("--keep", action="store_true", help="leave the stores and the stopped cluster's files")
    ap.add_argument("--scale", type=float, default=1.0, help="data set size factor (a quick try: 0.05)")
    args = ap.parse_args(argv)
    if args.scale != 1.0:
        global N_CUSTOMERS, N_ENTRIES, N_SALES, VERIFY_RECORDS
        N_CUSTOMERS, N_ENTRIES = int(N_CUSTOMERS * args.scale), int(N_ENTRIES * args.scale)
        N_SALES, VERIFY_RECORDS = int(N_SALES * args.scale), int(VERIFY_RECORDS * args.scale)
    log = lambda m: print(m, flush=True)  # noqa: E731
    bindir = pg_cluster.pg_bindir()
    if bindir is None:
        log("PostgreSQL server binaries (initdb, pg_ctl) not found: skipped")
        return 2
    try:
        import psycopg  # noqa: F401
    except ImportError:
        log("psycopg is not installed: skipped")
        return 2
    load_start = benchlib.load_avg()
    t0 = time.perf_counter()
    # In the data folder, on the same disk for both engines (not /dev/shm: fsync must reach a disk).
    folder = Path(tempfile.mkdtemp(prefix="pg-vs-sqlite-", dir=benchlib.data_dir()))
    os.environ["POS_TUI_PG_FILES"] = str(folder / "pg-files")  # PostgreSQL stores' keys and anchor logs
    lite = folder / "sqlite"
    lite.mkdir(mode=0o700)
    cluster = Cluster(bindir, folder)
    opened: list = []
    try:
        cluster.start()
        log(f"PostgreSQL {cluster.version} on 127.0.0.1:{cluster.port} ({cluster.settings}); SQLite "
            f"{sqlite3.sqlite_version}; in {folder}")
        from pos_tui.services.context import open_store

        shops, verify_stores, built, targets = {}, {}, {}, {}
        for engine, shop_target, verify_target in (
                ("sqlite", str(lite / "shop.db"), str(lite / "verify.db")),
                ("postgresql", cluster.create_database("shop"), cluster.create_database("verify"))):
            targets[engine] = (shop_target, verify_target)
            built[engine] = {}
            for kind, target, build in (("shop", shop_target, build_shop),
                                        ("verify", verify_target, build_verify_store)):
                # Built without waiting for the disk (a data set, not a shop), reopened as the app opens it.
                store = open_store(target)
                try:
                    store.skip_fsync()
                    built[engine][kind] = build(store, log)
                finally:
                    store.close()
        for engine, (shop_target, verify_target) in targets.items():
            shops[engine] = open_store(shop_target)
            opened.append(shops[engine])
            verify_stores[engine] = open_store(verify_target)
            opened.append(verify_stores[engine])
        generated_s = time.perf_counter() - t0
        same = all(built["sqlite"][k].get("counts", built["sqlite"][k].get("records"))
                   == built["postgresql"][k].get("counts", built["postgresql"][k].get("records"))
                   for k in ("shop", "verify"))
        if not same:
            log(f"  the two engines' data differ: {built}")
        log(f"data ready in {generated_s:.0f} s")
        result = measure(shops, verify_stores, args.rounds, log)
    finally:
        for store in opened:
            try:
                store.close()
            except Exception:  # noqa: BLE001 - closing on the way out: the cluster stops next
                pass
        cluster.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    for key in ("close_CB", "close_CRED", "search", "x"):
        r = result[key]
        log(f"{key}: SQLite median {r['sqlite']['median']:.2f} ms (p5 {r['sqlite']['p5']:.2f}, p95 "
            f"{r['sqlite']['p95']:.2f}), PostgreSQL median {r['postgresql']['median']:.2f} ms (p5 "
            f"{r['postgresql']['p5']:.2f}, p95 {r['postgresql']['p95']:.2f}): {r['ratio']:.2f}x")
    for prefix, r in result["search"]["prefixes"].items():
        log(f"  search {prefix!r}: SQLite {r['sqlite']:.2f} ms, PostgreSQL {r['postgresql']:.2f} ms, hits {r['hits']}")
    v = result["verify"]
    log(f"verify chain walk: SQLite {v['records_per_s']['sqlite']:,.0f} records/s, PostgreSQL "
        f"{v['records_per_s']['postgresql']:,.0f} records/s ({v['ratio']:.2f}x); records {v['records']}; "
        f"whole quick check {v['check_ms']['sqlite']['median']:.0f} vs {v['check_ms']['postgresql']['median']:.0f} ms")
    write_result("pg", {**result, "built": built, "same_data": same, "generated_s": generated_s, "total_s": time.perf_counter() - t0,
                        "pg_version": cluster.version, "pg_settings": cluster.settings,
                        "sqlite_version": sqlite3.sqlite_version, "load_start": load_start,
                        "load_end": benchlib.load_avg(),
                        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
