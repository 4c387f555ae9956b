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
from textual.message import Message
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
from pos_tui.ui.format import big_money, cell, money, money_cell
from pos_tui.ui.widgets.customer_box import CustomerBox
from pos_tui.ui.widgets.modal_form import ModalForm
from pos_tui.ui.widgets.sale_widgets import ScanInput
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


class PaymentEntry(ScanInput):
    """The payment screen's one field (it keeps the focus): a method key, an amount, or a scanned code.

    Everything is decided here, key by key, so a burst of keys is read as it was typed: a digit
    1-9 on an empty field picks that method (it is not typed); Up/Down move the method list;
    Enter posts :class:`Entered` with what was typed (the method key included, so a scanned card
    that starts with a digit is read whole) and empties the field at once.
    """

    class Entered(Message):
        """``raw``: every key typed (method key included); ``amount``: what followed the method key.
        ``pick_only``: Enter on an empty field just picked the highlighted method."""

        def __init__(self, raw: str, method: str | None, amount: str, pick_only: bool = False) -> None:
            super().__init__()
            self.raw, self.method, self.amount, self.pick_only = raw, method, amount, pick_only

    class MethodChosen(Message):
        def __init__(self, method: str | None) -> None:
            super().__init__()
            self.method = method

    def __init__(self, methods: list[str], options: OptionList, **kwargs) -> None:
        super().__init__(**kwargs)
        self.method_keys = {str(n): code for n, code in enumerate(methods[:9], 1)}  # ASCII digits only
        self.codes = methods
        self.options = options
        self.method: str | None = None
        self.typed_key = ""  # the digit that picked the method, part of a scanned code if it was one

    def choose(self, code: str | None, typed_key: str = "") -> None:
        self.method, self.typed_key = code, typed_key
        if code is not None:
            self.options.highlighted = self.codes.index(code)
        self.post_message(self.MethodChosen(code))

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # "o" stays the screen's override key while a refusal is shown (an Input hides printable
        # keys from the bindings of the screens above it).
        if key == "o" and self.screen.check_action("override", ()):
            return False
        return super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        char = event.character if event.is_printable else None
        if event.key in ("up", "down") and self.codes:
            current = self.options.highlighted or 0
            step = -1 if event.key == "up" else 1
            self.options.highlighted = max(0, min(len(self.codes) - 1, current + step))
            if self.method is not None:
                self.choose(self.codes[self.options.highlighted])
        elif event.key == "backspace" and not self.value and self.method is not None:
            self.choose(None)
        elif char and not self.value and self.method is None and char in self.method_keys:
            self.choose(self.method_keys[char], char)
        elif event.key == "enter":
            self.enter()
        else:
            return  # Input types it
        event.stop()
        event.prevent_default()

    def enter(self) -> None:
        if not self.value and self.method is None:
            index = self.options.highlighted
            code = self.codes[index] if index is not None and self.codes else None
            self.method, self.typed_key = code, ""
            self.post_message(self.Entered("", code, "", pick_only=True))
            return
        message = self.Entered(self.typed_key + self.value, self.method, self.value)
        self.value, self.method, self.typed_key = "", None, ""
        self.post_message(message)


