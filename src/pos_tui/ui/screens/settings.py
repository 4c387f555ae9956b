"""Manager settings for credit (SPEC §4): shop default debt limit, the two "forbid" switches,
one customer's debt limit; reachable from the command palette (Ctrl+P)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_amount, format_money, parse_money
from pos_tui.domain.rights import Right
from pos_tui.i18n import _, locale
from pos_tui.services import customers, settings
from pos_tui.ui.screens.commands import CommandList

_MODAL_CSS = """
    {name} {{ align: center middle; }}
    {name} > Vertical {{
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 2; border: thick $primary; background: $surface;
    }}
    {name} .title {{ margin-bottom: 0; }}
    {name} Input {{ width: 20; }}
    {name} .hint {{ color: $text-muted; }}
    {name} .buttons {{ height: auto; margin-top: 1; }}
    {name} .buttons Button {{ margin-right: 2; }}
    {name} .error {{ height: auto; }}
"""


class ManagerModal(ModalScreen[bool]):
    """Escape cancels, Ctrl+S or Enter in the amount saves; errors stay on screen."""

    BINDINGS = [
        Binding("escape", "cancel", _("Cancel")),
        Binding("ctrl+s", "save", _("Save")),
    ]
    error_id = ""

    @property
    def ctx(self):
        return self.app.ctx

    def _buttons(self) -> ComposeResult:
        with Horizontal(classes="buttons"):
            yield Button(_("Save"), id="save", variant="primary")
            yield Button(_("Cancel"), id="cancel")

    def _error(self, message: str) -> None:
        self.query_one(f"#{self.error_id}", Static).update(message)

    def _show_right_problem(self) -> None:
        """Say at once when the user cannot change these settings (the service refuses anyway)."""
        try:
            self.ctx.require(Right.MANAGE_SETTINGS)
        except PosError as exc:
            self._error(exc.message)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class CreditSettingsScreen(ManagerModal):
    """The shop's default debt limit for new customers and the two credit policy switches."""

    DEFAULT_CSS = _MODAL_CSS.format(name="CreditSettingsScreen")
    error_id = "settings-error"

    def compose(self) -> ComposeResult:
        store = self.ctx.store
        policy = settings.credit_policy(store)
        with Vertical(id="settings-box"):
            yield Static(_("Credit settings"), classes="title")
            yield Static(_("Default debt limit for new customers (0 = no debt)"))
            yield Input(value=format_amount(settings.default_debt_limit(store), locale()),
                        id="settings-default-limit")
            yield Checkbox(_("Forbid negative entries (refunds)"),
                           value=policy.forbid_negative_entries, id="settings-forbid-entries")
            yield Checkbox(_("Forbid negative balances (no debt at all)"),
                           value=policy.forbid_negative_balance, id="settings-forbid-balance")
            yield Static(_("Existing customers keep their own debt limit."), classes="hint")
            yield Static("", id="settings-error", classes="error")
            yield from self._buttons()

    def on_mount(self) -> None:
        self.query_one("#settings-default-limit", Input).focus()
        self._show_right_problem()

    def action_save(self) -> None:
        store = self.ctx.store
        policy = settings.credit_policy(store)
        entries = self.query_one("#settings-forbid-entries", Checkbox).value
        balance = self.query_one("#settings-forbid-balance", Checkbox).value
        try:
            cents = parse_money(self.query_one("#settings-default-limit", Input).value)
            # Only what changed is written (and journaled).
            if cents != settings.default_debt_limit(store):
                settings.set_default_debt_limit(self.ctx, cents)
            if (entries, balance) != (policy.forbid_negative_entries, policy.forbid_negative_balance):
                settings.set_credit_policy(
                    self.ctx,
                    forbid_negative_entries=entries if entries != policy.forbid_negative_entries else None,
                    forbid_negative_balance=balance if balance != policy.forbid_negative_balance else None,
                )
        except PosError as exc:
            self._error(exc.message)
            self.app.bell()
            return
        self.dismiss(True)


class DebtLimitScreen(ManagerModal):
    """How far below zero one customer's balance may go."""

    DEFAULT_CSS = _MODAL_CSS.format(name="DebtLimitScreen")
    error_id = "debt-limit-error"

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        try:
            customer = customers.get(self.ctx.store, self.customer_id)
            name, limit = customer.display_name, customer.debt_limit
        except PosError:
            name, limit = "—", 0
        with Vertical(id="debt-limit-box"):
            yield Static(_("Debt limit of {name}").format(name=name), classes="title")
            yield Static(_("How much this customer may owe (0 = no debt). Now: {limit}").format(
                limit=format_money(limit, locale())))
            yield Input(value=format_amount(limit, locale()), id="debt-limit-amount")
            yield Static("", id="debt-limit-error", classes="error")
            yield from self._buttons()

    def on_mount(self) -> None:
        self.query_one("#debt-limit-amount", Input).focus()
        self._show_right_problem()

    def action_save(self) -> None:
        try:
            cents = parse_money(self.query_one("#debt-limit-amount", Input).value)
            settings.set_customer_debt_limit(self.ctx, self.customer_id, cents)
        except PosError as exc:
            self._error(exc.message)
            self.app.bell()
            return
        self.dismiss(True)


class CreditCommands(CommandList):
    """Command palette entries for the credit settings (only once someone is logged in)."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        if getattr(app, "ctx", None) is None:
            return []
        commands = [(_("Credit settings"), self._open_settings,
                     _("Default debt limit, forbid negative entries or balances"))]
        customer_id = getattr(app, "current_customer_id", None)
        if customer_id is not None:
            commands.append((_("Set this customer's debt limit"), lambda: self._open_debt_limit(customer_id),
                             _("How much the current customer may owe")))
        return commands

    def _open_settings(self) -> None:
        self.app.push_screen(CreditSettingsScreen(), callback=self._saved)

    def _open_debt_limit(self, customer_id: int) -> None:
        self.app.push_screen(DebtLimitScreen(customer_id), callback=self._saved)

    def _saved(self, saved: bool | None) -> None:
        if not saved:
            return
        self.app.notify(_("Settings saved."))
        refresh = getattr(self.app.screen, "refresh_status", None)  # e.g. the credit panel behind
        if callable(refresh):
            refresh()
