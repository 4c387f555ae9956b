"""Scanner bursts (issue 13): codes are cut at each Enter from the key stream itself, whatever follows.

The keys are posted to the app in one go (``helpers_ui_scan.burst``), as a keyboard-wedge scanner
delivers them; ``pilot.press`` would wait for the app between keys and hide the defect.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from helpers_ui_checkout import (
    CASHIER_ID, CLAIRE_CARD, JAM, SIZE, claire_id, demo_store, last_sale, open_checkout, sale_count, text,
)
from helpers_ui_scan import burst, scans
from pos_tui.ui.app import PosApp


@pytest.fixture
def store(tmp_path):
    store = demo_store(tmp_path)
    try:
        yield store
    finally:
        store.close()


def barcodes(store, n: int) -> list[str]:
    rows = store.query("SELECT barcode FROM products WHERE active = 1 AND barcode IS NOT NULL ORDER BY id")
    codes = [row["barcode"] for row in rows]
    return [codes[i % len(codes)] for i in range(n)]


@pytest.mark.parametrize("focus", ["#scan", "#lines"])
async def test_fifty_scans_in_one_burst_make_fifty_lines(store, focus):
    codes = barcodes(store, 50)
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot, CASHIER_ID)
        app.set_focus(screen.query_one(focus))
        await pilot.pause()
        await burst(pilot, scans(*codes))
        assert text(app, "#checkout-error") == ""
        assert [line.barcode for line in screen.cart.lines] == codes
        assert [line.quantity for line in screen.cart.lines] == [1] * 50
        assert screen.query_one("#lines", DataTable).row_count == 50
        assert text(app, "#scan") == ""


async def test_quantity_prefixes_in_a_burst(store):
    app = PosApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checkout(app, pilot, CASHIER_ID)
        await burst(pilot, scans("3*" + JAM, "2*", JAM, JAM))
        assert [line.quantity for line in screen.cart.lines] == [3, 2, 1]
        assert "27,60" in text(app, "#total")  # 6 jams at 4,60
