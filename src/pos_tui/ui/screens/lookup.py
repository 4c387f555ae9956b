"""Customer lookup (F2): search as you type, a results table, open or create a customer."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Static
from textual.widgets.data_table import RowDoesNotExist

from pos_tui.domain.customers import Customer, format_phone
from pos_tui.domain.errors import PosError
from pos_tui.domain.rights import Right
from pos_tui.i18n import N_, _
from pos_tui.services import customers
from pos_tui.ui.format import balance_cell, cell
from pos_tui.ui.screens.base import PosScreen
from pos_tui.ui.widgets.footer import KeysFooter
from pos_tui.ui.widgets.sale_widgets import ScanInput
from pos_tui.ui.widgets.tables import RowCachedTable

RESULT_LIMIT = 50


def column_widths(total: int, with_balance: bool) -> list[int]:
    """Share ``total`` terminal columns between name, company, phone, card code (and balance).

    Phone, card and balance keep a fixed width; name and company share the rest, so
    the table fits without horizontal scrolling from 80 columns up.
    """
    fixed = [14, 10] + ([19] if with_balance else [])  # "-1 234,50 € (dette)": the balance in words
    n_columns = 2 + len(fixed)
    rest = total - 2 - 2 * n_columns - sum(fixed)  # vertical scrollbar, cell padding
    name = max(12, rest * 55 // 100)
    company = max(6, rest - name)
    return [name, company, *fixed]


class ResultsTable(RowCachedTable):
    """The results (refilled per key, in one go); Up on the first row goes back to the search field."""

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            self.screen.set_focus(self.screen.query_one("#lookup-search", Input))
            return
        super().action_cursor_up()


class LookupScreen(PosScreen[int | None]):
    """Type to search; Down to the table; Enter opens the card; Ctrl+N creates.

    ``LookupScreen(pick=True)`` (from the sale) picks instead: Enter dismisses with the
    customer's id, Esc on an empty search dismisses with ``None``.
    """

    HELP_TITLE = N_("Customers")
    FOOTER_GLOBALS = frozenset({"help", "sale", "credit"})

    AUTO_FOCUS = "#lookup-search"
    BINDINGS = [
        Binding("ctrl+n", "new_customer", N_("New customer")),
        Binding("escape", "clear_search", N_("Clear")),
        Binding("down", "focus_results", N_("Results"), show=False),
    ]
    CSS_PATH = "lookup.tcss"

    def __init__(self, pick: bool = False) -> None:
        super().__init__()
        self.pick = pick
        self._results: list[Customer] = []
        self._widths: list[int] = []
        self._show_balance = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield ScanInput(placeholder=_("Search: name, company, phone, email or card code"), id="lookup-search",
                        clear=False)
        yield ResultsTable(id="lookup-results", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="lookup-bar"):
            yield Static("", id="lookup-status")
            hint = _("Enter: pick · ↓: list · Esc: back") if self.pick else _("Enter: open · ↓: list · Esc: clear")
            yield Static(hint, id="lookup-hint")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        ctx = self.till.ctx
        self._show_balance = bool(ctx and ctx.can(Right.VIEW_CREDIT))
        if self.pick:
            self.sub_title = _("Pick the sale's customer")
        self._layout_columns(self.app.size.width)
        self.run_search()

    def on_screen_resume(self) -> None:
        # Back from a card or a form: names or balances may have changed.
        if self.is_mounted and self._widths:
            self.run_search(keep_cursor=True)

    def on_resize(self, event: events.Resize) -> None:
        self._layout_columns(event.size.width)
        self._fit_hint()

    # -- table ----------------------------------------------------------------
    def _layout_columns(self, width: int) -> None:
        widths = column_widths(width, self._show_balance)
        if widths == self._widths:
            return
        self._widths = widths
        labels = [_("Name"), _("Company"), _("Phone"), _("Card")]
        if self._show_balance:
            labels.append(_("Balance"))
        table = self.query_one("#lookup-results", DataTable)
        table.clear(columns=True)
        for key, label, w in zip(("name", "company", "phone", "card", "balance"), labels, widths):
            justify = "right" if key == "balance" else "left"
            table.add_column(Text(label, justify=justify, no_wrap=True, overflow="ellipsis"), width=w, key=key)
        self._fill(table, keep=None)

    def _fill(self, table: ResultsTable, keep: str | None) -> None:
        table.clear()
        rows = []
        for c in self._results:
            name = " ".join(p for p in (c.first_name, c.last_name) if p) or "—"
            cells = [cell(name), cell(c.company), cell(format_phone(c.phone)), cell(c.card_code or "")]
            if self._show_balance:
                cells.append(balance_cell(c.balance))
            rows.append((cells, str(c.id)))
        table.add_keyed_rows(rows)
        if keep is not None:
            try:
                table.move_cursor(row=table.get_row_index(keep), animate=False)
            except RowDoesNotExist:  # the customer left the results (edited, erased elsewhere)
                table.move_cursor(row=0, animate=False)
        else:
            table.move_cursor(row=0, animate=False)

    def run_search(self, keep_cursor: bool = False) -> None:
        text = self.query_one("#lookup-search", Input).value
        table = self.query_one("#lookup-results", DataTable)
        status = self.query_one("#lookup-status", Static)
        keep = self._highlighted_key() if keep_cursor else None
        try:
            self._results = customers.search(self.till.store, text, limit=RESULT_LIMIT)
        except PosError as exc:
            self._results = []
            self._fill(table, keep=None)
            status.update(Text(exc.message, style="bold red"))
            return
        self._fill(table, keep=keep)
        status.update(Text(self._status_text(text.strip(), len(self._results))))
        self._fit_hint()

    def _fit_hint(self) -> None:
        """Show the key hint next to the status only when both fit on the line."""
        status = str(self.query_one("#lookup-status", Static).content)
        hint = self.query_one("#lookup-hint", Static)
        hint.display = len(status) + len(str(hint.content)) + 4 <= self.app.size.width

    @staticmethod
    def _status_text(text: str, n: int) -> str:
        if n == 0:
            if text:
                return _("No customer matches “{text}”.").format(text=text)
            return _("No customer yet: Ctrl+N creates one.")
        if n >= RESULT_LIMIT:
            return _("First {n} customers: type more to narrow the search.").format(n=n)
        if n == 1:
            return _("1 customer")
        return _("{n} customers").format(n=n)

    def _highlighted_key(self) -> str | None:
        table = self.query_one("#lookup-results", DataTable)
        if not table.row_count:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    # -- events -----------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "lookup-search":
            self.run_search()

    def on_scan_input_scanned(self, event: ScanInput.Scanned) -> None:
        # Enter picks the first customer found for the text typed up to the Enter itself (a scanned card
        # code), not for what the field holds once keys typed after it have arrived.
        event.stop()
        try:
            found = customers.search(self.till.store, event.code, limit=1)
        except PosError:
            found = []
        if not found:
            self.app.bell()
            return
        self.choose(found[0].id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.choose(int(event.row_key.value))

    def on_key(self, event: events.Key) -> None:
        # Typing while the table has focus goes on with the search.
        table = self.query_one("#lookup-results", DataTable)
        if self.focused is table and event.is_printable and event.character:
            search = self.query_one("#lookup-search", Input)
            self.set_focus(search)
            search.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

    # -- actions ----------------------------------------------------------------
    def action_focus_results(self) -> None:
        table = self.query_one("#lookup-results", DataTable)
        if table.row_count:
            self.set_focus(table)  # at once: a second Down already queued must move the cursor

    def action_clear_search(self) -> None:
        search = self.query_one("#lookup-search", Input)
        if self.pick and not search.value:
            self.dismiss(None)
            return
        search.value = ""  # Input.Changed runs the empty search (listed by name)
        self.set_focus(search)

    def action_new_customer(self) -> None:
        from pos_tui.ui.screens.customer import CustomerFormScreen

        self.app.push_screen(CustomerFormScreen(), self._created)

    def _created(self, customer_id: int | None) -> None:
        if customer_id is None:
            return
        self.run_search()
        self.choose(customer_id)

    def choose(self, customer_id: int) -> None:
        """Enter on a customer: back to the sale with it (pick mode), else open the card."""
        if self.pick:
            self.dismiss(customer_id)
        else:
            self.open_card(customer_id)

    def open_card(self, customer_id: int) -> None:
        from pos_tui.ui.screens.customer import CustomerCardScreen

        self.app.push_screen(CustomerCardScreen(customer_id))
