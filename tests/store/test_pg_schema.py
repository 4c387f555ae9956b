"""The PostgreSQL schema (issue 18) matches the SQLite one: migration names, tables and columns, indexes,
triggers and their refusals; ``fold()`` matches its SQL twin; tills starting together migrate once.

Raw psycopg connections on the throwaway cluster of tests/helpers_pg.py.
"""

from __future__ import annotations

import csv
import random
import re
import sqlite3
import threading
from pathlib import Path

import pytest

from pos_tui.domain.customers import sort_key
from pos_tui.store import customers as customers_store
from pos_tui.store import pg_schema
from pos_tui.domain.errors import PosError
from pos_tui.store.db import SchemaTooNew, Store
from pos_tui.store.migrations import migrations

psycopg = pytest.importorskip("psycopg")

SQLITE_INTERNAL = re.compile(r"^(_sqlite_migrations|customers_fts.*|sqlite_.*)$")
TYPE_FAMILY = {"INTEGER": "bigint", "TEXT": "text", "BLOB": "bytea"}
PG_ONLY_COLUMNS = {("customers", "search_text")}


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("sqlite") / "shop.db")
    yield store
    store.close()


@pytest.fixture(scope="module")
def sqlite_seeded(tmp_path_factory):
    """A SQLite store holding SEED's rows (a refused statement changes nothing: one store serves all)."""
    store = Store(tmp_path_factory.mktemp("seeded") / "shop.db")
    store.conn.executescript(SEED.split("-- Rows given their id")[0])
    yield store
    store.close()


