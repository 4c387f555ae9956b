"""The counter's screens through Pilot, each action beside the same action in a bare Textual app.

- scan: CPU per product scan in the checkout (120x36), 100 scans into one sale; the bare app
  appends one row to a DataTable per Enter. Per scan: process CPU time from the first key of the
  barcode to the screen refreshed. Flatness: median of scans 91-100 over scans 1-10.
- search: per keystroke in the customer lookup (1M-sales store, 100k customers), key -> results
  table refilled and painted (wall). The bare app refills the same table with the same rows.
- f9: F9 -> closing screen painted (wall and CPU), first open of a fresh app left idle after the login (the app
  builds the screen in the background: that build's CPU is reported) and re-opens; the cold first open (F9 right
  after the login) too; X computations counted per open (``closing.summary`` calls). In turns with a bare app showing the same summary tables in a
  screen of five tabs (CPU, first open and re-opens).
- memory: RSS after paging a 20,000-entry credit history with PgDn (own process), against a
  bare app holding a DataTable of the same column layout.

    python benchmarks/bench_ui.py [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time

import benchlib
from benchlib import Stat, write_result

SIZE = (120, 36)


def _rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _manager(store):
    from pos_tui.services import auth

    return next(u for u in auth.list_users(store) if u.role == "manager")


def _app(path):
    from pos_tui.printing.connection import PrinterTarget
    from pos_tui.store.db import Store
    from pos_tui.ui.app import PosApp

    store = Store(path)
    return PosApp(store=store, terminal=1, printer=PrinterTarget("none")), store


def _send(app, *keys: str) -> None:
    """Keys as a scanner or a typist sends them: posted at once, without Pilot's wait for idle after each
    (which under load takes far longer than the work measured)."""
    from textual import events

    for key in keys:
        char = " " if key == "space" else (key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def _until(pilot, done, timeout: float = 30.0) -> None:
    """Let the app run until ``done()``, then one more refresh: the result is painted."""
    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("the screen did not get there")
        await asyncio.sleep(0.0005)
    await pilot.pause()


# -- bare apps ---------------------------------------------------------------------------------------

def _bare_scan_app():
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header, Input

    class BareScan(App):
        def compose(self):
            yield Header()
            yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
            yield Input(id="scan")
            yield Footer()

        def on_mount(self):
            self.query_one(DataTable).add_columns("Article", "Qty", "Unit price", "Total")
            self.query_one(Input).focus()

        def on_input_submitted(self, event):
            table = self.query_one(DataTable)
            table.add_row(event.value, "1", "1,00 €", "1,00 €")
            table.move_cursor(row=table.row_count - 1)
            event.input.value = ""

    return BareScan()


def _bare_search_app(results: dict[str, list[tuple]]):
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header, Input, Static

    class BareSearch(App):
        def compose(self):
            yield Header()
            yield Input(id="search")
            yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
            yield Static("", id="status")
            yield Footer()

        def on_mount(self):
            self.query_one(DataTable).add_columns("Name", "Company", "Phone", "Card", "Balance")
            self.query_one(Input).focus()

        def on_input_changed(self, event):
            table = self.query_one(DataTable)
            table.clear()
            rows = results.get(event.value, [])
            for row in rows:
                table.add_row(*row)
            table.move_cursor(row=0)
            self.query_one("#status", Static).update(f"{len(rows)} customers")

    return BareSearch()


# -- scan ------------------------------------------------------------------------------------------

async def _scan_round(app, codes: list[str], is_bare: bool) -> tuple[list[float], list[float]]:
    cpu, wall = [], []
    async with app.run_test(size=SIZE) as pilot:
        if not is_bare:
            app.logged_in(_manager(app.store))
            await pilot.pause()
            await pilot.press("f3")
            await pilot.pause()
            assert type(app.screen).__name__ == "CheckoutScreen", type(app.screen).__name__
        await pilot.pause()
        table = app.screen.query_one("#lines")
        for code in codes:
            rows = table.row_count
            c, t = time.process_time(), time.perf_counter()
            _send(app, *code, "enter")
            await _until(pilot, lambda: table.row_count > rows)
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - t) * 1000)
    return cpu, wall


def bench_scan(path, rounds: int, log) -> dict:
    from pos_tui.store.db import Store

    store = Store(path)
    codes = [r[0] for r in store.conn.execute("SELECT barcode FROM products ORDER BY id LIMIT 2000")]
    store.close()
    rng = random.Random(5)
    app_cpu = [[] for _ in range(100)]
    bare_cpu = [[] for _ in range(100)]
    for r in range(rounds):
        sale = rng.sample(codes, 100)  # 100 different products: 100 lines
        app, store = _app(path)
        cpu, _wall = asyncio.run(_scan_round(app, sale, False))
        store.close()
        for i, v in enumerate(cpu):
            app_cpu[i].append(v)
        cpu, _wall = asyncio.run(_scan_round(_bare_scan_app(), sale, True))
        for i, v in enumerate(cpu):
            bare_cpu[i].append(v)
        log(f"  scan round {r + 1}: app median {statistics.median(sum(app_cpu, [])):.1f} ms CPU")
    flat_app = Stat([v for vs in app_cpu for v in vs])
    flat_bare = Stat([v for vs in bare_cpu for v in vs])

    def at(lines, lo, hi):
        return statistics.median([v for vs in lines[lo:hi] for v in vs])

    out = {"app_cpu": flat_app.as_dict(), "bare_cpu": flat_bare.as_dict(), "ratio": flat_app.median / flat_bare.median,
           "at_lines": {n: {"app": at(app_cpu, lo, hi), "bare": at(bare_cpu, lo, hi)}
                        for n, (lo, hi) in {"1": (0, 10), "50": (45, 55), "100": (90, 100)}.items()},
           "p95_by_decile": [Stat([v for vs in app_cpu[d * 10:(d + 1) * 10] for v in vs]).p95 for d in range(10)]}
    out["flatness"] = out["at_lines"]["100"]["app"] / out["at_lines"]["1"]["app"]
    log(f"scan: app p50 {flat_app.median:.1f} / p95 {flat_app.p95:.1f} ms CPU, bare p50 {flat_bare.median:.1f} / "
        f"p95 {flat_bare.p95:.1f}; ratio {out['ratio']:.2f}x; lines 1/50/100: "
        + ", ".join(f"{v['app']:.1f} ({v['bare']:.1f})" for v in out["at_lines"].values())
        + f"; flatness {out['flatness']:.2f}x")
    return out


# -- search ----------------------------------------------------------------------------------------

def _queries(store) -> list[str]:
    names = [r[0] for r in store.conn.execute(
        "SELECT last_name FROM customers WHERE length(last_name) >= 6 GROUP BY last_name ORDER BY count(*) DESC"
        " LIMIT 4")]
    return [n[:6].lower() for n in names] + ["06 1"]


async def _search_round(app, words: list[str], is_bare: bool) -> tuple[list[float], list[float]]:
    """CPU per keystroke until the results are painted, and (the app only) wall time from the key to the
    results table updated (the lookup's ``run_search`` returned: query run, rows replaced, not yet painted)."""
    samples, updated = [], []
    async with app.run_test(size=SIZE) as pilot:
        if not is_bare:
            app.logged_in(_manager(app.store))
            await pilot.pause()
            if type(app.screen).__name__ != "LookupScreen":  # a manager lands on the sale unless the shop chose
                await pilot.press("f2")                      # the lookup (manager_home): F2 opens it
                await pilot.pause()
            assert type(app.screen).__name__ == "LookupScreen", type(app.screen).__name__
        await pilot.pause()
        table = app.screen.query_one("#lookup-results" if not is_bare else "#results")
        fills = [0]
        real_clear = table.clear

        def clear(*args, **kwargs):  # each refill starts with a clear: count them
            fills[0] += 1
            return real_clear(*args, **kwargs)

        table.clear = clear
        done_at: list[float] = []
        if not is_bare:
            real_run = app.screen.run_search

            def run_search(*args, **kwargs):
                result = real_run(*args, **kwargs)
                done_at.append(time.perf_counter())
                return result

            app.screen.run_search = run_search
        for word in words:
            for key in [" " if ch == " " else ch for ch in word] + ["backspace"] * len(word):
                before = fills[0]
                c, t = time.process_time(), time.perf_counter()
                _send(app, "space" if key == " " else key)
                await _until(pilot, lambda: fills[0] > before)
                samples.append((time.process_time() - c) * 1000)
                if done_at:
                    updated.append((done_at[-1] - t) * 1000)
                    done_at.clear()
    return samples, updated


def bench_search(path, rounds: int, log) -> dict:
    from pos_tui.services import customers
    from pos_tui.store.db import Store

    store = Store(path)
    words = _queries(store)
    results: dict[str, list[tuple]] = {}
    for word in words:
        for i in range(len(word) + 1):
            prefix = word[:i]
            results[prefix] = [(" ".join(p for p in (c.first_name, c.last_name) if p), c.company or "", c.phone or "",
                                c.card_code or "", f"{c.balance / 100:.2f} €")
                               for c in customers.search(store, prefix, limit=50)]
    store.close()
    app_s, bare_s, upd = [], [], []
    for _ in range(rounds):
        app, store = _app(path)
        painted, updated = asyncio.run(_search_round(app, words, False))
        app_s += painted
        upd += updated
        store.close()
        bare_s += asyncio.run(_search_round(_bare_search_app(results), words, True))[0]
    a, b, u = Stat(app_s), Stat(bare_s), Stat(upd)
    out = {"app": a.as_dict(), "bare": b.as_dict(), "ratio": a.p95 / b.p95, "median_ratio": a.median / b.median,
           "updated": u.as_dict(), "words": words}
    log(f"search: key -> table updated p50 {u.median:.1f} / p95 {u.p95:.1f} ms (wall); painted (CPU): app p50 "
        f"{a.median:.1f} / p95 {a.p95:.1f} ms, bare p50 {b.median:.1f} / p95 {b.p95:.1f} ms; p95 ratio "
        f"{out['ratio']:.2f}x, median ratio {out['median_ratio']:.2f}x (n={a.n}, words {words})")
    return out


# -- F9 --------------------------------------------------------------------------------------------

def _bare_f9_app(renderables: list):
    """Textual alone showing what F9 shows: a home screen with a table, and by F9 a screen of five tabs whose
    first holds the summary's tables (the same renderables, built beforehand) in a two-column grid."""
    from textual.app import App
    from textual.binding import Binding
    from textual.containers import Grid, VerticalScroll
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Header, Input, Static, TabbedContent, TabPane

    class Home(Screen):
        def compose(self):
            yield Header()
            yield Input()
            yield DataTable()
            yield Footer(compact=True)

    class BareClosing(Screen):
        DEFAULT_CSS = """
        BareClosing #tabs { height: 1fr; }
        BareClosing VerticalScroll { height: 1fr; }
        BareClosing Grid { grid-size: 2; grid-rows: auto; grid-gutter: 1 2; height: auto; padding: 0 1; }
        BareClosing Grid > Static { height: auto; }
        """
        BINDINGS = [Binding("escape", "app.switch_mode('home')", "Back"), Binding("f12", "app.bell", "Close Z"),
                    Binding("f10", "app.bell", "Print"), Binding("ctrl+e", "app.bell", "CSV")]

        def compose(self):
            yield Header()
            with TabbedContent(id="tabs", initial="x"):
                with TabPane("X (live) F5", id="x"):
                    yield Static("Business day", classes="day")
                    with VerticalScroll():
                        with Grid():
                            for renderable in renderables:
                                yield Static(renderable)
                for i, title in enumerate(("Per hour F6", "Cash F7", "Past Z F8", "Months and years F11")):
                    yield TabPane(title, id=f"t{i}")
            yield Static("")
            yield Footer(compact=True)

    class BareF9(App):
        MODES = {"home": Home, "closing": BareClosing}
        DEFAULT_MODE = "home"
        BINDINGS = [Binding("f9", "switch_mode('closing')", "Closing"), Binding("f2", "switch_mode('home')", "Home")]

    return BareF9()


async def _f9_bare_round(app, reopens: int) -> tuple[tuple[float, float], list[tuple[float, float]]]:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        async def open_closing() -> tuple[float, float]:
            t, c = time.perf_counter(), time.process_time()
            _send(app, "f9")
            await _until(pilot, lambda: type(app.screen).__name__ == "BareClosing")
            await pilot.pause()
            return (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000

        first = await open_closing()
        again = []
        for _ in range(reopens):
            _send(app, "f2")
            await _until(pilot, lambda: type(app.screen).__name__ == "Home")
            again.append(await open_closing())
    return first, again


async def _f9_round(app, reopens: int, calls: list, prebuild: bool) -> dict:
    """One fresh app: log in, then (``prebuild``) leave the till idle until the app has built the closing screen
    in the background (its CPU measured from App._init_mode to the screen styled and laid out), then F9 and the
    re-opens. Without ``prebuild``, F9 right after the login builds the screen (a cold open)."""
    from textual.app import App

    marks: dict[str, float] = {}
    if prebuild:
        def init_mode(mode):
            if mode == "closing" and app.current_mode != "closing":
                marks["start_cpu"], marks["start"] = time.process_time(), time.perf_counter()
            return App._init_mode(app, mode)

        app._init_mode = init_mode
    else:
        app.PREBUILD_AFTER = 3600.0  # F9 comes first
    async with app.run_test(size=SIZE) as pilot:
        app.logged_in(_manager(app.store))
        logged_in = time.perf_counter()
        await pilot.pause()
        out: dict = {}
        if prebuild:
            end = time.perf_counter() + 60
            while not any(getattr(s, "prebuilt", False) for s in app._screen_stacks.get("closing", [])):
                if time.perf_counter() > end:
                    raise TimeoutError("the closing screen was not built in the background")
                await asyncio.sleep(0.005)
            await pilot.pause()
            await pilot.pause()  # what the build scheduled after its refresh (the footer's keys) is done too
            out["prebuild_cpu"] = (time.process_time() - marks["start_cpu"]) * 1000
            out["prebuild_after"] = marks["start"] - logged_in
            out["prebuild_calls"] = len(calls)

        async def open_closing() -> tuple[float, float, int]:
            before = len(calls)
            t, c = time.perf_counter(), time.process_time()
            _send(app, "f9")
            await _until(pilot, lambda: type(app.screen).__name__ == "ClosingScreen" and len(calls) > before)
            await pilot.pause()  # a second refresh: anything the first one scheduled is painted
            return (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000, len(calls) - before

        wall, cpu, n_first = await open_closing()
        out["first"] = (wall, cpu)
        out["again"], out["counts"] = [], [n_first]
        for _ in range(reopens):
            _send(app, "f2")
            await _until(pilot, lambda: type(app.screen).__name__ == "LookupScreen")
            wall, cpu, n = await open_closing()
            out["again"].append((wall, cpu))
            out["counts"].append(n)
    return out


def bench_f9(path, rounds: int, log) -> dict:
    from pos_tui.services import closing

    calls: list = []
    real = closing.summary

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    closing.summary = counted
    firsts, agains, counts, colds, prebuilds, prebuild_after = [], [], [], [], [], []
    bare_firsts, bare_agains = [], []
    from pos_tui.store.db import Store
    from pos_tui.ui.widgets.summary import render_summary

    store = Store(path)
    renderables = render_summary(real(store, closing.business_day(store)))
    store.close()
    try:
        for _ in range(max(3, rounds * 2)):  # the app and the bare app in turns: the same load falls on both
            app, store = _app(path)
            calls.clear()
            r = asyncio.run(_f9_round(app, 3, calls, prebuild=True))
            store.close()
            firsts.append(r["first"])
            agains += r["again"]
            counts += r["counts"]
            prebuilds.append(r["prebuild_cpu"])
            prebuild_after.append(r["prebuild_after"])
            app, store = _app(path)
            r = asyncio.run(_f9_round(app, 0, calls, prebuild=False))
            store.close()
            colds.append(r["first"])
            counts += r["counts"]
            first, again = asyncio.run(_f9_bare_round(_bare_f9_app(renderables), 3))
            bare_firsts.append(first)
            bare_agains += again
    finally:
        closing.summary = real
    f, a = Stat([w for w, _c in firsts]), Stat([w for w, _c in agains])
    fc, ac = Stat([c for _w, c in firsts]), Stat([c for _w, c in agains])
    cw, cc = Stat([w for w, _c in colds]), Stat([c for _w, c in colds])
    pb = Stat(prebuilds)
    bc, bac = Stat([c for _w, c in bare_firsts]), Stat([c for _w, c in bare_agains])
    out = {"wall": f.as_dict(), "cpu": fc.as_dict(), "reopen": a.as_dict(), "reopen_cpu": ac.as_dict(),
           "cold_wall": cw.as_dict(), "cold_cpu": cc.as_dict(), "prebuild_cpu": pb.as_dict(),
           "prebuild_after_s": statistics.median(prebuild_after),
           "x_calls": max(counts), "x_calls_all": counts,
           "bare_cpu": bc.as_dict(), "bare_reopen_cpu": bac.as_dict(),
           "bare_wall": Stat([w for w, _c in bare_firsts]).as_dict(),
           "cpu_ratio": fc.median / bc.median, "cold_cpu_ratio": cc.median / bc.median,
           "reopen_cpu_ratio": ac.median / bac.median}
    log(f"F9: first open (built while idle) {f.median:.0f} ms wall / {fc.median:.0f} ms CPU (n={f.n}), re-open "
        f"{a.median:.0f} ms wall / {ac.median:.0f} ms CPU (n={a.n}); cold first open (F9 right after the login) "
        f"{cw.median:.0f} ms wall / {cc.median:.0f} ms CPU; background build {pb.median:.0f} ms CPU, "
        f"{out['prebuild_after_s']:.1f} s after the login; X computed per open: {counts}; bare app CPU: first "
        f"{bc.median:.0f} ms ({out['cpu_ratio']:.2f}x, cold {out['cold_cpu_ratio']:.2f}x), re-open {bac.median:.0f} ms "
        f"({out['reopen_cpu_ratio']:.2f}x)")
    return out


# -- memory (own process) ----------------------------------------------------------------------------

def _history_store(log):
    import bench_counter as bc

    path = benchlib.data_dir() / "history-20k.db"
    ok, _why = bc._dataset_ok(path, 1, 20_000)
    if not ok:
        log("  generating one customer with 20,000 credit entries")
        bc.build_dataset(path, 1, 20_000)
    return path


async def _memory(path, entries_per_page: int) -> dict:
    from textual.widgets import DataTable

    app, store = _app(path)
    customer = store.scalar("SELECT customer_id FROM credit_ledger GROUP BY customer_id ORDER BY count(*) DESC LIMIT 1")
    total = store.scalar("SELECT count(*) FROM credit_ledger WHERE customer_id = ?", (customer,))
    marks = {}
    async with app.run_test(size=SIZE) as pilot:
        app.logged_in(_manager(store))
        await pilot.pause()
        app.open_credit_panel(customer)
        await pilot.pause()
        marks[0] = _rss_mib()
        table = app.screen.query_one("#credit-history", DataTable)
        app.screen.query_one("#credit-amount").focus()  # PgDn from the form: the next page (the panel's key)
        pages = (total + entries_per_page - 1) // entries_per_page
        for i in range(1, pages):
            await pilot.press("pagedown")
            await pilot.pause()
            if i * entries_per_page in (5_000, 10_000, 15_000) or i == pages - 1:
                marks[min(total, (i + 1) * entries_per_page)] = _rss_mib()
        shown = app.screen.query_one("#credit-count").render()
        rows = table.row_count
    store.close()
    return {"marks": marks, "rows_in_table": rows, "count_text": str(shown), "entries": total}


async def _memory_bare(rows: int) -> float:
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header

    class Bare(App):
        def compose(self):
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self):
            table = self.query_one(DataTable)
            table.add_columns("When", "Kind", "Method", "Label", "By", "Amount", "Balance")
            for i in range(rows):
                table.add_row("29/11/2026 10:00", "Top-up", "CB", f"op {i}", "Marie", "10,00 €", f"{i},00 €")

    app = Bare()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        return _rss_mib()


def bench_memory(log) -> dict:
    path = _history_store(log)
    proc = subprocess.run([sys.executable, __file__, "--memory-child", str(path)], capture_output=True, text=True,
                          env={**os.environ, "TEXTUAL_ANIMATIONS": "none"})
    if proc.returncode:
        raise SystemExit(proc.stderr[-2000:])
    app = json.loads(proc.stdout.strip().splitlines()[-1])
    proc = subprocess.run([sys.executable, __file__, "--memory-bare"], capture_output=True, text=True,
                          env={**os.environ, "TEXTUAL_ANIMATIONS": "none"})
    bare = json.loads(proc.stdout.strip().splitlines()[-1])
    marks = {int(k): v for k, v in app["marks"].items()}
    last = max(marks)
    half = min(marks, key=lambda k: abs(k - last // 2))
    per_entry_kb = (marks[last] - marks[half]) * 1024 / max(1, last - half)
    out = {"rss_mib": marks[last], "marks_mib": marks, "bare_rss_mib": bare, "per_entry_kb": per_entry_kb,
           "rows_in_table": app["rows_in_table"], "entries": app["entries"], "count_text": app["count_text"]}
    log(f"memory: {marks[last]:.0f} MiB after paging {last:,} entries (marks {', '.join(f'{k:,}: {v:.0f}' for k, v in sorted(marks.items()))} MiB); "
        f"{per_entry_kb:.2f} KB/entry over the second half; table holds {app['rows_in_table']} rows; bare app "
        f"with 500 rows {bare:.0f} MiB")
    return out


# -- main ------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--scan-rounds", type=int, default=None,
                    help="rounds of the scan row (default --rounds): each gives 10 scans per tenth of the basket")
    ap.add_argument("--only", nargs="*", default=["scan", "search", "f9", "memory"])
    ap.add_argument("--memory-child")
    ap.add_argument("--memory-bare", action="store_true")
    args = ap.parse_args(argv)
    if args.memory_child:
        print(json.dumps(asyncio.run(_memory(args.memory_child, 50))))
        return 0
    if args.memory_bare:
        print(json.dumps(asyncio.run(_memory_bare(500))))
        return 0
    log = lambda m: print(m, flush=True)  # noqa: E731
    # Bytecode kept, as an installed package has it (like bench_startup): with PYTHONDONTWRITEBYTECODE set in the
    # shell, the first F9 of the run compiled the closing screen's modules from source.
    sys.dont_write_bytecode = False
    sys.pycache_prefix = str(benchlib.data_dir() / "pycache")
    base = benchlib.big_store(log)
    path = benchlib.work_copy(base, "ui.db")  # the app may write (journal); the cached store never moves
    out = {}
    if "scan" in args.only:
        out["scan"] = bench_scan(path, args.scan_rounds or args.rounds, log)
    if "search" in args.only:
        out["search"] = bench_search(path, args.rounds, log)
    if "f9" in args.only:
        out["f9"] = bench_f9(path, args.rounds, log)
    if "memory" in args.only:
        out["memory"] = bench_memory(log)
    write_result("ui", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
