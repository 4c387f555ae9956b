"""The payment screen of a sale (SPEC §6): split payments, change, CRED, debt-limit override.

Every rule (methods, rights, CRED, the debt limit) is checked by
``services.checkout``; this screen only collects payment lines and shows
what the services answer.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Digits, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from pos_tui.domain.cart import Cart
from pos_tui.domain.credit import DebtLimitExceeded
from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_vat_rate, parse_money
from pos_tui.domain.payment import Settlement, Tender, remaining
from pos_tui.i18n import N_, _, locale
from pos_tui.services import checkout, methods
from pos_tui.services.checkout import Override, SaleResult
from pos_tui.services.customers import customer_summary
from pos_tui.ui.format import big_money, cell, money, money_cell
from pos_tui.ui.widgets.customer_box import CustomerBox
from pos_tui.ui.widgets.modal_form import ModalForm
from pos_tui.ui.till import TillAccess


class OverrideScreen(ModalForm[Override | None]):
    """A manager types name, PIN and a reason to let a sale go past a debt limit."""

    CSS_PATH = "payment.tcss"
    BOX_ID, ERROR_ID = "override-box", "override-error"

    def __init__(self, refusal: str) -> None:
        super().__init__()
        self.refusal = refusal

    def compose_form(self) -> ComposeResult:
        yield Static(_("Manager override"), classes="title")
        yield Static(self.refusal, id="override-refusal")
        yield Input(placeholder=_("Manager name"), id="override-name")
        yield Input(placeholder=_("PIN"), password=True, id="override-pin", max_length=8, restrict=r"\d*")
        yield Input(placeholder=_("Reason (kept in the journal)"), id="override-reason", max_length=200)

    def submit(self) -> None:
        name = self.query_one("#override-name", Input).value
        pin = self.query_one("#override-pin", Input)
        reason = self.query_one("#override-reason", Input).value
        try:
            override = checkout.authorize_override(self.till.store, name, pin.value, reason, self.till.terminal)
        except PosError as exc:
            self.show_error(exc.message)
            if not reason.strip() or len(reason.strip()) < 3:
                self.query_one("#override-reason", Input).focus()
            else:
                pin.value = ""
                pin.focus()
            return
        self.dismiss(override)


class PaymentScreen(TillAccess, ModalScreen[SaleResult | None]):
    """Pick a method (digit keys), type an amount (Enter on empty = the remainder); Enter or F10 closes."""

    HELP_TITLE = N_("Payment")

    BINDINGS = [
        Binding("f10", "close_sale", N_("Close sale")),
        Binding("ctrl+enter", "close_sale", N_("Close sale"), show=False),
        Binding("ctrl+d", "remove_payment", N_("Remove payment"), priority=True),
        Binding("o", "override", N_("Manager override"), show=False),  # the refusal line says "o"
        Binding("escape", "cancel", N_("Back"), tooltip=N_("Back to the sale")),
    ]
    CSS_PATH = "payment.tcss"

    def __init__(self, cart: Cart) -> None:
        super().__init__()
        self.cart = cart
        self.tenders: list[Tender] = []
        self.methods = []
        self.method: str | None = None
        self.settlement: Settlement | None = None
        self.refusal: DebtLimitExceeded | None = None

    # -- layout -------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="pay-box"):
            with Horizontal(id="pay-columns"):
                with Vertical(id="pay-left"):
                    yield Static(_("Total to pay"), id="pay-total-label")
                    yield Digits(big_money(self.cart.total), id="pay-total")
                    yield Static("", id="pay-vat")
                    yield CustomerBox("pay-customer", balance_label=_("Credit balance {amount}"),
                                      empty=_("No customer (CRED needs one)"), id="pay-customer-box")
                with Vertical(id="pay-right"):
                    yield OptionList(id="pay-methods")
                    yield Input(placeholder=_("Amount"), id="pay-amount", restrict=r"[-+0-9 ,.€]*", max_length=16)
                    yield DataTable(id="pay-lines", cursor_type="row", show_cursor=True)
                    yield Static("", id="remaining")
                    with Horizontal(id="change-row"):
                        yield Static(_("Change"), id="change-label")
                        yield Digits("", id="change")
            yield Static("", id="payment-error", classes="error")
            yield Static("", id="payment-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#pay-box").border_title = _("Payment")
        self.methods = [m for m in methods.all_methods(self.till.store) if m.enabled]
        options = self.query_one("#pay-methods", OptionList)
        for n, method in enumerate(self.methods, 1):
            key = str(n) if n <= 9 else " "
            options.add_option(Option(f"{key}  {method.code:<5} {method.name}", id=method.code))
        options.highlighted = 0 if self.methods else None
        self.query_one("#pay-methods").border_title = _("Method: key 1-{n}").format(n=min(len(self.methods), 9))
        table = self.query_one("#pay-lines", DataTable)
        table.add_column(_("Method"), key="method", width=22)
        table.add_column(Text(_("Amount"), justify="right"), key="amount", width=12)
        self.query_one("#pay-vat", Static).update(self._vat_table())
        self._show_customer()
        self._update()
        options.focus()

    def _vat_table(self) -> Table:
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        table.add_column(_("Rate"))
        for title in (_("Net"), _("VAT"), _("Gross")):
            table.add_column(title, justify="right")
        for group in self.cart.vat():
            table.add_row(format_vat_rate(group.rate, locale()), money(group.ht), money(group.tva), money(group.ttc))
        return table

    def _show_customer(self) -> None:
        box = self.query_one(CustomerBox)
        if self.cart.customer_id is None:
            box.show_none()
            return
        try:
            box.show(customer_summary(self.till.ctx, self.cart.customer_id))
        except PosError as exc:
            box.show_error(exc.message)

    # -- state --------------------------------------------------------------------
    @property
    def remaining(self) -> int:
        return remaining(self.cart.total, self.tenders)

    @property
    def covered(self) -> bool:
        rest = self.remaining
        return rest <= 0 if self.cart.total >= 0 else rest >= 0

    def _method_label(self, code: str) -> str:
        for method in self.methods:
            if method.code == code:
                return f"{code} {method.name}"
        return code

    def _update(self, error: str = "") -> None:
        """Redraw payment lines, remaining and change; ask the service whether the payment holds."""
        table = self.query_one("#pay-lines", DataTable)
        table.clear()
        for i, tender in enumerate(self.tenders):
            table.add_row(cell(self._method_label(tender.method)),
                          money_cell(tender.amount), key=str(i))
        if self.tenders:
            table.move_cursor(row=len(self.tenders) - 1, animate=False)
        rest = self.remaining
        self.settlement = None
        hint = ""
        if self.covered:
            try:
                self.settlement = checkout.check_payment(self.till.ctx, self.cart, self.tenders)
            except PosError as exc:
                error = error or exc.message
        if self.cart.total < 0 and rest < 0:
            remaining_text = _("To give back: {amount}").format(amount=money(-rest))
        elif rest > 0 and self.cart.total >= 0:
            remaining_text = _("Remaining: {amount}").format(amount=money(rest))
        elif self.settlement is not None:
            remaining_text = _("Paid in full")
        else:
            remaining_text = _("Remaining: {amount}").format(amount=money(rest))
        self.query_one("#remaining", Static).update(remaining_text)
        change = self.settlement.change if self.settlement else 0
        digits = self.query_one("#change", Digits)
        digits.update(big_money(change))
        digits.set_class(change > 0, "due")
        if self.settlement is not None:
            hint = _("Enter or F10: close the sale · Ctrl+D removes a payment · Esc: back to the sale")
        elif self.method is None:
            hint = _("Pick a method (1-{n} or arrows + Enter), then type the amount; Enter alone takes the rest.").format(
                n=min(len(self.methods), 9))
        else:
            hint = _("Type the amount and Enter; Enter alone takes the rest ({amount}).").format(amount=money(rest))
        if self.refusal is not None and not error:
            error = self.refusal.message + "\n" + _("o: manager override")
        self.query_one("#payment-error", Static).update(error)
        self.query_one("#payment-hint", Static).update(hint)
        self.refresh_bindings()

    # -- keys ---------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        # Digit keys pick a method while the method list (not the amount) has focus.
        if self.focused is self.query_one("#pay-methods") and event.character and event.character.isdigit():
            n = int(event.character)
            if 1 <= n <= min(len(self.methods), 9):
                event.stop()
                event.prevent_default()
                self.query_one("#pay-methods", OptionList).highlighted = n - 1
                self.choose_method(self.methods[n - 1].code)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.covered and (self.tenders or self.cart.total == 0):
            self.action_close_sale()
            return
        self.choose_method(event.option.id)

    def choose_method(self, code: str) -> None:
        self.method = code
        amount = self.query_one("#pay-amount", Input)
        amount.border_title = self._method_label(code)
        amount.placeholder = _("Amount ({method}) — Enter alone: {amount}").format(
            method=code, amount=money(self.remaining))
        amount.value = ""
        amount.focus()
        self._update()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "pay-amount":
            return
        event.stop()
        text = event.value.strip()
        if not text:
            if self.covered:
                self.action_close_sale()
                return
            amount = self.remaining
        else:
            try:
                amount = parse_money(text)
            except PosError as exc:
                self._update(exc.message)
                self.app.bell()
                return
        if self.method is None:
            options = self.query_one("#pay-methods", OptionList)
            if options.highlighted is None:
                return
            self.method = self.methods[options.highlighted].code
        self.tenders.append(Tender(self.method, amount))
        self.refusal = None
        event.input.value = ""
        self.method = None
        event.input.border_title = ""
        event.input.placeholder = _("Amount")
        self._update()
        self.query_one("#pay-methods", OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "override":
            return self.refusal is not None
        if action == "remove_payment":
            return bool(self.tenders)
        return True

    # -- actions ------------------------------------------------------------------
    def action_remove_payment(self) -> None:
        if not self.tenders:
            return
        table = self.query_one("#pay-lines", DataTable)
        index = table.cursor_row if 0 <= table.cursor_row < len(self.tenders) else len(self.tenders) - 1
        self.tenders.pop(index)
        self.refusal = None
        self._update()

    def action_close_sale(self, override: Override | None = None) -> None:
        try:
            result = checkout.close_sale(self.till.ctx, self.cart, self.tenders, override=override)
        except DebtLimitExceeded as exc:
            self.refusal = exc
            self.app.bell()
            self._update()
            self.query_one("#pay-methods", OptionList).focus()
            return
        except PosError as exc:
            self.app.bell()
            self._update(exc.message)
            return
        self.dismiss(result)

    def action_override(self) -> None:
        if self.refusal is None:
            return
        self.app.push_screen(OverrideScreen(self.refusal.message), self._overridden)

    def _overridden(self, override: Override | None) -> None:
        if override is None:
            self.query_one("#pay-methods", OptionList).focus()
            return
        self.action_close_sale(override)

    def action_cancel(self) -> None:
        self.dismiss(None)
