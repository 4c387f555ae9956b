"""One terminal's session, owned by the app: the store, who is logged in, the printer, the open sale.

Screens reach it through one typed accessor, :attr:`TillAccess.till`, instead of guessing at
attributes of the app; they talk up to the app with the messages of ``ui.messages``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError
from pos_tui.i18n import _
from pos_tui.printing.connection import PrinterTarget
from pos_tui.services import printing as printing_service
from pos_tui.services.context import Context

if TYPE_CHECKING:  # the till only holds the store handle; services read and write
    from pos_tui.store.db import Store
    from pos_tui.domain.users import User


@dataclass
class Till:
    """The per-terminal state. The open sale (``cart``) outlives the checkout screen: Esc and F3
    keep it; a new sale replaces it."""

    store: Store
    terminal: int = 1
    printer: PrinterTarget | None = None  # from --printer (or the address just saved); None: the shop setting
    demo: bool = False
    ctx: Context | None = None
    cart: Cart = field(default_factory=Cart)
    current_customer_id: int | None = None  # the customer F4 opens the credit panel of
    last_receipt: tuple[str, int] | None = None  # what Ctrl+O prints
    store_code: str | None = None  # the till's store when the company has several ('' with one), read once

    @property
    def logged_in(self) -> bool:
        return self.ctx is not None

    def log_in(self, user: User) -> None:
        self.ctx = Context(self.store, user, self.terminal)

    def log_out(self) -> None:
        """Ctrl+L (switch cashier): nobody is at the till; the open sale stays with it, the next
        user to log in finds it under F3 (it is not parked)."""
        self.ctx = None

    def offer_customer(self, customer_id: int) -> None:
        """F3 from a customer's card: the open sale takes that customer, unless it has one already."""
        if self.cart.customer_id is None:
            self.cart.customer_id, self.cart.card_id = customer_id, None
            self.current_customer_id = customer_id

    def session_label(self) -> str:
        """``DEMO · Terminal 1 · Marie``: the header's subtitle (``PARIS · Terminal 1 · Marie`` with several stores)."""
        if self.store_code is None:
            from pos_tui.services.stores import shown_code

            self.store_code = shown_code(self.store)
        parts = [_("Terminal {n}").format(n=self.terminal)]
        if self.store_code:
            parts.insert(0, self.store_code)
        if self.ctx:
            parts.append(self.ctx.user.name)
        if self.demo:
            parts.insert(0, "DEMO")
        return " · ".join(parts)

    def printer_target(self) -> PrinterTarget:
        """Where this terminal prints: ``--printer`` (or the address just saved), else the shop setting."""
        if self.printer is not None:
            return self.printer
        try:
            return printing_service.printer_target(self.store)
        except PosError:  # a bad address stored by hand: preview only
            return PrinterTarget("none")


class TillAccess:
    """Mixed into screens and widgets: ``self.till`` is the app's per-terminal object."""

    @property
    def till(self) -> Till:
        return self.app.till  # type: ignore[attr-defined]
