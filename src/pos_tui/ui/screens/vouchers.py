"""Gift vouchers and credit notes (SPEC §7), payment methods (SPEC §5), and their palette commands.

- :class:`GiftVoucherScreen`: the small dialog the checkout opens (Ctrl+B) to sell a gift voucher.
- :class:`VouchersScreen`: vouchers and credit notes by status, look a code up, what the shop owes.
- :class:`PaymentMethodsScreen`: list, add (e.g. ``BA`` partner vouchers), enable / disable.
- :class:`VoucherCommands`: the command palette entries (Ctrl+P).

Every rule (rights, codes, expiry, methods) lives in the services; these screens show their answers.
"""

from __future__ import annotations

from datetime import date, datetime

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Select, Static

from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_money, format_vat_rate, parse_money
from pos_tui.domain.rights import Right
from pos_tui.domain.vouchers import Voucher, format_code, parse_expiry
from pos_tui.i18n import _, locale
from pos_tui.services import methods, settings
from pos_tui.services import vouchers as vouchers_service
from pos_tui.services.methods import PaymentMethod  # the store's record, as the service returns it
from pos_tui.ui.screens.commands import CommandList


# -- formatting ---------------------------------------------------------------------

def money(cents: int) -> str:
    return format_money(int(cents), locale())


def kind_label(kind: str, short: bool = False) -> str:
    if kind == "credit_note":
        return _("Credit note")
    return _("Gift") if short else _("Gift voucher")


