"""Z at 1M sales, and the live X as customers grow from 100k to 1M.

Z: on a copy of the 1M-sales store (1,111 Z rows behind it), each round moves the clock one
day on, bulk-inserts a day of ~900 sales and times ``closing.close_day`` (the summary, the
numbered, signed Z row). The same is done on a store holding a single day of history: the
ratio of the two medians says whether the Z depends on the length of the history.

X: ``closing.summary`` of the current day on the 1M-sales store (100k customers), then on a
copy with 900k more customers (1M), built once and cached.

    python benchmarks/bench_closing.py [--days 12] [--x-reps 30]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import datetime, time as dtime, timedelta
from pathlib import Path

import benchlib
from benchlib import Stat, write_result

MORE_CUSTOMERS = 900_000


def _z_rounds(path: Path, days: int, log, cpu_samples: list[float] | None = None) -> list[float]:
    import bench_counter as bc
    from pos_tui.services import auth, closing
    from pos_tui.services.context import Context
    from pos_tui.store.db import Store

    store = Store(path)
    manager = next(u for u in auth.list_users(store) if u.role == "manager")
    ctx = Context(store, manager, terminal=1)
    _, user_ids = bc._users(store)
    if store.scalar("SELECT 1 FROM z_closings WHERE figures = '{}' LIMIT 1"):
        # The generated history's Z rows carry no figures, so the monthly closings a Z makes at a month's
        # end (issue 15: summed from the month's Z figures) cannot be computed on it: timed without them.
        from pos_tui.services import periods

        periods.close_due = lambda ctx: []
    cat = bc.Catalogue.load(store.conn)
    lo_c, hi_c = store.conn.execute("SELECT min(id), max(id) FROM customers").fetchone()
    customer_ids = list(range(lo_c, hi_c + 1))
    rng = random.Random(99)
    tz = datetime.now().astimezone().tzinfo
    samples: list[float] = []
    cpu_samples = [] if cpu_samples is None else cpu_samples  # CPU ms of this process (load and fsync waits left out)
    day = datetime.fromisoformat(closing.business_day(store)).date()
    for i in range(days + 1):
        store.clock = lambda d=day: datetime.combine(d, dtime(20, 0), tz)
        first_id = (store.scalar("SELECT max(id) FROM sales") or 0) + 1
        first_no = (store.scalar("SELECT max(number) FROM sales") or 0) + 1
        if not store.scalar("SELECT 1 FROM sales WHERE business_day = ?", (day.isoformat(),)):
            for chunk in bc._sales_chunks(rng, [(day, bc.SALES_PER_DAY, 8 * 3600, 19 * 3600)], first_id, first_no,
                                          cat, customer_ids, user_ids, {}):
                bc._insert_sales(store, chunk)
        cpu = time.process_time()
        ms = benchlib.timed(closing.close_day, ctx)
        cpu = (time.process_time() - cpu) * 1000.0
        if i:  # the first Z warms the caches
            samples.append(ms)
            cpu_samples.append(cpu)
        day += timedelta(days=1)
    store.close()
    return samples


def _small_store(log) -> Path:
    """A store with the same catalogue size but one day of history."""
    import bench_counter as bc

    path = benchlib.data_dir() / "small.db"
    ok, _why = bc._dataset_ok(path, 1000, 1000)
    if not ok:
        bc.build_dataset(path, 1000, 1000)
    ok, _why, there = bc._sales_ok(path, bc.SALES_PER_DAY, benchlib.N_PRODUCTS)
    if not ok:
        if there:
            bc.build_dataset(path, 1000, 1000)
        bc.build_sales(path, bc.SALES_PER_DAY, benchlib.N_PRODUCTS)
    bc.refresh_days(path)
    return path


def _million_customers(base: Path, log) -> Path:
    """The big store plus 900k customers (real schema: search index and triggers), cached."""
    import sqlite3

    from pos_tui.store.db import Store

    path = benchlib.data_dir() / "big-1m-customers.db"
    if path.exists():
        conn = sqlite3.connect(str(path))
        n = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
        conn.close()
        if n >= benchlib.N_CUSTOMERS + MORE_CUSTOMERS:
            return path
    t0 = time.perf_counter()
    tmp = benchlib.work_copy(base, "big-1m-customers.building")
    store = Store(tmp)
    rng = random.Random(7)
    import bench_counter as bc

    firsts, lasts = bc.FIRST_NAMES, bc._last_names()
    for start in range(0, MORE_CUSTOMERS, 100_000):
        rows = [(rng.choice(firsts), rng.choice(lasts), f"06{rng.randrange(10**8):08d}", f"MC{start + i:07d}",
                 "2025-01-01T10:00:00+01:00", "2025-01-01T10:00:00+01:00") for i in range(100_000)]
        with store.write():
            store.conn.executemany("INSERT INTO customers(first_name, last_name, phone, card_code, created_at,"
                                   " updated_at) VALUES (?, ?, ?, ?, ?, ?)", rows)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    tmp.rename(path)
    log(f"  900k customers added in {time.perf_counter() - t0:.0f} s")
    return path


def _x(path: Path, reps: int) -> tuple[list[float], int]:
    from pos_tui.services import closing
    from pos_tui.store.db import Store

    store = Store(path)
    day = closing.business_day(store)
    closing.summary(store, day)
    samples = [benchlib.timed(closing.summary, store, day) for _ in range(reps)]
    n = store.scalar("SELECT count(*) FROM customers")
    store.close()
    return samples, n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=12)
    ap.add_argument("--x-reps", type=int, default=30)
    args = ap.parse_args(argv)
    log = lambda m: print(m, flush=True)  # noqa: E731

    base = benchlib.big_store(log)
    x_big, n_big = _x(base, args.x_reps)
    x_1m, n_1m = _x(_million_customers(base, log), args.x_reps)
    z_big_cpu: list[float] = []
    z_small_cpu: list[float] = []
    z_big = _z_rounds(benchlib.work_copy(base, "z.db"), args.days, log, z_big_cpu)
    z_small = _z_rounds(benchlib.work_copy(_small_store(log), "z-small.db"), args.days, log, z_small_cpu)
    out = {"x_100k": Stat(x_big).as_dict(), "x_1m": Stat(x_1m).as_dict(), "customers": [n_big, n_1m],
           "z_1m_sales": Stat(z_big).as_dict(), "z_one_day": Stat(z_small).as_dict(),
           "z_1m_sales_cpu": Stat(z_big_cpu).as_dict(), "z_one_day_cpu": Stat(z_small_cpu).as_dict()}
    out["z_history_ratio"] = out["z_1m_sales"]["median"] / out["z_one_day"]["median"]
    out["x_growth_ratio"] = out["x_1m"]["median"] / out["x_100k"]["median"]
    for key in ("x_100k", "x_1m", "z_1m_sales", "z_one_day", "z_1m_sales_cpu", "z_one_day_cpu"):
        s = out[key]
        log(f"{key}: median {s['median']:.2f} ms (p5 {s['p5']:.2f}, p95 {s['p95']:.2f}, n={s['n']})")
    log(f"Z 1M-sales / one-day store: {out['z_history_ratio']:.2f}x; X 1M / 100k customers: "
        f"{out['x_growth_ratio']:.2f}x")
    write_result("closing", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
