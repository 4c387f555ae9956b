"""The sale's customer as the counter shows it: name, credit balance, debt limit (checkout and payment)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from pos_tui.i18n import _
from pos_tui.services.credit import CreditStatus
from pos_tui.domain.errors import PosError
from pos_tui.services.customers import customer_summary
from pos_tui.ui.format import balance_class, balance_text, cell, money


def limit_text(status: CreditStatus) -> str:
    if status.policy.forbid_negative_balance or status.debt_limit == 0:
        return _("No debt allowed")
    return _("Debt limit {limit}").format(limit=money(status.debt_limit))


class CustomerBox(Vertical):
    """Three lines, ids ``{prefix}-name``, ``{prefix}-balance``, ``{prefix}-limit``. ``show(info)``
    takes what ``services.customers.customer_summary`` answers (name, and the credit status or None without the right)."""

    DEFAULT_CSS = """
    CustomerBox { height: auto; }
    CustomerBox > .customer-name { text-style: bold; }
    CustomerBox > .customer-balance { height: auto; }
    CustomerBox > .customer-limit { height: auto; color: $text-muted; }
    """

    def __init__(self, prefix: str, *, balance_label: str, empty: str, empty_hint: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.prefix = prefix
        self.balance_label = balance_label  # "Balance {amount}", translated by the caller
        self.empty, self.empty_hint = empty, empty_hint

    def compose(self) -> ComposeResult:
        for part in ("name", "balance", "limit"):
            yield Static("", id=f"{self.prefix}-{part}", classes=f"customer-{part}")

    def _lines(self) -> tuple[Static, Static, Static]:
        return tuple(self.query_one(f"#{self.prefix}-{part}", Static)  # type: ignore[return-value]
                     for part in ("name", "balance", "limit"))

    def show_customer(self, ctx, customer_id: int | None, card_id: int | None = None) -> None:
        """The sale's customer (re-read from the store), or "no customer"; a refusal is shown in the box."""
        if customer_id is None:
            self.show_none()
            return
        try:
            self.show(customer_summary(ctx, customer_id, card_id))
        except PosError as exc:
            self.show_error(exc.message)

    def show_none(self) -> None:
        """No customer attached."""
        name, balance, limit = self._lines()
        name.update(Text(self.empty, style="dim"))
        balance.set_classes("customer-balance")
        balance.update(Text(self.empty_hint, style="dim"))
        limit.update("")

    def show_error(self, message: str) -> None:
        name, balance, limit = self._lines()
        name.update(Text(message, style="bold red"))
        balance.set_classes("customer-balance")
        balance.update("")
        limit.update("")

    def show(self, info) -> None:
        """``info``: a name and a ``CreditStatus`` (None when the user may not see credit)."""
        name, balance, limit = self._lines()
        card = getattr(info, "card_name", None)  # the extra card scanned: who is buying
        name.update(cell(f"{info.name} · {card}" if card else info.name))
        balance.set_classes("customer-balance")
        if info.status is None:
            balance.update("")
            limit.update("")
            return
        balance.update(self.balance_label.format(amount=balance_text(info.status.balance)))
        balance.add_class(balance_class(info.status.balance) or "customer-balance")
        note = getattr(info, "debt_note", None)  # the debt's age past the threshold (issue 16)
        limit.update(Text(limit_text(info.status)) + Text(f"\n{note}", style="bold yellow") if note
                     else limit_text(info.status))
