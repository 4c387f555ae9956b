"""The store: one SQLite file, opened the same way by every process.

Every connection sets WAL, ``synchronous=FULL``, ``foreign_keys=ON`` and a busy
timeout; every business write runs inside ``BEGIN IMMEDIATE`` (``Store.write``)
so a check and the write it guards can never be split by another terminal.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from pos_tui.domain.errors import PosError, StoreBusy
from pos_tui.store.migrations import MIGRATION_SET, migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 8000
ROWS_PER_INSERT = 100  # rows per multi-row INSERT (4 columns: 400 parameters, far below SQLite's limit)
_MULTI_INSERT: dict[tuple, str] = {}
# What json.dumps(detail, ensure_ascii=False, sort_keys=True) writes, without building an encoder per call
# (json's C encoder; no circular-reference bookkeeping: a journal detail is a few plain values).
_DETAIL_ENCODER = json.encoder.c_make_encoder and json.encoder.c_make_encoder(
    None, json.JSONEncoder().default, json.encoder.encode_basestring, None, ": ", ", ", True, False, True)


def _detail_json(detail: dict) -> str:
    if _DETAIL_ENCODER is None:  # a Python without the C accelerator
        return json.dumps(detail, ensure_ascii=False, sort_keys=True)
    return "".join(_DETAIL_ENCODER(detail, 0))


def _keys(cur: sqlite3.Cursor) -> list[str]:
    """Column names of a result, duplicates renamed ``name_2``, ``name_3``… as sqlite-utils does
    (``SELECT a.*, b.*`` keeps the first ``id`` as ``id``)."""
    keys = [d[0] for d in cur.description]
    taken = set(keys)
    if len(taken) == len(keys):
        return keys
    seen: set[str] = set()
    out = []
    for key in keys:
        if key in seen:
            new, n = key, 2
            while new in seen or new in taken:
                new, n = f"{key}_{n}", n + 1
            key = new
        seen.add(key)
        out.append(key)
    return out


class SchemaTooNew(PosError):
    """The file was written by a newer pos-tui."""


class StoreOffline(PosError):
    """The database server cannot be reached (PostgreSQL): nothing was written."""


def is_server_url(target: object) -> bool:
    """A ``postgresql://`` URL (a PostgreSQL store) rather than a SQLite file's path."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


_ZONES: dict[tuple[int, str], timezone] = {}


def _local_now() -> datetime:
    """The local time to the second with its UTC offset (``datetime.now().astimezone()`` without the
    microseconds), built from one ``localtime`` call: ``astimezone`` costs ~10 µs, on every sale."""
    t = time.localtime()
    zone = _ZONES.get((t.tm_gmtoff, t.tm_zone))
    if zone is None:
        zone = _ZONES[(t.tm_gmtoff, t.tm_zone)] = timezone(timedelta(seconds=t.tm_gmtoff), t.tm_zone)
    return datetime(t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, tzinfo=zone)


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parent owner-only (0700); existing folders are left as they are."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for part in reversed(missing):
        part.mkdir(mode=0o700, exist_ok=True)
        os.chmod(part, 0o700)  # mkdir's mode is filtered by the umask


def exposed(paths: list[Path]) -> list[Path]:
    """Those of ``paths`` that exist and that other users of the machine may read or write."""
    found = []
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError:
            continue
        if stat.S_IMODE(mode) & 0o077:
            found.append(path)
    return found


class _WriteBlock:
    """``Store.write``'s block as a plain context manager (a generator-based one costs more on every sale)."""

    __slots__ = ("store",)

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> Store:
        store = self.store
        if store.conn.in_transaction:
            raise RuntimeError("nested business transaction")
        try:
            store.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise store._translate(exc) from exc
        # The chain tip is only trusted while we hold the write lock: cleared on both sides.
        store._chain_tip = store._tx_now = None
        return store

    def __exit__(self, exc_type, _exc, _tb) -> bool:
        store = self.store
        if exc_type is not None:
            store._chain_tip = store._tx_now = None
            if store.conn.in_transaction:
                store.conn.execute("ROLLBACK")
            return False  # the error goes on
        try:
            store.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if store.conn.in_transaction:
                store.conn.execute("ROLLBACK")
            raise store._translate(exc) from exc
        finally:
            store._chain_tip = store._tx_now = None
        return False


