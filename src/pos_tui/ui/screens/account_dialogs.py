"""Small dialogs of the customer account (issue 16): where to write a file, a statement's period and
output, a manager's PIN for a large cash amount."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Static

from pos_tui.domain.errors import PosError
from pos_tui.i18n import _
from pos_tui.services import accounts
from pos_tui.ui.widgets.modal_form import ModalForm


class SavePathScreen(ModalForm["Path | None"]):
    """Ask where to write an export; the default is in the user's documents folder. Answers a Path or None."""

    BOX_ID, ERROR_ID = "save-path-box", "save-path-error"

    def __init__(self, title: str, default: Path) -> None:
        super().__init__()
        self.title_text, self.default = title, default

    def compose_form(self) -> ComposeResult:
        yield Static(self.title_text, classes="title")
        yield Static(_("Write to (Enter: this file, Esc: cancel)"), classes="modal-hint")
        yield Input(value=str(self.default), id="save-path")

    def submit(self) -> None:
        text = self.query_one("#save-path", Input).value.strip()
        if not text:
            self.show_error(_("Type a file name."))
            return
        self.dismiss(Path(text).expanduser())


@dataclass(frozen=True)
class StatementRequest:
    date_from: str
    date_to: str
    output: str  # print | csv | pdf | email


STATEMENT_OUTPUTS = (("print", "p"), ("csv", "c"), ("pdf", "d"), ("email", "m"))


class StatementScreen(ModalForm["StatementRequest | None"]):
    """The period of a statement (YYYY-MM-DD, default: this month) and what to do with it:
    print it on the receipt printer, export CSV or PDF, or e-mail it."""

    BOX_ID, ERROR_ID = "statement-box", "statement-error"

    def __init__(self, customer_id: int, date_from: str, date_to: str) -> None:
        super().__init__()
        self.customer_id, self.date_from, self.date_to = customer_id, date_from, date_to

    def border_label(self) -> str:
        return _("Statement of account")

    def compose_form(self) -> ComposeResult:
        yield Static(_("From (YYYY-MM-DD)"))
        yield Input(value=self.date_from, id="statement-from", max_length=10)
        yield Static(_("To (YYYY-MM-DD)"))
        yield Input(value=self.date_to, id="statement-to", max_length=10)

    def hint(self) -> str:
        return _("Enter, then p: print · c: CSV · d: PDF · m: e-mail · Esc: cancel")

    def compose_buttons(self) -> ComposeResult:
        labels = {"print": _("Print (p)"), "csv": _("CSV (c)"), "pdf": _("PDF (d)"), "email": _("E-mail (m)")}
        with Horizontal(classes="modal-buttons"):
            for output, _key in STATEMENT_OUTPUTS:
                yield Button(labels[output], id=f"statement-{output}")

    def submit(self) -> None:
        # Enter on the last date: the first output button takes the focus (the letters pick one).
        self.query_one("#statement-print", Button).focus()

    def on_key(self, event: events.Key) -> None:
        if isinstance(self.focused, Input):
            return
        for output, key in STATEMENT_OUTPUTS:
            if event.character == key:
                event.stop()
                self._choose(output)
                return

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._choose(str(event.button.id).removeprefix("statement-"))

    def _choose(self, output: str) -> None:
        date_from = self.query_one("#statement-from", Input).value.strip()
        date_to = self.query_one("#statement-to", Input).value.strip()
        try:  # a bad date is said here, before anything is asked or written
            accounts.statement(self.till.ctx, self.customer_id, date_from, date_to)
        except PosError as exc:
            self.show_error(exc.message)
            self.query_one("#statement-from", Input).focus()
            return
        self.dismiss(StatementRequest(date_from, date_to, output))


class CashConfirmScreen(ModalForm["accounts.CashConfirmation | None"]):
    """A manager confirms a cash amount above the shop's limit with name and PIN (journaled by the service)."""

    BOX_ID, ERROR_ID = "cash-confirm-box", "cash-confirm-error"

    def __init__(self, warning: str, amount: int) -> None:
        super().__init__()
        self.warning, self.amount = warning, amount

    def border_label(self) -> str:
        return _("Manager confirmation")

    def compose_form(self) -> ComposeResult:
        yield Static(self.warning, id="cash-confirm-warning")
        yield Input(placeholder=_("Manager name"), id="cash-confirm-name")
        yield Input(placeholder=_("PIN"), password=True, id="cash-confirm-pin", max_length=8, restrict=r"\d*")

    def submit(self) -> None:
        name = self.query_one("#cash-confirm-name", Input).value
        pin = self.query_one("#cash-confirm-pin", Input)
        try:
            confirmation = accounts.confirm_large_cash(self.till.store, name, pin.value, self.till.terminal,
                                                       self.amount)
        except PosError as exc:
            self.show_error(exc.message)
            pin.value = ""
            pin.focus()
            return
        self.dismiss(confirmation)