def day_text(iso: str | None) -> str:
    """``2027-06-30`` -> ``30/06/2027``; empty stays empty."""
    if not iso:
        return ""
    try:
        return date.fromisoformat(str(iso)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return str(iso)


def moment_text(iso: str | None, with_time: bool = True) -> str:
    """A stored timestamp (the shop's local time) as ``27/11/26 17:20`` or ``27/11/26``."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    return moment.strftime("%d/%m/%y %H:%M" if with_time else "%d/%m/%y")


def voucher_lines(voucher: Voucher) -> list[str]:
    """What the counter says about one issued voucher or credit note: kind, amount, code, expiry."""
    lines = [f"{kind_label(voucher.kind)} {money(voucher.amount)}", format_code(voucher.code)]
    if voucher.expires_on:
        lines.append(_("Valid until {date}").format(date=day_text(voucher.expires_on)))
    return lines


def _cell(text: str, justify: str = "left", style: str = "") -> Text:
    # Text, not str: a DataTable parses str cells as markup.
    return Text(text or "", justify=justify, style=style, no_wrap=True, overflow="ellipsis")


def _yes_no(value: bool) -> Text:
    return _cell(_("Yes") if value else _("No"), style="" if value else "dim")


# -- selling a gift voucher (opened by the checkout) ----------------------------------

class GiftVoucherScreen(ModalScreen[bool]):
    """Amount and optional expiry of a gift voucher; adds a 0 % VAT line to the open sale."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]
    DEFAULT_CSS = """
    GiftVoucherScreen { align: center middle; }
    #gift-box {
        width: 60; max-width: 100%; height: auto;
        padding: 0 1; border: thick $primary; background: $surface;
    }
    #gift-box Input { margin: 0; }
    #gift-error { height: auto; }
    #gift-hint { color: $text-muted; }
    """

    def __init__(self, cart: Cart) -> None:
        super().__init__()
        self.cart = cart

    def compose(self) -> ComposeResult:
        with Vertical(id="gift-box"):
            yield Static(_("Sell a gift voucher (0 % VAT)"), classes="title")
            yield Input(placeholder=_("Amount"), id="gift-amount", restrict=r"[0-9 ,.€]*", max_length=12)
            yield Input(placeholder=_("Expiry date (optional), e.g. 30/06/2027"), id="gift-expiry",
                        restrict=r"[0-9/\-]*", max_length=10)
            yield Static("", id="gift-error", classes="error")
            yield Static(_("Enter: next / add · Esc: cancel · the code is made when the sale closes"),
                         id="gift-hint")

    def on_mount(self) -> None:
        self.query_one("#gift-box").border_title = _("Gift voucher")
        self.query_one("#gift-amount", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "gift-amount":
            self.query_one("#gift-expiry", Input).focus()
            return
        self.submit()

    def submit(self) -> None:
        error = self.query_one("#gift-error", Static)
        try:
            cents = parse_money(self.query_one("#gift-amount", Input).value)
            expires = parse_expiry(self.query_one("#gift-expiry", Input).value, self.app.store.clock().date())
            self.cart.add_gift_voucher(cents, expires)
        except PosError as exc:
            error.update(exc.message)
            self.app.bell()
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


# -- vouchers and credit notes ------------------------------------------------------

class VouchersScreen(Screen):
    """Vouchers and credit notes by status, a code look-up, and the total the shop owes."""

    BINDINGS = [Binding("escape", "back", _("Back"))]
    DEFAULT_CSS = """
    VouchersScreen #vouchers-top { height: 3; }
    VouchersScreen #vouchers-status { width: 24; }
    VouchersScreen #vouchers-code { width: 1fr; margin: 0; }
    VouchersScreen #vouchers-outstanding { height: 1; padding: 0 1; text-style: bold; }
    VouchersScreen #vouchers-list { height: 1fr; }
    VouchersScreen #vouchers-detail { height: auto; border: round $primary; padding: 0 1; }
    VouchersScreen #vouchers-detail.empty { display: none; }
    VouchersScreen #vouchers-error { height: auto; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._wide: bool | None = None
        self._rows: list[dict] = []

    def compose(self) -> ComposeResult:
        statuses = [(_("Valid"), "valid"), (_("Used"), "used"), (_("Expired"), "expired"), (_("All"), "all")]
        yield Header()
        with Horizontal(id="vouchers-top"):
            yield Select(statuses, value="valid", allow_blank=False, id="vouchers-status")
            yield Input(placeholder=_("Look a code up: type or scan it, Enter"), id="vouchers-code",
                        max_length=24)
        yield Static("", id="vouchers-outstanding")
        yield DataTable(id="vouchers-list", cursor_type="row", zebra_stripes=True)
        yield Static("", id="vouchers-error", classes="error")
        yield Static("", id="vouchers-detail", classes="empty")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = _("Vouchers and credit notes") + " · " + self.app.session_label()
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
            self._rows = vouchers_service.listing(self.app.store, self.status)
        except PosError as exc:
            self._rows = []
            self.query_one("#vouchers-error", Static).update(exc.message)
        table.clear()
        for row in self._rows:
            table.add_row(
                _cell(format_code(row["code"]), style="bold"),
                _cell(kind_label(row["kind"], short=not wide)),
                _cell(money(row["amount"]), "right"),
                _cell(moment_text(row["issued_at"], wide)),
                _cell(day_text(row["expires_on"]) if wide else moment_text(row["expires_on"], False)),
                _cell(moment_text(row["redeemed_at"], wide)),
                _cell(str(row["sale_number"] or ""), "right"),
                key=str(row["id"]),
            )

    def refresh_outstanding(self) -> None:
        owed = vouchers_service.outstanding(self.app.store)
        self.query_one("#vouchers-outstanding", Static).update(
            _("Outstanding: {n} valid vouchers and credit notes · {amount} owed to their holders").format(
                n=owed["n"], amount=money(owed["total"])))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "vouchers-status":
            self.refresh_list()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "vouchers-code":
            self.look_up(event.value)

    def look_up(self, code: str) -> None:
        error = self.query_one("#vouchers-error", Static)
        detail = self.query_one("#vouchers-detail", Static)
        if not code.strip():
            detail.add_class("empty")
            error.update("")
            return
        try:
            voucher = vouchers_service.look_up(self.app.store, code)
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
        status = voucher.status(self.app.store.clock().date())
        text.append("\n")
        if status == "used":
            text.append(_("Used on {date} in sale n° {number}").format(
                date=moment_text(voucher.redeemed_at), number=voucher.redeemed_sale_number), style="bold red")
        elif status == "expired":
            text.append(_("Expired on {date}").format(date=day_text(voucher.expires_on)), style="bold red")
        else:
            text.append(_("Valid: can be used in a sale"), style="bold green")
        return text

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()


# -- payment methods ----------------------------------------------------------------

class TickBox(Checkbox, inherit_bindings=False):
    """A checkbox that Space ticks; Enter is left to the form (save), as in the text fields."""

    BINDINGS = [Binding("space", "toggle_button", _("Tick"), show=False)]


class AddMethodScreen(ModalScreen[PaymentMethod | None]):
    """Code, label, opens the drawer, counts as cash; Enter moves on, then saves."""

    BINDINGS = [
        Binding("escape", "cancel", _("Cancel")),
        Binding("ctrl+s", "save", _("Save")),
        Binding("enter", "save", _("Save"), show=False),  # on a tick box
    ]
    DEFAULT_CSS = """
    AddMethodScreen { align: center middle; }
    #method-box {
        width: 64; max-width: 100%; height: auto;
        padding: 0 1; border: thick $primary; background: $surface;
    }
    #method-box Input { margin: 0; }
    #method-error { height: auto; }
    #method-hint { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="method-box"):
            yield Static(_("New payment method"), classes="title")
            yield Input(placeholder=_("Code (2-8 letters or digits), e.g. BA"), id="method-code",
                        restrict=r"[A-Za-z0-9]*", max_length=8)
            yield Input(placeholder=_("Label, e.g. Partner vouchers"), id="method-label", max_length=60)
            yield TickBox(_("Opens the cash drawer"), id="method-drawer")
            yield TickBox(_("Counts as cash (change, cash expected)"), id="method-cash")
            yield Static("", id="method-error", classes="error")
            yield Static(_("Enter: next / save · Tab then Space: tick a box · Esc: cancel"), id="method-hint")

    def on_mount(self) -> None:
        self.query_one("#method-box").border_title = _("Payment method")
        self.query_one("#method-code", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "method-code":
            self.query_one("#method-label", Input).focus()
            return
        self.action_save()

    def action_save(self) -> None:
        try:
            method = methods.add_method(
                self.app.ctx, self.query_one("#method-code", Input).value, self.query_one("#method-label", Input).value,
                opens_drawer=self.query_one("#method-drawer", Checkbox).value,
                is_cash=self.query_one("#method-cash", Checkbox).value)
        except PosError as exc:
            self.query_one("#method-error", Static).update(exc.message)
            self.app.bell()
            return
        self.dismiss(method)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PaymentMethodsScreen(Screen):
    """Every payment method; add one, enable or disable the highlighted one (never delete)."""

    BINDINGS = [
        Binding("ctrl+n", "add", _("Add")),
        Binding("space", "toggle", _("Enable/disable")),
        Binding("escape", "back", _("Back")),
    ]
    DEFAULT_CSS = """
    PaymentMethodsScreen #methods-list { height: 1fr; }
    PaymentMethodsScreen #methods-error { height: auto; padding: 0 1; }
    PaymentMethodsScreen #methods-hint { height: auto; padding: 0 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="methods-list", cursor_type="row", zebra_stripes=True)
        yield Static("", id="methods-error", classes="error")
        yield Static(_("A method that was used stays in the records: disable it, it is never deleted."),
                     id="methods-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = _("Payment methods") + " · " + self.app.session_label()
        table = self.query_one("#methods-list", DataTable)
        for key, label, width in (("code", _("Code"), 8), ("label", _("Label"), 30), ("enabled", _("Enabled"), 8),
                                  ("drawer", _("Drawer"), 8), ("cash", _("As cash"), 8)):
            table.add_column(label, key=key, width=width)
        self.refresh_methods()
        table.focus()
        try:
            self.app.ctx.require(Right.MANAGE_METHODS)
        except PosError as exc:  # say it at once; the service refuses anyway
            self.show_error(exc.message)

    def show_error(self, message: str) -> None:
        self.query_one("#methods-error", Static).update(message)

    def refresh_methods(self, keep: str | None = None) -> None:
        table = self.query_one("#methods-list", DataTable)
        table.clear()
        rows = methods.all_methods(self.app.store)
        for method in rows:
            style = "" if method.enabled else "dim"
            table.add_row(_cell(method.code, style=style or "bold"), _cell(method.label, style=style),
                          _yes_no(method.enabled), _yes_no(method.opens_drawer), _yes_no(method.is_cash),
                          key=method.code)
        codes = [m.code for m in rows]
        if keep in codes:
            table.move_cursor(row=codes.index(keep), animate=False)

    def highlighted_code(self) -> str | None:
        table = self.query_one("#methods-list", DataTable)
        if not table.row_count:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def action_add(self) -> None:
        try:
            self.app.ctx.require(Right.MANAGE_METHODS)
        except PosError as exc:
            self.show_error(exc.message)
            self.app.bell()
            return
        self.app.push_screen(AddMethodScreen(), self._added)

    def _added(self, method: PaymentMethod | None) -> None:
        self.query_one("#methods-list", DataTable).focus()
        if method is None:
            return
        self.show_error("")
        self.refresh_methods(keep=method.code)
        self.app.notify(_("Payment method {code} added.").format(code=method.code))

    def action_toggle(self) -> None:
        code = self.highlighted_code()
        if code is None:
            return
        try:
            current = methods.get(self.app.store, code)
            method = methods.set_enabled(self.app.ctx, code, not current.enabled)
        except PosError as exc:
            self.show_error(exc.message)
            self.app.bell()
            return
        self.show_error("")
        self.refresh_methods(keep=code)
        message = _("{code} enabled.") if method.enabled else _("{code} disabled.")
        self.app.notify(message.format(code=code))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()


# -- command palette ----------------------------------------------------------------

def open_screen(app, screen_type: type[Screen]) -> None:
    """Push ``screen_type`` unless it is already on top."""
    if not isinstance(app.screen, screen_type):
        app.push_screen(screen_type())


class VoucherCommands(CommandList):
    """Palette entries: vouchers, returns, payment methods, voucher cash back (once someone is logged in)."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        if getattr(app, "ctx", None) is None:
            return []
        allowed = settings.voucher_cash_back(app.store)
        now = _("now allowed") if allowed else _("now forbidden")
        return [
            (_("Vouchers and credit notes"), lambda: open_screen(app, VouchersScreen),
             _("Valid, used and expired vouchers; look a code up; outstanding total")),
            (_("Returns"), self._open_returns, _("Bring back items of a closed sale: credit note, CRED or refund")),
            (_("Payment methods"), lambda: open_screen(app, PaymentMethodsScreen),
             _("Add a method (e.g. BA partner vouchers), enable or disable one")),
            (_("Cash back on vouchers: allow"), lambda: self._cash_back(True),
             _("A voucher worth more than the sale may be paid out ({now})").format(now=now)),
            (_("Cash back on vouchers: forbid"), lambda: self._cash_back(False),
             _("The rest of a voucher goes on the customer's credit only ({now})").format(now=now)),
        ]

    def _open_returns(self) -> None:
        from pos_tui.ui.screens.returns import ReturnsScreen

        open_screen(self.app, ReturnsScreen)

    def _cash_back(self, allowed: bool) -> None:
        try:
            settings.set_voucher_cash_back(self.app.ctx, allowed)
        except PosError as exc:
            self.app.notify(exc.message, severity="error", timeout=8)
            return
        self.app.notify(_("Cash back on vouchers allowed.") if allowed else
                        _("Cash back on vouchers forbidden: the rest goes on the customer's credit (CRED)."))
