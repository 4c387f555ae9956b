"""Receipts on screen (SPEC §9): the preview exactly as it will print, the history of printable
documents with reprint ("DUPLICATA n"), and the printer settings (manager).

Printing itself happens in the app's thread worker (``PosApp.print_receipt``): these screens only
ask for it and show what the services answer.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Select, Static, TextArea

from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_money
from pos_tui.domain.vouchers import format_code
from pos_tui.i18n import _, locale
from pos_tui.printing.connection import PrinterTarget
from pos_tui.printing.receipt import PAPER_WIDTHS
from pos_tui.services import printing
from pos_tui.ui.screens.commands import CommandList
from pos_tui.ui.screens.settings import ManagerModal

DOC_KIND_LABELS = {"sale": "Sale", "credit": "Credit", "voucher": "Voucher", "z": "Z", "x": "X"}
CREDIT_KIND_LABELS = {"top_up": "Credit top-up", "refund": "Credit refund"}
WIDTH_LABELS = {48: "48 columns (80 mm paper)", 42: "42 columns (80 mm, small font)", 32: "32 columns (58 mm paper)"}


def target_label(target: PrinterTarget) -> str:
    """``tcp://127.0.0.1:9100`` style, or "none (preview only)"."""
    if target.kind == "tcp":
        return f"tcp://{target.host}:{target.port}"
    if target.kind == "usb":
        return f"usb://{target.vendor:04x}:{target.product:04x}"
    if target.kind == "serial":
        return f"serial://{target.path}?baud={target.baud}"
    if target.kind == "file":
        return f"file://{target.path}"
    return _("none (preview only)")


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


def _short_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%d/%m/%y %H:%M")
    except (TypeError, ValueError):
        return str(iso or "")


class ReceiptPreviewScreen(ModalScreen[None]):
    """The next copy of a document exactly as it will print (paper width, DUPLICATA line included);
    p prints it, Enter or Escape closes."""

    BINDINGS = [
        Binding("p", "print", _("Print")),
        Binding("escape", "close", _("Close")),
        Binding("enter", "close", _("Close"), show=False),
    ]
    DEFAULT_CSS = """
    ReceiptPreviewScreen { align: center middle; }
    #receipt-box {
        width: 53; max-width: 100%; height: auto; max-height: 100%;
        border: round $success; background: $surface; padding: 0 1;
    }
    #receipt-title { text-style: bold; }
    #receipt-status { color: $text-muted; }
    #receipt-scroll { height: auto; max-height: 70vh; scrollbar-size-vertical: 1; }
    #receipt-preview { width: 48; }
    #receipt-hint { color: $text-muted; }
    """

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
        store = self.app.store
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
        target = self.app.printer_target()
        if copies:
            status = _("Copies printed: {n}; the next one says DUPLICATA {n}.").format(n=copies)
        else:
            status = _("Not printed yet.")
        status += " " + _("Printer: {printer}").format(printer=target_label(target))
        self.query_one("#receipt-status", Static).update(status)

    def receipt_printed(self, doc_kind: str, doc_id: int) -> None:
        """Called by the app once a copy went out."""
        if (doc_kind, doc_id) == (self.doc_kind, self.doc_id):
            self.reload()

    def action_print(self) -> None:
        self.app.print_receipt(self.doc_kind, self.doc_id)

    def action_close(self) -> None:
        self.dismiss(None)


