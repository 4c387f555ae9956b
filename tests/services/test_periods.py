"""Issue 15: monthly and yearly closings, computed from Z rows only, frozen and signed."""

from __future__ import annotations

import json
import sqlite3

import pytest
from helpers_core import english  # noqa: F401 - fixture
from helpers_fiscal import FiscalShop, shell

from pos_tui.domain.errors import PosError, RightDenied
from pos_tui.services import closing, periods
from pos_tui.store.integrity import verify_chain

# (cents, method, VAT rate) sales per day; two months and a bit.
DAYS = {
    "2026-10-30": [(1200, "ESP", 2000), (3400, "CB", 550)],
    "2026-10-31": [(999, "CHQ", 1000)],
    "2026-11-02": [(500, "ESP", 2000), (700, "CB", 1000), (2100, "ESP", 550)],
    "2026-11-15": [(4250, "CB", 2000)],
    "2026-11-30": [(333, "ESP", 210), (1, "CB", 2000)],
    "2026-12-01": [(800, "ESP", 2000)],
}


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def shop(tmp_path):
    shop = FiscalShop(tmp_path)
    for day, sales in DAYS.items():
        shop.day(day, *sales)
    yield shop
    shop.store.close()


def _z_figures(shop, day_from, day_to):
    rows = shop.store.query("SELECT * FROM z_closings WHERE business_day BETWEEN ? AND ? ORDER BY business_day",
                            (day_from, day_to))
    return rows, [json.loads(r["figures"]) for r in rows]


def test_a_month_is_closed_by_the_z_of_its_last_day_and_equals_the_sum_of_its_days(shop):
    november = periods.month(shop.store, "2026-11")
    assert november is not None and november["number"] == 2  # October first
    rows, days = _z_figures(shop, "2026-11-01", "2026-11-30")
    f = november["figures"]
    assert november["z_count"] == 3 and (november["z_first"], november["z_last"]) == (3, 5)
    assert f["sales_count"] == sum(d["sales_count"] for d in days) == 6
    for key in ("ttc", "ht", "tva"):
        assert f["turnover"][key] == sum(d["turnover"][key] for d in days)
    assert f["turnover"]["ttc"] == 500 + 700 + 2100 + 4250 + 333 + 1
    by_rate = {}
    for d in days:
        for r in d["turnover"]["by_rate"]:
            by_rate[r["rate"]] = by_rate.get(r["rate"], 0) + r["ttc"]
    assert {r["rate"]: r["ttc"] for r in f["turnover"]["by_rate"]} == by_rate
    payments = {}
    for d in days:
        for p in d["payments"]:
            payments[p["method"]] = payments.get(p["method"], 0) + p["total"]
    assert {p["method"]: p["total"] for p in f["payments"]} == payments == {"ESP": 2933, "CB": 4951}
    assert f["cash"]["sales"] == sum(d["cash"]["sales"] for d in days)
    # The period grand total is the sum of the days'; the perpetual grand total is the last Z's.
    assert november["period_total"] == sum(r["period_total"] for r in rows) == f["turnover"]["ttc"]
    assert november["perpetual_total"] == rows[-1]["perpetual_total"]
    october = periods.month(shop.store, "2026-10")
    assert november["perpetual_total"] == october["perpetual_total"] + november["period_total"]
    # The flows also agree with the live SQL summary over the month.
    live = closing.summary(shop.store, "2026-11-01", "2026-11-30")
    assert f["turnover"]["ttc"] == live["turnover"]["ttc"]
    assert {r["rate"]: r["ttc"] for r in live["turnover"]["by_rate"]} == by_rate
    assert {p["method"]: p["total"] for p in live["payments"]} == payments
    # December is open: no closing yet, its running sum is shown instead.
    assert periods.month(shop.store, "2026-12") is None
    assert periods.running_month(shop.store, "2026-12")["turnover"]["ttc"] == 800


