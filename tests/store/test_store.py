"""The SQLite store (SPEC §3 search, §11): pragmas, STRICT tables, migrations, errors, locking."""

from __future__ import annotations

import sqlite3
import time

import pytest

from helpers_core import make_customer, make_store, raw_connect
from pos_tui.domain.errors import PosError, StoreBusy
from pos_tui.services import credit, customers
from pos_tui.store import Store
from pos_tui.store.db import SchemaTooNew
from pos_tui.store.migrations import MIGRATION_SET, migrations


# -- connection settings -------------------------------------------------------------

def test_pragmas(tmp_path):
    store = Store(tmp_path / "shop.db")
    assert store.scalar("PRAGMA journal_mode") == "wal"
    assert store.scalar("PRAGMA foreign_keys") == 1
    assert store.scalar("PRAGMA synchronous") == 2  # FULL
    assert store.scalar("PRAGMA busy_timeout") >= 5000
    store.close()
    # WAL is persistent in the file: a plain connection sees it too
    raw = raw_connect(tmp_path / "shop.db")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_tables_are_strict(tmp_path):
    store = Store(tmp_path / "shop.db")
    for table in ("settings", "users", "payment_methods", "customers", "products", "credit_ledger", "journal"):
        sql = store.scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))
        assert sql is not None, table
        assert sql.rstrip().upper().endswith("STRICT"), table


def test_float_balance_refused_by_strict_table(tmp_path):
    store = Store(tmp_path / "shop.db")
    with pytest.raises(sqlite3.IntegrityError, match="REAL|INTEGER"):
        store.conn.execute(
            "INSERT INTO customers(first_name, balance, created_at, updated_at) VALUES ('X', 12.5, 'a', 'b')"
        )
    assert store.scalar("SELECT count(*) FROM customers") == 0
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            "INSERT INTO customers(first_name, debt_limit, created_at, updated_at) VALUES ('X', '10 euros', 'a', 'b')"
        )
    assert store.scalar("SELECT count(*) FROM customers") == 0


def test_shipped_payment_methods(tmp_path):
    store = Store(tmp_path / "shop.db")
    rows = {r["code"]: r for r in store.query("SELECT * FROM payment_methods")}
    assert set(rows) == {"ESP", "CB", "CHQ", "CRED"}
    assert rows["ESP"]["is_cash"] == 1 and rows["ESP"]["opens_drawer"] == 1
    assert rows["CB"]["is_cash"] == 0
    assert all(r["enabled"] == 1 for r in rows.values())


# -- search (SPEC §3) -------------------------------------------------------------------

def _build_shop(path):
    store, manager, _cashier = make_store(path)
    people = {
        "helene": make_customer(manager, "Hélène", "Dubois", phone="06 12 34 56 78", card_code="CARD1234",
                                email="helene.dubois@example.fr"),
        "claire": make_customer(manager, "Claire", "Martin", phone="0798765432", company="Boulangerie Élan"),
        "eric": make_customer(manager, "Éric", "Albert", card_code="ZX990011"),
        "bob": make_customer(manager, "Bob", "Zélé"),
    }
    return store, manager, people


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """Read-only tests share one shop."""
    store, manager, people = _build_shop(tmp_path_factory.mktemp("search"))
    yield store, manager, people
    store.close()


@pytest.fixture
def fresh_shop(tmp_path):
    """For tests that change customers."""
    return _build_shop(tmp_path)


def _ids(found):
    return [c.id for c in found]


@pytest.mark.parametrize("text", ["hel", "HEL", "Hél", "hélène", "HELENE", "dubo", "DUBOIS", "hel dub", "dub hel"])
def test_search_finds_helene(shop, text):
    store, _m, people = shop
    assert _ids(customers.search(store, text)) == [people["helene"].id]


@pytest.mark.parametrize("text", ["0612", "06 12", "06.12.34", "0612345678", "06 12 34 56 78"])
def test_search_by_phone_prefix(shop, text):
    store, _m, people = shop
    assert _ids(customers.search(store, text)) == [people["helene"].id]


def test_phone_stored_as_digits(shop):
    store, _m, people = shop
    assert store.scalar("SELECT phone FROM customers WHERE id = ?", (people["helene"].id,)) == "0612345678"


@pytest.mark.parametrize("text, who", [("card12", "helene"), ("CARD1234", "helene"), ("zx99", "eric"),
                                       ("eric", "eric"), ("ERIC", "eric"), ("elan", "claire"),
                                       ("boulang", "claire"), ("zele", "bob"), ("helene.dub", "helene")])