class Store:
    """A connection to the shop's database with its migrations applied."""

    engine = "sqlite"
    # Signing state (store/integrity.py): the key once read, whether old rows were signed, the signature
    # rows a ``batched_signatures`` block holds, and the per-shape insert plans.
    _signing_key: bytes | None = None
    _baseline_signed = False
    _pending_sigs: list | None = None
    _insert_plans: dict | None = None

    def __init__(self, path: str | Path, *, clock: Callable[[], datetime] = _local_now,
                 busy_timeout_ms: int | None = None, migrate: bool = True, create: bool = True,
                 readonly: bool = False, store_code: str | None = None) -> None:
        """Open (``create``: and make if missing) the store at ``path``.

        ``readonly`` (``verify``): the file must already be a store; nothing is created, migrated
        or switched to WAL, so a typo'd path or an empty file is refused and left as it was.
        """
        self.path = Path(path)
        busy_timeout_ms = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
        self.clock = clock
        create = create and not readonly
        try:
            if str(path) != ":memory:":
                self._prepare_file(create)
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=busy_timeout_ms / 1000,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            if readonly:
                conn.execute("PRAGMA query_only = ON")
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # "not a database" shows here
        except (sqlite3.Error, OSError) as exc:
            raise PosError("Cannot open the database {path}: {reason}", path=str(path), reason=str(exc)) from exc
        self.conn = conn
        self._db: Database | None = None
        self._chain_tip: str | None = None  # last signature, known inside a write transaction
        self._tx_now: str | None = None  # one timestamp per business action
        # The store (shop) this till belongs to: per-store rows (sales, X/Z, journal, chain…) carry it.
        self.store_id = 1
        if readonly:
            try:
                self._check_readable_schema()
            except BaseException:
                conn.close()
                raise
        elif migrate:
            try:
                self.migrate()
            except sqlite3.DatabaseError as exc:  # a damaged file: "database disk image is malformed"
                conn.close()
                raise PosError("Cannot open the database {path}: {reason}", path=str(path), reason=str(exc)) from exc
            except BaseException:
                conn.close()
                raise
        if store_code is not None:
            self.use_store(store_code)

    def use_store(self, code: str) -> None:
        """Make this connection a till of the store ``code`` (refused if no such store)."""
        row = self.one("SELECT id FROM stores WHERE code = ?", (code.strip().upper(),))
        if row is None:
            raise PosError("There is no store {code}. A manager creates it with: pos-tui stores add {code} NAME",
                           code=code.strip().upper())
        self.store_id = row["id"]

    def _prepare_file(self, create: bool) -> None:
        """Refuse a missing or empty store unless creating; create the file owner-only (0600).

        SQLite gives the -wal and -shm files the database file's mode, so they are private too.
        """
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            size = None
        except OSError as exc:  # e.g. a path through a file: "Not a directory"
            raise PosError("Cannot open the database {path}: {reason}", path=str(self.path),
                           reason=exc.strerror or str(exc)) from exc
        if not create:
            if size is None:
                raise PosError("Cannot open the database {path}: there is no such file. "
                               "Check the path, or create a store with: pos-tui init", path=str(self.path))
            if size == 0:
                raise PosError("Cannot open the database {path}: the file is empty, it is not a pos-tui store.",
                               path=str(self.path))
            return
        if size is None:
            make_private_dirs(self.path.parent)
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))

    @property
    def target(self) -> str:
        """What opens this store again (the file's path; a PostgreSQL store's URL)."""
        return str(self.path)

    def reopen(self, **options) -> Store:
        """A new connection to the same store and till's store (for a worker thread)."""
        options.setdefault("clock", self.clock)
        other = Store(self.path, **options)
        other.store_id = self.store_id
        return other

    def key_file(self) -> Path:
        """The signing key's file: ``<db>.key`` beside the database, or ``POS_TUI_KEY_FILE``."""
        env = os.environ.get("POS_TUI_KEY_FILE")
        return Path(env) if env else self.path.with_name(self.path.name + ".key")

    def exposed_files(self) -> list[Path]:
        """The store's files (database, WAL, SHM, signing key) that other users may read."""
        if str(self.path) == ":memory:":
            return []
        names = [self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"), self.key_file()]
        return exposed(names)

    @property
    def db(self) -> Database:
        """sqlite-utils on the same connection, for migrations and tests (imported on first use)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn)
        return self._db

    # -- schema -------------------------------------------------------------
    def _applied_names(self) -> set[str]:
        """Read without sqlite-utils: an up-to-date store (every start but the first after an
        upgrade) never imports it."""
        if not self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 (migrations.migrations_table,)).fetchone():
            return set()
        return {r[0] for r in self.conn.execute(
            f"SELECT name FROM {migrations.migrations_table} WHERE migration_set = ?", (MIGRATION_SET,))}

    def _refuse_newer_schema(self) -> set[str]:
        """The applied migration names; refuses a file written by a newer pos-tui."""
        known = set(migrations.names)
        applied = self._applied_names()
        unknown = sorted(applied - known)
        if unknown:
            raise SchemaTooNew(
                "This database was written by a newer version of pos-tui (schema {names}). "
                "Upgrade pos-tui to open it.",
                names=", ".join(unknown),
            )
        return applied

    def _check_readable_schema(self) -> None:
        """A read-only open takes the schema as it is: refuse what is not a store of this version."""
        try:
            applied = self._refuse_newer_schema()
            pending = set(migrations.names) - applied
        except sqlite3.DatabaseError as exc:
            raise PosError("Cannot open the database {path}: {reason}", path=str(self.path), reason=str(exc)) from exc
        if not applied:
            raise PosError("{path} is not a pos-tui store.", path=str(self.path))
        if pending:
            raise PosError("The store {path} was written by an older pos-tui: open it once with this version "
                           "to upgrade it, then run this again.", path=str(self.path))

    def migrate(self) -> None:
        """Apply pending migrations; refuse a file written by a newer schema."""
        if set(migrations.names) <= self._refuse_newer_schema():
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                migrations.apply(self.db)  # nests in our transaction through savepoints
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            raise self._translate(exc) from exc

    def schema_version(self) -> list[str]:
        return [m.name for m in migrations.applied(self.db)]

    # -- transactions -------------------------------------------------------
    def write(self) -> _WriteBlock:
        """One business action: ``BEGIN IMMEDIATE`` … ``COMMIT``, all or nothing (``with store.write():``)."""
        return _WriteBlock(self)

    @contextmanager
    def read(self) -> Iterator[Store]:
        """Several reads from one snapshot (a deferred read transaction); inside ``write`` it joins that one."""
        if self.conn.in_transaction:
            yield self
            return
        self.conn.execute("BEGIN")
        try:
            yield self
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def column_types(self, table: str) -> dict[str, str]:
        """``{column: INTEGER | TEXT | BLOB}`` of a table (how a value is stored, for signing)."""
        return {r[1]: (r[2] or "").upper() for r in self.conn.execute(f"PRAGMA table_info({table})")}

    def has_table(self, name: str) -> bool:
        return bool(self.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)))

    def lock_customer(self, customer_id: int) -> None:
        """Hold the customer's row until the action ends (SQLite: ``BEGIN IMMEDIATE`` already holds the file)."""

    def insert_id(self, sql: str, params: Any = ()) -> int:
        """Run an INSERT and return the new row's id."""
        return self.conn.execute(sql, params).lastrowid

    def insert_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """Insert ``rows`` in their order (ids ascending in that order): multi-row INSERTs, one statement
        for up to ``ROWS_PER_INSERT`` rows rather than one per row."""
        for start in range(0, len(rows), ROWS_PER_INSERT):
            chunk = rows[start:start + ROWS_PER_INSERT]
            key = (table, columns, len(chunk))
            sql = _MULTI_INSERT.get(key)
            if sql is None:
                one = "(" + ", ".join("?" * len(columns)) + ")"
                sql = _MULTI_INSERT[key] = (f"INSERT INTO {table}({', '.join(columns)}) VALUES "
                                            + ", ".join([one] * len(chunk)))
            self.conn.execute(sql, list(chain.from_iterable(chunk)))

    def skip_fsync(self) -> None:
        """For a file that is thrown away on a crash (the demo built beside its final place): no fsync."""
        self.conn.execute("PRAGMA synchronous = OFF")

    def checkpoint(self) -> None:
        """Fold the WAL back into the main file (before the file is moved or copied)."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @staticmethod
    def _translate(exc: sqlite3.OperationalError) -> PosError:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return StoreBusy("The database is busy (another terminal is writing). Try again.")
        if "readonly" in text or "unable to open" in text or "disk I/O" in text:
            return PosError("The database cannot be written: {reason}", reason=text)
        return PosError("Database error: {reason}", reason=text)

    # -- helpers ------------------------------------------------------------
    def now(self) -> str:
        """The time of the current action: every row one write transaction adds carries the same instant."""
        if self._tx_now is not None and self.conn.in_transaction:
            return self._tx_now
        now = self.clock().isoformat(timespec="seconds")
        if self.conn.in_transaction:
            self._tx_now = now
        return now

    def today(self) -> date:
        """The date of the current action (``now``'s: one clock reading per write transaction)."""
        return date.fromisoformat(self.now()[:10])

    # Reads go straight to the connection: sqlite-utils' query() wraps each one in a savepoint.
    def query(self, sql: str, params: Any = ()) -> list[dict]:
        cur = self.conn.execute(sql, params)
        keys = _keys(cur)
        return [dict(zip(keys, row)) for row in cur]

    def one(self, sql: str, params: Any = ()) -> dict | None:
        cur = self.conn.execute(sql, params)
        row = cur.fetchone()
        return dict(zip(_keys(cur), row)) if row is not None else None

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        """A statement on the connection (a write belongs inside ``write``)."""
        return self.conn.execute(sql, params)

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def journal(self, kind: str, user_id: int | None, terminal: int, **detail: Any) -> None:
        """Append an event to the journal (call inside ``write``); the journal is chained like fiscal records."""
        from pos_tui.store.integrity import insert_signed  # integrity imports this module

        insert_signed(self, "journal", {"created_at": self.now(), "kind": kind, "user_id": user_id,
                                        "terminal": terminal, "detail": _detail_json(detail)})

    # -- settings -----------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def put_setting(self, key: str, value: Any) -> None:
        """Set a setting (call inside ``write``)."""
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    def close(self) -> None:
        self.conn.close()