def test_a_month_is_closed_by_the_first_z_of_a_later_month(tmp_path):
    shop = FiscalShop(tmp_path)
    shop.day("2026-10-30", (1000, "ESP", 2000))
    assert periods.month(shop.store, "2026-10") is None
    # Nothing in November nor December; the next Z is in January.
    shop.day("2027-01-05", (2000, "CB", 2000))
    months = {r["period"]: r for r in (periods.month(shop.store, p) for p in ("2026-10", "2026-11", "2026-12"))}
    assert months["2026-10"]["period_total"] == 1000
    assert months["2026-11"]["z_count"] == 0 and months["2026-11"]["period_total"] == 0
    assert months["2026-12"]["perpetual_total"] == 1000  # carried over the empty months
    assert [r["number"] for r in months.values()] == [1, 2, 3]
    # The calendar year 2026 (default fiscal year) is closed too, from its months.
    (year,) = periods.years(shop.store, "2026")
    assert (year["day_from"], year["day_to"]) == ("2026-01-01", "2026-12-31")
    assert year["period_total"] == 1000 and year["perpetual_total"] == 1000 and year["z_count"] == 1
    assert periods.month(shop.store, "2027-01") is None
    shop.store.close()


def test_a_fiscal_year_from_the_shop_settings_equals_the_sum_of_its_z(tmp_path):
    shop = FiscalShop(tmp_path)
    periods.set_fiscal_year_start_month(shop.manager, 11)  # November to October
    shop.day("2026-10-30", (1500, "ESP", 2000), (250, "CB", 550))
    shop.day("2026-10-31", (100, "ESP", 2000))  # the last day of the fiscal year 2025-11 → 2026-10
    (year,) = periods.years(shop.store, "2025")
    assert (year["day_from"], year["day_to"]) == ("2025-11-01", "2026-10-31")
    rows, days = _z_figures(shop, "2025-11-01", "2026-10-31")
    assert year["figures"]["turnover"]["ttc"] == sum(d["turnover"]["ttc"] for d in days) == 1850
    assert year["period_total"] == sum(r["period_total"] for r in rows)
    assert year["perpetual_total"] == rows[-1]["perpetual_total"]
    assert year["figures"]["sales_count"] == 3 and year["z_count"] == 2
    shop.day("2026-11-02", (700, "ESP", 2000))
    assert periods.years(shop.store, "2026") == []  # the next fiscal year runs to October 2027
    shop.store.close()


def test_fiscal_year_start_needs_the_settings_right_and_a_month(shop):
    with pytest.raises(RightDenied):
        periods.set_fiscal_year_start_month(shop.cashier, 4)
    with pytest.raises(PosError, match="from 1 to 12"):
        periods.set_fiscal_year_start_month(shop.manager, 13)
    assert periods.fiscal_year_start_month(shop.store) == 1


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
def test_period_closings_refuse_update_and_delete(shop):
    raw = sqlite3.connect(shop.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("UPDATE period_closings SET period_total = 0")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM period_closings")
    raw.close()


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
def test_period_closings_are_signed_and_an_edit_is_named(shop):
    count = shop.store.scalar("SELECT count(*) FROM period_closings")
    assert count == 2
    signed = shop.store.scalar("SELECT count(*) FROM signatures WHERE table_name = 'period_closings'")
    assert signed == count and verify_chain(shop.store) == []
    november = periods.month(shop.store, "2026-11")
    conn = shell(shop.path)
    conn.execute("UPDATE period_closings SET period_total = period_total - 100 WHERE id = ?", (november["id"],))
    conn.close()
    assert any(f"period_closings #{november['id']}" in p for p in verify_chain(shop.store))


@pytest.mark.sqlite_only  # reaches under the store with SQLite's own tools
def test_monthly_closing_reads_only_its_month(shop):
    """The closing reads Z rows of one month through the day index, never the sales (1M-sale stores)."""
    statements = []
    shop.store.conn.set_trace_callback(statements.append)
    shop.day("2026-12-31", (100, "ESP", 2000))  # closes December and the year 2026
    shop.store.conn.set_trace_callback(None)
    # Z rows are per store (issue 18): the store's own, through the (store_id, business_day) index.
    period_sql = [s for s in statements if "z_closings WHERE store_id = 1 AND business_day BETWEEN" in s]
    assert period_sql == ["SELECT * FROM z_closings WHERE store_id = 1 AND business_day BETWEEN '2026-12-01'"
                          " AND '2026-12-31' ORDER BY business_day"]
    plan = shop.store.query("EXPLAIN QUERY PLAN SELECT * FROM z_closings WHERE store_id = ? AND business_day"
                            " BETWEEN ? AND ? ORDER BY business_day", (1, "2026-12-01", "2026-12-31"))
    assert any("z_closings_day" in r["detail"] for r in plan)
    (year,) = periods.years(shop.store, "2026")
    assert year["period_total"] == sum(
        r["period_total"] for r in shop.store.query("SELECT period_total FROM z_closings"))
