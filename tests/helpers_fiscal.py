"""Shared helpers for the fiscal-trail tests (anchors, period closings, archives, backups).

A shop whose clock the test moves day by day, cash and card sales, Z closings, and the
tampering someone with the sqlite3 shell could do (triggers dropped, tail cut off).
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

from helpers_core import make_store

from pos_tui.domain.cart import Cart
from pos_tui.domain.payment import Tender
from pos_tui.services import checkout, closing
from pos_tui.services.context import Context
from pos_tui.store.db import Store


class FiscalShop:
    """A store file with a manager (terminal 1) and a cashier (terminal 2), and a settable clock."""

    def __init__(self, tmp_path: Path, name: str = "shop.db") -> None:
        self.moment = datetime(2026, 10, 30, 9, 0).astimezone()
        self.store, self.manager, self.cashier = make_store(tmp_path, name, clock=lambda: self.moment)
        self.path = self.store.path

    def on(self, day: str, hour: int = 10) -> None:
        d = date.fromisoformat(day)
        self.moment = datetime(d.year, d.month, d.day, hour, 0).astimezone()

    def sell(self, cents: int, method: str = "ESP", rate: int = 2000, ctx: Context | None = None) -> int:
        cart = Cart()
        cart.add_free("Article", cents, rate)
        return checkout.close_sale(ctx or self.cashier, cart, [Tender(method, cents)]).sale_id

    def day(self, day: str, *sales: tuple[int, str, int], close: bool = True):
        """A business day: the given (cents, method, VAT rate) sales at 10:00, then its Z at 19:00."""
        self.on(day, 10)
        for cents, method, rate in sales:
            self.sell(cents, method, rate)
        if close:
            self.on(day, 19)
            return closing.close_day(self.manager)
        return None

    def reopen(self) -> None:
        """Close and reopen the store (as after a restore or another process's work)."""
        self.store.close()
        self.store = Store(self.path, clock=lambda: self.moment)
        self.manager.store = self.store
        self.cashier.store = self.store


def shell(path: Path | str) -> sqlite3.Connection:
    """The sqlite3 shell of someone determined: every append-only guard dropped."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                " AND (name LIKE '%_no_update' OR name LIKE '%_no_delete')").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    return conn


def cut_tail(path: Path | str, keep_through: int) -> None:
    """Delete every chain entry after ``keep_through`` together with the records it signs."""
    conn = shell(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    entries = conn.execute("SELECT id, table_name, record_id FROM signatures WHERE id > ? ORDER BY id DESC",
                           (keep_through,)).fetchall()
    for _id, table, record_id in entries:
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (record_id,))
    conn.execute("DELETE FROM signatures WHERE id > ?", (keep_through,))
    conn.close()


def snapshot(store: Store, dest: Path) -> Path:
    """A consistent copy of the database file (what yesterday's copy on a USB stick would be)."""
    store.conn.execute("VACUUM INTO ?", (str(dest),))
    return dest


def put_back(copy: Path, path: Path) -> None:
    """Restore an older copy over the live file (its WAL and shared memory gone with it)."""
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(copy.read_bytes())


def selling_worker(db_path: str, user_id: int, started, stop, sold) -> None:
    """Another till: close cash sales one by one until told to stop (module-level so 'spawn' children can
    import it); ``started`` is set after the first five, ``sold`` receives the count."""
    from pos_tui.store import users as users_store

    store = Store(db_path)
    n = 0
    try:
        ctx = Context(store, users_store.by_id(store, user_id), terminal=7)
        while not stop.is_set() and n < 20000:
            cart = Cart()
            cart.add_free("Article", 100 + n % 50, 2000)
            checkout.close_sale(ctx, cart, [Tender("ESP", 100 + n % 50)])
            n += 1
            if n == 5:
                started.set()
    finally:
        started.set()
        sold.put(n)
        store.close()
