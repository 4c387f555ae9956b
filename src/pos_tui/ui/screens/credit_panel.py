"""The credit panel of one customer (SPEC §4): balance, limits, paged history, top-up / refund form."""

from __future__ import annotations

import uuid
from functools import partial

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Digits, Footer, Header, Input, Select, Static

from pos_tui.domain.credit import EntryKind, LedgerEntry
from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_money, parse_money
from pos_tui.domain.rights import Right
from pos_tui.i18n import N_, _, locale
from pos_tui.services import credit, customers, methods
from pos_tui.services.credit import CreditResult, CreditStatus, LargeCashNeedsConfirmation
from pos_tui.ui.screens.account_dialogs import CashConfirmScreen
from pos_tui.ui.screens.credit_panel_documents import AccountDocuments
from pos_tui.ui.screens.confirm import ConfirmScreen
from pos_tui.ui.format import amount_cell, cell, moment_text
from pos_tui.ui.screens.receipt_preview import ReceiptPreviewScreen
from pos_tui.ui.screens.base import PosScreen
from pos_tui.ui.messages import ReceiptReady, SettingsSaved
from pos_tui.ui.widgets.method_select import MethodSelect, shortcut_letters  # noqa: F401 - tests import it here

PAGE_SIZE = 50
WINDOW_PAGES = 10  # history rows kept in the table: 500, however long the history

KIND_LABELS = {
    EntryKind.TOP_UP: N_("Top-up"),
    EntryKind.REFUND: N_("Refund"),
    EntryKind.SALE_PAYMENT: N_("Sale payment"),
    EntryKind.SALE_CREDIT: N_("Sale credit"),
}


HISTORY_COLUMNS = ("date", "kind", "method", "label", "user", "amount", "balance")


def history_column_widths(total: int) -> list[int]:
    """Share ``total`` columns: fixed widths for date, operation, method, user and amounts; the
    label takes the rest, so the table fits without horizontal scrolling from 80 columns up."""
    date, kind, method, user, amount, balance = 14, 13, 4, 6, 10, 10
    rest = total - 2 - 2 * len(HISTORY_COLUMNS) - (date + kind + method + user + amount + balance)
    return [date, kind, method, max(6, rest), user, amount, balance]