@pytest.fixture
def pg(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        yield conn


def _sqlite_tables(store: Store) -> list[str]:
    return [r["name"] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if not SQLITE_INTERNAL.match(r["name"])]


def _refusal(conn, sql: str, params=()) -> str:
    """The error text PostgreSQL answers ``sql`` with (the statement must fail)."""
    with pytest.raises(psycopg.Error) as info:
        conn.execute(sql, params)
    return info.value.diag.message_primary


# -- names and shape --------------------------------------------------------------------------------------

def test_pg_migration_names_are_the_sqlite_ones():
    assert pg_schema.BASELINE_NAMES + [n for n, _ in pg_schema.PG_MIGRATIONS] == migrations.names


def test_pg_records_every_migration_name(pg):
    assert pg_schema.applied_names(pg) == set(migrations.names)


def test_pg_has_every_sqlite_table_and_column_with_its_type_nullability_and_default(sqlite_store, pg):
    pg_columns = {(r[0], r[1]): r[2:] for r in pg.execute(
        "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns"
        " WHERE table_schema = current_schema()")}
    pg_tables = {t for t, _c in pg_columns}
    sqlite_tables = _sqlite_tables(sqlite_store)
    assert pg_tables == set(sqlite_tables) | {"schema_migrations"}
    seen = set()
    for table in sqlite_tables:
        for col in sqlite_store.query(f"PRAGMA table_info({table})"):
            key = (table, col["name"])
            assert key in pg_columns, key
            data_type, nullable, default = pg_columns[key]
            assert data_type == TYPE_FAMILY[col["type"]], key
            assert (nullable == "NO") == bool(col["notnull"] or col["pk"]), key
            if col["pk"] and col["type"] == "INTEGER":
                assert default is None, key  # an identity column: no default expression
            else:
                pg_default = re.sub(r"::(text|bigint)$", "", default) if default is not None else None
                assert pg_default == col["dflt_value"], key
            seen.add(key)
    assert set(pg_columns) - seen == PG_ONLY_COLUMNS | {("schema_migrations", "name"),
                                                         ("schema_migrations", "applied_at")}


def test_pg_has_every_sqlite_index_with_the_same_uniqueness(sqlite_store, pg):
    sqlite_indexes = {r["name"]: r["sql"] for r in sqlite_store.query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        if not SQLITE_INTERNAL.match(r["name"]) and not r["name"].startswith("idx__sqlite_migrations")}
    pg_indexes = {r[0]: r[1] for r in pg.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")}
    for name, sql in sqlite_indexes.items():
        assert name in pg_indexes, name
        assert sql.startswith("CREATE UNIQUE") == pg_indexes[name].startswith("CREATE UNIQUE"), name
        assert (" WHERE " in sql) == (" WHERE " in pg_indexes[name]), name
        sqlite_cols = [r["name"] for r in sqlite_store.query(f"PRAGMA index_info({name})")]
        pg_cols = [r[0] for r in pg.execute(
            "SELECT coalesce(a.attname, pg_get_indexdef(i.indexrelid, k.n::int, true))"
            " FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)"
            " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
            " WHERE i.indexrelid = %s::regclass ORDER BY k.n", (name,))]
        if name == "users_name":  # NOCASE on SQLite, lower() on PostgreSQL
            assert (sqlite_cols, pg_cols) == (["name"], ["lower(name)"])
        else:
            assert pg_cols == sqlite_cols, name


def test_pg_has_every_sqlite_foreign_key(sqlite_store, pg):
    pg_keys = set(pg.execute(
        "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, fa.attname"
        " FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
        " JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]"
        " WHERE c.contype = 'f'").fetchall())
    sqlite_keys = {(table, r["from"], r["table"], r["to"]) for table in _sqlite_tables(sqlite_store)
                   for r in sqlite_store.query(f"PRAGMA foreign_key_list({table})")}
    assert len(sqlite_keys) > 20 and pg_keys == sqlite_keys


def test_pg_has_every_sqlite_trigger(sqlite_store, pg):
    fts = {"customers_ai", "customers_ad", "customers_au"}  # FTS5 upkeep: search_text's trigger instead
    sqlite_triggers = {r["name"] for r in sqlite_store.query("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    pg_triggers = {r[0] for r in pg.execute(
        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
    assert sqlite_triggers - fts <= pg_triggers
    assert "customers_search_text" in pg_triggers


def test_pg_baseline_rows_are_those_of_a_new_sqlite_store(sqlite_store, pg):
    for table, order in (("payment_methods", "code"), ("stores", "id"), ("credit_outstanding", "id"),
                         ("settings", "key")):
        expected = [tuple(r.values()) for r in sqlite_store.query(f"SELECT * FROM {table} ORDER BY {order}")]
        assert pg.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall() == expected, table
    # Rows inserted with their id: the identity goes on after them.
    assert pg.execute("INSERT INTO stores (code, name, created_at) VALUES ('B2', 'Second', '') RETURNING id"
                      ).fetchone() == (2,)


# -- triggers ---------------------------------------------------------------------------------------------

SEED = """
INSERT INTO users (id, name, pin_hash, role, created_at) VALUES (1, 'Manon', 'x', 'manager', '2026-01-01');
INSERT INTO customers (id, first_name, last_name, created_at, updated_at) VALUES (1, 'Claire', 'Martin', '', '');
INSERT INTO products (id, barcode, name, price, vat_rate) VALUES (1, '3000000000001', 'Pain', 120, 550);
INSERT INTO customer_cards (id, customer_id, code, name, created_at) VALUES (1, 1, 'C1', 'Claire', '');
INSERT INTO credit_ledger (id, customer_id, kind, amount, method, user_id, terminal, created_at, balance_after,
  business_day) VALUES (1, 1, 'top_up', 1000, 'ESP', 1, 1, '2026-01-02 10:00', 1000, '2026-01-02');
INSERT INTO journal (id, created_at, kind, user_id, terminal) VALUES (1, '2026-01-02', 'login', 1, 1);
INSERT INTO sales (id, number, user_id, terminal, created_at, business_day, total)
  VALUES (1, 1, 1, 1, '2026-01-02 10:00', '2026-01-02', 120);
INSERT INTO sale_lines (id, sale_id, line_no, kind, product_id, name, quantity, unit_price, vat_rate, total)
  VALUES (1, 1, 1, 'product', 1, 'Pain', 1, 120, 550, 120);
INSERT INTO sale_payments (id, sale_id, method, amount) VALUES (1, 1, 'ESP', 120);
INSERT INTO vouchers (id, code, kind, amount, issued_sale_id, issued_at) VALUES (1, 'V1', 'gift', 500, 1, '');
INSERT INTO voucher_parts (id, voucher_id, vat_rate, amount) VALUES (1, 1, 0, 500);
INSERT INTO voucher_redemptions (id, voucher_id, sale_id, redeemed_at) VALUES (1, 1, 1, '');
INSERT INTO receipt_prints (id, doc_kind, doc_id, copy_no, terminal, printed_at, status)
  VALUES (1, 'sale', 1, 0, 1, '', 'printed');
INSERT INTO cash_movements (id, business_day, kind, amount, reason, user_id, terminal, created_at)
  VALUES (1, '2026-01-02', 'float', 10000, 'Fond', 1, 1, '');
INSERT INTO z_closings (id, number, business_day, closed_at, user_id, terminal, figures, expected_cash,
  period_total, perpetual_total) VALUES (1, 1, '2026-01-01', '', 1, 1, '{}', 0, 0, 0);
INSERT INTO signatures (id, table_name, record_id, sig) VALUES (1, 'sales', 1, 'abc');
INSERT INTO staff_log (id, user_id, kind, name, role, rights, active, pin_tag, terminal, created_at)
  VALUES (1, 1, 'created', 'Manon', 'manager', '', 1, 't', 1, '');
INSERT INTO period_closings (id, kind, period, number, day_from, day_to, closed_at, user_id, terminal, figures,
  z_count, period_total, perpetual_total) VALUES (1, 'month', '2025-12', 1, '', '', '', 1, 1, '{}', 0, 0, 0);
INSERT INTO product_prices (id, product_id, price, vat_rate, name, terminal, changed_at, source)
  VALUES (1, 1, 120, 550, 'Pain', 1, '', 'before history');
-- Rows given their id: the identities go on after them.
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT table_name FROM information_schema.columns
           WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES' LOOP
    EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''id''), (SELECT max(id) FROM %I))',
                   r.table_name, r.table_name);
  END LOOP;
END $$;
"""


def _append_only_tables(store: Store) -> list[str]:
    """The tables SQLite keeps append-only (their triggers say so)."""
    return sorted({r["tbl_name"] for r in store.query(
        "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%is append-only%'"
        " AND name LIKE '%_no_update'")})


def test_pg_append_only_tables_refuse_update_delete_and_truncate(sqlite_store, pg):
    pg.execute(SEED)
    tables = _append_only_tables(sqlite_store)
    assert len(tables) == 15 and set(tables) == set(pg_schema.APPEND_ONLY)
    for table in tables:
        assert pg.execute(f"SELECT count(*) FROM {table}").fetchone() == (1,), table  # the seed reached it
        message = f"{table} is append-only"
        assert _refusal(pg, f"UPDATE {table} SET id = id") == message
        assert _refusal(pg, f"DELETE FROM {table}") == message
        assert _refusal(pg, f"TRUNCATE {table} CASCADE") == message
        assert pg.execute(f"SELECT count(*) FROM {table}").fetchone() == (1,), table


def test_pg_stores_can_be_renamed_but_never_removed(pg):
    pg.execute("UPDATE stores SET name = 'Épicerie' WHERE id = 1")
    assert _refusal(pg, "DELETE FROM stores") == "stores is append-only"
    assert _refusal(pg, "TRUNCATE stores CASCADE") == "stores is append-only"
    assert pg.execute("SELECT code, name FROM stores").fetchall() == [("MAIN", "Épicerie")]


def _ledger(conn, kind: str, amount: int, balance_after: int, day: str = "2026-01-03", at: str = "2026-01-03 10:00"):
    conn.execute("INSERT INTO credit_ledger (customer_id, kind, amount, method, user_id, terminal, created_at,"
                 " balance_after, business_day) VALUES (1, %s, %s, 'ESP', 1, 1, %s, %s, %s)",
                 (kind, amount, at, balance_after, day))


def test_pg_ledger_refuses_a_balance_it_does_not_follow(pg):
    pg.execute(SEED)  # Claire at 10.00
    assert _refusal(pg, "INSERT INTO credit_ledger (customer_id, kind, amount, user_id, terminal, created_at,"
                        " balance_after) VALUES (1, 'top_up', 500, 1, 1, '', 1600)") == \
        "credit_ledger entry does not follow the balance"
    for kind, amount in (("top_up", -500), ("refund", 500), ("sale_payment", 0), ("gift", 500)):
        assert _refusal(pg, "INSERT INTO credit_ledger (customer_id, kind, amount, user_id, terminal, created_at,"
                            " balance_after) VALUES (1, %s, %s, 1, 1, '', %s)", (kind, amount, 1000 + amount)) == \
            "credit_ledger entry does not follow the balance", kind
    assert _refusal(pg, "UPDATE customers SET balance = 5000 WHERE id = 1") == \
        "customers.balance follows the credit ledger"
    assert pg.execute("SELECT balance, debt_since FROM customers WHERE id = 1").fetchone() == (1000, None)


def test_pg_ledger_moves_the_balance_the_debt_date_and_the_outstanding_totals(pg):
    pg.execute(SEED)
    assert pg.execute("SELECT credit, debt, n_credit, n_debt FROM credit_outstanding").fetchone() == (1000, 0, 1, 0)
    _ledger(pg, "sale_payment", -1500, -500, at="2026-01-03 10:00")
    _ledger(pg, "sale_payment", -200, -700, at="2026-01-03 11:00")
    assert pg.execute("SELECT balance, debt_since FROM customers WHERE id = 1").fetchone() == \
        (-700, "2026-01-03 10:00")
    assert pg.execute("SELECT credit, debt, n_credit, n_debt FROM credit_outstanding").fetchone() == (0, 700, 0, 1)
    _ledger(pg, "top_up", 700, 0)
    assert pg.execute("SELECT balance, debt_since FROM customers WHERE id = 1").fetchone() == (0, None)
    assert pg.execute("SELECT credit, debt, n_credit, n_debt FROM credit_outstanding").fetchone() == (0, 0, 0, 0)
    pg.execute("INSERT INTO customers (first_name, created_at, updated_at) VALUES ('Paul', '', '')")
    pg.execute("DELETE FROM customers WHERE first_name = 'Paul'")
    assert pg.execute("SELECT credit, debt, n_credit, n_debt FROM credit_outstanding").fetchone() == (0, 0, 0, 0)


def test_pg_a_closed_day_refuses_new_rows_in_its_store_only(pg):
    pg.execute(SEED)  # store 1 closed 2026-01-01
    assert _refusal(pg, "INSERT INTO cash_movements (business_day, kind, amount, reason, user_id, terminal,"
                        " created_at) VALUES ('2026-01-01', 'in', 100, 'x', 1, 1, '')") == \
        "this business day is closed (Z)"
    assert _refusal(pg, "INSERT INTO sales (number, user_id, terminal, created_at, business_day, total)"
                        " VALUES (2, 1, 1, '', '2025-12-31', 0)") == "this business day is closed (Z)"
    # Closed day and wrong balance at once: the day is named first, as on SQLite (newest trigger first).
    assert _refusal(pg, "INSERT INTO credit_ledger (customer_id, kind, amount, user_id, terminal, created_at,"
                        " balance_after, business_day) VALUES (1, 'top_up', 500, 1, 1, '', 99, '2026-01-01')") == \
        "this business day is closed (Z)"
    pg.execute("INSERT INTO stores (code, name, created_at) VALUES ('B2', 'Second', '')")
    pg.execute("INSERT INTO sales (number, user_id, terminal, created_at, business_day, total, store_id)"
               " VALUES (1, 1, 1, '', '2026-01-01', 0, 2)")
    assert pg.execute("SELECT count(*) FROM sales WHERE store_id = 2").fetchone() == (1,)


@pytest.mark.parametrize("sql, message", [
    ("UPDATE customers SET debt_limit = -1", "debt limit must be >= 0"),
    ("INSERT INTO products (barcode, name, price, vat_rate) VALUES ('9', 'x', 1, 700)", "unknown VAT rate"),
    ("UPDATE products SET vat_rate = 700", "unknown VAT rate"),
    ("UPDATE products SET price = -1", "a price cannot be negative"),
    ("INSERT INTO sale_lines (sale_id, line_no, kind, name, quantity, unit_price, vat_rate, total)"
     " VALUES (1, 2, 'product', 'x', 2, 100, 550, 201)", "sale line total or VAT rate is wrong"),
    ("INSERT INTO vouchers (code, kind, amount, issued_sale_id, issued_at) VALUES ('V2', 'gift', 0, 1, '')",
     "bad voucher"),
    ("INSERT INTO cash_movements (business_day, kind, amount, reason, user_id, terminal, created_at)"
     " VALUES ('2026-02-01', 'gift', 100, 'x', 1, 1, '')", "bad cash movement"),
    ("INSERT INTO period_closings (kind, period, number, day_from, day_to, closed_at, user_id, terminal, figures,"
     " z_count, period_total, perpetual_total) VALUES ('week', 'w1', 2, '', '', '', 1, 1, '{}', 0, 0, 0)",
     "bad period closing"),
    ("INSERT INTO customer_cards (customer_id, code, name, daily_limit, created_at) VALUES (1, 'C2', 'x', -1, '')",
     "daily limit must be >= 0"),
    ("UPDATE customer_cards SET daily_limit = -5", "daily limit must be >= 0"),
    ("INSERT INTO email_queue (created_at, kind, to_addr, subject, body, next_try_at)"
     " VALUES ('', 'spam', 'a@b.fr', 's', 'b', '')", "bad e-mail"),
])
def test_pg_checks_refuse_with_the_sqlite_text(pg, sqlite_seeded, sql, message):
    pg.execute(SEED)
    assert _refusal(pg, sql) == message
    # The same statement on a SQLite store with the same rows: refused with the same text.
    with pytest.raises(sqlite3.IntegrityError) as info:
        sqlite_seeded.conn.execute(sql)
    assert str(info.value) == message


def test_pg_users_names_are_unique_whatever_the_case(pg):
    pg.execute(SEED)
    assert "users_name" in _refusal(pg, "INSERT INTO users (name, pin_hash, role, created_at)"
                                        " VALUES ('MANON', 'y', 'cashier', '')")


# -- migrating --------------------------------------------------------------------------------------------

@pytest.fixture
def empty_db(pg_server):
    with pg_server.connect() as conn:
        conn.execute("CREATE DATABASE empty_one TEMPLATE template0")
    try:
        yield pg_server.url("empty_one")
    finally:
        with pg_server.connect() as conn:
            conn.execute("DROP DATABASE IF EXISTS empty_one WITH (FORCE)")


def test_pg_two_tills_starting_at_once_migrate_once(empty_db):
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def till(i: int) -> None:
        try:
            with psycopg.connect(empty_db, autocommit=True) as conn:
                barrier.wait(timeout=30)
                results[i] = pg_schema.migrate(conn)
        except Exception as exc:  # reported below
            results[i] = exc

    threads = [threading.Thread(target=till, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(results, key=len) == [[], migrations.names]
    with psycopg.connect(empty_db, autocommit=True) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT name) FROM schema_migrations").fetchone() == \
            (len(migrations.names), len(migrations.names))
        assert conn.execute("SELECT count(*) FROM stores").fetchone() == (1,)
        assert pg_schema.migrate(conn) == []  # a later start: nothing to do


def test_pg_refuses_a_database_from_a_newer_version(pg):
    pg.execute("INSERT INTO schema_migrations (name, applied_at) VALUES ('m0999_future', '')")
    with pytest.raises(SchemaTooNew) as info:
        pg_schema.migrate(pg)
    assert "m0999_future" in info.value.message
    assert pg_schema.applied_names(pg) == set(migrations.names) | {"m0999_future"}


def test_pg_refuses_a_database_holding_part_of_the_baseline(empty_db):
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at text)")
        conn.execute("INSERT INTO schema_migrations VALUES ('m0001_foundation', '')")
        with pytest.raises(PosError) as info:
            pg_schema.migrate(conn)
        assert "m0002_sales" in info.value.message and "m0001_foundation" not in info.value.message
        assert conn.execute("SELECT to_regclass('customers')").fetchone() == (None,)  # nothing applied


def test_pg_missing_server_binaries_skip_the_tests_but_fail_under_ci(monkeypatch):
    import helpers_pg

    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        helpers_pg._missing("no initdb")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception) as info:
        helpers_pg._missing("no initdb")
    assert "no initdb" in str(info.value) and "ensure_postgres" in str(info.value)


def test_pg_applied_names_of_an_empty_database(empty_db):
    with psycopg.connect(empty_db, autocommit=True) as conn:
        assert pg_schema.applied_names(conn) == set()


# -- search -----------------------------------------------------------------------------------------------

def _samples() -> list[str]:
    rng = random.Random(18)
    letters = pg_schema._FROM + "".join(pg_schema._MULTI) + "abcXYZ09 '-_.,@+/()&|!:*\\\"«»’" + "ΣσЖж中é"
    out = [pg_schema._FROM, "".join(pg_schema._MULTI), "", "   ", "Œuvre Éloïse  l'Haÿ-les-Roses", "a\tb\nc"]
    out += ["".join(rng.choice(letters) for _ in range(rng.randint(1, 30))) for _ in range(600)]
    return out


def test_pg_fold_matches_its_sql_twin(pg):
    samples = _samples()
    rows = pg.execute("SELECT pos_fold(s) FROM unnest(%s::text[]) WITH ORDINALITY AS u(s, n) ORDER BY n",
                      (samples,)).fetchall()
    assert [r[0] for r in rows] == [pg_schema.fold(s) for s in samples]
    assert pg_schema.fold("Œuvre Éloïse  l'HAŸ-les-Roses, STRASSE ß 06.12") == \
        "oeuvre eloise l hay les roses strasse ss 06 12"


def test_pg_fold_splits_and_folds_the_demo_customers_as_sqlite_fts_does():
    """unicode61 remove_diacritics 2 on the demo data: the same words (fold() also spells out œ, æ, ß)."""
    path = Path(customers_store.__file__).parent.parent / "data" / "customers.csv"
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(t, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')")
    for row in rows:
        text = " ".join(row[c] for c in pg_schema.SEARCH_COLUMNS)
        conn.execute("DELETE FROM f")
        conn.execute("INSERT INTO f(t) VALUES (?)", (text,))
        assert [r[0] for r in conn.execute("SELECT term FROM v ORDER BY offset")] == pg_schema.fold(text).split()
    assert len(rows) >= 50


class _PgReader:
    """The reads ``customers.search`` makes, on a raw connection (``?`` placeholders as the stores write them)."""

    engine = "postgresql"

    def __init__(self, conn) -> None:
        self.conn = conn

    def query(self, sql: str, params=()) -> list[dict]:
        cur = self.conn.execute(sql.replace("?", "%s"), params)
        keys = [d.name for d in cur.description]
        return [dict(zip(keys, row)) for row in cur]


PEOPLE = [
    ("Éloïse", "Dupont", "", "0612345678", "eloise.dupont@example.fr", "CL1"),
    ("Marc", "Dupré", "Œuvres & Cie", "0699887766", "marc@dupre.fr", None),
    ("Marie", "Béranger", "", "0145678901", "marie.beranger@gmail.com", "CL3"),
    ("Hélène", "Brunet", "L'Atelier Lumière", "", "", None),
    ("Jean", "Straße", "", "", "", None),
    ("Marie", "Duval", "", "", "", None),
]


def _fill(pg, sqlite_store) -> None:
    with sqlite_store.write():
        for first, last, company, phone, email, card in PEOPLE:
            customers_store.insert(sqlite_store, {"first_name": first, "last_name": last, "company": company,
                                                  "phone": phone, "email": email, "card_code": card, "note": ""}, 0)
    for first, last, company, phone, email, card in PEOPLE:
        pg.execute("INSERT INTO customers (first_name, last_name, company, phone, email, card_code, created_at,"
                   " updated_at, sort_name) VALUES (%s, %s, %s, %s, %s, %s, '', '', %s)",
                   (first, last, company, phone, email, card, sort_key(last, first, company)))
    # Erased customers are found by neither engine.
    pg.execute("UPDATE customers SET erased = 1 WHERE last_name = 'Duval'")
    sqlite_store.execute("UPDATE customers SET erased = 1 WHERE last_name = 'Duval'")


def test_pg_search_finds_what_sqlite_finds(pg, tmp_path):
    sqlite_store = Store(tmp_path / "shop.db")
    try:
        _fill(pg, sqlite_store)
        reader = _PgReader(pg)
        queries = ["dup", "DUP", "élo", "eloi", "mar dup", "marie", "béran", "gmail", "06 12", "0699", "cl3",
                   "lumi", "atelier", "l'atel", "hel", "brunet hélène", "xyz", "dupont marc", "example.fr",
                   "œuv", "dupré", '"dup"', "m", "Duval"]
        for text in queries:
            on_pg = [(c.first_name, c.last_name) for c in customers_store.search(reader, text)]
            on_sqlite = [(c.first_name, c.last_name) for c in customers_store.search(sqlite_store, text)]
            assert sorted(on_pg) == sorted(on_sqlite), text
        assert [c.last_name for c in customers_store.search(reader, "dup")] == ["Dupont", "Dupré"]
        assert [c.last_name for c in customers_store.search(reader, "mar")] == ["Béranger", "Dupré"]
        # œ, æ and ß are spelled out on PostgreSQL (FTS5 keeps them as they are).
        assert [c.last_name for c in customers_store.search(reader, "oeuvres")] == ["Dupré"]
        assert [c.last_name for c in customers_store.search(reader, "strasse")] == ["Straße"]
        assert [c.last_name for c in customers_store.search(reader, "")] == \
            [c.last_name for c in customers_store.search(sqlite_store, "")]
    finally:
        sqlite_store.close()


def test_pg_search_text_follows_edits(pg):
    pg.execute("INSERT INTO customers (first_name, last_name, created_at, updated_at) VALUES ('Zoé', 'Àlix', '', '')")
    assert pg.execute("SELECT search_text FROM customers").fetchone() == ("zoe alix",)
    pg.execute("UPDATE customers SET phone = '06 11', card_code = 'AB-12'")
    assert pg.execute("SELECT search_text FROM customers").fetchone() == ("zoe alix 06 11 ab 12",)
    reader = _PgReader(pg)
    assert [c.first_name for c in customers_store.search(reader, "0611")] == []  # words, as FTS5 splits them
    assert [c.first_name for c in customers_store.search(reader, "ab 12")] == ["Zoé"]


def test_pg_search_through_the_pg_store(pg_url, tmp_path, monkeypatch):
    from pos_tui.store.pg import PgStore

    monkeypatch.setenv("POS_TUI_PG_FILES", str(tmp_path))
    store = PgStore(pg_url)
    try:
        with store.write():
            for first, last, company, phone, email, card in PEOPLE:
                customers_store.insert(store, {"first_name": first, "last_name": last, "company": company,
                                               "phone": phone, "email": email, "card_code": card, "note": ""}, 0)
        assert [c.last_name for c in customers_store.search(store, "ÉLO")] == ["Dupont"]
        assert [c.last_name for c in customers_store.search(store, "mar d")] == ["Dupré", "Duval"]
        assert [c.last_name for c in customers_store.search(store, "06 99")] == ["Dupré"]
        with store.write():
            customers_store.update(store, customers_store.search(store, "duval")[0].id, {"last_name": "Lemaître"})
        assert [c.last_name for c in customers_store.search(store, "lemai")] == ["Lemaître"]
        assert customers_store.search(store, "duval") == []
    finally:
        store.close()
