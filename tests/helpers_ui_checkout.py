"""Helpers for the checkout / payment Pilot tests (not a conftest: import what you need)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Digits, Input

from pos_tui.services.context import Context
from pos_tui.services.demo import open_demo
from pos_tui.store import users
from pos_tui.store.db import Store

CLAIRE_CARD = "CL000001"
JAM = "3762428454229"  # Confiture abricot 370 g, 4,60 at 5,5 %
CANDLE = "3761917675602"  # Bougie parfumée vanille, 13,80 at 20 %
MANAGER_ID, CASHIER_ID = 1, 2
SIZE = (100, 32)


def demo_store(tmp_path: Path) -> Store:
    """The real demo store, built from data/ (well under a second)."""
    return open_demo(Path(tmp_path) / "demo.db")


@pytest.fixture
def store(tmp_path):
    """The demo store in ``tmp_path`` (import this fixture into a test module to use it)."""
    store = demo_store(tmp_path)
    try:
        yield store
    finally:
        store.close()


def context(store: Store, user_id: int = MANAGER_ID) -> Context:
    return Context(store, users.by_id(store, user_id), 1)


def claire_id(store: Store) -> int:
    return store.scalar("SELECT id FROM customers WHERE card_code = ?", (CLAIRE_CARD,))


def balance(store: Store, customer_id: int) -> int:
    return store.scalar("SELECT coalesce(sum(amount), 0) FROM credit_ledger WHERE customer_id = ?", (customer_id,))


def last_sale(store: Store) -> dict:
    return store.one("SELECT * FROM sales ORDER BY number DESC LIMIT 1")


def sale_count(store: Store) -> int:
    return store.scalar("SELECT count(*) FROM sales")


async def open_checkout(app, pilot, user_id: int = MANAGER_ID):
    """Log in without the PIN screen and press F3; returns the checkout screen."""
    app.logged_in(users.by_id(app.store, user_id))
    await pilot.pause()
    await pilot.press("f3")
    await pilot.pause()
    return app.screen


async def scan(pilot, code: str) -> None:
    """Type a code and Enter into whatever has the focus (the scan field)."""
    await pilot.press(*code, "enter")
    await pilot.pause()


def text(app, selector: str) -> str:
    """The plain text of a Static, or the value of a Digits / Input, on the current screen."""
    widget = app.screen.query_one(selector)
    if isinstance(widget, (Digits, Input)):
        return widget.value
    return str(widget.content)


def scan_input(app) -> Input:
    return app.screen.query_one("#scan", Input)


def method_key(store: Store, code: str) -> str:
    """The digit that picks ``code`` on the payment screen (enabled methods in display order)."""
    from pos_tui.services import methods

    enabled = [m.code for m in methods.all_methods(store) if m.enabled]
    return str(enabled.index(code) + 1)
