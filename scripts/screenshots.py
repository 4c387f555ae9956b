"""Drive the real app on a fresh demo store (Pilot) and write each screen to screenshots/ as SVG and PNG.

Run: .venv/bin/python scripts/screenshots.py   (PNG needs the 'screenshots' extra: cairosvg)
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from pos_tui.i18n import set_language  # noqa: E402
from pos_tui.services.demo import open_demo  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "screenshots"
SIZE = (110, 34)
FIXED_NOW = datetime(2026, 11, 28, 10, 30).astimezone()


def _png(svg_path: Path) -> None:
    try:
        import cairosvg
    except ImportError:
        print("cairosvg missing: SVG only", file=sys.stderr)
        return
    # Textual's SVG asks for Fira Code; DejaVu Sans Mono is what Debian machines have, and keeps columns aligned.
    svg = svg_path.read_text(encoding="utf-8").replace('"Fira Code"', '"DejaVu Sans Mono"')
    cairosvg.svg2png(bytestring=svg.encode(), write_to=str(svg_path.with_suffix(".png")), output_width=SIZE[0] * 12)


async def _shoot(app, pilot, name: str) -> None:
    await pilot.pause()
    await pilot.pause(0.2)
    path = OUT / f"{name}.svg"
    app.save_screenshot(filename=path.name, path=str(OUT))
    _png(path)
    print("wrote", path.relative_to(OUT.parent))


async def main() -> None:
    from textual.widgets import Input

    from pos_tui.ui.app import PosApp

    set_language("fr")
    Input._toggle_cursor = lambda self: None  # a frozen cursor: stable images
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_demo(Path(tmp) / "demo.db", clock=lambda: FIXED_NOW)
        app = PosApp(store=store, clock=lambda: FIXED_NOW)
        async with app.run_test(size=SIZE) as pilot:
            await _shoot(app, pilot, "01-login")
            await pilot.press("enter", *"1234", "enter")  # Marie is highlighted first
            await pilot.pause()
            await pilot.press(*"mart")
            await _shoot(app, pilot, "02-customer-lookup")
            await pilot.press("enter")
            await _shoot(app, pilot, "03-customer-card")
            rich = store.one("SELECT id FROM customers ORDER BY (SELECT count(*) FROM credit_ledger l"
                             " WHERE l.customer_id = customers.id) DESC LIMIT 1")["id"]
            app.open_credit_panel(rich)
            await _shoot(app, pilot, "04-credit-panel")
            await pilot.press("f3")
            for code in ("3762428454229", "3761917675602", "CL000002"):
                await pilot.press(*code, "enter")
            await _shoot(app, pilot, "05-checkout")
            await pilot.press("f10")
            await _shoot(app, pilot, "06-payment")
            await pilot.press("escape")
            await pilot.press("f9")
            await _shoot(app, pilot, "07-closing")
            from pos_tui.ui.screens.receipt_preview import ReceiptPreviewScreen
            from pos_tui.ui.screens.vouchers import VouchersScreen

            app.push_screen(VouchersScreen())
            await _shoot(app, pilot, "08-vouchers")
            last_sale = store.scalar("SELECT id FROM sales WHERE customer_id IS NOT NULL ORDER BY id DESC LIMIT 1")
            app.push_screen(ReceiptPreviewScreen("sale", last_sale))
            await _shoot(app, pilot, "09-receipt-preview")
            await pilot.press("escape", "escape")
            await pilot.press("ctrl+y")  # staff (issue 11)
            await _shoot(app, pilot, "10-staff")
            await pilot.press("escape")
            await pilot.press("ctrl+g")  # products: search as you type
            await pilot.press(*"confi")
            await _shoot(app, pilot, "11-products")
    print("done")


if __name__ == "__main__":
    asyncio.run(main())
