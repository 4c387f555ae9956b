"""Printer settings (SPEC §9, manager): address, paper width, automatic printing, header and footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_amount, parse_money
from pos_tui.i18n import N_, _, locale
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
        model = printing.printer_model(self.till.store)
        with Horizontal(id="printer-model"):
            yield Select([(_(WIDTH_LABELS[w]), w) for w in PAPER_WIDTHS], value=width, allow_blank=False,
                         id="printer-width", prompt=_("Paper width"))
            # The model decides the ESC/POS bytes (issue 14): saved here, the default of --printer-profile.
            profiles = printing.profile_names()
            yield Select([(name, name) for name in profiles], allow_blank=False, id="printer-profile",
                         value=model.profile if model.profile in profiles else printing.DEFAULT_PROFILE)
            yield Select([(page, page) for page in printing.CODE_PAGES], allow_blank=False, id="printer-code-page",
                         value=model.code_page if model.code_page in printing.CODE_PAGES else printing.DEFAULT_CODE_PAGE)
        with Horizontal(id="printer-when"):
            yield Checkbox(_("Print each receipt automatically (sales, credit)"),
                           value=current.auto, id="printer-auto")
            print_from = printing.receipt_print_from(self.till.store)
            yield Input(value=format_amount(print_from, locale()) if print_from else "", id="printer-print-from",
                        placeholder=_("Always from (amount)"), max_length=12)
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
            model = printing.set_printer_model(self.till.ctx, str(self.query_one("#printer-profile", Select).value),
                                               str(self.query_one("#printer-code-page", Select).value))
            print_from = self.query_one("#printer-print-from", Input).value.strip()
            printing.set_receipt_print_from(self.till.ctx, parse_money(print_from) if print_from else 0)
        except PosError as exc:
            self.show_error(exc.message)
            return
        if saved.url != before.url or (self.till.printer is not None and self.till.printer.model != model):
            # The manager's choice wins over the address and profile this terminal was started with.
            self.till.printer = printing.printer_target(store)
        self.dismiss(True)
