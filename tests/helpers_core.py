"""Shared helpers for the headless (domain / store / services) tests.

Not a conftest: import what you need, e.g.
``from helpers_core import make_store, make_customer`` (the ``english`` fixture, defined here, is made global by conftest.py).
"""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pos_tui.services import auth, customers
from pos_tui.services.context import Context
from pos_tui.store import Store
from pos_tui.store import users as users_store

MANAGER_NAME, MANAGER_PIN = "Manon", "123456"
CASHIER_NAME, CASHIER_PIN = "Camille", "5678"


_TEMPLATE: Path | None = None

# Which engine ``make_store`` builds on: conftest's ``engine`` fixture switches it to PostgreSQL (a
# database of the test cluster per store) for the modules that run on both engines.
ENGINE: dict = {"name": "sqlite", "server": None, "created": []}
_PG_USERS_TEMPLATE = "pos_users_template"
_pg_numbers = iter(range(1, 10**9))


def _template() -> Path:
    """A store file with the manager and the cashier, built once per test process.

    Hashing a PIN costs about 50 ms (scrypt), so ``make_store`` copies this file
    instead of creating both users again for every test.
    """
    global _TEMPLATE
    if _TEMPLATE is None:
        folder = Path(tempfile.mkdtemp(prefix="pos-tui-template-"))
        atexit.register(shutil.rmtree, folder, True)
        store = Store(folder / "template.db")
        manager = auth.create_first_manager(store, MANAGER_NAME, MANAGER_PIN, terminal=1)
        auth.create_user(Context(store, manager, terminal=1), CASHIER_NAME, CASHIER_PIN, "cashier")
        store.close()  # the last connection checkpoints the WAL into the file
        _TEMPLATE = folder / "template.db"
    return _TEMPLATE


def _pg_files() -> Path:
    """Where PostgreSQL stores' local files (signing keys, anchors) go during the tests."""
    import os

    if not os.environ.get("POS_TUI_PG_FILES"):
        folder = Path(tempfile.mkdtemp(prefix="pos-tui-pgfiles-"))
        atexit.register(shutil.rmtree, folder, True)
        os.environ["POS_TUI_PG_FILES"] = str(folder)
    return Path(os.environ["POS_TUI_PG_FILES"])


def _pg_users_template(server) -> Store:
    """A database with the manager and the cashier, made once per cluster (copied per store)."""
    from pos_tui.store.pg import PgStore

    _pg_files()
    key = None
    with server.connect() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (_PG_USERS_TEMPLATE,)).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {_PG_USERS_TEMPLATE} TEMPLATE pos_template")
    store = PgStore(server.url(_PG_USERS_TEMPLATE))
    try:
        if not auth.list_users(store):
            manager = auth.create_first_manager(store, MANAGER_NAME, MANAGER_PIN, terminal=1)
            auth.create_user(Context(store, manager, terminal=1), CASHIER_NAME, CASHIER_PIN, "cashier")
        key = store.key_file()
    finally:
        store.close()
    return key


def make_pg_store(**store_kw) -> tuple[Store, Context, Context]:
    """``make_store`` on the PostgreSQL test cluster: a database copied from the users' template."""
    from pos_tui.store.pg import PgStore

    server = ENGINE["server"]
    key = _pg_users_template(server)
    name = f"s{next(_pg_numbers)}"
    with server.connect() as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {_PG_USERS_TEMPLATE}")
    ENGINE["created"].append(name)
    store = PgStore(server.url(name), **store_kw)
    shutil.copy(key, store.key_file())  # the template's journal and users are signed with it
    manager = users_store.by_name(store, MANAGER_NAME)[0]
    cashier = users_store.by_name(store, CASHIER_NAME)[0]
    return store, Context(store, manager, terminal=1), Context(store, cashier, terminal=2)


def new_store(path: Path, **store_kw) -> Store:
    """An empty store (no user yet): the file ``path``, or on the PostgreSQL run a new database."""
    if ENGINE["name"] != "postgresql":
        return Store(path, **store_kw)
    from pos_tui.store.pg import PgStore

    _pg_files()
    server = ENGINE["server"]
    name = f"s{next(_pg_numbers)}"
    with server.connect() as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE pos_template")
    ENGINE["created"].append(name)
    return PgStore(server.url(name), **store_kw)


def make_store(tmp_path: Path, name: str = "shop.db", **store_kw) -> tuple[Store, Context, Context]:
    """A fresh store file under ``tmp_path`` with a manager and a cashier.

    Returns ``(store, manager_ctx, cashier_ctx)``; the manager acts on terminal 1,
    the cashier on terminal 2. The users were made with ``auth.create_first_manager``
    and ``auth.create_user`` (in a template file copied here).
    """
    if ENGINE["name"] == "postgresql":
        return make_pg_store(**store_kw)
    path = Path(tmp_path) / name
    shutil.copy(_template(), path)  # keeps the 0600 mode a new store gets
    # The template's journal and users are signed: its key goes with it (as a backup would carry it).
    shutil.copy(_template().with_name("template.db.key"), path.with_name(path.name + ".key"))
    store = Store(path, **store_kw)
    manager = users_store.by_name(store, MANAGER_NAME)[0]
    cashier = users_store.by_name(store, CASHIER_NAME)[0]
    return store, Context(store, manager, terminal=1), Context(store, cashier, terminal=2)


