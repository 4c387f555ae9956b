"""A document exactly as it will print (paper width, DUPLICATA line included): opened from the
receipts history and after a credit movement. Printing itself is the app's thread worker."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from pos_tui.domain.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.printing.receipt import PAPER_WIDTHS
from pos_tui.services import printing
from pos_tui.ui.format import target_label
from pos_tui.ui.messages import PrintReceipt, ReceiptPrinted
from pos_tui.ui.till import TillAccess


class ReceiptPreviewScreen(TillAccess, ModalScreen[None]):
    """The next copy of a document exactly as it will print (paper width, DUPLICATA line included);
    p prints it, Enter or Escape closes."""

    HELP_TITLE = N_("Receipt preview")

    BINDINGS = [
        Binding("p", "print", N_("Print")),
        Binding("escape", "close", N_("Close")),
        Binding("enter", "close", N_("Close"), show=False),
    ]
    CSS_PATH = "receipt_preview.tcss"

    def __init__(self, doc_kind: str, doc_id: int) -> None:
        super().__init__()
        self.doc_kind = doc_kind
        self.doc_id = doc_id
        self.lines: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="receipt-box"):
            yield Static(_("Receipt preview"), id="receipt-title")
            yield Static("", id="receipt-status")
            with VerticalScroll(id="receipt-scroll"):
                yield Static("", id="receipt-preview")
            yield Static(_("p: print · Enter or Esc: close"), id="receipt-hint")

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Lay the document out again (after a print the next copy is a DUPLICATA)."""
        store = self.till.store
        width = printing.paper_width(store)
        try:
            self.lines = printing.preview(store, self.doc_kind, self.doc_id)
            copies = printing.copies_printed(store, self.doc_kind, self.doc_id)
        except PosError as exc:
            self.lines, copies = [exc.message], 0
        except ValueError:  # a paper width outside PAPER_WIDTHS stored by hand
            width = 48
            self.lines, copies = [_("The paper width must be one of {widths} columns.").format(
                widths=", ".join(str(w) for w in PAPER_WIDTHS))], 0
        preview = self.query_one("#receipt-preview", Static)
        preview.styles.width = width
        self.query_one("#receipt-box").styles.width = width + 5  # border, padding, scrollbar
        preview.update(Text("\n".join(self.lines), no_wrap=True, overflow="crop"))
        target = self.till.printer_target()
        if copies:
            status = _("Copies printed: {n}; the next one says DUPLICATA {n}.").format(n=copies)
        else:
            status = _("Not printed yet.")
        status += " " + _("Printer: {printer}").format(printer=target_label(target))
        self.query_one("#receipt-status", Static).update(status)

    def on_receipt_printed(self, message: ReceiptPrinted) -> None:
        """A copy went out: the next one is a DUPLICATA."""
        if (message.doc_kind, message.doc_id) == (self.doc_kind, self.doc_id):
            self.reload()

    def action_print(self) -> None:
        self.post_message(PrintReceipt(self.doc_kind, self.doc_id))

    def action_close(self) -> None:
        self.dismiss(None)
