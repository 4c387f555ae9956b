"""The store: one SQLite file, opened the same way by every process.

Every connection sets WAL, ``synchronous=FULL``, ``foreign_keys=ON`` and a busy
timeout; every business write runs inside ``BEGIN IMMEDIATE`` (``Store.write``)
so a check and the write it guards can never be split by another terminal.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from sqlite_utils import Database

from pos_tui.domain.errors import PosError, StoreBusy
from pos_tui.store.migrations import migrations

BUSY_TIMEOUT_MS = 8000


class SchemaTooNew(PosError):
    """The file was written by a newer pos-tui."""


def _local_now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


class Store:
    """A connection to the shop's database with its migrations applied."""

    def __init__(self, path: str | Path, *, clock: Callable[[], datetime] = _local_now,
                 busy_timeout_ms: int | None = None, migrate: bool = True) -> None:
        self.path = Path(path)
        busy_timeout_ms = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
        self.clock = clock
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=busy_timeout_ms / 1000,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except (sqlite3.Error, OSError) as exc:
            raise PosError("Cannot open the database {path}: {reason}", path=str(path), reason=str(exc)) from exc
        self.conn = conn
        self.db = Database(conn)
        if migrate:
            try:
                self.migrate()
            except BaseException:
                conn.close()
                raise

    # -- schema -------------------------------------------------------------
    def migrate(self) -> None:
        """Apply pending migrations; refuse a file written by a newer schema."""
        known = {m.name for m in migrations._migrations}
        applied = {m.name for m in migrations.applied(self.db)}
        unknown = sorted(applied - known)
        if unknown:
            raise SchemaTooNew(
                "This database was written by a newer version of pos-tui (schema {names}). "
                "Upgrade pos-tui to open it.",
                names=", ".join(unknown),
            )
        if not migrations.pending(self.db):
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
    @contextmanager
    def write(self) -> Iterator[Database]:
        """One business action: ``BEGIN IMMEDIATE`` … ``COMMIT``, all or nothing."""
        if self.conn.in_transaction:
            raise RuntimeError("nested business transaction")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._translate(exc) from exc
        try:
            yield self.db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise self._translate(exc) from exc

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
        return self.clock().isoformat(timespec="seconds")

    def query(self, sql: str, params: Any = ()) -> list[dict]:
        return list(self.db.query(sql, params))

    def one(self, sql: str, params: Any = ()) -> dict | None:
        for row in self.db.query(sql, params):
            return row
        return None

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def journal(self, kind: str, user_id: int | None, terminal: int, **detail: Any) -> None:
        """Append an event to the journal (call inside ``write``)."""
        self.db.execute(
            "INSERT INTO journal(created_at, kind, user_id, terminal, detail) VALUES (?, ?, ?, ?, ?)",
            (self.now(), kind, user_id, terminal, json.dumps(detail, ensure_ascii=False, sort_keys=True)),
        )

    # -- settings -----------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def put_setting(self, key: str, value: Any) -> None:
        """Set a setting (call inside ``write``)."""
        self.db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    def close(self) -> None:
        self.conn.close()