def make_customer(ctx: Context, first: str, last: str, **kw):
    """Create a customer through the service (shop default debt limit applies)."""
    return customers.create(ctx, {"first_name": first, "last_name": last, **kw})


def ledger_rows(store: Store, customer_id: int | None = None) -> list[dict]:
    """Raw ``credit_ledger`` rows, oldest first, read with SQL (not through the services)."""
    if customer_id is None:
        return store.query("SELECT * FROM credit_ledger ORDER BY id")
    return store.query("SELECT * FROM credit_ledger WHERE customer_id = ? ORDER BY id", (customer_id,))


def cached_balance(store: Store, customer_id: int) -> int:
    return store.scalar("SELECT balance FROM customers WHERE id = ?", (customer_id,))


def raw_connect(path: Path | str) -> sqlite3.Connection:
    """A plain sqlite3 connection, as the sqlite3 shell or another process would open it."""
    return sqlite3.connect(str(path), isolation_level=None, timeout=5)


class FixedClock:
    """A settable clock for ``Store(clock=...)``."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 3, 14, 10, 0, 0, tzinfo=timezone(timedelta(hours=1)))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now = self.now + timedelta(**delta)


# -- multiprocessing workers (module-level so 'spawn' children can import them) --

def refund_worker(db_path: str, user_id: int, customer_id: int, amount: int, method: str, barrier, results) -> None:
    """One terminal: open its own Store, wait for the other, then try a refund."""
    from pos_tui.domain.credit import DebtLimitExceeded
    from pos_tui.domain.errors import PosError
    from pos_tui.services import credit
    from pos_tui.services.context import open_store
    from pos_tui.store import users as users_store

    store = open_store(db_path)
    try:
        user = users_store.by_id(store, user_id)
        ctx = Context(store, user, terminal=10 + (user_id % 7))
        barrier.wait(timeout=30)
        try:
            result = credit.refund(ctx, customer_id, amount, method)
        except DebtLimitExceeded as exc:
            results.put(("refused", type(exc).__name__, exc.shortfall))
        except PosError as exc:
            results.put(("error", type(exc).__name__, exc.template))
        except Exception as exc:  # reported, so a broken store fails the test fast and readably
            results.put(("crash", type(exc).__name__, str(exc)))
        else:
            results.put(("ok", result.entry.id, result.new_balance))
    finally:
        store.close()


def corrupt_table(path: Path | str, table: str) -> None:
    """Overwrite the root page of ``table`` with garbage, as a failing disk would: the file still opens."""
    conn = raw_connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)


# -- a login worker: counts the PIN hashes it checks ----------------------------

def login_worker(db_path: str, name: str, pin: str, barrier, results) -> None:
    """One terminal trying a PIN at the same moment as the others; reports how many hashes it checked."""
    from pos_tui.domain.errors import PosError
    from pos_tui.services import auth

    checked = []
    real_check = auth.check_pin

    def counting_check(typed, stored):
        checked.append(typed)
        return real_check(typed, stored)

    auth.check_pin = counting_check
    auth._sleep = lambda seconds: None
    store = Store(db_path)
    try:
        barrier.wait(timeout=60)
        try:
            auth.login(store, name, pin, terminal=3)
        except PosError as exc:
            results.put(("refused", pin, len(checked), exc.template))
        except Exception as exc:  # reported, so a broken store fails the test readably
            results.put(("crash", pin, len(checked), f"{type(exc).__name__}: {exc}"))
        else:
            results.put(("ok", pin, len(checked), ""))
    finally:
        store.close()


@pytest.fixture
def english():
    """Run a test with English messages, restoring the previous language afterwards."""
    from pos_tui import i18n

    previous = i18n.get_language()
    i18n.set_language("en")
    try:
        yield
    finally:
        i18n.set_language(previous)



def store_sale_worker(target: str, store_code: str, user_id: int, customer_id: int | None, voucher_code: str | None,
                      cents: int, barrier, results) -> None:
    """One till of the store ``store_code``: wait for the other till, then sell ``cents`` paid with the
    customer's credit (CRED), or with a voucher (the rest by card). Reports ("ok"|"refused", store, detail)."""
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.errors import PosError
    from pos_tui.domain.payment import Tender
    from pos_tui.services import checkout
    from pos_tui.services.context import open_store
    from pos_tui.store import users as users_store

    store = open_store(target, store_code=store_code)
    try:
        ctx = Context(store, users_store.by_id(store, user_id), terminal=20 + store.store_id)
        cart = Cart(customer_id=customer_id)
        cart.add_free("Article", cents, 2000)
        tenders = [Tender("CRED", cents)]
        if voucher_code is not None:
            voucher = checkout.scan(store, voucher_code).voucher
            checkout.add_scanned_voucher(cart, voucher)
            tenders = [Tender("CB", cents - voucher.amount)]
        barrier.wait(timeout=60)
        try:
            result = checkout.close_sale(ctx, cart, tenders)
        except PosError as exc:
            results.put(("refused", store_code, exc.template))
        except Exception as exc:  # reported, so a crash fails the test readably
            results.put(("crash", store_code, f"{type(exc).__name__}: {exc}"))
        else:
            results.put(("ok", store_code, result.number))
    finally:
        store.close()
