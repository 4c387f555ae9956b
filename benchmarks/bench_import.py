"""Import benchmark (issue 12): a big customer import must not freeze the tills.

Imports a generated CSV of customers (200,000 rows by default) through the real service
(``importer.import_customers``: a checking pass without the write lock, then short write
chunks) while another process closes cash sales through ``checkout.close_sale`` as fast as
it can, as a till would. Prints how long the import took, the importer's peak memory, how
many sales closed meanwhile and how long the longest of them waited; the target is a
longest wait under one second (a till's busy timeout is 8 s). A report, not a test: it
always exits 0.

    .venv/bin/python benchmarks/bench_import.py [--rows 200000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pos_tui.services import auth  # noqa: E402
from pos_tui.services.context import Context  # noqa: E402
from pos_tui.store import Store  # noqa: E402

MANAGER, PIN = "Bench", "246810"


def write_csv(path: Path, rows: int) -> None:
    firsts = ["Hélène", "Claire", "Louis", "Sofia", "Jérôme", "Françoise", "Ana", "Paul", "Zoé", "Marc"]
    lasts = ["Dubois", "Martin", "Lefèvre", "Martinez", "Lemaître", "Roux", "Petit", "Durand", "Moreau", "Simon"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["first_name", "last_name", "company", "phone", "email", "card_code", "note", "debt_limit"])
        for i in range(rows):
            w.writerow([firsts[i % 10], f"{lasts[i % 10]}{i}", "" if i % 7 else f"SARL {i}",
                        f"06{i:08d}", f"client{i}@example.fr", f"IMP{i:08d}", "" if i % 5 else "fidèle",
                        "" if i % 3 else "50"])


def till(db_path: str, user_id: int, ready, stop, results) -> None:
    """A till closing one cash sale after another; reports each close_sale's duration."""
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.payment import Tender
    from pos_tui.services import checkout
    from pos_tui.store import users as users_store

    store = Store(db_path)
    ctx = Context(store, users_store.by_id(store, user_id), terminal=2)
    waits: list[float] = []
    ready.set()
    while not stop.is_set():
        cart = Cart()
        cart.add_free("Pain", 120, 550)
        started = time.perf_counter()
        checkout.close_sale(ctx, cart, [Tender("ESP", 120)])
        waits.append(time.perf_counter() - started)
        time.sleep(0.02)  # a cashier's pace would be far slower; this keeps the lock contended
    store.close()
    results.put(waits)


def run_import(db_path: str, csv_path: str, results) -> None:
    """The manager's import, in its own process so its peak memory is its own."""
    from pos_tui.services import importer
    from pos_tui.store import users as users_store

    store = Store(db_path)
    ctx = Context(store, users_store.by_name(store, MANAGER)[0], terminal=1)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    report = importer.import_customers(ctx, csv_path)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    store.close()
    results.put((report.imported, report.error_count, elapsed, base, peak))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="pos-tui-bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        db_path, csv_path = folder / "shop.db", folder / "customers.csv"
        for p in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm"), Path(f"{db_path}.key")):
            p.unlink(missing_ok=True)
        store = Store(db_path)
        manager = auth.create_first_manager(store, MANAGER, PIN)
        cashier = auth.create_user(Context(store, manager, 1), "Till", "1357", "cashier")
        store.close()
        t0 = time.perf_counter()
        write_csv(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 1e6
        print(f"CSV: {args.rows:,} rows, {size_mb:.1f} MB (written in {time.perf_counter() - t0:.1f} s)")

        mp = multiprocessing.get_context("spawn")
        ready, stop, results = mp.Event(), mp.Event(), mp.Queue()
        till_proc = mp.Process(target=till, args=(str(db_path), cashier.id, ready, stop, results))
        till_proc.start()
        ready.wait(60)
        import_results = mp.Queue()
        importer_proc = mp.Process(target=run_import, args=(str(db_path), str(csv_path), import_results))
        importer_proc.start()
        imported, errors, elapsed, base_kb, peak_kb = import_results.get()
        importer_proc.join()
        stop.set()
        waits = results.get()
        till_proc.join()

        waits_ms = sorted(w * 1000 for w in waits)
        p99 = waits_ms[int(len(waits_ms) * 0.99) - 1] if len(waits_ms) >= 100 else waits_ms[-1]
        print(f"Import: {imported:,} customers ({errors} bad rows) in {elapsed:.1f} s "
              f"({imported / elapsed:,.0f} rows/s)")
        print(f"Importer peak memory: {peak_kb / 1024:.0f} MB (after start-up: {base_kb / 1024:.0f} MB)")
        print(f"Sales closed by the other process meanwhile: {len(waits_ms):,}")
        print(f"close_sale: median {statistics.median(waits_ms):.0f} ms, p99 {p99:.0f} ms, "
              f"longest {waits_ms[-1]:.0f} ms")
        verdict = "OK" if waits_ms[-1] < 1000 else "TOO SLOW"
        print(f"Longest wait of a sale: {waits_ms[-1] / 1000:.2f} s (target < 1 s): {verdict}")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
