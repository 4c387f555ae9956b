"""A customer's card (fields, balance) and the create / edit form."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from pos_tui.domain.customers import CUSTOMER_FIELDS, Customer, format_phone
from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_money
from pos_tui.domain.rights import Right
from pos_tui.i18n import N_, _, locale
from pos_tui.services import credit, customers
from pos_tui.ui.screens.base import PosScreen
from pos_tui.ui.messages import OpenCreditPanel
from pos_tui.ui.till import TillAccess


def field_labels() -> dict[str, str]:
    """Translated labels, read at display time (the language is chosen at start-up)."""
    return {
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "company": _("Company"),
        "phone": _("Phone"),
        "email": _("Email"),
        "card_code": _("Card code"),
        "note": _("Note"),
    }


def full_name(customer: Customer) -> str:
    name = " ".join(p for p in (customer.first_name, customer.last_name) if p)
    return name or customer.company or "—"


class CustomerCardScreen(PosScreen):
    """Everything about one customer; E edits, F4 opens the credit panel, Esc goes back."""

    HELP_TITLE = N_("Customer card")
    FOOTER_GLOBALS = frozenset({"help", "sale"})

    BINDINGS = [
        Binding("e", "edit", N_("Edit")),
        Binding("f4,c", "credit", N_("Credit panel")),
        Binding("escape", "back", N_("Back")),
    ]
    CSS_PATH = "customer.tcss"

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer: Customer | None = None

    @property
    def can_view_credit(self) -> bool:
        return bool(self.till.ctx and self.till.ctx.can(Right.VIEW_CREDIT))

    def compose(self) -> ComposeResult:
        yield Header()
        labels = field_labels()
        with VerticalScroll(id="card-box"):
            yield Static("", id="card-name")
            for key in ("company", "phone", "email", "card_code", "note"):
                with Horizontal(classes="card-row"):
                    yield Label(labels[key], classes="card-label")
                    yield Static("", id=f"card-{key.replace('_', '-')}", classes="card-value")
            if self.can_view_credit:
                with Vertical(id="card-credit"):
                    with Horizontal(classes="card-row"):
                        yield Label(_("Balance"), classes="card-label")
                        yield Static("", id="card-balance", classes="card-value")
                    with Horizontal(classes="card-row"):
                        yield Label(_("Debt limit"), classes="card-label")
                        yield Static("", id="card-debt-limit", classes="card-value")
            yield Static("", id="card-error", classes="error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.till.current_customer_id = self.customer_id
        self.refresh_fields()

    def on_screen_resume(self) -> None:
        # Back from the credit panel or the form: show the new balance / fields.
        self.till.current_customer_id = self.customer_id
        if self.is_mounted:
            self.refresh_fields()

    def refresh_fields(self) -> None:
        error = self.query_one("#card-error", Static)
        try:
            customer = customers.get(self.till.store, self.customer_id)
        except PosError as exc:
            error.update(Text(exc.message))
            return
        error.update("")
        self.customer = customer
        name = full_name(customer)
        if customer.erased:
            name += "  " + _("(erased)")
        self.query_one("#card-name", Static).update(Text(name))
        values = {
            "company": customer.company,
            "phone": format_phone(customer.phone),
            "email": customer.email,
            "card_code": customer.card_code or "",
            "note": customer.note,
        }
        for key, value in values.items():
            self.query_one(f"#card-{key.replace('_', '-')}", Static).update(Text(value or "—"))
        if self.can_view_credit:
            self._refresh_credit()

    def _refresh_credit(self) -> None:
        balance = self.query_one("#card-balance", Static)
        limit = self.query_one("#card-debt-limit", Static)
        try:
            status = credit.status(self.till.ctx, self.customer_id)
        except PosError as exc:
            balance.update(Text(exc.message, style="bold red"))
            limit.update("")
            return
        money = format_money(status.balance, locale())
        if status.balance < 0:
            balance.update(Text.assemble((money, "bold red"), "  ", (_("debt"), "red")))
        elif status.balance > 0:
            balance.update(Text.assemble((money, "bold green"), "  ", (_("credit"), "green")))
        else:
            balance.update(Text(money))
        text = format_money(status.debt_limit, locale())
        if status.policy.forbid_negative_balance:
            text += "  " + _("(the shop allows no debt)")
        limit.update(Text(text))

    # -- actions ----------------------------------------------------------------
    def action_edit(self) -> None:
        self.app.push_screen(CustomerFormScreen(self.customer_id), self._edited)

    def _edited(self, customer_id: int | None) -> None:
        if customer_id is not None:
            self.refresh_fields()

    def action_credit(self) -> None:
        self.post_message(OpenCreditPanel(self.customer_id))


class CustomerFormScreen(TillAccess, ModalScreen[int | None]):
    """Create (no id) or edit (an id) a customer. Ctrl+S saves, Esc cancels.

    The service validates; a refusal is shown in the form and nothing is written.
    """

    HELP_TITLE = N_("Customer form")

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "cancel", N_("Cancel")),
    ]
    CSS_PATH = "customer.tcss"

    # Which field to put the cursor in after a refusal (the service only says what is wrong).
    _FIELD_OF_ERROR = {
        "A customer needs a first name, a last name or a company.": "first_name",
        "Invalid email address {email!r}.": "email",
        "Invalid phone number {phone!r}: 6 to 15 digits, spaces allowed.": "phone",
        "Invalid card code {code!r}: 4 to 20 letters or digits.": "card_code",
        "The card code {code} is already used by another customer.": "card_code",
        "The note is too long (500 characters at most).": "note",
    }
    _MAX_LENGTH = {"first_name": 80, "last_name": 80, "company": 80, "note": 500, "card_code": 20, "phone": 20,
                   "email": 120}

    def __init__(self, customer_id: int | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        labels = field_labels()
        with Vertical(id="form-box"):
            title = _("New customer") if self.customer_id is None else _("Edit customer")
            yield Static(title, id="form-title")
            with VerticalScroll(id="form-fields"):
                for key in CUSTOMER_FIELDS:
                    with Horizontal(classes="form-row"):
                        yield Label(labels[key], classes="form-label")
                        # No select-all on focus: after a refusal the cursor lands at the end of the
                        # faulty field, ready to correct it rather than retype it.
                        yield Input(id=f"form-{key}", compact=True, max_length=self._MAX_LENGTH.get(key, 0),
                                    select_on_focus=False)
            yield Static("", id="form-error", classes="error")
            with Horizontal(id="form-buttons"):
                yield Button(_("Save") + " (Ctrl+S)", id="form-save", variant="primary", compact=True)
                yield Button(_("Cancel") + " (Esc)", id="form-cancel", compact=True)

    def on_mount(self) -> None:
        if self.customer_id is not None:
            try:
                customer = customers.get(self.till.store, self.customer_id)
            except PosError as exc:
                self._show_error(exc.message)
                return
            self.query_one("#form-title", Static).update(
                Text(_("Edit customer: {name}").format(name=full_name(customer)))
            )
            for key in CUSTOMER_FIELDS:
                value = getattr(customer, key) or ""
                if key == "phone":
                    value = format_phone(value)
                self.query_one(f"#form-{key}", Input).value = value
        self.query_one("#form-first_name", Input).focus()

    def fields(self) -> dict[str, str]:
        return {key: self.query_one(f"#form-{key}", Input).value for key in CUSTOMER_FIELDS}

    def _show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(message))

    # -- events -----------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter moves to the next field; on the last one it saves.
        event.stop()
        if event.input.id == f"form-{CUSTOMER_FIELDS[-1]}":
            self.action_save()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        elif event.button.id == "form-cancel":
            self.action_cancel()

    # -- actions ----------------------------------------------------------------
    def action_save(self) -> None:
        try:
            if self.customer_id is None:
                customer = customers.create(self.till.ctx, self.fields())
            else:
                customer = customers.update(self.till.ctx, self.customer_id, self.fields())
        except PosError as exc:
            self._show_error(exc.message)
            self.app.bell()
            field = self._FIELD_OF_ERROR.get(exc.template)
            if field:
                self.set_focus(self.query_one(f"#form-{field}", Input))
            return
        self.dismiss(customer.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
