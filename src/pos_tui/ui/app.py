"""The pos-tui Textual application shell."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from textual.app import App
from textual.binding import Binding

from pos_tui.domain.errors import PosError
from pos_tui.i18n import _
from pos_tui.services import auth
from pos_tui.services.context import Context
from pos_tui.services.demo import is_demo
from pos_tui.store.db import Store
from pos_tui.ui.screens.settings import CreditCommands


class PosApp(App):
    """``PosApp(store=..., terminal=..., clock=...)``: tests pass a temp store and a fixed clock."""

    CSS_PATH = "app.tcss"
    TITLE = "pos-tui"
    COMMANDS = App.COMMANDS | {CreditCommands}
    BINDINGS = [
        Binding("f2", "customers", _("Customers")),
        Binding("f3", "sale", _("Sale")),
        Binding("f4", "credit", _("Credit")),
        Binding("f9", "closing", _("Closing")),
        Binding("ctrl+q", "quit", _("Quit"), priority=True),
    ]

    def __init__(self, store: Store, *, terminal: int = 1, clock: Callable[[], datetime] | None = None,
                 printer=None) -> None:
        super().__init__()
        self.store = store
        if clock is not None:
            store.clock = clock
        self.terminal = terminal
        self.printer = printer
        self.ctx: Context | None = None
        self.current_customer_id: int | None = None
        self.demo = is_demo(store)
        self.shop_name = store.get_setting("shop_name", "pos-tui")

    # -- session --------------------------------------------------------------
    def on_mount(self) -> None:
        from pos_tui.ui.screens.login import LoginScreen

        self.title = self.shop_name
        self.push_screen(LoginScreen())

    def logged_in(self, user) -> None:
        """Called by the login screen once a PIN was accepted."""
        from pos_tui.ui.screens.lookup import LookupScreen

        self.ctx = Context(self.store, user, self.terminal)
        self.sub_title = self.session_label()
        self.switch_screen(LookupScreen())

    def session_label(self) -> str:
        parts = [_("Terminal {n}").format(n=self.terminal)]
        if self.ctx:
            parts.append(self.ctx.user.name)
        if self.demo:
            parts.insert(0, "DEMO")
        return " · ".join(parts)

    def fail(self, exc: PosError) -> None:
        """Show a refused action: a clear message, never a traceback."""
        self.notify(exc.message, severity="error", timeout=8)

    # -- navigation (SPEC §12) ------------------------------------------------
    def _logged_in(self) -> bool:
        return self.ctx is not None

    def _back_to_base(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_customers(self) -> None:
        if self._logged_in():
            self._back_to_base()

    def action_sale(self) -> None:
        """F3: back to the open sale if there is one (its cart is kept), else a new checkout."""
        if not self._logged_in():
            return
        from pos_tui.ui.screens.checkout import CheckoutScreen

        for screen in self.screen_stack:
            if isinstance(screen, CheckoutScreen):
                while self.screen is not screen:
                    self.pop_screen()
                return
        self.push_screen(CheckoutScreen())

    def action_closing(self) -> None:
        if self._logged_in():
            from pos_tui.ui.screens.placeholder import NotAvailableScreen

            self.push_screen(NotAvailableScreen(_("Day summary and closing")))

    def action_credit(self) -> None:
        if not self._logged_in():
            return
        if self.current_customer_id is None:
            self.notify(_("Open a customer first (F2)."), severity="warning")
            return
        self.open_credit_panel(self.current_customer_id)

    def open_credit_panel(self, customer_id: int) -> None:
        from pos_tui.ui.screens.credit_panel import CreditPanelScreen

        self.current_customer_id = customer_id
        if isinstance(self.screen, CreditPanelScreen):
            return
        self.push_screen(CreditPanelScreen(customer_id))
