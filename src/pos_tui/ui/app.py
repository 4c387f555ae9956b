"""The pos-tui Textual application shell.

The top-level screens are Textual modes (lookup, sale, closing, receipts): each keeps its own
stack and its state while another is shown. The login screen is the first mode; a PIN accepted,
the app switches to the sale (a manager: to the ``manager_home`` setting). Per-terminal state (store, user, printer, the open sale) lives in
one :class:`~pos_tui.ui.till.Till` the app owns; screens post messages (``ui.messages``) to ask
the app for what is its business (printing, the credit panel).
"""

from __future__ import annotations

import gc
import importlib
import sqlite3
import threading
import time
from datetime import datetime
from typing import TYPE_CHECKING, Callable

from textual import events, work
from textual.app import App
from textual.binding import Binding

from pos_tui.domain.errors import PosError
from pos_tui.domain.rights import Right
from pos_tui.i18n import N_, _
from pos_tui.printing.connection import PrinterTarget
from pos_tui.services import printing as printing_service
from pos_tui.services import settings

from pos_tui.services.demo import is_demo
from pos_tui.ui import messages, translated
from pos_tui.ui.screens.login import LoginScreen
from pos_tui.ui.till import Till

HOME = "lookup"


# Start-up shows only the login screen: the other modes' screens and the palette's providers (and
# the services they pull in) are imported when first shown (issue 17: start-up <= 1.3x a bare app).
def _screen(module: str, name: str) -> Callable[[], Screen]:
    def build() -> Screen:
        return getattr(importlib.import_module(f"pos_tui.ui.screens.{module}"), name)()

    build.__qualname__ = name  # what Textual's errors and the tests see
    return build


def _commands(name: str) -> Callable[[], type]:
    def provider() -> type:
        return getattr(importlib.import_module("pos_tui.ui.commands"), name)

    return provider

if TYPE_CHECKING:  # the app only holds the store handle; services do the reading and writing
    from textual.screen import Screen

    from pos_tui.store.db import Store

