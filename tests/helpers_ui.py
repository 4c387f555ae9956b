"""Shared helpers for the Pilot (Textual) tests.

Not a conftest: import what you need, e.g.
``from helpers_ui import ui_shop, login, text_of``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pos_tui.services import auth, credit, customers, settings
from pos_tui.services.context import Context
from pos_tui.store.db import Store

MANAGER_NAME, MANAGER_PIN = "Marie", "123456"
CASHIER_NAME, CASHIER_PIN = "Paul", "0000"

CUSTOMERS = [
    # first, last, extra fields
    ("Hélène", "Dubois", {"phone": "02 10 65 49 12", "email": "helene.dubois@example.fr", "card_code": "CL000002",
                          "note": "Préfère être appelée le matin"}),
    ("Claire", "Martin", {"phone": "06 12 34 56 78", "email": "claire.martin@example.fr", "card_code": "CL000001"}),
    ("Louis", "Martin", {"phone": "06 98 76 54 32", "card_code": "CL000005"}),
    ("Sofia", "Martinez", {"email": "sofia@example.org", "card_code": "CL000006"}),
    ("Jérôme", "Lefèvre", {"phone": "06 35 03 44 66", "card_code": "CL000003"}),
    ("Françoise", "Lemaître", {"company": "SARL Lemaître & Fils", "card_code": "CL000004"}),
]


def fixed_clock() -> datetime:
    return datetime(2025, 3, 14, 10, 0, 0, tzinfo=timezone(timedelta(hours=1)))


@dataclass
class UiShop:
    """A temp store with a manager, a cashier and a few customers (ids by "First Last")."""

    store: Store
    manager: Context
    cashier: Context
    ids: dict[str, int] = field(default_factory=dict)

    def customer_count(self) -> int:
        return self.store.scalar("SELECT count(*) FROM customers")

    def customer_row(self, customer_id: int) -> dict:
        return self.store.one("SELECT * FROM customers WHERE id = ?", (customer_id,))


def build_ui_shop(tmp_path: Path) -> UiShop:
    """Marie (manager, 123456), Paul (cashier, 0000) and six customers.

    Hélène Dubois is 12,50 € in credit; Louis Martin owes 20,00 € (debt limit 50,00 €).
    """
    store = Store(Path(tmp_path) / "t.db", clock=fixed_clock)
    manager = auth.create_first_manager(store, MANAGER_NAME, MANAGER_PIN)
    manager_ctx = Context(store, manager)
    cashier = auth.create_user(manager_ctx, CASHIER_NAME, CASHIER_PIN, "cashier")
    shop = UiShop(store, manager_ctx, Context(store, cashier))
    for first, last, extra in CUSTOMERS:
        customer = customers.create(manager_ctx, {"first_name": first, "last_name": last, **extra})
        shop.ids[f"{first} {last}"] = customer.id
    credit.top_up(manager_ctx, shop.ids["Hélène Dubois"], 1250, "ESP")
    settings.set_customer_debt_limit(manager_ctx, shop.ids["Louis Martin"], 5000)
    credit.refund(manager_ctx, shop.ids["Louis Martin"], 2000, "ESP")
    return shop


@pytest.fixture
def ui_shop(tmp_path) -> UiShop:
    shop = build_ui_shop(tmp_path)
    try:
        yield shop
    finally:
        shop.store.close()


async def login(pilot, name: str, pin: str, lookup: bool = True) -> None:
    """Drive the login screen: highlight ``name`` with the arrows, Enter, type the PIN, Enter.

    A PIN accepted opens the sale; with ``lookup`` (where these tests start) F2 then opens the
    customer lookup."""
    from textual.widgets import OptionList

    options = pilot.app.screen.query_one("#login-users", OptionList)
    options.focus()
    await pilot.pause()
    target = options.get_option_index(name)
    current = options.highlighted or 0
    key = "down" if target >= current else "up"
    for _ in range(abs(target - current)):
        await pilot.press(key)
    await pilot.press("enter")
    await pilot.press(*pin)
    await pilot.press("enter")
    await pilot.pause()
    if lookup and pilot.app.till.logged_in and pilot.app.current_mode != "lookup":
        pilot.app.action_customers()
        await pilot.pause()


def text_of(widget) -> str:
    """The plain text a Static / Label currently shows."""
    return str(widget.content)
