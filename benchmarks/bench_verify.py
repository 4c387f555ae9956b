"""``pos-tui verify`` on a store of at least 500,000 signed records built through the real services.

The store (built once, cached): 300 customers with credit, 2,000 products, and sales of four
scanned lines closed by ``checkout.close_sale`` (sale, 4 lines, payment: 6 signed records,
plus a ledger entry when paid on credit), with top-ups along the way. The build turns
``synchronous`` off on its own connection (it is a data set, not a shop: nothing else changes).

Timed: the chain walk alone (``integrity.verify_chain``: signed records per second), then the
whole command in a fresh process, with and without ``--quick`` (which skips SQLite's
page-level integrity check).

    python benchmarks/bench_verify.py [--records 500000]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time

import benchlib
from benchlib import write_result

PIN = "123456"


def build(path, records: int, log) -> None:
    import bench_counter as bc
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.payment import Tender
    from pos_tui.services import auth, checkout, credit, customers, products
    from pos_tui.services.context import Context
    from pos_tui.store.db import Store

    store = Store(path)
    have = store.scalar("SELECT count(*) FROM signatures")
    if have >= records and not store.get_setting("integrity_baseline"):
        store.close()
        return
    t0 = time.perf_counter()
    store.conn.execute("PRAGMA synchronous = OFF")
    users = auth.list_users(store)
    manager = users[0] if users else auth.create_first_manager(store, "Gérante Verify", PIN)
    ctx = Context(store, manager)
    rng = random.Random(3)
    if not store.scalar("SELECT count(*) FROM products"):
        for code, name, price, rate in bc._catalogue_rows(rng, 2000):
            products.create(ctx, code, name, price, rate)
        for i in range(300):
            c = customers.create(ctx, {"first_name": rng.choice(bc.FIRST_NAMES), "last_name": rng.choice(bc._last_names())})
            credit.top_up(ctx, c.id, 500_000, "CB")
    catalogue = [checkout.scan(store, r[0]).product for r in store.conn.execute("SELECT barcode FROM products")]
    people = [r[0] for r in store.conn.execute("SELECT id FROM customers")]
    n = 0
    if store.get_setting("integrity_baseline"):  # a store from before the journal was chained: sign it now
        credit.top_up(ctx, people[0], 100, "ESP")
        have = store.scalar("SELECT count(*) FROM signatures")
    while have < records:
        cart = Cart()
        for p in rng.sample(catalogue, 4):
            cart.add_product(p)
        if rng.random() < 0.2:
            cart.customer_id = rng.choice(people)
            checkout.close_sale(ctx, cart, [Tender("CRED", cart.total)])
        else:
            checkout.close_sale(ctx, cart, [Tender(rng.choice(("CB", "ESP")), cart.total)])
        n += 1
        if n % 500 == 0:
            credit.top_up(ctx, rng.choice(people), 200_000, "CB")  # cash above 1 000 € needs a manager's PIN
            have = store.scalar("SELECT count(*) FROM signatures")
            if n % 20_000 == 0:
                log(f"  {have:,} signed records ({time.perf_counter() - t0:.0f} s)")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    log(f"  verify store built: {have:,} signed records in {time.perf_counter() - t0:.0f} s")


def _cli(path, *extra) -> tuple[float, int, str]:
    src = os.environ.get("POS_BENCH_SRC") or str(benchlib.HERE.parent / "src")
    env = {**os.environ, "PYTHONPATH": src}
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pos_tui", "--lang", "en", "--db", str(path), "verify", *extra],
                          env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000.0, proc.returncode, (proc.stdout + proc.stderr).strip()[-300:]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=500_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--build-only", action="store_true", help="build (or check) the verify store, measure nothing")
    args = ap.parse_args(argv)
    log = lambda m: print(m, flush=True)  # noqa: E731
    path = benchlib.data_dir() / "verify.db"
    build(path, args.records, log)
    if args.build_only:
        return 0

    from pos_tui.store import integrity
    from pos_tui.store.db import Store

    store = Store(path)
    n = store.scalar("SELECT count(*) FROM signatures")
    walks, cpus = [], []
    for _ in range(args.reps):
        t, c, r0 = time.perf_counter(), time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
        problems = integrity.verify_chain(store)
        walks.append(time.perf_counter() - t)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the worker processes' CPU
        cpus.append(time.process_time() - c + r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        assert not problems, problems[:3]
    store.close()
    best = min(walks)
    rates = sorted(n / w for w in walks)
    log(f"verify chain walk: {n:,} signed records, median {sorted(walks)[len(walks) // 2]:.2f} s, "
        f"best {best:.2f} s -> {rates[len(rates) // 2]:,.0f} records/s (median)")
    full_ms, rc_full, out_full = _cli(path)
    quick = None
    if "--quick" in subprocess.run([sys.executable, "-m", "pos_tui", "verify", "--help"], capture_output=True,
                                   text=True, env={**os.environ, "PYTHONPATH": os.environ.get("POS_BENCH_SRC") or
                                                   str(benchlib.HERE.parent / "src")}).stdout:
        quick = _cli(path, "--quick")
    log(f"pos-tui verify: {full_ms / 1000:.1f} s (exit {rc_full})" +
        (f"; --quick: {quick[0] / 1000:.1f} s (exit {quick[1]})" if quick else "; no --quick option"))
    per_cpu = sorted(n / c for c in cpus)[len(cpus) // 2]
    log(f"  per CPU-second: {per_cpu:,.0f} records (all processes); workers: {integrity.PARALLEL_FROM:,}+ records "
        f"-> {min(os.cpu_count() or 1, 4)}")
    write_result("verify", {"records": n, "walk_s": walks, "records_per_s": rates[len(rates) // 2],
                            "records_per_cpu_s": per_cpu, "workers": min(os.cpu_count() or 1, 4),
                            "records_per_s_all": rates, "cli_s": full_ms / 1000, "cli_exit": rc_full,
                            "cli_quick_s": quick[0] / 1000 if quick else None,
                            "cli_quick_exit": quick[1] if quick else None, "cli_tail": out_full})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
