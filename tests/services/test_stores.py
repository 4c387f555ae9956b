"""Several stores in one company (issue 18): two tills of two stores on one SQLite file.

Shared: customers and their credit, vouchers, users, products. Per store: sale numbers, cash,
X/Z, parked sales, receipts, the journal, the signature chain.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from helpers_core import make_customer, make_store
from helpers_fiscal import shell

from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError, RightDenied
from pos_tui.domain.payment import Tender
from pos_tui.printing.receipt import Barcode
from pos_tui.services import checkout, closing, credit, printing, stores
from pos_tui.services import integrity as integrity_service
from pos_tui.services.context import Context, open_store
from pos_tui.store import anchors
from pos_tui.store import sales as sales_store
from pos_tui.store.db import Store
from pos_tui.store.integrity import verify_chain

pytestmark = pytest.mark.usefixtures("english")


class TwoStores:
    """MAIN (the file's first store) and PARIS, each with its own connection as two tills would have."""

    def __init__(self, tmp_path) -> None:
        self.moment = datetime(2026, 11, 20, 10, 0).astimezone()
        clock = lambda: self.moment  # noqa: E731 - one clock the test moves
        self.main, self.manager, self.cashier = make_store(tmp_path, clock=clock)
        self.paris_store = stores.add_store(self.manager, "paris", "Paris Bastille")
        self.paris = open_store(self.main.target, clock=clock, store_code="PARIS")
        self.paris_manager = Context(self.paris, self.manager.user, terminal=3)
        self.paris_cashier = Context(self.paris, self.cashier.user, terminal=4)

    def on(self, day: str, hour: int = 10) -> None:
        d = date.fromisoformat(day)
        self.moment = datetime(d.year, d.month, d.day, hour, 0).astimezone()

    def sell(self, ctx: Context, cents: int, method: str = "ESP", customer_id: int | None = None):
        cart = Cart(customer_id=customer_id)
        cart.add_free("Article", cents, 2000)
        return checkout.close_sale(ctx, cart, [Tender(method, cents)])

    def close(self) -> None:
        self.paris.close()
        self.main.close()


@pytest.fixture
def shops(tmp_path):
    two = TwoStores(tmp_path)
    yield two
    two.close()


def test_s18_add_store_rules(shops):
    assert [(s.code, s.name) for s in stores.list_stores(shops.main)] == [("MAIN", ""), ("PARIS", "Paris Bastille")]
    assert shops.paris.store_id == shops.paris_store.id == 2
    with pytest.raises(PosError, match="already a store PARIS"):
        stores.add_store(shops.manager, " Paris ", "Again")
    for bad in ("", "PARIS 2", "TOO-LONG-CODE", "É1"):
        with pytest.raises(PosError, match="A store code is 1 to 12"):
            stores.add_store(shops.manager, bad, "X")
    with pytest.raises(RightDenied):
        stores.add_store(shops.cashier, "LYON", "Lyon")
    assert len(stores.list_stores(shops.main)) == 2  # nothing was added by the refusals
    added = shops.main.query("SELECT detail, store_id FROM journal WHERE kind = 'store_added'")
    assert len(added) == 1 and '"code": "PARIS"' in added[0]["detail"] and added[0]["store_id"] == 1
    with pytest.raises(PosError, match="There is no store LYON"):
        Store(shops.main.path, store_code="lyon")


def test_s18_sale_numbers_restart_per_store_and_are_gapless(shops):
    main_numbers = [shops.sell(shops.cashier, 100).number for _ in range(3)]
    paris_numbers = [shops.sell(shops.paris_cashier, 100).number for _ in range(2)]
    main_numbers.append(shops.sell(shops.cashier, 100).number)
    assert main_numbers == [1, 2, 3, 4]
    assert paris_numbers == [1, 2]
    rows = shops.main.query("SELECT store_id, number FROM sales ORDER BY id")
    assert [r["number"] for r in rows if r["store_id"] == 1] == [1, 2, 3, 4]
    assert [r["number"] for r in rows if r["store_id"] == 2] == [1, 2]
    # Each till sees its own store's sales; a sale number is looked up in the till's store.
    assert [s["number"] for s in sales_store.recent(shops.paris)] == [2, 1]
    assert [s["number"] for s in sales_store.recent(shops.main)] == [4, 3, 2, 1]
    assert checkout.find_sale(shops.paris, "2")["store_id"] == 2
    with pytest.raises(PosError, match="No sale n° 3"):
        checkout.find_sale(shops.paris, "3")


def test_s18_return_of_another_stores_sale_is_refused(shops):
    shops.sell(shops.cashier, 500)
    assert checkout.find_sale(shops.main, "TMAIN-000001")["number"] == 1
    with pytest.raises(PosError, match="Sale n° 1 was made in store MAIN: return it there"):
        checkout.find_sale(shops.paris, "TMAIN-000001")
    with pytest.raises(PosError, match="There is no store NICE"):
        checkout.find_sale(shops.paris, "TNICE-000001")
    before = shops.main.scalar("SELECT count(*) FROM sales")
    with pytest.raises(PosError, match="made in store MAIN"):
        checkout.return_items(shops.paris_manager, "TMAIN-000001", {1: 1}, "refund", "ESP")
    assert shops.main.scalar("SELECT count(*) FROM sales") == before


def test_s18_receipt_names_the_store_and_its_barcode(shops):
    sale = shops.sell(shops.paris_cashier, 500)
    lines = "\n".join(printing.preview(shops.paris, "sale", sale.sale_id))
    assert "Store PARIS" in lines
    receipt = printing.build(shops.paris, "sale", sale.sale_id)
    barcodes = [item.data for item in receipt.elements if isinstance(item, Barcode)]
    assert barcodes == ["TPARIS-000001"]
    assert checkout.find_sale(shops.paris, barcodes[0])["id"] == sale.sale_id


def test_s18_credit_topped_up_in_one_store_is_spent_in_the_other(shops):
    claire = make_customer(shops.manager, "Claire", "Martin")
    credit.top_up(shops.manager, claire.id, 5000, "ESP")
    shops.sell(shops.paris_cashier, 1200, "CRED", customer_id=claire.id)
    assert credit.status(shops.manager, claire.id).balance == 3800
    assert credit.status(shops.paris_manager, claire.id).balance == 3800
    rows = shops.main.query("SELECT kind, amount, store_id FROM credit_ledger WHERE customer_id = ? ORDER BY id",
                            (claire.id,))
    assert [(r["kind"], r["amount"], r["store_id"]) for r in rows] == [("top_up", 5000, 1),
                                                                        ("sale_payment", -1200, 2)]


def test_s18_voucher_sold_in_one_store_is_redeemed_once_anywhere(shops):
    cart = Cart()
    cart.add_gift_voucher(3000, None)
    (voucher,) = checkout.close_sale(shops.cashier, cart, [Tender("CB", 3000)]).vouchers_issued
    assert shops.main.scalar("SELECT store_id FROM vouchers WHERE id = ?", (voucher.id,)) == 1
    found = checkout.scan(shops.paris, voucher.code).voucher
    cart = Cart()
    cart.add_free("Article", 3000, 2000)
    checkout.add_scanned_voucher(cart, found)
    assert checkout.close_sale(shops.paris_cashier, cart, []).number == 1
    with pytest.raises(PosError, match="already used"):
        checkout.scan(shops.main, voucher.code)
    with pytest.raises(PosError, match="already used"):
        checkout.scan(shops.paris, voucher.code)


def test_s18_z_of_one_store_leaves_the_others_day_open(shops):
    shops.on("2026-11-20", 10)
    shops.sell(shops.cashier, 1000)
    shops.sell(shops.paris_cashier, 700)
    shops.on("2026-11-20", 19)
    z = closing.close_day(shops.manager)
    assert (z.number, z.business_day) == (1, "2026-11-20")
    assert closing.business_day(shops.main) == "2026-11-21"
    assert closing.business_day(shops.paris) == "2026-11-20"  # PARIS's day is still open
    later = shops.sell(shops.paris_cashier, 300)  # and it still sells on it
    assert shops.main.scalar("SELECT business_day FROM sales WHERE id = ?", (later.sale_id,)) == "2026-11-20"
    assert closing.close_day(shops.paris_manager).number == 1  # Z numbers are per store too
    assert shops.main.scalar("SELECT count(*) FROM z_closings") == 2


def test_s18_x_and_z_count_the_stores_sales_but_company_credit(shops):
    claire = make_customer(shops.manager, "Claire", "Martin")
    credit.top_up(shops.manager, claire.id, 5000, "ESP")  # MAIN's cash, the company's credit
    shops.sell(shops.cashier, 1000)
    shops.sell(shops.paris_cashier, 700, "CB")
    shops.sell(shops.paris_cashier, 1200, "CRED", customer_id=claire.id)
    day = closing.business_day(shops.main)
    main_x, paris_x = closing.summary(shops.main, day), closing.summary(shops.paris, day)
    assert (main_x["sales_count"], main_x["turnover"]["ttc"]) == (1, 1000)
    assert (paris_x["sales_count"], paris_x["turnover"]["ttc"]) == (2, 1900)
    assert main_x["credit"]["top_ups_total"] == 5000 and paris_x["credit"]["top_ups_total"] == 0
    assert paris_x["credit"]["consumed"] == 1200 and main_x["credit"]["consumed"] == 0
    assert main_x["cash"]["expected"] == 6000 and paris_x["cash"]["expected"] == 0
    # Outstanding credit is the company's: the same on both, with PARIS's spending in it.
    assert main_x["outstanding"]["credit"] == paris_x["outstanding"]["credit"] == 3800
    shops.on(day, 19)
    closing.close_day(shops.paris_manager)
    z = closing.z_of_day(shops.paris, day)
    assert z["figures"]["turnover"]["ttc"] == 1900 and z["figures"]["outstanding"]["credit"] == 3800
    assert closing.z_of_day(shops.main, day) is None  # MAIN's day is not closed
    assert [row["store_code"] for row in closing.z_list(shops.paris)] == ["PARIS"]
    report = "\n".join(printing.preview(shops.paris, "z", 1))
    assert "Store PARIS" in report


def test_s18_parked_sales_and_history_are_per_store(shops):
    cart = Cart()
    cart.add_free("Article", 100, 2000)
    parked = checkout.park_sale(shops.cashier, cart)
    assert checkout.parked_sales(shops.paris_cashier) == []
    with pytest.raises(PosError, match="already resumed"):
        checkout.resume_sale(shops.paris_cashier, parked)
    assert [p["id"] for p in checkout.parked_sales(shops.cashier)] == [parked]
    shops.sell(shops.paris_cashier, 250)
    assert [d["doc_kind"] for d in printing.history(shops.main)] == []
    assert [(d["doc_kind"], d["title"]) for d in printing.history(shops.paris)] == [("sale", "n° 1")]


@pytest.mark.sqlite_only  # tampers with the file through SQLite's shell
def test_s18_each_store_has_its_own_chain_and_verify_names_the_store(shops):
    for _ in range(3):
        shops.sell(shops.cashier, 100)
        shops.sell(shops.paris_cashier, 200)
    tips = shops.main.query("SELECT store_id, count(*) AS n FROM signatures GROUP BY store_id ORDER BY store_id")
    assert [t["store_id"] for t in tips] == [1, 2] and all(t["n"] > 0 for t in tips)
    assert verify_chain(shops.main) == []
    assert verify_chain(shops.main, store_id=2) == []
    assert integrity_service.problems(shops.main, quick=True) == []
    assert integrity_service.problems(shops.main, quick=True, store_code="paris") == []
    # Tamper a PARIS sale: verify names PARIS, and MAIN's chain alone still verifies.
    target = shops.main.scalar("SELECT id FROM sales WHERE store_id = 2 ORDER BY id LIMIT 1 OFFSET 1")
    conn = shell(shops.main.path)
    conn.execute("UPDATE sales SET total = total + 1 WHERE id = ?", (target,))
    conn.close()
    found = integrity_service.problems(shops.main, quick=True)
    assert any(p.startswith("store PARIS: sales #") and f"#{target}" in p for p in found), found
    assert not any("store MAIN" in p for p in found)
    assert integrity_service.problems(shops.main, quick=True, store_code="MAIN") == []
    assert verify_chain(shops.main, store_id=2) != []


@pytest.mark.sqlite_only  # tampers with the file through SQLite's shell
def test_s18_verify_parallel_path_walks_each_store(shops, monkeypatch):
    from pos_tui.store import integrity

    for _ in range(4):
        shops.sell(shops.cashier, 100)
        shops.sell(shops.paris_cashier, 200)
    monkeypatch.setattr(integrity, "CHUNK", 7)  # several pieces per store, checked in worker processes
    assert verify_chain(shops.main, workers=2) == []
    target = shops.main.scalar("SELECT max(id) FROM sales WHERE store_id = 2")
    conn = shell(shops.main.path)
    conn.execute("UPDATE sales SET total = total + 1 WHERE id = ?", (target,))
    conn.close()
    (problem,) = verify_chain(shops.main, workers=2)
    assert problem.startswith(f"store PARIS: sales #{target}")


def test_s18_each_store_has_its_own_anchor_log(shops):
    shops.on("2026-11-20", 10)
    shops.sell(shops.cashier, 100)
    shops.sell(shops.paris_cashier, 200)
    shops.on("2026-11-20", 19)
    closing.close_day(shops.manager)
    closing.close_day(shops.paris_manager)
    main_log, paris_log = anchors.anchor_path(shops.main), anchors.anchor_path(shops.paris)
    assert main_log != paris_log and main_log.exists() and paris_log.exists()
    assert integrity_service.problems(shops.main, quick=True) == []
    # PARIS's log deleted: named as PARIS's problem only.
    paris_log.unlink()
    found = integrity_service.problems(shops.main, quick=True)
    assert len(found) == 1 and found[0].startswith("store PARIS: the anchor log") and "missing" in found[0]


def _two_months_in_two_stores(shops) -> None:
    for day in ("2026-11-02", "2026-11-03", "2026-11-30", "2026-12-01"):
        shops.on(day, 10)
        shops.sell(shops.cashier, 500)
        shops.sell(shops.paris_cashier, 700)
        shops.sell(shops.paris_cashier, 900)
        shops.on(day, 19)
        closing.close_day(shops.manager)
        closing.close_day(shops.paris_manager)


def test_s18_archive_per_store(shops, tmp_path):
    from pos_tui.services import archive

    _two_months_in_two_stores(shops)
    key = archive.read_key(shops.main.path.with_name(shops.main.path.name + ".key"))
    out = tmp_path / "archives"
    out.mkdir()
    main_zip, paris_zip = archive.export(shops.manager, "2026-11", out), archive.export(shops.paris_manager, "2026-11", out)
    assert (main_zip.path.name, paris_zip.path.name) == ("pos-tui-archive-2026-11.zip", "pos-tui-archive-2026-11-PARIS.zip")
    for written, sales, code in ((main_zip, 3, "MAIN"), (paris_zip, 6, "PARIS")):
        report = archive.verify(written.path, key)
        assert report.problems == [] and report.signatures_checked
        assert report.manifest["records"]["sales"] == sales and report.manifest["store"] == code
        assert report.manifest["records"]["z_closings"] == 3


@pytest.mark.sqlite_only  # pos-tui backup copies a SQLite file (a PostgreSQL server is backed up with its own tools)
def test_s18_backup_carries_every_stores_anchor_log(shops, tmp_path):
    from pos_tui.services import backup

    _two_months_in_two_stores(shops)
    # A backup carries both stores' anchor logs, and the copy verifies store by store.
    copy = backup.backup(shops.main, tmp_path / "copy.db")
    assert copy.problems == []
    assert anchors.anchor_path(copy.path, 1).exists() and anchors.anchor_path(copy.path, 2).exists()
