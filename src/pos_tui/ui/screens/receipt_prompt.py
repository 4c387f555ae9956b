"""After a sale: "Receipt? (p)aper, (e)-mail, Enter = none" (issue 16; in France receipts are printed
only on request since August 2023). The decision to ask is ``services.printing.after_sale_receipt``;
this dialog only collects the answer. A scan arriving meanwhile closes it (no receipt) and goes on to
the sale, so the next customer is never held up."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from pos_tui.domain.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.services import email as mail
from pos_tui.ui.widgets.modal_form import ModalForm


class ReceiptPromptScreen(ModalForm["str | None"]):
    """Answers ``paper``, ``email`` (already queued) or None."""

    BINDINGS = [
        Binding("p", "paper", N_("Paper"), show=False),
        Binding("e", "email", N_("E-mail"), show=False),
        Binding("enter", "none", N_("None"), show=False),
        Binding("escape", "none", N_("None"), show=False),
    ]
    BOX_ID, ERROR_ID = "receipt-prompt-box", "receipt-prompt-error"

    def __init__(self, sale_id: int) -> None:
        super().__init__()
        self.sale_id = sale_id

    def compose_form(self) -> ComposeResult:
        # No field yet: the keys go to the bindings; the address field comes only when it is needed.
        yield Static(_("Receipt? (p)aper, (e)-mail, Enter = none"), id="receipt-prompt-question")

    def _asking_address(self) -> bool:
        return bool(self.query("#receipt-prompt-email"))

    def on_key(self, event: events.Key) -> None:
        if self._asking_address() or event.key in ("p", "e", "enter", "escape"):
            return
        if event.character and event.character.isprintable():
            # The next scan: no receipt for this sale, and the key goes on to the screen below.
            event.stop()
            event.prevent_default()
            self.dismiss(None)
            # The stack is popped at once: hand the key to the screen below's focused field now, ahead of
            # the rest of the scan that the app forwards there after it (the order of the digits is kept).
            below = self.app.screen
            (below.focused or below).post_message(events.Key(event.key, event.character))

    def action_paper(self) -> None:
        if not self._asking_address():
            self.dismiss("paper")

    def action_none(self) -> None:
        self.dismiss(None)

    def action_email(self) -> None:
        if self._asking_address():
            return
        if not mail.smtp_settings(self.till.store).configured:
            self.show_error(_("No e-mail server is set up (pos-tui email setup)."))
            return
        address = mail.receipt_address(self.till.store, self.sale_id)
        if address:
            self._queue(address)
            return
        field = Input(placeholder=_("Customer's e-mail address"), id="receipt-prompt-email")
        self.query_one(".modal-box").mount(field, after="#receipt-prompt-question")
        field.focus()

    def submit(self) -> None:
        self._queue(self.query_one("#receipt-prompt-email", Input).value)

    def _queue(self, address: str) -> None:
        try:
            mail.queue_receipt(self.till.ctx, self.sale_id, address)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.app.notify(_("Receipt queued for {email}.").format(email=address.strip().lower()))
        self.dismiss("email")

    def action_cancel(self) -> None:
        self.dismiss(None)
