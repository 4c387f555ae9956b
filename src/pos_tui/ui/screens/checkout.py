"""The sale checkout (SPEC §6): scan field, lines, total, customer and credit balance.

The scan field keeps the focus: a scanner is a keyboard that types a code and
Enter, so stray keys typed elsewhere are sent back to it. Every rule lives in
``services.checkout`` and ``domain.cart``; this screen shows what they answer.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Digits, Header, Input, Static

from pos_tui.domain.cart import Cart, parse_quantity_prefix
from pos_tui.domain.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.services import checkout
from pos_tui.services.checkout import SaleResult
from pos_tui.services.settings import voucher_cash_back
from pos_tui.ui.screens.confirm import ConfirmScreen
from pos_tui.ui.format import big_money, money
from pos_tui.ui.screens.checkout_dialogs import FreeLineScreen, GiftVoucherScreen, ParkedSalesScreen, QuantityScreen
from pos_tui.ui.screens.payment import PaymentScreen
from pos_tui.ui.widgets.footer import KeysFooter
from pos_tui.ui.widgets.tables import RowCachedTable
from pos_tui.ui.widgets.customer_box import CustomerBox
from pos_tui.ui.widgets.keys import keys_drained
from pos_tui.ui.widgets.sale_widgets import LastSaleBox, SaleScanInput, ScanInput, line_cells, voucher_rest_hint
from pos_tui.ui.screens.base import PosScreen
from pos_tui.ui.messages import ReceiptReady

# -- the checkout -------------------------------------------------------------------

class CheckoutScreen(PosScreen):
    """Scan, see the lines and the total, attach a customer, pay (F10)."""

    HELP_TITLE = N_("Sale")

    # The footer (80 columns, French) shows the keys of every sale; the others are in the help (F1).
    BINDINGS = [
        Binding("f10", "pay", N_("Pay")),
        Binding("ctrl+enter", "pay", N_("Pay"), show=False),
        Binding("f2", "attach_customer", N_("Customer")),
        Binding("f5", "park", N_("Park")),
        Binding("f7", "parked", N_("Parked")),
        Binding("f8", "cancel_sale", N_("Cancel"), tooltip=N_("Cancel sale")),
        Binding("f6", "free_line", N_("Free price"), show=False),
        Binding("ctrl+b,f11", "gift_voucher", N_("Gift voucher"), show=False),
        Binding("f12", "returns", N_("Returns"), show=False),
        Binding("ctrl+e", "quantity", N_("Quantity"), show=False),
        Binding("ctrl+d,delete", "delete_line", N_("Delete line"), show=False),
        # printable: the scan field would take it
        Binding("plus", "repeat_line", N_("Repeat"), priority=True, show=False),
        Binding("ctrl+r", "repeat_line", N_("Repeat"), show=False),
        Binding("ctrl+u", "detach_customer", N_("Detach customer"), show=False),
        Binding("up", "cursor(-1)", N_("Line up"), show=False),
        Binding("down", "cursor(1)", N_("Line down"), show=False),
        Binding("escape", "back", N_("Back"), show=False),
    ]
    CSS_PATH = "checkout.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.pending_quantity: int | None = None
        self._widths: tuple[int, ...] = ()
        self._keys_state: tuple[bool, bool] | None = None  # what the footer was last built for

    # -- the open sale (kept by the till across screens: Esc and F3 keep it) -----------
    @property
    def cart(self) -> Cart:
        return self.till.cart

    @cart.setter
    def cart(self, cart: Cart) -> None:
        self.till.cart = cart


    # -- layout -------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        # select_on_focus off: a key forwarded to the field must not be selected, then replaced by the next one.
        yield SaleScanInput(placeholder=_("Scan or type a code, Enter (3* before it = quantity 3)"), id="scan",
                        select_on_focus=False)
        yield Static("", id="checkout-error", classes="error")
        yield Static("", id="checkout-hint")  # a voucher worth more than the sale: where the rest goes
        with Horizontal(id="checkout-main"):
            yield RowCachedTable(id="lines", cursor_type="row", zebra_stripes=True)  # a scan draws one row
            with Vertical(id="side"):
                yield CustomerBox("customer", balance_label=_("Balance {amount}"), empty=_("No customer"),
                                  empty_hint=_("Scan a card or F2"), id="customer-box")
                yield LastSaleBox(id="last-sale")
        with Horizontal(id="total-bar"):
            yield Static(_("TOTAL"), id="total-label")
            yield Digits(big_money(0), id="total")
        yield KeysFooter(compact=True)  # many keys: fit more of them at 80 columns

    def on_mount(self) -> None:
        self.show_session(_("Sale"))
        self.query_one("#customer-box").border_title = _("Customer")
        self.query_one("#last-sale").border_title = _("Last sale")
        self._layout_columns(self.app.size.width)
        self.refresh_sale()

    def on_resize(self, event: events.Resize) -> None:
        self._layout_columns(event.size.width)

    def on_screen_resume(self) -> None:
        # Back from a dialog, the credit panel or another screen: the balance may have moved.
        self.refresh_customer()
        self.focus_scan()

    def _layout_columns(self, width: int) -> None:
        """Share the width between the lines table and the side panel; the item name takes what is left."""
        side = 32 if width >= 96 else 26
        fixed = (3, 9, 10, 5)  # quantity, unit price, line total, VAT
        rest = width - side - 2 - 2 * (len(fixed) + 1) - sum(fixed)  # scrollbar, cell padding
        widths = (max(10, rest), *fixed)
        if widths == self._widths:
            return
        self._widths = widths
        self.query_one("#side").styles.width = side
        table = self.query_one("#lines", DataTable)
        table.clear(columns=True)
        labels = (_("Item"), _("Qty"), _("Unit"), _("Amount"), _("VAT"))
        for key, label, w in zip(("name", "qty", "unit", "total", "vat"), labels, widths):
            justify = "left" if key == "name" else "right"
            table.add_column(Text(label, justify=justify, no_wrap=True), width=w, key=key)
        self.refresh_lines()

    # -- display ------------------------------------------------------------------
    def focus_scan(self) -> None:
        self.query_one("#scan", Input).focus()

    def show_error(self, message: str) -> None:
        self.query_one("#checkout-error", Static).update(message)
        self.app.bell()

    def show_info(self, message: str) -> None:
        """A confirmation in the message line, in the success colour."""
        self.query_one("#checkout-error", Static).update(Text(message, style="green"))

    def clear_error(self) -> None:
        self.query_one("#checkout-error", Static).update("")

    def refresh_sale(self) -> None:
        self.refresh_lines()
        self.refresh_customer()
        self._show_pending()

    def refresh_lines(self, cursor: int | None = None) -> None:
        """Redraw every line (a line removed or changed); a scan only adds one: :meth:`line_added`."""
        table = self.query_one("#lines", DataTable)
        lines = self.cart.lines
        table.clear()
        for i, line in enumerate(lines):
            table.add_row(*line_cells(line), key=str(i))
        if lines:
            row = len(lines) - 1 if cursor is None else max(0, min(cursor, len(lines) - 1))
            table.move_cursor(row=row, animate=False)
        self._totals_changed()

    def line_added(self, before: int) -> None:
        """The lines from index ``before`` on are new: add their rows only, so a scan costs the same
        whatever the size of the basket."""
        table = self.query_one("#lines", DataTable)
        for i in range(before, len(self.cart.lines)):
            table.add_row(*line_cells(self.cart.lines[i]), key=str(i))
        table.move_cursor(row=len(self.cart.lines) - 1, animate=False)
        self._totals_changed()

    def _totals_changed(self) -> None:
        self.query_one("#total", Digits).update(big_money(self.cart.total))
        self.refresh_hint()
        self._refresh_keys()

    def _refresh_keys(self) -> None:
        """Rebuild the footer only when the keys it shows change (it costs ~40 ms, too much per scan)."""
        state = (bool(self.cart.lines), self.cart.customer_id is not None)
        if state != self._keys_state:
            self._keys_state = state
            self.refresh_bindings()

    def refresh_customer(self) -> None:
        """The customer's name, and right under it the credit balance and debt limit (re-read from the store)."""
        self.refresh_hint()
        self.query_one(CustomerBox).show_customer(self.till.ctx, self.cart.customer_id, self.cart.card_id)
        self._refresh_keys()

    def _show_pending(self) -> None:
        scan = self.query_one("#scan", Input)
        scan.border_title = (_("Quantity {n} ×").format(n=self.pending_quantity)
                             if self.pending_quantity else None)

    @property
    def selected_index(self) -> int | None:
        table = self.query_one("#lines", DataTable)
        if not self.cart.lines:
            return None
        return max(0, min(table.cursor_row, len(self.cart.lines) - 1))

    # -- keys ---------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        # The scan field takes its own keys; a printable key or Enter that reaches the screen was typed
        # while the lines table had the focus: it goes to the scan field, in order.
        scan = self.query_one("#scan", ScanInput)
        if scan.feed(event) and keys_drained(self.focused, self):
            self.set_focus(scan)

    def on_scan_input_scanned(self, event: ScanInput.Scanned) -> None:
        event.stop()
        self.scan(event.code)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # Enter on the table (if it got the focus): back to scanning.
        event.stop()
        self.focus_scan()

    def scan(self, text: str) -> None:
        """What Enter in the scan field does: a product, a customer card, or a quantity prefix."""
        if not text.strip():
            return
        try:
            quantity, code = parse_quantity_prefix(text)
            if not code:
                self.pending_quantity = quantity
                self.clear_error()
                self._show_pending()
                return
            result = checkout.scan(self.till.store, code)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.clear_error()
        if result.product is not None:
            quantity = quantity or self.pending_quantity or 1
            self.pending_quantity = None
            self._show_pending()
            before = len(self.cart.lines)
            self.cart.add_product(result.product, quantity)
            self.line_added(before)
        elif getattr(result, "voucher", None) is not None:
            before = len(self.cart.lines)
            try:
                checkout.add_scanned_voucher(self.cart, result.voucher)
            except PosError as exc:
                self.show_error(exc.message)
                return
            self.line_added(before)
        elif result.customer is not None:
            self.attach(result.customer.id, result.card.id if result.card else None)

    def attach(self, customer_id: int, card_id: int | None = None) -> None:
        self.cart.customer_id = customer_id
        self.cart.card_id = card_id  # an extra card of the account: the ledger records who bought
        self.till.current_customer_id = customer_id  # F4 opens this customer's credit panel
        self.refresh_customer()

    # -- actions ------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("delete_line", "quantity", "repeat_line", "park", "cancel_sale"):
            return bool(self.cart.lines)  # hidden from the footer on an empty sale
        if action == "detach_customer":
            return self.cart.customer_id is not None
        return True

    def action_cursor(self, step: int) -> None:
        table = self.query_one("#lines", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.cursor_row + step, table.row_count - 1)))

    def action_repeat_line(self) -> None:
        try:
            self.cart.repeat_last()
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.clear_error()
        self.refresh_lines()

    def action_delete_line(self) -> None:
        index = self.selected_index
        if index is None:
            return
        try:
            self.cart.remove(index)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.clear_error()
        self.refresh_lines(cursor=index)

    def action_quantity(self) -> None:
        index = self.selected_index
        if index is None:
            return
        line = self.cart.lines[index]

        def done(quantity: int | None) -> None:
            self.focus_scan()
            if quantity is None:
                return
            try:
                self.cart.set_quantity(index, quantity)
            except PosError as exc:
                self.show_error(exc.message)
                return
            self.clear_error()
            self.refresh_lines(cursor=index)

        self.app.push_screen(QuantityScreen(line.name, line.quantity), done)

    def action_free_line(self) -> None:
        def done(added: bool | None) -> None:
            if added:
                self.clear_error()
                self.refresh_lines()
            self.focus_scan()

        self.app.push_screen(FreeLineScreen(self.cart), done)

    def refresh_hint(self) -> None:
        """A voucher or credit note worth more than the sale: say where the rest goes, and what is missing."""
        text = voucher_rest_hint(self.cart, voucher_cash_back(self.till.store)) if self.cart.total < 0 else ""
        hint = self.query_one("#checkout-hint", Static)
        hint.update(text)
        hint.display = bool(text)

    def action_gift_voucher(self) -> None:
        """Ctrl+B: sell a gift voucher (a 0 % VAT line; its code is made when the sale closes)."""
        def done(added: bool | None) -> None:
            if added:
                self.clear_error()
                self.refresh_lines()
            self.focus_scan()

        self.app.push_screen(GiftVoucherScreen(self.cart), done)

    def action_returns(self) -> None:
        """F12: bring back items of a closed sale (the open sale stays as it is)."""
        from pos_tui.ui.screens.returns import ReturnsScreen

        self.app.push_screen(ReturnsScreen())

    def action_attach_customer(self) -> None:
        from pos_tui.ui.screens.lookup import LookupScreen

        def picked(customer_id: int | None) -> None:
            if customer_id is not None:
                self.clear_error()
                self.attach(customer_id)
            self.focus_scan()

        try:
            lookup = LookupScreen(pick=True)
        except TypeError:  # the lookup screen without its pick mode: scanning the card still attaches
            self.show_error(_("Customer search is not available here yet: scan the customer's card."))
            return
        self.app.push_screen(lookup, picked)

    def action_detach_customer(self) -> None:
        if self.cart.customer_id is None:
            return
        self.cart.customer_id = None
        self.cart.card_id = None
        self.refresh_customer()

    def action_pay(self) -> None:
        if self.cart.is_empty:
            self.show_error(_("The sale is empty."))
            return
        self.clear_error()
        self.app.push_screen(PaymentScreen(self.cart), self._paid)

    def _paid(self, result: SaleResult | None) -> None:
        if result is not None:
            self.show_result(result)
            self.new_sale()
            self.post_message(ReceiptReady("sale", result.sale_id))
        else:
            self.refresh_customer()
        self.focus_scan()

    def show_result(self, result: SaleResult) -> None:
        self.query_one(LastSaleBox).show_sale(self.till.ctx, result)

    def new_sale(self) -> None:
        self.cart = Cart()
        self.pending_quantity = None
        self.refresh_sale()

    def action_park(self) -> None:
        try:
            parked_id = checkout.park_sale(self.till.ctx, self.cart)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.new_sale()
        self.show_info(_("Sale parked (n° {id}); F7 resumes it.").format(id=parked_id))

    def action_parked(self) -> None:
        if not self.cart.is_empty:
            self.show_error(_("Finish, park (F5) or cancel (F8) the open sale first."))
            return
        try:
            parked = checkout.parked_sales(self.till.ctx)
        except PosError as exc:
            self.show_error(exc.message)
            return

        def chosen(parked_id: int | None) -> None:
            self.focus_scan()
            if parked_id is None:
                return
            try:
                cart = checkout.resume_sale(self.till.ctx, parked_id)
            except PosError as exc:
                self.show_error(exc.message)
                return
            self.cart = cart
            self.pending_quantity = None
            self.clear_error()
            self.refresh_sale()

        self.app.push_screen(ParkedSalesScreen(parked), chosen)

    def action_cancel_sale(self) -> None:
        if self.cart.is_empty:
            return
        question = _("Cancel this sale of {total} ({n} lines)?").format(
            total=money(self.cart.total), n=len(self.cart.lines))

        def answered(yes: bool | None) -> None:
            self.focus_scan()
            if not yes:
                return
            try:
                checkout.cancel_sale(self.till.ctx, self.cart)
            except PosError as exc:
                self.show_error(exc.message)
                return
            self.new_sale()
            self.show_info(_("Sale cancelled."))

        self.app.push_screen(ConfirmScreen(question), answered)