def test_search_card_company_accents(shop, text, who):
    store, _m, people = shop
    assert _ids(customers.search(store, text)) == [people[who].id]


def test_search_no_match_and_middle_of_word(shop):
    store, _m, _people = shop
    assert customers.search(store, "xyz") == []
    assert customers.search(store, "lene") == []  # prefix matching, not substring
    assert customers.search(store, 'he"l') == customers.search(store, "hel")  # quotes cannot break FTS syntax


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_search_lists_by_name(shop, text):
    store, _m, people = shop
    found = customers.search(store, text)
    # ordered by last name: Albert, Dubois, Martin, Zélé
    assert _ids(found) == [people[k].id for k in ("eric", "helene", "claire", "bob")]


def test_search_follows_updates_and_erasure(fresh_shop):
    store, manager, people = fresh_shop
    customers.update(manager, people["bob"].id, {"first_name": "Robert", "last_name": "Zélé"})
    assert customers.search(store, "bob") == []
    assert _ids(customers.search(store, "rob")) == [people["bob"].id]
    customers.erase(manager, people["helene"].id)
    assert customers.search(store, "hel") == []
    assert people["helene"].id not in _ids(customers.search(store, ""))


def test_card_lookup_and_uniqueness(fresh_shop):
    store, manager, people = fresh_shop
    assert customers.by_card(store, " card1234 ").id == people["helene"].id
    assert customers.by_card(store, "NOPE1234") is None
    with pytest.raises(PosError):
        make_customer(manager, "Other", "Person", card_code="card1234")
    with pytest.raises(sqlite3.IntegrityError):  # the database enforces it too
        store.conn.execute("UPDATE customers SET card_code = 'CARD1234' WHERE id = ?", (people["bob"].id,))


# -- migrations ------------------------------------------------------------------------

def _migration_rows(store):
    return store.query("SELECT migration_set, name FROM _sqlite_migrations ORDER BY id")


def test_migrations_applied_once(tmp_path):
    path = tmp_path / "shop.db"
    first = Store(path)
    rows = _migration_rows(first)
    assert rows and all(r["migration_set"] == MIGRATION_SET for r in rows)
    assert [r["name"] for r in rows] == [m.name for m in migrations._migrations]
    first.close()

    second = Store(path)
    migrations.apply(second.db)
    second.migrate()
    assert _migration_rows(second) == rows
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names))
    assert second.schema_version() == names
    second.close()


def test_reopening_keeps_data(tmp_path):
    store, manager, _ = make_store(tmp_path)
    claire = make_customer(manager, "Claire", "Martin")
    credit.top_up(manager, claire.id, 5000, "CB")
    store.close()
    again = Store(tmp_path / "shop.db")
    assert again.scalar("SELECT balance FROM customers WHERE id = ?", (claire.id,)) == 5000
    assert again.scalar("SELECT count(*) FROM credit_ledger") == 1


def test_newer_schema_refused(tmp_path):
    path = tmp_path / "shop.db"
    store = Store(path)
    store.conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES (?, 'm9999_future', 'later')",
        (MIGRATION_SET,),
    )
    store.close()
    with pytest.raises(SchemaTooNew) as info:
        Store(path)
    assert isinstance(info.value, PosError)
    assert "newer version" in str(info.value) or "newer version" in info.value.template
    assert info.value.params["names"] == "m9999_future"
    # nothing was changed by the refused open
    raw = raw_connect(path)
    assert raw.execute("SELECT count(*) FROM _sqlite_migrations WHERE name = 'm9999_future'").fetchone()[0] == 1
    raw.close()


def test_other_migration_sets_are_ignored(tmp_path):
    path = tmp_path / "shop.db"
    Store(path).close()
    raw = raw_connect(path)
    raw.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('plugin', 'm0001_x', 'x')")
    raw.close()
    store = Store(path)  # another application's migrations are not "newer pos-tui"
    assert store.scalar("SELECT count(*) FROM users") == 0


# -- errors ------------------------------------------------------------------------------

def test_unwritable_path_is_pos_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("I am a file, not a folder")
    with pytest.raises(PosError) as info:
        Store(blocker / "x.db")
    assert type(info.value) is PosError
    assert "x.db" in str(info.value)


def test_directory_path_is_pos_error(tmp_path):
    with pytest.raises(PosError):
        Store(tmp_path)


