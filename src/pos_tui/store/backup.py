"""A consistent copy of a live database with SQLite's online backup API (issue 15)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from pos_tui.store.db import Store


def online_copy(store: Store, target: Path) -> None:
    """Copy ``store`` into the new file ``target`` in one step: one read snapshot of the whole file.

    In WAL mode a reader never blocks a writer, so the tills go on selling; the copy is the
    database exactly as it stood when the step began, never a half-written state."""
    dest = sqlite3.connect(str(target), isolation_level=None)
    try:
        store.conn.backup(dest)  # pages=-1: every page in one step, so no restart when the tills write
        dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
    finally:
        dest.close()
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