class CreditPanelScreen(AccountDocuments, PosScreen):
    """Balance, debt limit, history and the top-up / refund form of one customer."""

    HELP_TITLE = N_("Credit panel")

    BINDINGS = [
        Binding("escape", "back", N_("Back")),
        Binding("ctrl+s", "submit", N_("Record")),
        Binding("pagedown", "more", N_("More"), show=False),  # the entry count line says so
        Binding("l", "debt_limit", N_("Debt limit"), show=False),  # 80 columns: in the help (F1)
        Binding("f5", "statement", N_("Statement")),
        Binding("f6", "balance_slip", N_("Balance slip")),
    ]
    CSS_PATH = "credit_panel.tcss"

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.status: CreditStatus | None = None
        self.denied: str | None = None  # why the balance and history are hidden
        self.entries: list[LedgerEntry] = []  # the entries shown (a window of at most WINDOW_PAGES pages)
        self.total_entries = 0
        self._pages: list[tuple[int | None, int]] = []  # (before_id, size) of each page in the window
        self._above: list[int | None] = []  # before_id of each page dropped above the window
        self._above_count = 0  # entries in those pages
        self.idempotency_key: str | None = None  # one per form submission, kept until the form is reset
        self._table_width = 0  # set once the history columns exist

    # -- helpers ----------------------------------------------------------------

    @property
    def has_form(self) -> bool:
        return self.till.ctx.can(Right.ADD_CREDIT) or self.till.ctx.can(Right.NEGATIVE_CREDIT)

    def _customer_name(self) -> str:
        if self.status is not None:
            return self.status.customer.display_name
        try:
            return customers.get(self.till.ctx.store, self.customer_id).display_name
        except PosError:
            return "—"

    def _load_status(self) -> None:
        try:
            self.status = credit.status(self.till.ctx, self.customer_id)
            self.denied = None
        except PosError as exc:  # RightDenied without the view-credit right; NotFound for an erased customer
            self.status, self.denied = None, exc.message

    # -- layout -----------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self._load_status()
        yield Header()
        if self.denied is None:
            with Horizontal(id="credit-top"):
                with Vertical(id="credit-info"):
                    yield Static("", id="credit-customer")
                    yield Static("", id="credit-balance")
                    yield Static("", id="credit-policy")
                yield Digits("", id="credit-balance-digits")
            yield Static("", id="credit-limits")
            yield DataTable(id="credit-history", cursor_type="row", zebra_stripes=True)
            yield Static("", id="credit-count")
        else:
            yield Static(self._customer_name(), id="credit-customer", classes="title")
            yield Static(self.denied, id="credit-denied", classes="error")
        if self.has_form:
            with Horizontal(id="credit-form"):
                yield Input(placeholder=_("12,50 or -20"), id="credit-amount")
                found = methods.top_up_methods(self.till.ctx.store)
                letters = shortcut_letters([m.code for m in found])
                options = [(f"{letters.get(m.code, ' ')} {m.code} · {m.name}", m.code) for m in found]
                yield MethodSelect(options, letters, prompt=_("Method"), id="credit-method")
                yield Input(placeholder=_("Label (optional)"), id="credit-label", max_length=120)
        yield Static("", id="credit-error", classes="error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.denied is None:
            self._table_width = self.app.size.width
            self._add_columns()
            self._show_status()
            self.reload_history()
        if self.has_form:
            self.query_one("#credit-amount", Input).focus()
        elif self.denied is None:
            self.query_one("#credit-history", DataTable).focus()

    def _add_columns(self) -> None:
        table = self.query_one("#credit-history", DataTable)
        widths = history_column_widths(self._table_width)
        headers = [_("Date"), _("Operation"), _("Meth."), _("Label"), _("By"), _("Amount"), _("Balance")]
        for key, header, width in zip(HISTORY_COLUMNS, headers, widths):
            table.add_column(header, key=key, width=width)

    def on_resize(self, event: events.Resize) -> None:
        # Column widths follow the terminal width: rebuild the columns, keep the loaded rows.
        if self._table_width and event.size.width != self._table_width:
            self._table_width = event.size.width
            table = self.query_one("#credit-history", DataTable)
            cursor = table.cursor_row
            table.clear(columns=True)
            self._add_columns()
            self._add_rows(self.entries)
            if self.entries:
                table.move_cursor(row=min(cursor, len(self.entries) - 1))

    def _show_status(self) -> None:
        status = self.status
        if status is None:
            return
        loc = locale()
        balance = format_money(status.balance, loc)
        self.query_one("#credit-customer", Static).update(status.customer.display_name)
        text = self.query_one("#credit-balance", Static)
        text.set_class(status.balance > 0, "credit")
        text.set_class(status.balance < 0, "debt")
        if status.balance > 0:
            text.update(_("Balance: {amount} (credit)").format(amount=balance))
        elif status.balance < 0:
            text.update(_("Balance: {amount} (debt)").format(amount=balance))
        else:
            text.update(_("Balance: {amount}").format(amount=balance))
        digits = self.query_one("#credit-balance-digits", Digits)
        digits.update(balance.replace("\u00a0", " "))
        digits.set_class(status.balance > 0, "credit")
        digits.set_class(status.balance < 0, "debt")
        self.query_one("#credit-limits", Static).update(
            _("Debt limit {limit} · lowest allowed balance {floor}").format(
                limit=format_money(status.debt_limit, loc), floor=format_money(status.floor, loc)))
        policy = []
        if status.policy.forbid_negative_balance:
            policy.append(_("negative balances forbidden"))
        if status.policy.forbid_negative_entries:
            policy.append(_("negative entries forbidden"))
        self.query_one("#credit-policy", Static).update(" · ".join(policy))

    def on_settings_saved(self, message: SettingsSaved) -> None:
        self.refresh_status()  # e.g. a new debt limit set from the command palette

    def refresh_status(self) -> None:
        """Re-read balance and limits (after a movement or a new debt limit)."""
        if self.denied is not None:
            return
        self._load_status()
        if self.status is not None:
            self._show_status()
        else:
            self._error(self.denied or "")

    # -- history (paged) --------------------------------------------------------
    def reload_history(self) -> None:
        table = self.query_one("#credit-history", DataTable)
        table.clear()
        self.entries = []
        self._pages, self._above, self._above_count = [], [], 0
        self.load_more()

    def load_more(self) -> bool:
        """Append the next page of older entries; False when everything is shown."""
        if self.denied is not None:
            return False
        if self.entries and self._above_count + len(self.entries) >= self.total_entries:
            return False
        before = self.entries[-1].id if self.entries else None
        try:
            page = credit.history(self.till.ctx, self.customer_id, before_id=before, limit=PAGE_SIZE)
            self.total_entries = credit.entry_count(self.till.ctx, self.customer_id)
        except PosError as exc:
            self._error(exc.message)
            return False
        self._add_rows(page)
        self.entries.extend(page)
        if page:
            self._pages.append((before, len(page)))
        if len(self._pages) > WINDOW_PAGES:
            # Paging through years of history keeps a window of rows, not every row seen (issue 17: each
            # row held ~3.7 KB); the page dropped at the top comes back when the cursor returns there.
            dropped_before, n = self._pages.pop(0)
            self._above.append(dropped_before)
            self._above_count += n
            table = self.query_one("#credit-history", DataTable)
            cursor = table.cursor_row
            for entry in self.entries[:n]:
                table.remove_row(str(entry.id))
            del self.entries[:n]
            table.move_cursor(row=max(0, cursor - n), animate=False)
        self._show_count()
        return bool(page)

    def load_newer(self) -> bool:
        """Bring back the page just above the window (the cursor reached its top); the last page goes."""
        if not self._above or self.denied is not None:
            return False
        before = self._above[-1]
        try:
            page = credit.history(self.till.ctx, self.customer_id, before_id=before, limit=PAGE_SIZE)
        except PosError as exc:
            self._error(exc.message)
            return False
        self._above.pop()
        self._above_count -= len(page)
        _last_before, n = self._pages.pop()
        self._pages.insert(0, (before, len(page)))
        self.entries = page + self.entries[:-n]
        table = self.query_one("#credit-history", DataTable)
        table.clear()
        self._add_rows(self.entries)
        table.move_cursor(row=len(page), animate=False)
        self._show_count()
        return True

    def _add_rows(self, entries: list[LedgerEntry]) -> None:
        table = self.query_one("#credit-history", DataTable)
        for entry in entries:
            table.add_row(
                moment_text(entry.created_at),
                cell(_(KIND_LABELS.get(entry.kind, entry.kind.value))),
                entry.method or "",
                cell(_("n° {number}").format(number=entry.sale_number) if entry.sale_number else entry.label),
                cell(entry.user_name),
                amount_cell(entry.amount, coloured=True),
                amount_cell(entry.balance_after, coloured=True),
                key=str(entry.id),
            )

    def _show_count(self) -> None:
        if self.total_entries == 0:
            text = _("No credit entry yet.")
        elif self.total_entries == 1:
            text = _("1 of 1 entry")
        else:
            text = _("{n} of {m} entries").format(n=self._above_count + len(self.entries), m=self.total_entries)
        if self._above_count + len(self.entries) < self.total_entries:
            text += " · " + _("PgDn or the end of the list: more")
        self.query_one("#credit-count", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "credit-history":
            return
        cursor = event.data_table.cursor_row  # where it is now: the window may have moved since the event
        if cursor >= event.data_table.row_count - 1:
            self.load_more()
        elif cursor == 0 and self._above:
            self.load_newer()

    def action_more(self) -> None:
        self.load_more()

    # -- the form ---------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.till.ctx is None:
            return True
        if action == "submit":
            return self.has_form
        if action == "more":
            return self.denied is None
        if action == "debt_limit":
            return self.till.ctx.can(Right.MANAGE_SETTINGS)
        if action in ("statement", "balance_slip"):
            return self.denied is None
        return True

    def _error(self, message: str) -> None:
        self.query_one("#credit-error", Static).update(message)

    def _checked_amount(self) -> int:
        """The amount typed, refused at once when it cannot be recorded (rights, forbid settings, debt limit)."""
        amount = parse_money(self.query_one("#credit-amount", Input).value)
        credit.check_amount(self.till.ctx, self.customer_id, amount)
        return amount

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "credit-amount":
            # Keyboard flow: amount, Enter (checked first), a method letter or arrows + Enter, label, Enter.
            self._error("")
            try:
                self._checked_amount()
            except PosError as exc:
                self._error(exc.message)
                self.app.bell()
                return
            select = self.query_one("#credit-method", Select)
            if select.is_blank():
                select.focus()
                select.expanded = True
                return
        self.action_submit()

    def on_key(self, event: events.Key) -> None:
        # A method's letter, typed in the method list (open or not), picks it.
        select = self.query("#credit-method")
        if not select or not event.character:
            return
        method = select.first(MethodSelect)
        if self.focused is method or (self.focused is not None and self.focused.parent is method):
            if method.pick_letter(event.character):
                event.stop()
                event.prevent_default()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "credit-method" and not event.select.is_blank():
            # After the menu closes (it hands focus back to the Select first).
            self.call_after_refresh(self.query_one("#credit-label", Input).focus)

    def action_submit(self) -> None:
        if not self.has_form:
            return
        self._error("")
        select = self.query_one("#credit-method", Select)
        label = self.query_one("#credit-label", Input).value
        try:
            amount = self._checked_amount()  # the amount first: rights, settings, the debt limit
            if select.is_blank():
                raise PosError("Choose a payment method.")
            method = str(select.value)
            if self.idempotency_key is None:
                self.idempotency_key = uuid.uuid4().hex
            key = self.idempotency_key
            if amount < 0:
                question = _("Refund {amount} to {customer}?\nMethod: {method}").format(
                    amount=format_money(-amount, locale()), customer=self._customer_name(),
                    method=methods.get(self.till.ctx.store, method).name)
                self.app.push_screen(ConfirmScreen(question),
                                     callback=partial(self._refund_confirmed, -amount, method, label, key))
                return
            result = credit.top_up(self.till.ctx, self.customer_id, amount, method, label, idempotency_key=key)
        except LargeCashNeedsConfirmation as exc:
            # Above the shop's cash limit: a manager types their PIN; the service journals the confirmation.
            self.app.push_screen(CashConfirmScreen(exc.message, amount),
                                 callback=partial(self._cash_confirmed, amount, method, label, key))
            return
        except PosError as exc:
            self._error(exc.message)
            self.app.bell()
            return
        self._recorded(result)

    def _cash_confirmed(self, amount: int, method: str, label: str, key: str, confirmation) -> None:
        if confirmation is None:
            self._error(_("Not confirmed by a manager; nothing was written."))
            self.query_one("#credit-amount", Input).focus()
            return
        try:
            result = credit.top_up(self.till.ctx, self.customer_id, amount, method, label, idempotency_key=key,
                                   confirmed_by=confirmation)
        except PosError as exc:
            self._error(exc.message)
            self.app.bell()
            return
        self._recorded(result)

    def _refund_confirmed(self, amount: int, method: str, label: str, key: str, yes: bool | None) -> None:
        if not yes:
            self._error(_("Refund cancelled; nothing was written."))
            self.query_one("#credit-amount", Input).focus()
            return
        try:
            result = credit.refund(self.till.ctx, self.customer_id, amount, method, label, idempotency_key=key)
        except PosError as exc:
            self._error(exc.message)
            self.app.bell()
            self.query_one("#credit-amount", Input).focus()
            return
        self._recorded(result)

    def _reset_form(self) -> None:
        self.query_one("#credit-amount", Input).value = ""
        self.query_one("#credit-label", Input).value = ""
        self.query_one("#credit-method", Select).clear()
        self.idempotency_key = None

    def _recorded(self, result: CreditResult) -> None:
        self._reset_form()
        self.refresh_status()
        if self.denied is None:
            self.reload_history()
        # One credit receipt layout (printing.documents): shown here, printed by the app's worker.
        self.app.push_screen(ReceiptPreviewScreen("credit", result.entry.id), callback=self._receipt_closed)
        self.post_message(ReceiptReady("credit", result.entry.id))

    def _receipt_closed(self, _result: None = None) -> None:
        self.query_one("#credit-amount", Input).focus()

    # -- navigation -------------------------------------------------------------

    def action_debt_limit(self) -> None:
        from pos_tui.ui.screens.settings import DebtLimitScreen

        if not self.till.ctx.can(Right.MANAGE_SETTINGS):
            return
        self.app.push_screen(DebtLimitScreen(self.customer_id), callback=self._debt_limit_closed)

    def _debt_limit_closed(self, saved: bool | None) -> None:
        if saved:
            self.refresh_status()
