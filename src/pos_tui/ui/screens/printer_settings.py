"""Printer settings (SPEC §9, manager): address, paper width, automatic printing, header and footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from pos_tui.domain.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.printing.receipt import PAPER_WIDTHS
from pos_tui.services import printing
from pos_tui.ui.format import target_label
from pos_tui.ui.widgets.modal_form import ManagerModal

WIDTH_LABELS = {48: N_("48 columns (80 mm paper)"), 42: N_("42 columns (80 mm, small font)"),
                32: N_("32 columns (58 mm paper)")}


class PrinterSettingsScreen(ManagerModal):
    """Printer address, paper width, automatic printing, receipt header and footer (manager)."""

    CSS_PATH = "printer_settings.tcss"
    BOX_ID, ERROR_ID = "printer-box", "printer-error"

    def compose_form(self) -> ComposeResult:
        current = printing.printer_settings(self.till.store)
        width = current.width if current.width in PAPER_WIDTHS else PAPER_WIDTHS[0]
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
            printer=target_label(self.till.printer_target())), id="printer-now", classes="hint")

    def action_save(self) -> None:
        store = self.till.store
        before = printing.printer_settings(store)
        try:
            saved = printing.set_printer_settings(
                self.till.ctx,
                self.query_one("#printer-url", Input).value,
                self.query_one("#printer-width", Select).value,
                self.query_one("#printer-auto", Checkbox).value,
                self.query_one("#printer-header", TextArea).text,
                self.query_one("#printer-footer", TextArea).text,
            )
        except PosError as exc:
            self.show_error(exc.message)
            return
        if saved.url != before.url:
            # The manager's choice wins over the address this terminal was started with.
            self.till.printer = printing.printer_target(store)
        self.dismiss(True)
