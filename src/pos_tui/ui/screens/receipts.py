"""The receipts history (SPEC §9, Ctrl+T): printable documents with their copies; preview and
reprint ("DUPLICATA n"). Printing itself happens in the app's thread worker."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from pos_tui.domain.vouchers import format_code
from pos_tui.i18n import N_, _
from pos_tui.services import printing
from pos_tui.ui.format import cell, moment_text, money_cell
from pos_tui.ui.screens.receipt_preview import ReceiptPreviewScreen
from pos_tui.ui.screens.base import PosScreen
from pos_tui.ui.widgets.footer import KeysFooter
from pos_tui.ui.messages import PrintReceipt, ReceiptPrinted

DOC_KIND_LABELS = {"sale": N_("Sale"), "credit": N_("Credit"), "voucher": N_("Voucher"), "z": "Z", "x": "X"}
CREDIT_KIND_LABELS = {"top_up": N_("Credit top-up"), "refund": N_("Credit refund")}


def document_title(row: dict) -> str:
    """A history row in shop words: "Sale n° 12", "Credit top-up", "Gift voucher BV12-…"."""
    kind, title = row["doc_kind"], str(row.get("title") or "")
    if kind == "sale":
        return _("Sale") + " " + title
    if kind == "credit":
        return _(CREDIT_KIND_LABELS.get(title, title))
    if kind == "voucher":
        label = _("Gift voucher") if title.startswith("BV") else _("Credit note")
        return f"{label} {format_code(title)}"
    return title


class ReceiptHistoryScreen(PosScreen):
    """Recent sales, credit operations and vouchers with their printed copies; Enter previews,
    r reprints (the copy says "DUPLICATA n" once one went out)."""

    HELP_TITLE = N_("Receipts")
    FOOTER_GLOBALS = frozenset({"help", "sale"})

    BINDINGS = [
        Binding("escape", "back", N_("Back")),
        Binding("r", "reprint", N_("Reprint")),
        Binding("p", "preview", N_("Preview")),
    ]
    CSS_PATH = "receipts.tcss"

    def __init__(self, limit: int = 200) -> None:
        super().__init__()
        self.limit = limit
        self.rows: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="receipts-table", cursor_type="row", zebra_stripes=True)
        yield Static(_("Enter or p: preview · r: reprint · Esc: back"), id="receipts-hint")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.show_session(_("Receipts"))
        table = self.query_one("#receipts-table", DataTable)
        # 68 cells + cell padding + scrollbar = 80 columns
        table.add_column(_("Date"), key="date", width=14)
        table.add_column(_("Type"), key="kind", width=7)
        table.add_column(_("Document"), key="title", width=27)
        table.add_column(Text(_("Amount"), justify="right"), key="amount", width=10)
        table.add_column(_("Copies"), key="copies", width=10)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        table = self.query_one("#receipts-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        self.rows = printing.history(self.till.store, self.limit)
        for row in self.rows:
            copies = str(row["copies"])
            if row["failed"]:
                copies += " · " + _("{n} failed").format(n=row["failed"])
            table.add_row(
                moment_text(row["created_at"]),
                _(DOC_KIND_LABELS.get(row["doc_kind"], row["doc_kind"])),
                cell(document_title(row)),
                money_cell(row["amount"]),
                Text(copies, style="red" if row["failed"] and not row["copies"] else ""),
                key=f"{row['doc_kind']}:{row['doc_id']}",
            )
        if not self.rows:
            self.query_one("#receipts-hint", Static).update(_("Nothing to print yet."))
        elif 0 <= cursor < len(self.rows):
            table.move_cursor(row=cursor, animate=False)

    def selected(self) -> dict | None:
        table = self.query_one("#receipts-table", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def on_receipt_printed(self, message: ReceiptPrinted) -> None:
        self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_preview()

    def action_preview(self) -> None:
        row = self.selected()
        if row is not None:
            self.app.push_screen(ReceiptPreviewScreen(row["doc_kind"], row["doc_id"]))

    def action_reprint(self) -> None:
        row = self.selected()
        if row is not None:
            self.post_message(PrintReceipt(row["doc_kind"], row["doc_id"]))

