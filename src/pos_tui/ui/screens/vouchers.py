"""Gift vouchers and credit notes (SPEC §7): by status, look a code up, what the shop owes.

Every rule (codes, expiry) lives in the services; this screen shows their answers.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_vat_rate
from pos_tui.domain.vouchers import Voucher, format_code
from pos_tui.i18n import N_, _, locale
from pos_tui.services import vouchers as vouchers_service
from pos_tui.ui.format import cell, day_text, kind_label, moment_text, money
from pos_tui.ui.screens.base import PosScreen
from pos_tui.ui.widgets.sale_widgets import ScanInput


class VouchersScreen(PosScreen):
    """Vouchers and credit notes by status, a code look-up, and the total the shop owes."""

    HELP_TITLE = N_("Vouchers and credit notes")

    BINDINGS = [Binding("escape", "back", N_("Back"))]
    CSS_PATH = "vouchers.tcss"

    def __init__(self) -> None:
        super().__init__()
        self._wide: bool | None = None
        self._rows: list[dict] = []

    def compose(self) -> ComposeResult:
        statuses = [(_("Valid"), "valid"), (_("Used"), "used"), (_("Expired"), "expired"), (_("All"), "all")]
        yield Header()
        with Horizontal(id="vouchers-top"):
            yield Select(statuses, value="valid", allow_blank=False, id="vouchers-status")
            yield ScanInput(placeholder=_("Look a code up: type or scan it, Enter"), id="vouchers-code",
                        max_length=24)
        yield Static("", id="vouchers-outstanding")
        yield DataTable(id="vouchers-list", cursor_type="row", zebra_stripes=True)
        yield Static("", id="vouchers-error", classes="error")
        yield Static("", id="vouchers-detail", classes="empty")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_session(_("Vouchers and credit notes"))
        self.query_one("#vouchers-detail").border_title = _("Look-up")
        self._layout_columns(self.app.size.width)
        self.refresh_outstanding()
        self.query_one("#vouchers-code", Input).focus()

    def on_resize(self, event: events.Resize) -> None:
        self._layout_columns(event.size.width)

    def on_screen_resume(self) -> None:
        self.refresh_list()
        self.refresh_outstanding()

    def _layout_columns(self, width: int) -> None:
        wide = width >= 98
        if wide == self._wide:
            return
        self._wide = wide
        # code, kind, amount, issued, expires, used on, sale n°
        widths = (19, 10, 10, 14, 10, 14, 6) if wide else (19, 6, 9, 8, 9, 8, 5)  # 80 columns in all
        labels = (_("Code"), _("Kind"), _("Amount"), _("Issued"), _("Expires"),
                  _("Used on") if wide else _("Redeemed"), _("Sale"))
        keys = ("code", "kind", "amount", "issued", "expires", "used", "sale")
        table = self.query_one("#vouchers-list", DataTable)
        table.clear(columns=True)
        for key, label, w in zip(keys, labels, widths):
            justify = "right" if key in ("amount", "sale") else "left"
            table.add_column(Text(label, justify=justify, no_wrap=True, overflow="ellipsis"), width=w, key=key)
        self.refresh_list()

    @property
    def status(self) -> str:
        value = self.query_one("#vouchers-status", Select).value
        return value if isinstance(value, str) else "valid"

    def refresh_list(self) -> None:
        table = self.query_one("#vouchers-list", DataTable)
        wide = bool(self._wide)
        try:
            self._rows = vouchers_service.listing(self.till.store, self.status)
        except PosError as exc:
            self._rows = []
            self.query_one("#vouchers-error", Static).update(exc.message)
        table.clear()
        for row in self._rows:
            table.add_row(
                cell(format_code(row["code"]), style="bold"),
                cell(kind_label(row["kind"], short=not wide)),
                cell(money(row["amount"]), "right"),
                cell(moment_text(row["issued_at"], wide)),
                cell(day_text(row["expires_on"]) if wide else moment_text(row["expires_on"], False)),
                cell(moment_text(row["redeemed_at"], wide)),
                cell(str(row["sale_number"] or ""), "right"),
                key=str(row["id"]),
            )

    def refresh_outstanding(self) -> None:
        owed = vouchers_service.outstanding(self.till.store)
        self.query_one("#vouchers-outstanding", Static).update(
            _("Outstanding: {n} valid vouchers and credit notes · {amount} owed to their holders").format(
                n=owed["n"], amount=money(owed["total"])))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "vouchers-status":
            self.refresh_list()

    def on_scan_input_scanned(self, event: ScanInput.Scanned) -> None:
        event.stop()  # the code as typed up to Enter, even with another scan right behind it
        self.look_up(event.code)

    def look_up(self, code: str) -> None:
        error = self.query_one("#vouchers-error", Static)
        detail = self.query_one("#vouchers-detail", Static)
        if not code.strip():
            detail.add_class("empty")
            error.update("")
            return
        try:
            voucher = vouchers_service.look_up(self.till.store, code)
        except PosError as exc:
            detail.add_class("empty")
            error.update(exc.message)
            self.app.bell()
            return
        error.update("")
        detail.remove_class("empty")
        detail.update(self.describe(voucher))

    def describe(self, voucher: Voucher) -> Text:
        """The looked-up voucher: code, kind, amount, dates, VAT parts, and its status with the reason."""
        text = Text()
        text.append(format_code(voucher.code), style="bold")
        text.append(f" · {kind_label(voucher.kind)} · {money(voucher.amount)}\n")
        text.append(_("Issued {when}").format(when=moment_text(voucher.issued_at)))
        text.append(" · ")
        text.append(_("Valid until {date}").format(date=day_text(voucher.expires_on)) if voucher.expires_on
                    else _("No expiry date"))
        if voucher.kind == "credit_note" and voucher.parts:
            parts = ", ".join(f"{format_vat_rate(rate, locale())} {money(amount)}" for rate, amount in voucher.parts)
            text.append("\n" + _("VAT: {parts}").format(parts=parts))
        status = voucher.status(self.till.store.clock().date())
        text.append("\n")
        if status == "used":
            text.append(_("Used on {date} in sale n° {number}").format(
                date=moment_text(voucher.redeemed_at), number=voucher.redeemed_sale_number), style="bold red")
        elif status == "expired":
            text.append(_("Expired on {date}").format(date=day_text(voucher.expires_on)), style="bold red")
        else:
            text.append(_("Valid: can be used in a sale"), style="bold green")
        return text