class ReceiptHistoryScreen(Screen):
    """Recent sales, credit operations and vouchers with their printed copies; Enter previews,
    r reprints (the copy says "DUPLICATA n" once one went out)."""

    BINDINGS = [
        Binding("escape", "back", _("Back")),
        Binding("r", "reprint", _("Reprint")),
        Binding("p", "preview", _("Preview")),
    ]
    DEFAULT_CSS = """
    ReceiptHistoryScreen { layout: vertical; }
    #receipts-table { height: 1fr; }
    #receipts-hint { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, limit: int = 200) -> None:
        super().__init__()
        self.limit = limit
        self.rows: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="receipts-table", cursor_type="row", zebra_stripes=True)
        yield Static(_("Enter or p: preview · r: reprint · Esc: back"), id="receipts-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = _("Receipts") + " · " + self.app.session_label()
        table = self.query_one("#receipts-table", DataTable)
        table.add_column(_("Date"), key="date", width=14)
        table.add_column(_("Type"), key="kind", width=8)
        table.add_column(_("Document"), key="title", width=30)
        table.add_column(Text(_("Amount"), justify="right"), key="amount", width=12)
        table.add_column(_("Copies"), key="copies", width=16)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        table = self.query_one("#receipts-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        self.rows = printing.history(self.app.store, self.limit)
        for row in self.rows:
            copies = str(row["copies"])
            if row["failed"]:
                copies += " · " + _("{n} failed").format(n=row["failed"])
            table.add_row(
                _short_time(row["created_at"]),
                _(DOC_KIND_LABELS.get(row["doc_kind"], row["doc_kind"])),
                Text(document_title(row), no_wrap=True, overflow="ellipsis"),
                Text(format_money(row["amount"], locale()), justify="right"),
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

    def receipt_printed(self, doc_kind: str, doc_id: int) -> None:
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
            self.app.print_receipt(row["doc_kind"], row["doc_id"])

    def action_back(self) -> None:
        self.app.pop_screen()


class PrinterSettingsScreen(ManagerModal):
    """Printer address, paper width, automatic printing, receipt header and footer (manager)."""

    error_id = "printer-error"
    DEFAULT_CSS = """
    PrinterSettingsScreen { align: center middle; }
    PrinterSettingsScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 2; border: thick $primary; background: $surface;
    }
    PrinterSettingsScreen #printer-url { width: 100%; }
    PrinterSettingsScreen #printer-width { width: 40; }
    PrinterSettingsScreen TextArea { height: 3; }
    PrinterSettingsScreen .hint { color: $text-muted; }
    PrinterSettingsScreen .buttons { height: auto; margin-top: 1; }
    PrinterSettingsScreen .buttons Button { margin-right: 2; }
    PrinterSettingsScreen #printer-error { height: auto; }
    """

    def compose(self) -> ComposeResult:
        current = printing.printer_settings(self.app.store)
        width = current.width if current.width in PAPER_WIDTHS else PAPER_WIDTHS[0]
        with Vertical(id="printer-box"):
            yield Static(_("Receipt printer"), classes="title")
            yield Static(_("Address: tcp://HOST:9100, usb://VID:PID, serial:///dev/ttyUSB0?baud=9600,"
                           " file:///dev/usb/lp0 or none"), classes="hint")
            yield Input(value=current.url, id="printer-url", placeholder="tcp://192.168.1.50:9100")
            yield Select([(_(WIDTH_LABELS[w]), w) for w in PAPER_WIDTHS], value=width, allow_blank=False,
                         id="printer-width", prompt=_("Paper width"))
            yield Checkbox(_("Print each receipt automatically (sales, credit)"),
                           value=current.auto, id="printer-auto")
            yield Static(_("Receipt header (address, phone, SIRET…)"))
            yield TextArea(current.header, id="printer-header", tab_behavior="focus", soft_wrap=False)
            yield Static(_("Receipt footer"))
            yield TextArea(current.footer, id="printer-footer", tab_behavior="focus", soft_wrap=False)
            yield Static(_("This terminal prints to {printer}.").format(
                printer=target_label(self.app.printer_target())), id="printer-now", classes="hint")
            yield Static("", id="printer-error", classes="error")
            yield from self._buttons()

    def on_mount(self) -> None:
        self.query_one("#printer-url", Input).focus()
        self._show_right_problem()

    def action_save(self) -> None:
        store = self.app.store
        before = printing.printer_settings(store)
        try:
            saved = printing.set_printer_settings(
                self.ctx,
                self.query_one("#printer-url", Input).value,
                self.query_one("#printer-width", Select).value,
                self.query_one("#printer-auto", Checkbox).value,
                self.query_one("#printer-header", TextArea).text,
                self.query_one("#printer-footer", TextArea).text,
            )
        except PosError as exc:
            self._error(exc.message)
            self.app.bell()
            return
        if saved.url != before.url:
            # The manager's choice wins over the address this terminal was started with.
            self.app.printer = printing.printer_target(store)
        self.dismiss(True)


class PrintingCommands(CommandList):
    """Command palette: receipts history, print the last receipt, printer settings."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        if getattr(app, "ctx", None) is None:
            return []
        return [
            (_("Receipts history"), app.action_receipts, _("Preview and reprint past receipts (DUPLICATA)")),
            (_("Print the last receipt"), app.action_print_last, _("Send the last sale or credit receipt again")),
            (_("Printer settings"), self._open_settings,
             _("Printer address, paper width, automatic printing, header and footer")),
        ]

    def _open_settings(self) -> None:
        self.app.push_screen(PrinterSettingsScreen(), callback=self._saved)

    def _saved(self, saved: bool | None) -> None:
        if saved:
            self.app.notify(_("Printer settings saved."))
