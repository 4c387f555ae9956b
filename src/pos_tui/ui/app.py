"""The pos-tui Textual application shell."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Callable

from textual import work
from textual.app import App
from textual.binding import Binding

from pos_tui.domain.errors import PosError
from pos_tui.i18n import _
from pos_tui.printing.connection import PrinterTarget
from pos_tui.services import printing as printing_service
from pos_tui.services import settings
from pos_tui.services.context import Context, open_store
from pos_tui.services.demo import is_demo
from pos_tui.ui.commands import CreditCommands, PrintingCommands, VoucherCommands

if TYPE_CHECKING:  # the app only holds the store handle; services do the reading and writing
    from pos_tui.store.db import Store


class PosApp(App):
    """``PosApp(store=..., terminal=..., clock=...)``: tests pass a temp store and a fixed clock."""

    CSS_PATH = "app.tcss"
    TITLE = "pos-tui"
    COMMANDS = App.COMMANDS | {CreditCommands, PrintingCommands, VoucherCommands}
    BINDINGS = [
        Binding("f2", "customers", _("Customers")),
        Binding("f3", "sale", _("Sale")),
        Binding("f4", "credit", _("Credit")),
        Binding("f9", "closing", _("Closing")),
        Binding("ctrl+o", "print_last", _("Print receipt")),
        Binding("ctrl+t", "receipts", _("Receipts")),
        Binding("ctrl+q", "quit", _("Quit"), priority=True),
    ]

    def __init__(self, store: Store, *, terminal: int = 1, clock: Callable[[], datetime] | None = None,
                 printer=None) -> None:
        super().__init__()
        self.store = store
        if clock is not None:
            store.clock = clock
        self.terminal = terminal
        self.printer: PrinterTarget | None = printer  # from --printer; None: the shop setting
        self.last_receipt: tuple[str, int] | None = None  # what Ctrl+O prints
        self._print_lock = threading.Lock()  # one job at a time: copy numbers never collide
        self.ctx: Context | None = None
        self.current_customer_id: int | None = None
        self.demo = is_demo(store)
        self.shop_name = settings.get(store, settings.SHOP_NAME)

    # -- session --------------------------------------------------------------
    def on_mount(self) -> None:
        from pos_tui.ui.screens.login import LoginScreen

        self.title = self.shop_name
        self.push_screen(LoginScreen())
        exposed = self.store.exposed_files()
        if exposed:
            names = " ".join(str(p) for p in exposed)
            self.notify(_("{files} can be read by other users of this computer; fix: chmod 600 {files}").format(
                files=names), severity="warning", timeout=15)

    def logged_in(self, user) -> None:
        """Called by the login screen once a PIN was accepted."""
        from pos_tui.ui.screens.lookup import LookupScreen

        self.ctx = Context(self.store, user, self.terminal)
        self.sub_title = self.session_label()
        self.switch_screen(LookupScreen())
        if user.pin_change_due and not self.demo:
            self.notify(_("Your PIN is shorter than a manager's PIN must now be (6 digits): please change it."),
                        severity="warning", timeout=10)

    def session_label(self) -> str:
        parts = [_("Terminal {n}").format(n=self.terminal)]
        if self.ctx:
            parts.append(self.ctx.user.name)
        if self.demo:
            parts.insert(0, "DEMO")
        return " · ".join(parts)

    def _handle_exception(self, error: Exception) -> None:
        """A damaged or unreachable store stops the app with one clear line, never a traceback."""
        cause = getattr(error, "error", error)  # a failed worker wraps its exception
        if isinstance(cause, (sqlite3.DatabaseError, OSError, PosError)):
            reason = cause.message if isinstance(cause, PosError) else str(cause)
            self.exit(return_code=1, message=_(
                "pos-tui stopped: {reason}. Run pos-tui verify; restore your backup if the database is damaged."
            ).format(reason=reason))
            return
        super()._handle_exception(error)

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
        """F9: back to the closing screen if it is open (e.g. under a Z's details), else open it."""
        if not self._logged_in():
            return
        from pos_tui.ui.screens.closing import ClosingScreen

        for screen in self.screen_stack:
            if isinstance(screen, ClosingScreen):
                while self.screen is not screen:
                    self.pop_screen()
                return
        self.push_screen(ClosingScreen())

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

    # -- receipts (SPEC §9) ---------------------------------------------------
    def printer_target(self) -> PrinterTarget:
        """Where this terminal prints: ``--printer`` (or the address just saved), else the shop setting."""
        if self.printer is not None:
            return self.printer
        try:
            return printing_service.printer_target(self.store)
        except PosError:  # a bad address stored by hand: preview only
            return PrinterTarget("none")

    def receipt_ready(self, doc_kind: str, doc_id: int) -> None:
        """A business action just saved a document: remember it for Ctrl+O and print it when the
        shop prints automatically. Never blocks: the printer is driven by a thread worker."""
        self.last_receipt = (doc_kind, doc_id)
        if printing_service.auto_print(self.store) and self.printer_target().enabled:
            self.print_receipt(doc_kind, doc_id)

    def print_receipt(self, doc_kind: str, doc_id: int) -> None:
        """Print one document now (a copy after the first says "DUPLICATA n"); a sale also prints
        the slip of each voucher or credit note it issued, the first time only."""
        target = self.printer_target()
        if not target.enabled:
            self.notify(_("No printer is set up (preview only)."), severity="warning")
            return
        documents = [(doc_kind, doc_id)]
        if doc_kind == "sale" and printing_service.copies_printed(self.store, "sale", doc_id) == 0:
            documents = printing_service.sale_documents(self.store, doc_id)
        user_id = self.ctx.user.id if self.ctx else None
        self._print_in_thread(target, documents, user_id)

    @work(thread=True, exclusive=False, exit_on_error=False, group="printing")
    def _print_in_thread(self, target: PrinterTarget, documents: list[tuple[str, int]], user_id: int | None) -> None:
        # sqlite3 connections belong to their thread: this worker opens its own. The socket
        # timeout (connection.DEFAULT_TIMEOUT_MS) bounds how long a dead printer can hold it.
        outcomes: list[printing_service.PrintOutcome] = []
        error = ""
        try:
            store = open_store(self.store.path, clock=self.store.clock)
        except PosError as exc:
            self._report_print(outcomes, exc.message)
            return
        try:
            with self._print_lock:
                for kind, doc_id in documents:
                    outcomes.append(printing_service.print_document(store, target, kind, doc_id, user_id,
                                                                    self.terminal))
        except PosError as exc:  # PrinterOffline: the sale is saved; reprint from history
            error = exc.message
        except Exception as exc:  # never let a printing bug take the counter down
            error = _("Printing failed ({reason}): reprint from history.").format(reason=str(exc) or type(exc).__name__)
        finally:
            store.close()
        self._report_print(outcomes, error)

    def _report_print(self, outcomes: list, error: str) -> None:
        try:
            self.call_from_thread(self._printed, outcomes, error)
        except RuntimeError:  # the app is gone; the prints are recorded anyway
            pass

    def _printed(self, outcomes: list, error: str) -> None:
        """Back on the event loop: say what happened, refresh a preview or the history on screen."""
        if error:
            self.notify(error, title=_("Printer"), severity="error", timeout=10)
        elif outcomes:
            first = outcomes[0]
            if first.copy_no:
                message = _("DUPLICATA {n} sent to the printer.").format(n=first.copy_no)
            elif len(outcomes) > 1:
                message = _("Receipt and {n} voucher slips sent to the printer.").format(n=len(outcomes) - 1)
            else:
                message = _("Receipt sent to the printer.")
            self.notify(message, timeout=3)
        for outcome in outcomes:
            refresh = getattr(self.screen, "receipt_printed", None)
            if callable(refresh):
                refresh(outcome.doc_kind, outcome.doc_id)

    def action_print_last(self) -> None:
        """Ctrl+O: print the last receipt of this terminal (again: DUPLICATA)."""
        if not self._logged_in():
            return
        if self.last_receipt is None:
            self.notify(_("No receipt to print yet."), severity="warning")
            return
        self.print_receipt(*self.last_receipt)

    def action_receipts(self) -> None:
        """Ctrl+T: the receipts history (preview, reprint)."""
        if not self._logged_in():
            return
        from pos_tui.ui.screens.receipts import ReceiptHistoryScreen

        for screen in self.screen_stack:
            if isinstance(screen, ReceiptHistoryScreen):
                while self.screen is not screen:
                    self.pop_screen()
                return
        self.push_screen(ReceiptHistoryScreen())
