"""Issue 18: ``pos-tui migrate --to postgresql://… --store CODE`` moves the demo shop into an empty PostgreSQL
database, verified on arrival; a non-empty target, an unreachable server, a source that does not verify are
refused with nothing changed."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pg_cluster
import pytest

from helpers_pg import copy_store_files
from helpers_ui_screens import CLAIRE_CARD, MARIE, fixed_now
from pos_tui.cli import main
from pos_tui.domain.errors import PosError
from pos_tui.services import closing, credit, customers, integrity
from pos_tui.services.context import Context
from pos_tui.services.pg_migrate import migrate_to_pg
from pos_tui.store import anchors, pg_copy, users
from pos_tui.store.db import Store

@pytest.fixture
def shop(demo_sqlite_file, tmp_path, pg_server, monkeypatch) -> Path:
    """A copy of the demo shop (database, key, anchor log); PostgreSQL stores' files in tmp_path."""
    monkeypatch.setenv("POS_TUI_PG_FILES", str(tmp_path / "pgfiles"))
    monkeypatch.delenv("POS_TUI_KEY_FILE", raising=False)
    return copy_store_files(demo_sqlite_file, tmp_path / "shop.db")


def _manager(store: Store) -> Context:
    return Context(store, users.by_id(store, MARIE), terminal=1)


def _pg(url: str, code: str = "MAIN"):
    from pos_tui.store.pg import PgStore

    return PgStore(url, store_code=code, clock=fixed_now)


def _pg_rows(url: str) -> dict[str, int]:
    target = _pg(url)
    try:
        return {t: target.scalar(f"SELECT count(*) FROM {t}") for t in pg_copy.target_tables(target)}
    finally:
        target.close()


