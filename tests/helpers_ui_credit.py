"""Helpers for the credit panel / credit settings Pilot tests (not a conftest: import them).

``make_shop(tmp_path)`` builds a temp store with manager Marie (PIN 123456), cashier Paul
(PIN 0000) and customer Claire Martin (balance 0); ``open_panel`` logs a user in straight
away (no PIN typing) and opens Claire's credit panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pos_tui import i18n
from pos_tui.domain.customers import Customer
from pos_tui.domain.users import User
from pos_tui.services import auth, customers
from pos_tui.services.context import Context
from pos_tui.store import users as users_store
from pos_tui.store.db import Store
from pos_tui.ui.app import PosApp

FIXED_NOW = datetime(2025, 3, 14, 10, 0, 0, tzinfo=timezone(timedelta(hours=1)))


@dataclass
class Shop:
    store: Store
    marie: User
    paul: User
    claire: Customer

    @property
    def manager_ctx(self) -> Context:
        return Context(self.store, self.marie, 1)

    def app(self) -> PosApp:
        return PosApp(store=self.store, terminal=1, clock=lambda: FIXED_NOW)

    def ledger(self, customer_id: int | None = None) -> list[dict]:
        """Raw ledger rows of Claire (or another customer), oldest first, read with SQL."""
        return self.store.query("SELECT * FROM credit_ledger WHERE customer_id = ? ORDER BY id",
                                (customer_id or self.claire.id,))

    def balance(self) -> int:
        return self.store.scalar("SELECT balance FROM customers WHERE id = ?", (self.claire.id,))


def make_shop(tmp_path: Path) -> Shop:
    store = Store(Path(tmp_path) / "t.db", clock=lambda: FIXED_NOW)
    marie = auth.create_first_manager(store, "Marie", "123456")
    ctx = Context(store, marie, 1)
    paul = auth.create_user(ctx, "Paul", "0000", "cashier")
    claire = customers.create(ctx, {"first_name": "Claire", "last_name": "Martin"})
    return Shop(store, marie, paul, claire)


async def open_panel(app: PosApp, pilot, user: User, customer_id: int) -> None:
    """Log ``user`` in without the login screen, then open the customer's credit panel."""
    app.logged_in(users_store.by_id(app.store, user.id))
    await pilot.pause()
    app.open_credit_panel(customer_id)
    await pilot.pause()


async def log_in(app: PosApp, pilot, user: User) -> None:
    app.logged_in(users_store.by_id(app.store, user.id))
    await pilot.pause()


def text_of(app: PosApp, selector: str) -> str:
    """The plain text shown by a Static on the active screen."""
    widget = app.screen.query_one(selector)
    return str(widget.content)


@pytest.fixture
def french():
    """Run a test in French (the shop language), restoring the previous language afterwards."""
    previous = i18n.get_language()
    i18n.set_language("fr")
    try:
        yield
    finally:
        i18n.set_language(previous)