class PosApp(App):
    """``PosApp(store=..., terminal=..., clock=...)``: tests pass a temp store and a fixed clock."""

    CSS_PATH = "app.tcss"
    TITLE = "pos-tui"
    COMMANDS = App.COMMANDS | {_commands("CreditCommands"), _commands("PrintingCommands"),
                               _commands("VoucherCommands"), _commands("BackOfficeCommands")}
    MODES = {
        "login": LoginScreen,
        HOME: _screen("lookup", "LookupScreen"),
        "sale": _screen("checkout", "CheckoutScreen"),
        "closing": _screen("closing", "ClosingScreen"),
        "receipts": _screen("receipts", "ReceiptHistoryScreen"),
    }
    DEFAULT_MODE = "login"
    # Shown in a footer only where a screen lists the action in FOOTER_GLOBALS (ui/translated.py);
    # F1 lists them all.
    BINDINGS = [
        Binding("f1", "help", N_("Help"), priority=True),  # modal screens (payment, dialogs) too
        Binding("f2", "customers", N_("Customers"), tooltip=N_("Customers: search, open a card")),
        Binding("f3", "sale", N_("Sale"), tooltip=N_("The sale (kept while you are elsewhere)")),
        Binding("f4", "credit", N_("Credit"), tooltip=N_("Credit panel of the current customer")),
        Binding("ctrl+g", "products", N_("Products")),
        Binding("ctrl+y", "staff", N_("Staff")),
        Binding("f9", "closing", N_("Closing"), tooltip=N_("Day summary (X) and closing (Z)")),
        Binding("ctrl+l", "lock", N_("Switch cashier"), priority=True),
        Binding("ctrl+o", "print_last", N_("Print receipt"), tooltip=N_("Print the last receipt again")),
        Binding("ctrl+t", "receipts", N_("Receipts"), tooltip=N_("Receipts history: preview, reprint")),
        Binding("ctrl+f", "email_queue", N_("E-mails"), tooltip=N_("E-mail queue: waiting, failed, sent; resend")),
        Binding("ctrl+q", "quit", N_("Quit"), priority=True),
        # Textual's own palette key, declared here so its words are ours (the footer docks it right).
        Binding("ctrl+p", "command_palette", N_("palette"), show=False, priority=True,
                tooltip=N_("Open the command palette")),
    ]

    def __init__(self, store: Store, *, terminal: int = 1, clock: Callable[[], datetime] | None = None,
                 printer=None) -> None:
        translated.install()  # key descriptions and Textual's words follow the language when shown
        super().__init__()
        if clock is not None:
            store.clock = clock
        self.till = Till(store, terminal, printer, demo=is_demo(store))
        self._print_lock = threading.Lock()  # one job at a time: copy numbers never collide
        self.prints_started = self.prints_reported = 0  # print jobs sent to the worker / reported back on screen
        self._previous_mode = HOME  # where Esc on a top-level screen goes back to
        self._opened: set[str] = set()  # the modes whose screens exist (built on first visit, or pre-built)
        self._last_input = 0.0  # time.monotonic() of the last key or click (the till is idle since)
        self._prebuild_timer = None
        self._showing_built = False  # go() is showing a screen that exists already (see delay_update)
        self.shop_name = settings.get(store, settings.SHOP_NAME)

    # The till's state under the names the tests and the CLI know.
    @property
    def store(self) -> Store:
        return self.till.store

    @property
    def ctx(self):
        return self.till.ctx

    @property
    def current_customer_id(self) -> int | None:
        return self.till.current_customer_id

    @property
    def last_receipt(self) -> tuple[str, int] | None:
        return self.till.last_receipt

    def printer_target(self) -> PrinterTarget:
        return self.till.printer_target()

    # -- session --------------------------------------------------------------
    def on_mount(self) -> None:
        # What start-up loaded (modules, Textual, the app) lives as long as the process: frozen, it is no longer
        # re-walked by the collector's full passes (~100,000 objects, 100-200 ms of CPU each, falling at random
        # in the middle of a key: opening F9 took two or three; issue 17). Once per process (tests start many apps).
        if not gc.get_freeze_count():
            gc.freeze()
        self.title = self.shop_name
        exposed = self.store.exposed_files()
        if exposed:
            names = " ".join(str(p) for p in exposed)
            self.notify(_("{files} can be read by other users of this computer; fix: chmod 600 {files}").format(
                files=names), severity="warning", timeout=15)

    def logged_in(self, user) -> None:
        """A PIN was accepted: open the sale (a manager: the ``manager_home`` setting). Another user
        logging in gets fresh screens (what a screen shows depends on the user's rights), the open
        sale stays with the till."""
        if self.till.logged_in:
            self._reset_modes()
        self.till.log_in(user)
        self.sub_title = self.till.session_label()
        self.go(settings.home_after_login(self.store, user.role))
        self._arm_prebuild()
        if not self.till.cart.is_empty:  # left by the previous user (Ctrl+L): it stays with the till
            self.notify(_("An open sale is waiting on this till: F3 shows it."), severity="warning", timeout=8)
        if user.pin_change_due and not self.till.demo:
            self.notify(_("Your PIN is shorter than a manager's PIN must now be (6 digits): please change it."),
                        severity="warning", timeout=10)

    # -- F9 pre-built while the till is idle (issue 17: F9 painted within 150 ms) ---------------------------
    # Composing and styling the closing screen costs ~0.5 s of CPU on a 1M-sales store (a bare Textual app showing
    # the same tables costs as much): F9 can only be quick if that work is done before, once per login, while
    # nobody is at the keys and no sale is open. The X read then is read again when F9 shows the screen.
    PREBUILD_AFTER = 3.0  # seconds after a login before the closing screen may be built in the background
    PREBUILD_IDLE = 2.0  # ... and only once no key or click came for that long

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)) and not event.is_forwarded:
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _arm_prebuild(self) -> None:
        self._stop_prebuild()
        ctx = self.till.ctx
        if ctx is not None and ctx.can(Right.DAY_CLOSING) and "closing" not in self._opened:
            self._prebuild_timer = self.set_timer(self.PREBUILD_AFTER, self._prebuild_when_idle)

    def _stop_prebuild(self) -> None:
        if self._prebuild_timer is not None:
            self._prebuild_timer.stop()
            self._prebuild_timer = None

    def prebuild_wait(self, now: float) -> float:
        """Seconds to wait before the background build may start at ``now`` (0: start now)."""
        if not self.till.cart.is_empty:  # a sale is being scanned: never in the middle of it, look again later
            return max(self.PREBUILD_IDLE, 0.5)
        return max(0.0, self._last_input + self.PREBUILD_IDLE - now)

    def _prebuild_when_idle(self) -> None:
        self._prebuild_timer = None
        ctx = self.till.ctx
        if ctx is None or not ctx.can(Right.DAY_CLOSING) or "closing" in self._opened:
            return  # logged out, or F9 came first
        wait = self.prebuild_wait(time.monotonic())
        if wait > 0:
            self._prebuild_timer = self.set_timer(wait, self._prebuild_when_idle)
            return
        # App._init_mode (Textual 8.2.8, pinned; private) creates and mounts a mode's screen without showing it;
        # switch_mode then only resumes it. Without it F9 builds the screen as before.
        init_mode = getattr(self, "_init_mode", None)
        if init_mode is None or "closing" in self._screen_stacks:
            return
        self._opened.add("closing")  # dropped like an opened screen at the next login (_reset_modes)
        init_mode("closing")

    # Keys that act only once someone is logged in: hidden from the login screen's footer (they would
    # do nothing there), which also keeps start-up from laying out a footer key for each (issue 17).
    SESSION_ACTIONS = frozenset({"customers", "sale", "credit", "products", "staff", "closing", "lock",
                                 "print_last", "receipts"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.SESSION_ACTIONS and not self.till.logged_in:
            return False
        return True

    def _reset_modes(self) -> None:
        self._stop_prebuild()
        if self.current_mode != "login":
            self.switch_mode("login")
        for mode in self._opened:
            self.remove_mode(mode)
            self.add_mode(mode, self.MODES[mode])
        self._opened.clear()
        self._previous_mode = HOME

    def action_lock(self) -> None:
        """Ctrl+L: switch cashier without quitting. Back to a fresh login screen; the open sale
        stays with the till (not parked) and the next user finds it under F3."""
        if not self.till.logged_in:
            return
        self._stop_prebuild()
        self.till.log_out()
        self.sub_title = self.till.session_label()
        if self.current_mode == "login":
            self.switch_mode(HOME)
        # A new login screen (the old one still holds its last state), then fresh screens for all.
        self.remove_mode("login")
        self.add_mode("login", self.MODES["login"])
        self._opened.add(self.current_mode)
        self._reset_modes()

    def _push_back_office(self, screen_type) -> None:
        """Ctrl+G / Ctrl+Y: a back-office screen over the current one (Esc closes it); once is enough."""
        if not self.till.logged_in:
            return
        if not any(isinstance(screen, screen_type) for screen in self.screen_stack):
            self.push_screen(screen_type())

    def action_products(self) -> None:
        from pos_tui.ui.screens.products import ProductsScreen

        self._push_back_office(ProductsScreen)

    def action_email_queue(self) -> None:
        """Ctrl+F: the e-mail queue (waiting, failed, sent; resend)."""
        from pos_tui.ui.screens.email_queue import EmailQueueScreen

        self._push_back_office(EmailQueueScreen)

    def action_staff(self) -> None:
        from pos_tui.ui.screens.staff import StaffScreen

        self._push_back_office(StaffScreen)

    def on_logged_in(self, message: messages.LoggedIn) -> None:
        self.logged_in(message.user)

    def _handle_exception(self, error: Exception) -> None:
        """A damaged or unreachable store stops the app with one clear line, never a traceback."""
        cause = getattr(error, "error", error)  # a failed worker wraps its exception
        from pos_tui.services.context import StoreOffline

        if isinstance(cause, StoreOffline):
            # A screen could not read the server (PostgreSQL): the database is fine, verify has nothing to do.
            self.exit(return_code=1, message=_("pos-tui stopped: {reason} Start it again once the database "
                                               "server is back.").format(reason=cause.message))
            return
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

    # -- help and palette -----------------------------------------------------
    def action_help(self) -> None:
        """F1: every key of the screen in front and the global ones; F1 or Esc closes it."""
        from pos_tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(type(self.screen)))

    def action_command_palette(self) -> None:
        """Ctrl+P: Textual's palette with its placeholder in the user's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search for commands…")))

    def get_system_commands(self, screen):
        """Textual's own palette entries (Theme, Quit, Keys, Screenshot…) in the user's language."""
        from textual.app import SystemCommand

        for command in super().get_system_commands(screen):
            yield SystemCommand(_(command.title), _(command.help), command.callback, command.discover)

    # -- navigation (SPEC §12) ------------------------------------------------
    def go(self, mode: str) -> None:
        """Show a top-level screen as it was left, without the screens opened on top of it."""
        if not self.till.logged_in:
            return
        if mode != self.current_mode:
            self._previous_mode = self.current_mode
            self._opened.add(mode)
            stack = self._screen_stacks.get(mode)  # (Textual 8.2.8's modes; absent: the screen is built now)
            # A screen that brings itself up to date before it is shown (the closing screen): fresh figures in the
            # first paint, and that paint as the screen is shown (see delay_update).
            self._showing_built = bool(stack) and len(stack) == 1 and hasattr(stack[0], "before_show")
            if self._showing_built:
                stack[0].before_show()
            try:
                self.switch_mode(mode)
            finally:
                self._showing_built = False
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def delay_update(self, delay: float = 0.05) -> None:
        # switch_mode holds every paint for 50 ms "to mask a brief transition", then paints the screen once more. A
        # screen that exists already and is brought up to date before it is shown (go) has nothing to mask: it is
        # laid out and painted as it is shown (F9 painted 50 ms sooner, one full paint fewer; issue 17).
        if not getattr(self, "_showing_built", False):
            super().delay_update(delay)

    def on_back(self, message: messages.Back) -> None:
        """Esc on a top-level screen: back to the one shown before (the lookup at first)."""
        previous = self._previous_mode
        self.go(previous if previous not in (self.current_mode, "login") else HOME)

    def action_customers(self) -> None:
        self.go(HOME)

    def action_sale(self) -> None:
        """F3: back to the open sale (its cart is kept by the till); from a customer's card, that
        customer goes with it when the sale has none."""
        from pos_tui.ui.screens.customer import CustomerCardScreen  # loaded on first use (start-up)

        if isinstance(self.screen, CustomerCardScreen) and self.till.logged_in:
            self.till.offer_customer(self.screen.customer_id)
        self.go("sale")

    def action_closing(self) -> None:
        """F9: the closing screen, as it was left."""
        self.go("closing")

    def action_receipts(self) -> None:
        """Ctrl+T: the receipts history (preview, reprint)."""
        self.go("receipts")

    def action_credit(self) -> None:
        if not self.till.logged_in:
            return
        if self.till.current_customer_id is None:
            self.notify(_("Open a customer first (F2)."), severity="warning")
            return
        self.open_credit_panel(self.till.current_customer_id)

    def open_credit_panel(self, customer_id: int) -> None:
        from pos_tui.ui.screens.credit_panel import CreditPanelScreen

        self.till.current_customer_id = customer_id
        if isinstance(self.screen, CreditPanelScreen):
            return
        self.push_screen(CreditPanelScreen(customer_id))

    def on_open_credit_panel(self, message: messages.OpenCreditPanel) -> None:
        self.open_credit_panel(message.customer_id)

    # -- receipts (SPEC §9) ---------------------------------------------------
    def on_receipt_ready(self, message: messages.ReceiptReady) -> None:
        """A business action just saved a document: remember it for Ctrl+O and print it when the
        shop prints automatically. Never blocks: the printer is driven by a thread worker."""
        self.till.last_receipt = (message.doc_kind, message.doc_id)
        if message.doc_kind == "sale":  # printed on request (or by the shop's rule), else asked
            self._after_sale(message.doc_id)
        elif printing_service.auto_print(self.store) and self.till.printer_target().enabled:
            self.print_receipt(message.doc_kind, message.doc_id)

    def _after_sale(self, sale_id: int) -> None:
        from pos_tui.services import email as mail
        from pos_tui.ui.screens.receipt_prompt import ReceiptPromptScreen

        choice = printing_service.after_sale_receipt(self.store, sale_id, self.till.printer_target().enabled,
                                                     mail.smtp_settings(self.store).configured)
        if choice == "print":
            self.print_receipt("sale", sale_id)
        elif choice == "ask":
            self.push_screen(ReceiptPromptScreen(sale_id),
                             callback=lambda answer: self.print_receipt("sale", sale_id) if answer == "paper" else None)

    def on_print_receipt(self, message: messages.PrintReceipt) -> None:
        self.print_receipt(message.doc_kind, message.doc_id)

    def print_receipt(self, doc_kind: str, doc_id: int) -> None:
        """Print one document now (a copy after the first says "DUPLICATA n"); a sale also prints
        the slip of each voucher or credit note it issued, the first time only."""
        target = self.till.printer_target()
        if not target.enabled:
            self.notify(_("No printer is set up (preview only)."), severity="warning")
            return
        documents = [(doc_kind, doc_id)]
        if doc_kind == "sale" and printing_service.copies_printed(self.store, "sale", doc_id) == 0:
            documents = printing_service.sale_documents(self.store, doc_id)
        user_id = self.ctx.user.id if self.ctx else None
        self.prints_started += 1
        self._print_in_thread(target, documents, user_id)

    @work(thread=True, exclusive=False, exit_on_error=False, group="printing")
    def _print_in_thread(self, target: PrinterTarget, documents: list[tuple[str, int]], user_id: int | None) -> None:
        # sqlite3 connections belong to their thread: this worker opens its own. The socket
        # timeout (connection.DEFAULT_TIMEOUT_MS) bounds how long a dead printer can hold it.
        outcomes: list[printing_service.PrintOutcome] = []
        error = ""
        try:
            store = self.store.reopen()
        except PosError as exc:
            self._report_print(outcomes, exc.message)
            return
        try:
            with self._print_lock:
                for kind, doc_id in documents:
                    outcomes.append(printing_service.print_document(store, target, kind, doc_id, user_id,
                                                                    self.till.terminal))
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
        self.prints_reported += 1
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
            self.screen.post_message(messages.ReceiptPrinted(outcome.doc_kind, outcome.doc_id))

    def action_print_last(self) -> None:
        """Ctrl+O: print the last receipt of this terminal (again: DUPLICATA)."""
        if not self.till.logged_in:
            return
        if self.till.last_receipt is None:
            self.notify(_("No receipt to print yet."), severity="warning")
            return
        self.print_receipt(*self.till.last_receipt)
