"""Payment methods (SPEC §5): list, add (e.g. ``BA`` partner vouchers), enable / disable.

A method that was used stays in the records: it is disabled, never deleted. The rules and the
right to manage methods live in ``services.methods``.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Static

from pos_tui.domain.errors import PosError
from pos_tui.domain.rights import Right
from pos_tui.i18n import N_, _
from pos_tui.services import methods
from pos_tui.services.methods import PaymentMethod  # the store's record, as the service returns it
from pos_tui.ui.format import cell, yes_no_cell
from pos_tui.ui.widgets.modal_form import ModalForm
from pos_tui.ui.screens.base import PosScreen


class TickBox(Checkbox, inherit_bindings=False):
    """A checkbox that Space ticks; Enter is left to the form (save), as in the text fields."""

    BINDINGS = [Binding("space", "toggle_button", N_("Tick"), show=False)]


class AddMethodScreen(ModalForm[PaymentMethod | None]):
    """Code, label, opens the drawer, counts as cash; Enter moves on, then saves."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("enter", "save", N_("Save"), show=False),  # on a tick box
    ]
    CSS_PATH = "payment_methods.tcss"
    BOX_ID, ERROR_ID = "method-box", "method-error"

    def border_label(self) -> str:
        return _("Payment method")

    def hint(self) -> str:
        return _("Enter: next / save · Tab then Space: tick a box · Esc: cancel")

    def compose_form(self) -> ComposeResult:
        yield Static(_("New payment method"), classes="title")
        yield Input(placeholder=_("Code (2-8 letters or digits), e.g. BA"), id="method-code",
                    restrict=r"[A-Za-z0-9]*", max_length=8)
        yield Input(placeholder=_("Label, e.g. Partner vouchers"), id="method-label", max_length=60)
        yield TickBox(_("Opens the cash drawer"), id="method-drawer")
        yield TickBox(_("Counts as cash (change, cash expected)"), id="method-cash")

    def submit(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        try:
            method = methods.add_method(
                self.till.ctx, self.query_one("#method-code", Input).value, self.query_one("#method-label", Input).value,
                opens_drawer=self.query_one("#method-drawer", Checkbox).value,
                is_cash=self.query_one("#method-cash", Checkbox).value)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(method)


class PaymentMethodsScreen(PosScreen):
    """Every payment method; add one, enable or disable the highlighted one (never delete)."""

    HELP_TITLE = N_("Payment methods")

    BINDINGS = [
        Binding("ctrl+n", "add", N_("Add")),
        Binding("space", "toggle", N_("Enable/disable")),
        Binding("escape", "back", N_("Back")),
    ]
    CSS_PATH = "payment_methods.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="methods-list", cursor_type="row", zebra_stripes=True)
        yield Static("", id="methods-error", classes="error")
        yield Static(_("A method that was used stays in the records: disable it, it is never deleted."),
                     id="methods-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_session(_("Payment methods"))
        table = self.query_one("#methods-list", DataTable)
        for key, label, width in (("code", _("Code"), 8), ("label", _("Label"), 30), ("enabled", _("Enabled"), 8),
                                  ("drawer", _("Drawer"), 8), ("cash", _("As cash"), 8)):
            table.add_column(label, key=key, width=width)
        self.refresh_methods()
        table.focus()
        try:
            self.till.ctx.require(Right.MANAGE_METHODS)
        except PosError as exc:  # say it at once; the service refuses anyway
            self.show_error(exc.message)

    def show_error(self, message: str) -> None:
        self.query_one("#methods-error", Static).update(message)

    def refresh_methods(self, keep: str | None = None) -> None:
        table = self.query_one("#methods-list", DataTable)
        table.clear()
        rows = methods.all_methods(self.till.store)
        for method in rows:
            style = "" if method.enabled else "dim"
            table.add_row(cell(method.code, style=style or "bold"), cell(method.label, style=style),
                          yes_no_cell(method.enabled), yes_no_cell(method.opens_drawer), yes_no_cell(method.is_cash),
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
            self.till.ctx.require(Right.MANAGE_METHODS)
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
            current = methods.get(self.till.store, code)
            method = methods.set_enabled(self.till.ctx, code, not current.enabled)
        except PosError as exc:
            self.show_error(exc.message)
            self.app.bell()
            return
        self.show_error("")
        self.refresh_methods(keep=code)
        message = _("{code} enabled.") if method.enabled else _("{code} disabled.")
        self.app.notify(message.format(code=code))

