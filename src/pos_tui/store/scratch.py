"""Scratch space for work too big for memory: a private temporary SQLite file, never the store."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator


class Scratch:
    """Keys met so far (card codes, barcodes) and rows kept for later, on disk rather than in RAM.

    ``""`` as the file name gives a private temporary database that spills to disk once it
    outgrows SQLite's cache and is deleted on close, so checking a million rows needs no
    million-entry dict or list.
    """

    def __init__(self) -> None:
        self.conn = sqlite3.connect("", isolation_level=None)
        self.conn.execute("CREATE TABLE seen(key TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID")
        self.conn.execute("CREATE TABLE kept(n INTEGER PRIMARY KEY, data TEXT NOT NULL)")
        self.conn.execute("BEGIN")  # one transaction: nothing here needs to survive a crash

    def seen(self, key: str, line: int) -> int | None:
        """Remember ``key``; the line it was first met on if it was already there, else ``None``."""
        if self.conn.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (key, line)).rowcount:
            return None
        return self.conn.execute("SELECT line FROM seen WHERE key = ?", (key,)).fetchone()[0]

    def keep(self, values: object) -> None:
        """Keep a row (anything JSON can hold) to read back, in order, with ``kept``."""
        self.conn.execute("INSERT INTO kept(data) VALUES (?)", (json.dumps(values, ensure_ascii=False),))

    def kept(self) -> Iterator:
        for (data,) in self.conn.execute("SELECT data FROM kept ORDER BY n"):
            yield json.loads(data)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Scratch":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
