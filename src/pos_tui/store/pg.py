"""The PostgreSQL backend: the same ``Store`` API on a server shared by several stores' tills.

The store modules write one SQL dialect (SQLite's ``?`` and ``:name`` placeholders, portable
functions); this module is the narrow seam that makes it run on PostgreSQL:

- placeholders and literal ``%`` are rewritten for psycopg, once per statement text;
- a write transaction first locks the till's store row (``FOR UPDATE``): writes of one store are
  serialised as ``BEGIN IMMEDIATE`` serialises them on SQLite, so per-store sale numbers, Z
  numbers and the signature chain (read from ``signatures`` under that lock) never fork or gap;
  customers are locked by id (``lock_customer``) before any balance check, so two stores spending
  one balance are serialised too (lock order: store row, then customers by id);
- an insert returns its id with ``RETURNING id``;
- errors come back as the SQLite module's exception classes (a constraint or a trigger's refusal
  is an ``IntegrityError``, a lock wait that runs out is ``StoreBusy``, a lost server is
  ``StoreOffline``), so services and screens catch one set of errors whatever the engine.

psycopg is imported only here, and this module only when a ``postgresql://`` URL is opened.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Loader
from psycopg.pq import TransactionStatus
from psycopg.types.numeric import IntDumper

from pos_tui.domain.errors import PosError, StoreBusy
from pos_tui.i18n import N_
from pos_tui.store.db import Store, StoreOffline, _local_now

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"])*\"|::|\?|(?<![:\w]):([A-Za-z_]\w*)|%")
_SQL_CACHE: dict[str, str] = {}
# SQLite-only words with a PostgreSQL meaning: a planner hint (dropped) and LIKE, which SQLite
# compares without case (ILIKE).
_DIALECT = ((re.compile(r"\s+INDEXED BY \w+|\s+NOT INDEXED"), ""), (re.compile(r"\bLIKE\b"), "ILIKE"))


def pg_sql(sql: str) -> str:
    """SQLite placeholders (``?``, ``:name``) -> psycopg's (``%s``, ``%(name)s``); ``%`` -> ``%%``;
    ``INDEXED BY`` hints dropped, ``LIKE`` -> ``ILIKE``. String literals and ``::`` casts are left as they are."""
    out = _SQL_CACHE.get(sql)
    if out is None:
        text = sql
        for pattern, replacement in _DIALECT:
            text = pattern.sub(replacement, text)

        def repl(m: re.Match) -> str:
            tok = m.group(0)
            if tok == "?":
                return "%s"
            if tok == "%":
                return "%%"
            if m.group(1):
                return f"%({m.group(1)})s"
            return tok.replace("%", "%%") if tok[0] == "'" else tok
        out = _SQL_CACHE[sql] = _TOKENS.sub(repl, text)
    return out


class _NumericLoader(Loader):
    """``sum()`` of bigint is ``numeric`` on PostgreSQL: money sums come back as ``int`` as on SQLite."""

    def load(self, data) -> Any:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else value


_OFFLINE = N_("The database server cannot be reached ({reason}). The open sale is kept; "
              "sales, credit and vouchers wait until the server is back.")


def _translate(exc: Exception) -> Exception:
    """A psycopg error as the error our services already handle."""
    if isinstance(exc, (pg_errors.LockNotAvailable, pg_errors.QueryCanceled, pg_errors.DeadlockDetected,
                        pg_errors.SerializationFailure)):
        return StoreBusy("The database is busy (another terminal is writing). Try again.")
    if isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)):
        return StoreOffline(_OFFLINE, reason=str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
    if isinstance(exc, pg_errors.UniqueViolation):  # worded as SQLite words it
        return sqlite3.IntegrityError(f"UNIQUE constraint failed: {exc.diag.constraint_name}")
    if isinstance(exc, pg_errors.ForeignKeyViolation):
        return sqlite3.IntegrityError(f"FOREIGN KEY constraint failed: {exc.diag.constraint_name}")
    if isinstance(exc, (psycopg.IntegrityError, pg_errors.RaiseException)):
        # The trigger's own text, as SQLite's RAISE(ABORT, '…') gives it.
        return sqlite3.IntegrityError(exc.diag.message_primary or str(exc))
    return sqlite3.DatabaseError(str(exc).strip())


class _Cursor:
    """The slice of sqlite3.Cursor the store modules use."""

    __slots__ = ("_cur", "description", "rowcount", "lastrowid")

    def __init__(self, cur: psycopg.Cursor) -> None:
        self._cur = cur
        self.description = [(c.name,) for c in cur.description] if cur.description else None
        self.rowcount = cur.rowcount
        self.lastrowid = None  # PostgreSQL has none: use Store.insert_id (RETURNING id)

    def fetchone(self):
        return self._cur.fetchone() if self.description else None

    def fetchall(self):
        return self._cur.fetchall() if self.description else []

    def __iter__(self):
        return iter(self.fetchall())


class _Conn:
    """The slice of sqlite3.Connection the store modules use, on a psycopg connection."""

    def __init__(self, raw: psycopg.Connection, reconnect: Callable[[], None] | None = None) -> None:
        self.raw = raw
        self._reconnect = reconnect
        self.in_block = False  # inside PgStore.write/read: a lost connection is never silently replaced there

    @property
    def lost(self) -> bool:
        return self.raw.closed or self.raw.broken

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    @property
    def busy(self) -> bool:
        """A transaction is open on a live connection, or a PgStore block has not ended yet."""
        return self.in_block or (not self.lost and self.in_transaction)

    def ensure(self) -> None:
        """A statement outside a transaction on a lost connection: connect again first (the server may be
        back). Inside a transaction the loss is reported: the server rolled that transaction back."""
        if self.lost and not self.in_block and self._reconnect is not None:
            self._reconnect()

    def execute(self, sql: str, params: Any = ()) -> _Cursor:
        if isinstance(params, list):
            params = tuple(params)
        self.ensure()
        try:
            cur = self.raw.execute(pg_sql(sql), params or None)
            return _Cursor(cur)
        except psycopg.Error as exc:
            raise _translate(exc) from exc

    def executemany(self, sql: str, seq) -> None:
        self.ensure()
        try:
            with self.raw.cursor() as cur:
                cur.executemany(pg_sql(sql), list(seq))
        except psycopg.Error as exc:
            raise _translate(exc) from exc

    def close(self) -> None:
        self.raw.close()


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class PgStore(Store):
    """A store on a PostgreSQL server; ``store_code`` picks the till's store (``MAIN`` by default)."""

    engine = "postgresql"

    def __init__(self, url: str, *, clock: Callable = _local_now, busy_timeout_ms: int | None = None,
                 migrate: bool = True, create: bool = True, readonly: bool = False,
                 store_code: str | None = None) -> None:
        from pos_tui.store.db import BUSY_TIMEOUT_MS

        self.url = url
        self.path = Path(safe_url(url))  # replaced by the local files' stem once connected
        self.clock = clock
        self.busy_timeout_ms = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
        self._db = None
        self._chain_tip = None
        self._tx_now = None
        self.store_id = 1
        raw = self._connect()
        self.conn = _Conn(raw, self._reconnect)
        try:
            if migrate and not readonly:
                self.migrate()
            else:
                self._check_readable_schema()
            self.use_store(store_code or "MAIN")
        except BaseException:
            raw.close()
            raise

    def _connect(self) -> psycopg.Connection:
        try:
            raw = psycopg.connect(self.url, autocommit=True, connect_timeout=5,
                                  options=f"-c lock_timeout={int(self.busy_timeout_ms)}")
        except psycopg.Error as exc:
            raise StoreOffline("Cannot reach the database server {url}: {reason}", url=safe_url(self.url),
                               reason=(str(exc).strip().splitlines() or [type(exc).__name__])[-1]) from exc
        raw.adapters.register_loader("numeric", _NumericLoader)
        raw.adapters.register_dumper(bool, IntDumper)  # flags are 0/1 integers, as on SQLite
        return raw

    def _reconnect(self) -> None:
        """The server was restarted or dropped this till's connection: a new one, or ``StoreOffline``
        while the server is still away (the till keeps its open sale and tries again on the next action)."""
        try:
            raw = self._connect()
        except StoreOffline as exc:
            # The till's words (as for a connection lost mid-action), with the server's reason in short.
            reason = str(exc.params.get("reason", "")).split("FATAL:")[-1].strip() or type(exc).__name__
            raise StoreOffline(_OFFLINE, reason=reason) from exc
        try:
            self.conn.raw.close()
        except psycopg.Error:
            pass
        self.conn.raw = raw
        self._chain_tip = self._tx_now = None

    def use_store(self, code: str) -> None:
        """Also places the local files (signing key, anchor logs, archives) in a private folder:
        ``<pos-tui data folder>/postgresql/<host>-<port>-<database>.*`` (``POS_TUI_PG_FILES`` moves it)."""
        super().use_store(code)
        self.store_code = code.strip().upper()
        from pos_tui.store.db import make_private_dirs

        info = self.conn.raw.info
        base = os.environ.get("POS_TUI_PG_FILES")
        if base:
            folder = Path(base)
        else:
            from platformdirs import user_data_dir

            folder = Path(user_data_dir("pos-tui", appauthor=False)) / "postgresql"
        make_private_dirs(folder)
        # The stem of the company database's local files, the same for every store (as a SQLite file's
        # path is): one signing key `<stem>.key` (verify checks every store's chain with it), the anchor
        # logs `<stem>.anchors` / `<stem>.store<ID>.anchors`.
        self.path = folder / f"{info.host}-{info.port}-{info.dbname}"

    @property
    def target(self) -> str:
        return self.url

    def reopen(self, **options) -> PgStore:
        options.setdefault("clock", self.clock)
        return PgStore(self.url, migrate=False, store_code=self.store_code, **options)

    # -- schema -------------------------------------------------------------
    def _applied_names(self) -> set[str]:
        from pos_tui.store import pg_schema

        return pg_schema.applied_names(self.conn.raw)

    def _check_readable_schema(self) -> None:
        from pos_tui.store.migrations import migrations

        applied = self._refuse_newer_schema()
        if not applied:
            raise PosError("{path} is not a pos-tui store.", path=str(self.path))
        if set(migrations.names) - applied:
            raise PosError("The store {path} was written by an older pos-tui: open it once with this version "
                           "to upgrade it, then run this again.", path=str(self.path))

    def migrate(self) -> None:
        from pos_tui.store import pg_schema

        self._refuse_newer_schema()
        try:
            pg_schema.migrate(self.conn.raw)
        except psycopg.Error as exc:
            raise _translate(exc) from exc

    def schema_version(self) -> list[str]:
        from pos_tui.store.migrations import migrations

        applied = self._applied_names()
        return [n for n in migrations.names if n in applied]

    @property
    def db(self):
        raise RuntimeError("sqlite-utils is for SQLite stores only")

    # -- transactions -------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Store]:
        """One business action; the till's store row is locked first (writes of one store in turn)."""
        if self.conn.busy:
            raise RuntimeError("nested business transaction")
        self.conn.ensure()  # a connection lost since the last action: the server may be back
        raw = self.conn.raw
        self._chain_tip = self._tx_now = None
        self.conn.in_block = True
        try:
            try:
                raw.execute("BEGIN")
                raw.execute("SELECT id FROM stores WHERE id = %s FOR UPDATE", (self.store_id,))
            except psycopg.Error as exc:
                self._rollback()
                raise _translate(exc) from exc
            try:
                yield self
            except BaseException:
                self._chain_tip = self._tx_now = None
                self._rollback()
                raise
            try:
                raw.execute("COMMIT")
            except psycopg.Error as exc:
                # Lost at COMMIT: the server commits all of it or none of it; nothing is half-written.
                self._rollback()
                raise _translate(exc) from exc
        finally:
            self._chain_tip = self._tx_now = None
            self.conn.in_block = False

    def _rollback(self) -> None:
        try:
            if not self.conn.lost and self.conn.in_transaction:
                self.conn.raw.execute("ROLLBACK")
        except psycopg.Error:
            pass  # a lost connection: the server rolls the transaction back itself

    @contextmanager
    def read(self) -> Iterator[Store]:
        """Several reads from one snapshot (REPEATABLE READ); inside ``write`` it joins that one."""
        if self.conn.busy:
            yield self
            return
        self.conn.ensure()
        try:
            self.conn.raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        except psycopg.Error as exc:
            self._rollback()
            raise _translate(exc) from exc
        self.conn.in_block = True
        try:
            yield self
        finally:
            self.conn.in_block = False
            self._rollback()

    def column_types(self, table: str) -> dict[str, str]:
        kinds = {"bigint": "INTEGER", "integer": "INTEGER", "smallint": "INTEGER", "text": "TEXT", "bytea": "BLOB"}
        return {r[0]: kinds.get(r[1], r[1].upper()) for r in self.conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ?", (table,))}

    def has_table(self, name: str) -> bool:
        return bool(self.scalar("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()"
                                " AND table_name = ?", (name,)))

    def lock_customer(self, customer_id: int) -> None:
        """Hold the customer's row until the action ends: the balance read next is the one written."""
        self.conn.execute("SELECT id FROM customers WHERE id = ? FOR UPDATE", (customer_id,))

    def insert_id(self, sql: str, params: Any = ()) -> int:
        return self.conn.execute(sql + " RETURNING id", params).fetchone()[0]

    def insert_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """One INSERT per row, sent together (psycopg's pipeline): executed in order, so ids follow it."""
        self.conn.executemany(f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                              rows)

    def skip_fsync(self) -> None:
        self.conn.execute("SET synchronous_commit = off")

    def checkpoint(self) -> None:
        """Nothing to fold: the server owns its files."""

    def close(self) -> None:
        self.conn.close()
