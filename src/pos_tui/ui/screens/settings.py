"""Manager settings for credit (SPEC §4): shop default debt limit, the two "forbid" switches,
one customer's debt limit; reachable from the command palette (Ctrl+P)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Static

from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_amount, format_money, parse_money
from pos_tui.i18n import _, locale
from pos_tui.services import customers, settings
from pos_tui.ui.widgets.modal_form import ManagerModal


class CreditSettingsScreen(ManagerModal):
    """The shop's default debt limit for new customers and the two credit policy switches."""

    BOX_ID, ERROR_ID = "settings-box", "settings-error"

    def compose_form(self) -> ComposeResult:
        store = self.till.store
        policy = settings.credit_policy(store)
        yield Static(_("Credit settings"), classes="title")
        yield Static(_("Default debt limit for new customers (0 = no debt)"))
        yield Input(value=format_amount(settings.default_debt_limit(store), locale()),
                    id="settings-default-limit")
        yield Checkbox(_("Forbid negative entries (refunds)"),
                       value=policy.forbid_negative_entries, id="settings-forbid-entries")
        yield Checkbox(_("Forbid negative balances (no debt at all)"),
                       value=policy.forbid_negative_balance, id="settings-forbid-balance")
        yield Static(_("Existing customers keep their own debt limit."), classes="hint")

    def action_save(self) -> None:
        store = self.till.store
        policy = settings.credit_policy(store)
        entries = self.query_one("#settings-forbid-entries", Checkbox).value
        balance = self.query_one("#settings-forbid-balance", Checkbox).value
        try:
            cents = parse_money(self.query_one("#settings-default-limit", Input).value)
            # Only what changed is written (and journaled).
            if cents != settings.default_debt_limit(store):
                settings.set_default_debt_limit(self.till.ctx, cents)
            if (entries, balance) != (policy.forbid_negative_entries, policy.forbid_negative_balance):
                settings.set_credit_policy(
                    self.till.ctx,
                    forbid_negative_entries=entries if entries != policy.forbid_negative_entries else None,
                    forbid_negative_balance=balance if balance != policy.forbid_negative_balance else None,
                )
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(True)


class DebtLimitScreen(ManagerModal):
    """How far below zero one customer's balance may go."""

    BOX_ID, ERROR_ID = "debt-limit-box", "debt-limit-error"

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id

    def compose_form(self) -> ComposeResult:
        try:
            customer = customers.get(self.till.store, self.customer_id)
            name, limit = customer.display_name, customer.debt_limit
        except PosError:
            name, limit = "—", 0
        yield Static(_("Debt limit of {name}").format(name=name), classes="title")
        yield Static(_("How much this customer may owe (0 = no debt). Now: {limit}").format(
            limit=format_money(limit, locale())))
        yield Input(value=format_amount(limit, locale()), id="debt-limit-amount")

    def action_save(self) -> None:
        try:
            cents = parse_money(self.query_one("#debt-limit-amount", Input).value)
            settings.set_customer_debt_limit(self.till.ctx, self.customer_id, cents)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(True)