def test_not_a_database_is_pos_error(tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not an sqlite database at all" * 100)
    with pytest.raises(PosError):
        Store(path)


def test_store_busy_when_another_process_writes(tmp_path):
    path = tmp_path / "shop.db"
    store, manager, _ = make_store(tmp_path)
    claire = make_customer(manager, "Claire", "Martin")
    store.close()

    busy = Store(path, busy_timeout_ms=200)
    from pos_tui.services.context import Context
    from pos_tui.store import users as users_store

    ctx = Context(busy, users_store.by_id(busy, manager.user.id))
    other = raw_connect(path)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(StoreBusy):
            credit.top_up(ctx, claire.id, 1000, "CB")
        elapsed = time.monotonic() - started
        assert 0.1 < elapsed < 3
        with pytest.raises(StoreBusy):
            with busy.write():
                pass
        assert not busy.conn.in_transaction
        # reads still work during the other writer's transaction (WAL)
        assert busy.scalar("SELECT balance FROM customers WHERE id = ?", (claire.id,)) == 0
    finally:
        other.execute("ROLLBACK")
        other.close()
    # once the lock is gone, the same write succeeds and nothing was left half-written
    assert credit.top_up(ctx, claire.id, 1000, "CB").new_balance == 1000
    assert busy.scalar("SELECT count(*) FROM credit_ledger") == 1


def test_write_rolls_back_on_error(tmp_path):
    store, _m, _c = make_store(tmp_path)
    with pytest.raises(RuntimeError):
        with store.write():
            store.put_setting("x", 1)
            raise RuntimeError("boom")
    assert store.get_setting("x") is None
    assert not store.conn.in_transaction
    with pytest.raises(RuntimeError, match="nested"):
        with store.write():
            with store.write():
                pass
    assert not store.conn.in_transaction


def test_settings_roundtrip(tmp_path):
    store = Store(tmp_path / "shop.db")
    assert store.get_setting("missing", 42) == 42
    with store.write():
        store.put_setting("default_debt_limit", 5000)
        store.put_setting("flag", True)
    with store.write():
        store.put_setting("default_debt_limit", 7000)
    assert store.get_setting("default_debt_limit") == 7000
    assert store.get_setting("flag") is True


def test_journal_is_append_only(tmp_path):
    store, _m, _c = make_store(tmp_path)
    n = store.scalar("SELECT count(*) FROM journal")
    assert n >= 2  # both users' creation was journaled
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE journal SET kind = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM journal")
    assert store.scalar("SELECT count(*) FROM journal") == n


def test_customer_lists_sort_accents_like_plain_letters(tmp_path):
    """French names sort as a reader expects: Béranger between Barbier and Brunet, Émile among the Es."""
    from pos_tui.services import auth
    from pos_tui.services import customers as customer_service
    from pos_tui.services.context import Context
    from pos_tui.store.db import Store as _Store

    store = _Store(tmp_path / "sort.db")
    ctx = Context(store, auth.create_first_manager(store, "Marie", "123456"), 1)
    for last in ("Brunet", "Béranger", "Barbier", "Émond", "Dupont", "ernst", "Zola"):
        customer_service.create(ctx, {"first_name": "A", "last_name": last})
    listed = [c.last_name for c in customer_service.search(store, "")]
    assert listed == ["Barbier", "Béranger", "Brunet", "Dupont", "Émond", "ernst", "Zola"]
    first = customer_service.search(store, "")[0]
    customer_service.update(ctx, first.id, {"first_name": "A", "last_name": "Zzz"})
    assert [c.last_name for c in customer_service.search(store, "")][-1] == "Zzz"


def test_vat_rates_in_triggers_match_the_domain_list(tmp_path):
    """The migration triggers keep their literal list (migrations never change); it must equal SHOP_VAT_RATES."""
    import re

    from pos_tui.domain.money import SHOP_VAT_RATES

    store = Store(tmp_path / "shop.db")
    triggers = [r["sql"] for r in store.query("SELECT sql FROM sqlite_master WHERE type = 'trigger'")
                if "vat_rate NOT IN" in r["sql"]]
    assert len(triggers) >= 2  # products and sale lines
    for sql in triggers:
        listed = re.search(r"vat_rate NOT IN \(([^)]*)\)", sql).group(1)
        assert sorted(int(x) for x in listed.split(",")) == sorted(SHOP_VAT_RATES), sql
    store.close()
