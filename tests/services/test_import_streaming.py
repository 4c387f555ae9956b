"""Issue 12: a big import checks the whole file without the write lock, then writes in short
chunks a till can slip between, in bounded memory; a failure or Ctrl+C leaves nothing behind."""

from __future__ import annotations

import sqlite3
import tracemalloc

import pytest

from helpers_core import english, make_store  # noqa: F401 - english is a fixture
from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError
from pos_tui.domain.payment import Tender
from pos_tui.services import checkout, importer
from pos_tui.services.context import Context
from pos_tui.store import Store
from pos_tui.store import customers as customers_store


def _customers_csv(path, rows: int, *, bad_line: int | None = None) -> None:
    lines = ["first_name,last_name,card_code,debt_limit"]
    for i in range(rows):
        limit = "12,50" if i + 2 != bad_line else "douze"
        lines.append(f"Client,N{i},CARD{i:06d},\"{limit}\"")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 50 rows and no real pause, so a few hundred rows make several transactions."""
    monkeypatch.setattr(importer, "CHUNK_SECONDS", 0)
    monkeypatch.setattr(importer, "BATCH_ROWS", 50)
    pauses: list[float] = []
    monkeypatch.setattr(importer, "_sleep", pauses.append)
    return pauses


def _counts(store: Store) -> tuple[int, int]:
    return (store.scalar("SELECT count(*) FROM customers"),
            store.scalar("SELECT count(*) FROM journal WHERE kind = 'import'"))


def test_a_till_closes_a_sale_between_two_chunks(tmp_path, small_chunks, monkeypatch):
    store, manager, cashier = make_store(tmp_path)
    till = Store(store.path, busy_timeout_ms=0)  # another terminal that would not wait at all
    till_ctx = Context(till, cashier.user, 2)
    sales: list[int] = []

    def pause_while_a_till_sells(seconds):
        small_chunks.append(seconds)
        cart = Cart()
        cart.add_free("Pain", 120, 550)
        sales.append(checkout.close_sale(till_ctx, cart, [Tender("ESP", 120)]).number)

    monkeypatch.setattr(importer, "_sleep", pause_while_a_till_sells)
    _customers_csv(tmp_path / "c.csv", 260)
    seen = []
    report = importer.import_customers(manager, tmp_path / "c.csv", lambda done, total: seen.append((done, total)))
    assert report.ok and report.imported == 260
    assert len(sales) == 5 and len(small_chunks) == 5  # 6 chunks of at most 50 rows, a pause between each
    assert [s for s in seen if s[1] is not None] == [(50, 260), (100, 260), (150, 260), (200, 260), (250, 260),
                                                    (260, 260)]
    assert _counts(store) == (260, 1)
    assert store.scalar("SELECT count(*) FROM sales") == 5


def test_a_failure_half_way_takes_back_every_chunk_already_written(tmp_path, small_chunks, monkeypatch):
    store, manager, _ = make_store(tmp_path)
    real_insert = customers_store.insert_many
    calls = []

    def disk_full_on_the_fourth_chunk(store_, batch):
        calls.append(len(batch))
        if len(calls) == 4:
            raise sqlite3.OperationalError("database or disk is full")
        return real_insert(store_, batch)

    monkeypatch.setattr(customers_store, "insert_many", disk_full_on_the_fourth_chunk)
    _customers_csv(tmp_path / "c.csv", 300)
    with pytest.raises(PosError, match="disk is full"):
        importer.import_customers(manager, tmp_path / "c.csv")
    assert len(small_chunks) == 3 + 2  # three chunks (150 rows) committed, then taken back in three steps
    assert _counts(store) == (0, 0)
    (undone,) = store.query("SELECT detail FROM journal WHERE kind = 'import_undone'")
    assert '"rows": 150' in undone["detail"]


def test_ctrl_c_during_the_import_leaves_nothing(tmp_path, small_chunks, monkeypatch):
    store, manager, _ = make_store(tmp_path)

    def interrupted_on_the_third_pause(seconds):
        small_chunks.append(seconds)
        if len(small_chunks) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(importer, "_sleep", interrupted_on_the_third_pause)
    _customers_csv(tmp_path / "c.csv", 400)
    with pytest.raises(KeyboardInterrupt):
        importer.import_customers(manager, tmp_path / "c.csv")
    assert _counts(store) == (0, 0)


def test_one_bad_row_near_the_end_writes_nothing(tmp_path, small_chunks):
    store, manager, _ = make_store(tmp_path)
    _customers_csv(tmp_path / "c.csv", 500, bad_line=480)
    report = importer.import_customers(manager, tmp_path / "c.csv")
    assert not report.ok and [line for line, _ in report.errors] == [480]
    assert small_chunks == [] and _counts(store) == (0, 0)


def test_a_card_repeated_far_apart_is_found_before_anything_is_written(tmp_path, english):
    store, manager, _ = make_store(tmp_path)
    path = tmp_path / "c.csv"
    _customers_csv(path, 300)
    path.write_text(path.read_text() + "Double,Carte,CARD000007,\n", encoding="utf-8")
    report = importer.import_customers(manager, path)
    assert report.errors == [(302, "card code CARD000007 repeats line 9")]
    assert _counts(store) == (0, 0)


def test_errors_listed_are_capped_but_all_counted(tmp_path, monkeypatch):
    store, manager, _ = make_store(tmp_path)
    monkeypatch.setattr(importer, "MAX_ERRORS", 10)
    (tmp_path / "c.csv").write_text("first_name,last_name,email\n" + "A,B,not-an-email\n" * 40, encoding="utf-8")
    report = importer.import_customers(manager, tmp_path / "c.csv")
    assert report.error_count == 40 and len(report.errors) == 10 and report.rows == 40
    assert _counts(store) == (0, 0)


def test_memory_stays_bounded_as_the_file_grows(tmp_path, small_chunks):
    """Rows are streamed: four times the rows must not take four times the memory."""
    peaks = []
    for rows in (2_000, 8_000):
        (tmp_path / str(rows)).mkdir()
        store, manager, _ = make_store(tmp_path / str(rows))
        _customers_csv(tmp_path / f"{rows}.csv", rows)
        tracemalloc.start()
        report = importer.import_customers(manager, tmp_path / f"{rows}.csv")
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert report.imported == rows
    assert peaks[1] < peaks[0] * 1.5, peaks


def test_a_folder_or_unreadable_file_is_refused(tmp_path):
    _store, manager, _ = make_store(tmp_path)
    with pytest.raises(PosError, match=str(tmp_path)):
        importer.import_customers(manager, tmp_path)
