"""Customers table and its search index (accent- and case-insensitive prefix search): FTS5 on SQLite,
``search_text`` under a GIN index on PostgreSQL (store/pg_schema.py)."""

from __future__ import annotations

import re

from pos_tui.domain.customers import Customer, sort_key
from pos_tui.store.db import Store

SEARCH_CANDIDATES = 200  # newest matches ranked per keystroke (500 cost ~4 ms of bm25 and joins on a broad prefix)
_COLUMNS = "id, first_name, last_name, company, phone, email, card_code, note, debt_limit, balance, erased"


def _customer(row: dict) -> Customer:
    return Customer(**{**row, "erased": bool(row["erased"])})


def _query_words(text: str) -> list[str]:
    """The words of a search: digits typed with spaces ("06 12") are joined, since phones are stored as digits."""
    text = (text or "").strip()
    if re.fullmatch(r"[\d\s.+-]+", text):
        text = re.sub(r"[\s.-]", "", text)
    return [w.replace('"', "") for w in re.split(r"[\s@.,;:'’()\-/]+", text) if w.replace('"', "")]


def fts_query(text: str) -> str | None:
    """User text -> FTS5 query: every word a quoted prefix term, all required."""
    terms = [f'"{w}"*' for w in _query_words(text)]
    return " ".join(terms) if terms else None


def pg_query(text: str) -> str | None:
    """User text -> PostgreSQL tsquery: every word, folded as ``customers.search_text`` is, a prefix."""
    from pos_tui.store.pg_schema import fold

    # fold() leaves no ASCII punctuation or space in a word: nothing tsquery reads as an operator.
    terms = [f"{w}:*" for word in _query_words(text) for w in fold(word).split()]
    return " & ".join(terms) if terms else None


def search(store: Store, text: str, limit: int = 50) -> list[Customer]:
    """Customers matching every word of ``text`` as a prefix; an empty text lists by name."""
    postgres = getattr(store, "engine", "sqlite") == "postgresql"
    query = pg_query(text) if postgres else fts_query(text)
    columns = ", ".join("c." + c.strip() for c in _COLUMNS.split(","))
    if query is None:
        rows = store.query(
            f"SELECT {_COLUMNS} FROM customers WHERE erased = 0 ORDER BY sort_name, id LIMIT ?",
            (limit,),
        )
    elif postgres:
        # The newest candidates, then by name: no bm25 on PostgreSQL, and the same bound per keystroke.
        rows = store.query(
            f"SELECT {columns} FROM"
            " (SELECT id FROM customers WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', ?)"
            "  ORDER BY id DESC LIMIT ?) hits"
            " JOIN customers c ON c.id = hits.id WHERE c.erased = 0"
            " ORDER BY c.sort_name, c.id LIMIT ?",
            (query, SEARCH_CANDIDATES, limit),
        )
    else:
        # Rank (bm25) only a bounded set of candidates: a one-letter prefix can match
        # tens of thousands of customers, and ranking them all costs more than a keystroke.
        rows = store.query(
            f"SELECT {columns} FROM"
            " (SELECT rowid AS id, rank FROM customers_fts WHERE customers_fts MATCH ?"
            "  ORDER BY rowid DESC LIMIT ?) hits"
            " JOIN customers c ON c.id = hits.id WHERE c.erased = 0"
            " ORDER BY hits.rank, c.sort_name, c.id LIMIT ?",
            (query, SEARCH_CANDIDATES, limit),
        )
    return [_customer(r) for r in rows]


def by_id(store: Store, customer_id: int) -> Customer | None:
    row = store.one(f"SELECT {_COLUMNS} FROM customers WHERE id = ?", (customer_id,))
    return _customer(row) if row else None


def by_card(store: Store, code: str) -> Customer | None:
    row = store.one(f"SELECT {_COLUMNS} FROM customers WHERE card_code = ? AND erased = 0", (code,))
    return _customer(row) if row else None


def card_taken(store: Store, code: str, except_id: int | None = None) -> bool:
    return store.scalar(
        "SELECT 1 FROM customers WHERE card_code = ? AND id IS DISTINCT FROM ?", (code, except_id)
    ) is not None


def insert(store: Store, fields: dict, debt_limit: int) -> int:
    now = store.now()
    return store.insert_id(
        "INSERT INTO customers(first_name, last_name, company, phone, email, card_code, note, debt_limit,"
        " created_at, updated_at, sort_name) VALUES (:first_name, :last_name, :company, :phone, :email, :card_code,"
        " :note, :debt_limit, :now, :now, :sort_name)",
        {**fields, "debt_limit": debt_limit, "now": now,
         "sort_name": sort_key(fields["last_name"], fields["first_name"], fields["company"])},
    )


def update(store: Store, customer_id: int, fields: dict) -> None:
    if {"first_name", "last_name", "company"} & set(fields):
        current = store.one("SELECT first_name, last_name, company FROM customers WHERE id = ?", (customer_id,))
        names = {**current, **{k: v for k, v in fields.items() if k in current}}
        fields = {**fields, "sort_name": sort_key(names["last_name"], names["first_name"], names["company"])}
    sets = ", ".join(f"{k} = :{k}" for k in fields)
    store.conn.execute(
        f"UPDATE customers SET {sets}, updated_at = :now WHERE id = :id",
        {**fields, "now": store.now(), "id": customer_id},
    )


def count(store: Store) -> int:
    return store.scalar("SELECT count(*) FROM customers")


def delete_range(store: Store, first_id: int, last_id: int) -> int:
    """Remove the rows ``first_id``..``last_id``: an import that failed takes back what it wrote."""
    return store.conn.execute("DELETE FROM customers WHERE id BETWEEN ? AND ?", (first_id, last_id)).rowcount


def insert_many(store: Store, rows: list[tuple[dict, int]]) -> tuple[int, int]:
    """Insert ``(fields, debt_limit)`` rows (call inside ``write``); returns the first and last new ids."""
    now = store.now()
    before = store.scalar("SELECT coalesce(max(id), 0) FROM customers")
    store.conn.executemany(
        "INSERT INTO customers(first_name, last_name, company, phone, email, card_code, note, debt_limit,"
        " created_at, updated_at, sort_name) VALUES (:first_name, :last_name, :company, :phone, :email, :card_code,"
        " :note, :debt_limit, :now, :now, :sort_name)",
        ({**fields, "debt_limit": limit, "now": now,
          "sort_name": sort_key(fields["last_name"], fields["first_name"], fields["company"])} for fields, limit in rows),
    )
    return before + 1, store.scalar("SELECT max(id) FROM customers")
