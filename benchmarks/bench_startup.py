"""Start-up to the login screen: ``pos-tui --db FILE`` vs a bare Textual app, many interleaved runs.

Each run is a fresh interpreter (``startup_probe.py``) timed from spawn to exit; the two
kinds alternate so that load from other processes falls on both alike. Bytecode is
compiled once before timing (as an installed package has it).

    python benchmarks/bench_startup.py [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time

import benchlib
from benchlib import Stat, write_result

PROBE = str(benchlib.HERE / "startup_probe.py")


def _store() -> str:
    """A small shop (demo-sized) to log into; the file is reused."""
    from pos_tui.services import auth
    from pos_tui.store.db import Store

    path = benchlib.data_dir() / "startup.db"
    store = Store(path)
    if not auth.list_users(store):
        auth.create_first_manager(store, "Marie", "123456")
    store.close()
    return str(path)


def _env() -> dict:
    # Bytecode as an installed package has it: PYTHONDONTWRITEBYTECODE (set in some shells and CI) would
    # make every run recompile pos_tui from source; the cache goes to the data folder, not the checkout.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(TEXTUAL_ANIMATIONS="none", PYTHONPYCACHEPREFIX=str(benchlib.data_dir() / "pycache"))
    return env


def _once(args: list[str]) -> tuple[float, float]:
    """Wall milliseconds from spawn to exit, and the CPU milliseconds the run used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, PROBE, *args], check=True, env=_env(), stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    wall = (time.perf_counter() - t) * 1000.0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args(argv)
    db = _store()
    app_args, bare_args = ["app", db], ["bare"]
    for _ in range(2):  # compile bytecode, warm the page cache
        _once(app_args)
        _once(bare_args)
    app, bare = [], []
    for i in range(args.runs):
        if i % 2:
            bare.append(_once(bare_args))
            app.append(_once(app_args))
        else:
            app.append(_once(app_args))
            bare.append(_once(bare_args))
    a, b = Stat([w for w, _c in app]), Stat([w for w, _c in bare])
    pair = Stat([x[0] / y[0] for x, y in zip(app, bare)])
    ac, bc = Stat([c for _w, c in app]), Stat([c for _w, c in bare])
    print(f"startup: app median {a.median:.0f} ms (p5 {a.p5:.0f}, p95 {a.p95:.0f}), bare {b.median:.0f} ms "
          f"(p5 {b.p5:.0f}, p95 {b.p95:.0f}); ratio of medians {a.median / b.median:.2f}x, per-pair median "
          f"{pair.median:.2f}x (p25 {pair.p25:.2f}, p75 {pair.p75:.2f}); CPU {ac.median:.0f} vs {bc.median:.0f} ms "
          f"({ac.median / bc.median:.2f}x)", flush=True)
    write_result("startup", {"app": a.as_dict(), "bare": b.as_dict(), "ratio": a.median / b.median,
                             "pair_ratio": pair.as_dict(), "app_cpu": ac.as_dict(), "bare_cpu": bc.as_dict(),
                             "cpu_ratio": ac.median / bc.median})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