def test_s18_migrate_moves_the_demo_shop_verified(shop, pg_url, capsys):
    code = main(["--db", str(shop), "migrate", "--to", pg_url, "--store", "paris", "--user", "Marie",
                 "--pin", "1234"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "PARIS" in out and "customers:" in out and "sales:" in out
    source = Store(shop, readonly=True, clock=fixed_now)
    target = _pg(pg_url, "PARIS")
    try:
        assert integrity.problems(target) == []
        # Every row of every table came over, ids kept.
        for table in pg_copy.source_tables(source):
            if table not in pg_copy.BASELINE_CONTENT:
                assert target.scalar(f"SELECT count(*) FROM {table}") == source.scalar(f"SELECT count(*) FROM {table}")
                if "id" in source.column_types(table):
                    assert target.scalar(f"SELECT max(id) FROM {table}") == source.scalar(f"SELECT max(id) FROM {table}")
        # Kept per day, without an id: the same rows (the copy runs with the triggers off).
        assert source.scalar("SELECT count(*) FROM debts_by_start") > 0
        assert target.query("SELECT * FROM debts_by_start ORDER BY day") == \
            source.query("SELECT * FROM debts_by_start ORDER BY day")
        assert target.query("SELECT id, balance, debt_since FROM customers ORDER BY id") == \
            source.query("SELECT id, balance, debt_since FROM customers ORDER BY id")
        assert target.one("SELECT * FROM credit_outstanding") == source.one("SELECT * FROM credit_outstanding")
        assert target.query("SELECT * FROM settings ORDER BY key") == source.query("SELECT * FROM settings ORDER BY key")
        store_row = target.one("SELECT id, code, name FROM stores WHERE id = 1")
        assert store_row == {"id": 1, "code": "PARIS", "name": source.get_setting("shop_name")}
        # The search text is what the schema's trigger would have written.
        assert target.scalar("SELECT count(*) FROM customers WHERE search_text <>"
                             " pos_fold(concat_ws(' ', first_name, last_name, company, phone, email, card_code))") == 0
        # Same Z figures for a past closed day, same searches.
        day = source.scalar("SELECT business_day FROM z_closings ORDER BY id LIMIT 1 OFFSET 2")
        assert day is not None
        assert closing.summary(target, day) == closing.summary(source, day)
        assert closing.z_of_day(target, day)["figures"] == closing.z_of_day(source, day)["figures"]
        for query in ("claire", "lefevre", "mart", "06", "helene", CLAIRE_CARD):
            found = [c.id for c in customers.search(target, query)]
            assert found, query
            # The same customers; the engines may rank equal matches in another order.
            assert sorted(found) == sorted(c.id for c in customers.search(source, query)), query
        # The key and the anchor log are where the PostgreSQL store looks for them, owner-only.
        assert target.key_file().read_bytes() == Path(f"{shop}.key").read_bytes()
        assert stat.S_IMODE(target.key_file().stat().st_mode) == 0o600
        if Path(f"{shop}.anchors").exists():
            assert anchors.anchor_path(target).read_bytes() == Path(f"{shop}.anchors").read_bytes()
        assert str(target.key_file()) in out
        # The store sells on: new ids continue after the copied ones, the chain goes on and verifies.
        claire = customers.by_card(target, CLAIRE_CARD)
        top_id = target.scalar("SELECT max(id) FROM credit_ledger")
        credit.top_up(_manager(target), claire.id, 2000, "ESP")
        assert target.scalar("SELECT max(id) FROM credit_ledger") == top_id + 1
        assert target.scalar("SELECT balance FROM customers WHERE id = ?", (claire.id,)) == claire.balance + 2000
        assert integrity.problems(target) == []
    finally:
        source.close()
        target.close()


def test_s18_migrate_refuses_a_target_that_holds_a_shop(shop, pg_url, english):
    source = Store(shop, readonly=True, clock=fixed_now)
    try:
        migrate_to_pg(_manager(source), source, pg_url, "MAIN")
        before = _pg_rows(pg_url)
        with pytest.raises(PosError) as refused:
            migrate_to_pg(_manager(source), source, pg_url, "LYON")
    finally:
        source.close()
    assert "not empty" in refused.value.message and "stores add" in refused.value.message
    assert _pg_rows(pg_url) == before


def test_s18_migrate_refuses_an_unreachable_server(shop, capsys):
    url = f"postgresql://postgres@127.0.0.1:{pg_cluster.free_port()}/pos"
    code = main(["--db", str(shop), "migrate", "--to", url, "--user", "Marie", "--pin", "1234"])
    err = capsys.readouterr().err
    assert code == 2
    assert "pos-tui:" in err and "Traceback" not in err and "127.0.0.1" in err


def test_s18_migrate_refuses_a_bad_url_and_a_source_that_does_not_verify(shop, pg_url, capsys):
    code = main(["--db", str(shop), "migrate", "--to", "mysql://x/y", "--user", "Marie", "--pin", "1234"])
    assert code == 2 and "postgresql://" in capsys.readouterr().err
    not_a_store = shop.with_name("notes.txt")
    not_a_store.write_text("not a database\n")
    code = main(["--db", str(not_a_store), "migrate", "--to", pg_url, "--user", "Marie", "--pin", "1234"])
    assert code == 2 and "Traceback" not in capsys.readouterr().err
    # A sale line altered behind the store's back: the chain no longer verifies, nothing moves.
    conn = sqlite3.connect(shop)
    conn.execute("DROP TRIGGER IF EXISTS sale_lines_no_update")
    conn.execute("UPDATE sale_lines SET name = 'altered' WHERE id = 1")
    conn.commit()
    conn.close()
    empty = _pg_rows(pg_url)
    code = main(["--db", str(shop), "migrate", "--to", pg_url, "--user", "Marie", "--pin", "1234"])
    err = capsys.readouterr().err
    assert code == 2 and "verify" in err
    assert _pg_rows(pg_url) == empty


def test_s18_migrate_as_a_database_owner_who_is_not_a_superuser(shop, pg_server):
    """Without the right to skip triggers server-wide, each table's own triggers are switched off for the copy
    and on again before it commits: the business rules guard the moved shop from then on."""
    name = "owned_by_shop"
    with pg_server.connect() as conn:
        conn.execute("DROP DATABASE IF EXISTS owned_by_shop WITH (FORCE)")
        conn.execute("DROP ROLE IF EXISTS shop_owner")
        conn.execute("CREATE ROLE shop_owner LOGIN NOSUPERUSER")
        conn.execute(f"CREATE DATABASE {name} OWNER shop_owner TEMPLATE template0")
    url = f"postgresql://shop_owner@127.0.0.1:{pg_server.port}/{name}"
    try:
        source = Store(shop, readonly=True, clock=fixed_now)
        try:
            result = migrate_to_pg(_manager(source), source, url, "MAIN")
        finally:
            source.close()
        assert result.rows["credit_ledger"] > 0
        target = _pg(url)
        try:
            assert integrity.problems(target) == []
            disabled = target.scalar("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'")
            assert disabled == 0
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # the rule is back
                with target.write():
                    target.execute("DELETE FROM credit_ledger WHERE id = (SELECT max(id) FROM credit_ledger)")
        finally:
            target.close()
    finally:
        with pg_server.connect() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute("DROP ROLE IF EXISTS shop_owner")


def test_s18_migrate_commits_nothing_when_the_copy_does_not_verify(shop, pg_url, monkeypatch, english):
    """verify runs on the copy's own transaction: a failure there rolls the copy back and takes back the key
    and the anchor log it had placed."""
    from pos_tui.services import pg_migrate

    empty = _pg_rows(pg_url)
    real = integrity.problems
    monkeypatch.setattr(pg_migrate.integrity, "problems",
                        lambda store, *a, **kw: real(store, *a, **kw) + (["sales #1: altered"] if store.engine ==
                                                                          "postgresql" else []))
    source = Store(shop, readonly=True, clock=fixed_now)
    try:
        with pytest.raises(PosError) as refused:
            migrate_to_pg(_manager(source), source, pg_url, "MAIN")
    finally:
        source.close()
    assert "does not verify (sales #1: altered)" in refused.value.message
    assert _pg_rows(pg_url) == empty
    target = _pg(pg_url)
    try:
        assert not target.key_file().exists() and not anchors.anchor_path(target).exists()
    finally:
        target.close()
