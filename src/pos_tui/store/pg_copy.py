"""The SQL of ``pos-tui migrate``: a SQLite store's rows copied into an empty PostgreSQL store, ids kept.

Ids are kept because signatures name records by id and sign their ids: a renumbered record would no
longer verify. History is copied as it is, so the triggers that apply business rules to new rows
(balance follows the ledger, the day is open, append-only) are off for the copy: they would refuse
or re-apply what the source already applied. The caller runs all of it in one PostgreSQL transaction
(``PgStore.write``) and verifies before it commits.

The target is a ``PgStore`` whose connection is already open; its errors come out as the store's
(``guarded``), as every PgStore statement's do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pos_tui.store.db import Store
from pos_tui.store.pg_schema import SEARCH_COLUMNS, fold

BATCH = 5000  # rows read from SQLite per fetch
# Rows the PostgreSQL baseline made (defaults, counters): replaced by the source's.
REPLACED = ("settings", "payment_methods", "credit_outstanding")
# The store row is kept (its id is every per-store row's store_id) and given the source's code and name.
KEPT = ("stores",)
# Tables whose content an empty target may hold (what a fresh schema holds).
BASELINE_CONTENT = REPLACED + KEPT


@contextmanager
def guarded() -> Iterator[None]:
    """psycopg's errors as the store's (``IntegrityError``, ``StoreOffline``…), for the raw statements here."""
    import psycopg

    from pos_tui.store.pg import _translate

    try:
        yield
    except psycopg.Error as exc:
        raise _translate(exc) from exc


def source_tables(source: Store) -> list[str]:
    """The SQLite store's own tables: not SQLite's, not the migrations record, not the FTS5 index
    (PostgreSQL keeps its own search index, filled from ``customers.search_text``)."""
    rows = source.query("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    virtual = [r["name"] for r in rows if (r["sql"] or "").upper().startswith("CREATE VIRTUAL TABLE")]
    return [r["name"] for r in rows if r["name"] != "_sqlite_migrations" and r["name"] not in virtual
            and not any(r["name"].startswith(v + "_") for v in virtual)]


def target_tables(target: Store) -> list[str]:
    return [r["table_name"] for r in target.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        " AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'")]


def dependency_order(target: Store, tables: list[str]) -> list[str]:
    """``tables`` ordered so each comes after the tables its foreign keys point to (self-references
    are served by copying in id order)."""
    edges: dict[str, set[str]] = {t: set() for t in tables}
    for r in target.query(
            "SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent"
            " FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace"):
        if r["child"] in edges and r["parent"] in edges and r["child"] != r["parent"]:
            edges[r["child"]].add(r["parent"])
    order: list[str] = []
    placed: set[str] = set()
    while len(order) < len(tables):
        ready = sorted(t for t in tables if t not in placed and edges[t] <= placed)
        if not ready:  # a cycle between tables: not in this schema, kept in a stable order anyway
            ready = sorted(t for t in tables if t not in placed)[:1]
        order += ready
        placed.update(ready)
    return order


def rows_held(target: Store, tables: list[str]) -> dict[str, int]:
    """Tables of the target that hold rows a fresh schema does not (a second store, customers, sales…)."""
    held = {}
    for table in tables:
        if table in REPLACED:
            continue
        if table in KEPT:
            n = target.scalar(f"SELECT count(*) FROM {table} WHERE id <> 1")
        else:
            n = target.scalar(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 1) t")
        if n:
            held[table] = n
    return held


def columns(source: Store, target: Store, table: str) -> tuple[list[str], list[str]]:
    """(columns both sides have, in the source's order; source columns the target lacks)."""
    src = [r["name"] for r in source.query(f"SELECT name FROM pragma_table_info('{table}')")]
    dst = set(target.column_types(table))
    return [c for c in src if c in dst], [c for c in src if c not in dst]


def triggers_off(target: Store, tables: list[str]) -> str:
    """Switch the user triggers off until the transaction ends. ``session_replication_role = replica``
    needs a superuser (it also skips foreign-key checks); else each table's user triggers are disabled
    (table owner; foreign keys stay checked) and ``triggers_on`` enables them again before COMMIT.
    Returns the way used."""
    raw = target.conn.raw
    raw.execute("SAVEPOINT pos_replica")
    try:
        raw.execute("SET LOCAL session_replication_role = replica")
        raw.execute("RELEASE SAVEPOINT pos_replica")
        return "replica"
    except Exception:  # psycopg's InsufficientPrivilege: not a superuser
        raw.execute("ROLLBACK TO SAVEPOINT pos_replica")
        raw.execute("RELEASE SAVEPOINT pos_replica")
    for table in tables:
        raw.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    return "disable"


def triggers_on(target: Store, tables: list[str], way: str) -> None:
    raw = target.conn.raw
    if way == "replica":
        raw.execute("SET LOCAL session_replication_role = origin")
        return
    for table in tables:
        raw.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _source_rows(source: Store, table: str, cols: list[str]) -> Iterator[tuple]:
    order = " ORDER BY id" if "id" in cols else ""
    cur = source.conn.execute(f"SELECT {', '.join(cols)} FROM {table}{order}")
    while True:
        batch = cur.fetchmany(BATCH)
        if not batch:
            return
        yield from batch


def copy_table(source: Store, target: Store, table: str, cols: list[str],
               progress: Callable[[int], None] | None = None) -> int:
    """COPY the source's rows of ``table`` into the target; returns how many. Customers get their
    ``search_text`` here (``fold`` is ``pos_fold()`` in Python), so no row is written twice."""
    raw = target.conn.raw
    if table in REPLACED:
        raw.execute(f"DELETE FROM {table}")
    extra: Callable[[tuple], tuple] | None = None
    out_cols = list(cols)
    if table == "customers":
        where = [cols.index(c) for c in SEARCH_COLUMNS]
        out_cols.append("search_text")

        def extra(row: tuple) -> tuple:
            # concat_ws skips NULLs (a customer without a card code), as the trigger does.
            return (*row, fold(" ".join(row[i] for i in where if row[i] is not None)))
    n = 0
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(out_cols)}) FROM STDIN") as copy:
        for row in _source_rows(source, table, cols):
            copy.write_row(extra(row) if extra else row)
            n += 1
            if progress is not None and n % 50_000 == 0:
                progress(n)
    return n


def update_store_row(source: Store, target: Store, code: str, name: str) -> None:
    """Store 1 (every copied row's store_id) takes the shop's code, name and creation time."""
    row = source.one("SELECT created_at FROM stores WHERE id = 1") if source.has_table("stores") else None
    target.conn.raw.execute("UPDATE stores SET code = %s, name = %s, created_at = %s WHERE id = 1",
                            (code, name, (row or {}).get("created_at") or ""))


def reset_sequences(target: Store, tables: list[str]) -> None:
    """Identity columns continue after the copied ids (a new sale must not take an old sale's id)."""
    raw = target.conn.raw
    for table in tables:
        if "id" not in target.column_types(table):
            continue
        seq = raw.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()[0]
        if seq is None:
            continue
        top = raw.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
        if top is not None:
            raw.execute("SELECT setval(%s, %s)", (seq, top))


def count(store: Store, table: str) -> int:
    return store.scalar(f"SELECT count(*) FROM {table}")


def source_store_codes(source: Store) -> list[dict[str, Any]]:
    if not source.has_table("stores"):
        return [{"id": 1, "code": "MAIN", "name": ""}]
    return source.query("SELECT id, code, name FROM stores ORDER BY id")