class PaymentScreen(TillAccess, ModalScreen[SaleResult | None]):
    """A method key then Enter pays the rest (and closes the sale when nothing is left); a method key,
    an amount and Enter pays part; a scanned card attaches the customer, a scanned voucher is used."""

    HELP_TITLE = N_("Payment")

    BINDINGS = [
        Binding("f10", "close_sale", N_("Close sale")),
        Binding("ctrl+enter", "close_sale", N_("Close sale"), show=False),
        Binding("ctrl+d", "remove_payment", N_("Remove payment"), priority=True),
        Binding("f2", "attach_customer", N_("Customer")),
        # only while a refusal is shown (its line says "o"); else the key is typed
        Binding("o", "override", N_("Manager override"), show=False, priority=True),
        Binding("escape", "cancel", N_("Back"), tooltip=N_("Back to the sale")),
    ]
    CSS_PATH = "payment.tcss"

    def __init__(self, cart: Cart) -> None:
        super().__init__()
        self.cart = cart
        self.tenders: list[Tender] = []
        self.methods = []
        self.settlement: Settlement | None = None
        self.refusal: DebtLimitExceeded | None = None

    # -- layout -------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self.methods = [m for m in methods.all_methods(self.till.store) if m.enabled]
        options = OptionList(id="pay-methods")
        options.can_focus = False  # the entry keeps the focus: its keys are read in the order typed
        with Vertical(id="pay-box"):
            with Horizontal(id="pay-columns"):
                with Vertical(id="pay-left"):
                    yield Static(_("Total to pay"), id="pay-total-label")
                    yield Digits(big_money(self.cart.total), id="pay-total")
                    yield Static("", id="pay-vat")
                    yield CustomerBox("pay-customer", balance_label=_("Balance {amount}"),
                                      empty=_("No customer (CRED needs one)"), id="pay-customer-box")
                with Vertical(id="pay-right"):
                    yield options
                    yield PaymentEntry([m.code for m in self.methods], options, placeholder=_("Amount"),
                                       id="pay-amount", max_length=24, select_on_focus=False)
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
        options = self.query_one("#pay-methods", OptionList)
        for n, method in enumerate(self.methods, 1):
            key = str(n) if n <= 9 else " "
            options.add_option(Option(f"{key}  {method.code:<5} {method.name}", id=method.code))
        options.highlighted = 0 if self.methods else None
        self.query_one("#pay-methods").border_title = _("Method: key 1-{n}").format(n=min(len(self.methods), 9))
        table = self.query_one("#pay-lines", DataTable)
        table.add_column(_("Method"), key="method", width=22)
        table.add_column(Text(_("Amount"), justify="right"), key="amount", width=12)
        self._show_sale()
        self.entry.focus()

    @property
    def entry(self) -> PaymentEntry:
        return self.query_one("#pay-amount", PaymentEntry)

    @property
    def method(self) -> str | None:
        """The method picked for the amount being typed."""
        return self.entry.method

    def _show_sale(self) -> None:
        """Total, VAT and customer (again after a scanned voucher or card changed them)."""
        self.query_one("#pay-total", Digits).update(big_money(self.cart.total))
        self.query_one("#pay-vat", Static).update(self._vat_table())
        self.query_one(CustomerBox).show_customer(self.till.ctx, self.cart.customer_id, self.cart.card_id)
        self._update()

    def _vat_table(self) -> Table:
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        table.add_column(_("Rate"))
        for title in (_("Net"), _("VAT"), _("Gross")):
            table.add_column(title, justify="right")
        for group in self.cart.vat():
            table.add_row(format_vat_rate(group.rate, locale()), money(group.ht), money(group.tva), money(group.ttc))
        return table

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
        self._show_method()
        if self.refusal is not None and not error:
            error = self.refusal.message + "\n" + _("o: manager override")
        self.query_one("#payment-error", Static).update(error)
        self.refresh_bindings()

    def _show_method(self) -> None:
        """The entry's title, placeholder and the hint under it, for the method picked (or none) and
        the rest as it is now."""
        entry, rest = self.entry, money(self.remaining)
        if self.method is None:
            entry.border_title = ""
            entry.placeholder = _("Method key, or scan a card or a voucher")
        else:
            entry.border_title = self._method_label(self.method)
            entry.placeholder = _("Amount ({method}) — Enter alone: {amount}").format(method=self.method, amount=rest)
        if self.settlement is not None:
            hint = _("Enter or F10: close the sale · Ctrl+D removes a payment · Esc: back to the sale")
        elif self.method is None:
            hint = (_("Pick a method (1-{n} or arrows + Enter), then type the amount; Enter alone takes the rest.")
                    .format(n=min(len(self.methods), 9)) + " " + _("A scanned card or voucher is used at once."))
        else:
            hint = _("Type the amount and Enter; Enter alone takes the rest ({amount}).").format(amount=rest)
        self.query_one("#payment-hint", Static).update(hint)

    # -- keys ---------------------------------------------------------------------
    def on_payment_entry_method_chosen(self, event: PaymentEntry.MethodChosen) -> None:
        event.stop()
        self._update()  # a new choice clears an old message (a refusal stays)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click on a method
        self.entry.choose(event.option.id)
        self.entry.focus()

    def on_payment_entry_entered(self, event: PaymentEntry.Entered) -> None:
        event.stop()
        if event.pick_only:
            if self.covered and (self.tenders or self.cart.total == 0):
                self.entry.method = None
                self.action_close_sale()
            else:
                self._show_method()
            return
        raw, found, error = event.raw.strip(), False, ""
        if len(raw) >= 4:  # a card code has 4 characters or more
            found, error = self.scanned(raw)
            if found:
                return
        if event.method is None:
            self._update(error or _("Pick a method first: key 1-{n}.").format(n=min(len(self.methods), 9)))
            self.app.bell()
            return
        text = event.amount.strip()
        if not text and self.covered:
            self.action_close_sale()
            return
        try:
            amount = parse_money(text) if text else self.remaining
        except PosError as exc:  # "1e3", other scripts' digits: said, nothing paid
            self._update(exc.message)
            self.app.bell()
            return
        self.tenders.append(Tender(event.method, amount))
        self.refusal = None
        self._update()
        if self.settlement is not None:  # nothing left to pay: the sale closes without one more Enter
            self.action_close_sale()

    def scanned(self, code: str) -> tuple[bool, str]:
        """A customer card attaches the customer, a voucher is used; else (False, why not)."""
        try:
            result = checkout.scan(self.till.store, code)
            if result.product is not None:
                return False, _("{name}: items are added in the sale (Esc), not here.").format(name=result.product.name)
            if result.voucher is not None:
                checkout.add_scanned_voucher(self.cart, result.voucher)
            elif result.customer is not None:
                self.attach(result.customer.id, result.card.id if result.card else None)
        except PosError as exc:
            return False, exc.message
        self.refusal = None
        self._show_sale()
        return True, ""

    def attach(self, customer_id: int, card_id: int | None = None) -> None:
        self.cart.customer_id, self.cart.card_id = customer_id, card_id
        self.till.current_customer_id = customer_id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "override":
            return self.refusal is not None
        if action == "remove_payment":
            return bool(self.tenders)
        return True

    # -- actions ------------------------------------------------------------------
    def action_attach_customer(self) -> None:
        """F2: find the customer by name (CRED needs one)."""
        from pos_tui.ui.screens.lookup import LookupScreen

        def picked(customer_id: int | None) -> None:
            if customer_id is not None:
                self.attach(customer_id)
                self.refusal = None
                self._show_sale()
            self.entry.focus()

        self.app.push_screen(LookupScreen(pick=True), picked)

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
        self.entry.focus()
        if override is not None:
            self.action_close_sale(override)

    def action_cancel(self) -> None:
        self.dismiss(None)
