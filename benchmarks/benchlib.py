"""Shared pieces of the benchmarks: the cached data set, statistics and result files.

The big store (100k customers, 1M ledger entries, 20k products, 1M sales over ~3 years)
is generated once by ``bench_counter``'s generators into the data folder and reused;
benchmarks that write (close a sale, Z) work on a copy so the cached file never moves.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# The code under test: this checkout's src/, or POS_BENCH_SRC (to measure another version on the same data).
sys.path.insert(0, os.environ.get("POS_BENCH_SRC") or str(HERE.parent / "src"))

N_CUSTOMERS = 100_000
N_ENTRIES = 1_000_000
N_SALES = 1_000_000
N_PRODUCTS = 20_000


def data_dir() -> Path:
    path = Path(os.environ.get("POS_BENCH_DATA", "/tmp/pos-bench"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def big_store(log=print) -> Path:
    """The 1M-sales store, generated on first use (about 3-4 minutes on 2 cores)."""
    import bench_counter as bc

    path = data_dir() / "big.db"
    ok, why = bc._dataset_ok(path, N_CUSTOMERS, N_ENTRIES)
    if not ok:
        log(f"generating customers + ledger ({why})")
        bc.build_dataset(path, N_CUSTOMERS, N_ENTRIES)
    ok, why, there = bc._sales_ok(path, N_SALES, N_PRODUCTS)
    if not ok:
        if there:
            bc.build_dataset(path, N_CUSTOMERS, N_ENTRIES)
        log(f"generating sales ({why})")
        bc.build_sales(path, N_SALES, N_PRODUCTS)
    log(bc.refresh_days(path))
    return path


def work_copy(src: Path, name: str) -> Path:
    """A throw-away copy of ``src`` (the writing benchmarks append to it)."""
    conn = sqlite3.connect(str(src))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    dst = data_dir() / name
    for suffix in ("", "-wal", "-shm", "-journal", ".key"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    key = Path(str(src) + ".key")
    if key.exists():
        shutil.copyfile(key, str(dst) + ".key")
        os.chmod(str(dst) + ".key", 0o600)
    return dst


class Stat:
    """Median and spread (p5..p95, IQR) of samples in milliseconds (or any unit)."""

    def __init__(self, samples: list[float]) -> None:
        s = sorted(samples)
        self.samples = s
        self.n = len(s)
        self.median = statistics.median(s)
        self.p5 = _pct(s, 5)
        self.p25 = _pct(s, 25)
        self.p75 = _pct(s, 75)
        self.p95 = _pct(s, 95)
        self.min, self.max = s[0], s[-1]

    def as_dict(self) -> dict:
        return {"n": self.n, "median": self.median, "p5": self.p5, "p25": self.p25, "p75": self.p75,
                "p95": self.p95, "min": self.min, "max": self.max}


def _pct(s: list[float], p: float) -> float:
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - t) * 1000.0


def write_result(name: str, result: dict) -> None:
    """Each benchmark prints one JSON line prefixed ``RESULT`` for run_all.py to collect."""
    print("RESULT " + json.dumps({"name": name, **result}), flush=True)


def load_avg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"
