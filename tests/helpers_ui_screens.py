"""Reach each screen of the app on the demo store, for the 80x24 footer tests and the snapshots.

``await visit(app, pilot, "checkout")`` logs Marie in (no PIN screen) and drives the app with keys
to the named screen; the demo store is built with a fixed clock so every run shows the same data.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from pos_tui.services.demo import open_demo
from pos_tui.store import users
from pos_tui.store.db import Store

MARIE, PAUL = 1, 2
CLAIRE_CARD = "CL000001"
HELENE_CARD = "CL000002"  # a credit history on the demo store
PRODUCTS = ("3762428454229", "3766089736199", "3765023847045")  # jam, cream, pasta


def fixed_now() -> datetime:
    return datetime(2026, 11, 27, 16, 30, 0, tzinfo=timezone(timedelta(hours=1)))


def demo_store(path: Path) -> Store:
    """The demo store as it is on 27/11/2026 at 16:30 (same data every run)."""
    return open_demo(path, clock=fixed_now)


async def log_in(app, pilot, user_id: int = MARIE) -> None:
    app.logged_in(users.by_id(app.store, user_id))
    await pilot.pause()


async def focus_settled(pilot, widget_id: str, tries: int = 200) -> None:
    """Wait (bounded) until a screen's deferred focus has landed on ``widget_id`` (a loaded machine is slow)."""
    for _attempt in range(tries):
        if pilot.app.focused is not None and pilot.app.focused.id == widget_id:
            return
        await pilot.pause(0.02)


async def scan(pilot, code: str) -> None:
    await pilot.press(*code, "enter")
    await pilot.pause()


def customer_id(store: Store, card: str = CLAIRE_CARD) -> int:
    return store.scalar("SELECT id FROM customers WHERE card_code = ?", (card,))


async def _checkout_with_lines(app, pilot) -> None:
    await pilot.press("f3")
    await pilot.pause()
    await scan(pilot, CLAIRE_CARD)
    for code in PRODUCTS:
        await scan(pilot, code)


async def visit(app, pilot, name: str) -> None:
    """Drive the app to the screen called ``name`` (see SCREENS)."""
    if name == "login":
        await pilot.pause()
        return
    await log_in(app, pilot)
    # Log-in opens the sale, where F2 picks the sale's customer: the lookup screen is the app's action.
    if name == "lookup":
        app.action_customers()
    elif name == "customer":
        app.action_customers()
        await pilot.pause()
        from pos_tui.ui.screens.customer import CustomerCardScreen

        app.push_screen(CustomerCardScreen(customer_id(app.store)))
    elif name == "checkout":
        await pilot.press("f3")
    elif name == "checkout-lines":
        await _checkout_with_lines(app, pilot)
    elif name == "payment":
        await _checkout_with_lines(app, pilot)
        await pilot.press("f10")
    elif name == "credit":
        app.open_credit_panel(customer_id(app.store, HELENE_CARD))
    elif name.startswith("closing"):
        await pilot.press("f9")
        tab, target = {"closing": (None, None), "closing-cash": ("f7", "count-total"), "closing-z": ("f8", "past-z"),
                       "closing-periods": ("f11", "periods-table")}[name]
        if tab:
            await pilot.pause()
            await pilot.press(tab)
            await focus_settled(pilot, target)
    elif name == "receipts":
        await pilot.press("ctrl+t")
    elif name == "products":
        await pilot.press("ctrl+g")
    elif name == "staff":
        await pilot.press("ctrl+y")
    elif name in ("returns", "vouchers", "methods", "email"):
        from pos_tui.ui.screens.email_queue import EmailQueueScreen
        from pos_tui.ui.screens.payment_methods import PaymentMethodsScreen
        from pos_tui.ui.screens.returns import ReturnsScreen
        from pos_tui.ui.screens.vouchers import VouchersScreen

        screen = {"returns": ReturnsScreen, "vouchers": VouchersScreen, "methods": PaymentMethodsScreen,
                  "email": EmailQueueScreen}[name]
        app.push_screen(screen())
    elif name == "help":
        await _checkout_with_lines(app, pilot)
        await pilot.press("f1")
    else:
        raise ValueError(name)
    await pilot.pause()
    await pilot.pause()


SCREENS = ("login", "lookup", "customer", "checkout", "checkout-lines", "payment", "credit", "closing",
           "closing-cash", "closing-z", "closing-periods", "receipts", "products", "staff", "returns", "vouchers",
           "methods", "email")


def footer_keys(app) -> tuple[list[str], list[str]]:
    """(keys fully shown, keys cut or hidden under the palette key) of the current screen's footer."""
    footer = app.screen.query_one(Footer)
    keys = list(footer.query(FooterKey))
    palette = [k for k in keys if k.has_class("-command-palette")]
    limit = palette[0].region.x if palette else footer.region.right
    shown, cut = [], []
    for key in keys:
        if key in palette:
            continue
        (shown if key.region.right <= limit and key.region.width else cut).append(key.key)
    return shown, cut


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    """The demo store built once per test module (import this fixture and ``store`` by name)."""
    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    demo_store(path).close()
    return path


@pytest.fixture
def store(demo_template, tmp_path):
    """A fresh copy of the module's demo store, with its signing key."""
    for suffix in ("", ".key"):
        if Path(f"{demo_template}{suffix}").exists():
            shutil.copy(f"{demo_template}{suffix}", f"{tmp_path}/demo.db{suffix}")
    s = demo_store(tmp_path / "demo.db")
    try:
        yield s
    finally:
        s.close()
