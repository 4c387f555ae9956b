"""Returns (SPEC §6-§7, S11): bring back items of a closed sale.

Type the sale number or scan the receipt barcode, set the quantity of each line
with + and −, then settle: a credit note (F5), the customer's credit (F6) or a
refund by a payment method (F7). The original sale never changes: the service
writes a new negative sale (``services.checkout.return_items``).
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_vat_rate
from pos_tui.domain.rights import Right
from pos_tui.domain.vouchers import format_code
from pos_tui.i18n import N_, _, locale, ngettext
from pos_tui.services import checkout, customers, methods
from pos_tui.services.checkout import SaleResult
from pos_tui.ui.format import cell, moment_text, money
from pos_tui.ui.screens.base import PosScreen
from pos_tui.ui.messages import ReceiptReady
from pos_tui.ui.widgets.keys import keys_drained
from pos_tui.ui.widgets.sale_widgets import ScanInput


class ReturnsScreen(PosScreen):
    """A closed sale's returnable lines, the quantities brought back, and three ways to settle."""

    HELP_TITLE = N_("Returns")

    BINDINGS = [
        Binding("plus,equals_sign", "change(1)", N_("Quantity"), key_display="+/−"),
        Binding("minus", "change(-1)", N_("Quantity"), show=False),
        Binding("f5", "settle('credit_note')", N_("Credit note")),
        Binding("f6", "settle('credit')", N_("CRED"), tooltip=N_("Customer credit (CRED)")),
        Binding("f7", "settle('refund')", N_("Refund")),
        Binding("f2", "pick_customer", N_("Customer")),
        Binding("escape", "back", N_("Back"), show=False),
    ]
    CSS_PATH = "returns.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.sale: dict | None = None
        self.quantities: dict[int, int] = {}
        self.customer_id: int | None = None
        self.busy = False


    # -- layout -------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="returns-top"):
            yield ScanInput(placeholder=_("Sale n° or receipt barcode, Enter"), id="returns-sale",
                        restrict=r"[0-9Tt ]*", max_length=16)
            yield Static("", id="returns-sale-info")
        yield DataTable(id="returns-lines", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="returns-bottom"):
            with Vertical(id="returns-summary"):
                yield Static("", id="returns-total")
                yield Static("", id="returns-customer")
            if self.till.ctx.can(Right.RETURNS):
                options = [(f"{m.code} {m.name}", m.code) for m in methods.top_up_methods(self.till.store)]
                if options:
                    codes = [code for _label, code in options]
                    with Vertical(id="returns-refund"):
                        yield Static(_("Refund by (F7)"), id="returns-method-label")
                        yield Select(options, value="ESP" if "ESP" in codes else codes[0], allow_blank=False,
                                     id="returns-method", prompt=_("Refund by"))
        yield Static("", id="returns-error", classes="error")
        yield Static("", id="returns-result", classes="empty")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_session(_("Returns"))
        self.query_one("#returns-result").border_title = _("Return recorded")
        table = self.query_one("#returns-lines", DataTable)
        fixed = (("sold", _("Sold"), 5), ("returned", _("Returned"), 8), ("unit", _("Unit"), 10),
                 ("vat", _("VAT"), 6), ("qty", _("To return"), 11))
        # The item name takes what the fixed columns leave (scrollbar and cell padding included).
        name_width = max(12, min(40, self.app.size.width - 2 - 2 * (len(fixed) + 1) - sum(col[2] for col in fixed)))
        table.add_column(Text(_("Item"), no_wrap=True), key="name", width=name_width)
        for key, label, width in fixed:
            table.add_column(Text(label, justify="right", no_wrap=True, overflow="ellipsis"), key=key, width=width)
        self.refresh_summary()
        self.query_one("#returns-sale", Input).focus()
        try:
            self.till.ctx.require(Right.RETURNS)
        except PosError as exc:  # say it at once; the service refuses anyway
            self.show_error(exc.message)

    # -- display ------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        self.query_one("#returns-error", Static).update(message)

    @property
    def lines(self) -> list[dict]:
        return self.sale["returnable"] if self.sale else []

    @property
    def return_total(self) -> int:
        return sum(row["unit_price"] * self.quantities.get(row["id"], 0) for row in self.lines)

    @property
    def item_count(self) -> int:
        return sum(self.quantities.values())

    def fill_table(self) -> None:
        table = self.query_one("#returns-lines", DataTable)
        table.clear()
        for row in self.lines:
            left = row["sold"] - row["returned"]
            style = "" if left > 0 else "dim"
            table.add_row(
                cell(row["name"], style=style),
                cell(str(row["sold"]), "right", style),
                cell(str(row["returned"]), "right", style),
                cell(money(row["unit_price"]), "right", style),
                cell(format_vat_rate(row["vat_rate"], locale()), "right", style),
                self._qty_cell(row),
                key=str(row["id"]),
            )
        first = next((i for i, row in enumerate(self.lines) if row["sold"] > row["returned"]), 0)
        if self.lines:
            table.move_cursor(row=first, animate=False)

    def _qty_cell(self, row: dict) -> Text:
        qty = self.quantities.get(row["id"], 0)
        return cell(str(qty) if qty else "·", "right", "bold" if qty else "dim")

    def refresh_summary(self) -> None:
        total = self.query_one("#returns-total", Static)
        if self.sale is None:
            total.update(Text(_("Type the sale number (or scan the receipt), then + / − on each line."),
                              style="dim"))
        else:
            total.update(ngettext("To return: {n} item · {amount}", "To return: {n} items · {amount}", self.item_count).format(n=self.item_count,
                                                                        amount=money(self.return_total)))
        customer = self.query_one("#returns-customer", Static)
        if self.customer_id is None:
            customer.update(Text(_("No customer (F2 picks one for CRED)"), style="dim"))
        else:
            customer.update(_("Customer: {name}").format(name=self.customer_name()))
        self.refresh_bindings()

    def customer_name(self) -> str:
        try:
            return customers.get(self.till.store, self.customer_id).display_name
        except PosError:
            return "—"

    # -- loading a sale -----------------------------------------------------------
    def on_scan_input_scanned(self, event: ScanInput.Scanned) -> None:
        # The number is taken at the Enter itself: a second scan right behind it is a code of its own.
        event.stop()
        self.load(event.code)

    def load(self, text: str) -> None:
        try:
            sale = checkout.find_sale(self.till.store, text)
        except PosError as exc:
            self.show_error(exc.message)
            self.app.bell()
            return
        self.show_error("")
        self.sale = sale
        self.quantities = {}
        self.customer_id = sale.get("customer_id")
        when = moment_text(sale.get("created_at"))
        self.query_one("#returns-sale-info", Static).update(
            Text(_("Sale n° {number} · {when} · {total}").format(number=sale["number"], when=when,
                                                                    total=money(sale["total"])), style="bold"))
        self.fill_table()
        self.refresh_summary()
        if not any(row["sold"] > row["returned"] for row in self.lines):
            self.show_error(_("Nothing left to return in this sale."))
            return
        self.query_one("#returns-lines", DataTable).focus()

    def reload(self) -> None:
        """After a return: the same sale, with the new 'already returned' figures."""
        if self.sale is None:
            return
        customer_id = self.customer_id
        try:
            self.sale = checkout.find_sale(self.till.store, str(self.sale["number"]))
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.quantities = {}
        self.customer_id = customer_id
        self.fill_table()
        self.refresh_summary()

    # -- keys ---------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        # Scanning a receipt while the table has the focus: the code goes to the sale field.
        table = self.query_one("#returns-lines", DataTable)
        field = self.query_one("#returns-sale", ScanInput)
        typed = event.is_printable and event.character and event.character.isalnum()
        if self.focused is table and (typed or (event.key == "enter" and field.value)):
            field.feed(event)
            if keys_drained(table, self):
                self.set_focus(field)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "change":
            return self.sale is not None
        if action == "settle":
            if self.sale is None:
                return False
            if parameters and parameters[0] == "refund":
                return bool(self.query("#returns-method"))
        return True

    def action_change(self, step: int) -> None:
        table = self.query_one("#returns-lines", DataTable)
        if not self.lines:
            return
        row = self.lines[max(0, min(table.cursor_row, len(self.lines) - 1))]
        left = row["sold"] - row["returned"]
        qty = self.quantities.get(row["id"], 0) + step
        if qty > left:
            self.show_error(_("Cannot return more than was sold (sold {sold}, already returned {returned}).").format(
                sold=row["sold"], returned=row["returned"]))
            self.app.bell()
            return
        self.show_error("")
        self.quantities[row["id"]] = max(0, qty)
        table.update_cell(str(row["id"]), "qty", self._qty_cell(row))
        self.refresh_summary()

    def action_pick_customer(self) -> None:
        from pos_tui.ui.screens.lookup import LookupScreen

        def picked(customer_id: int | None) -> None:
            if customer_id is not None:
                self.customer_id = customer_id
                self.refresh_summary()
            self.query_one("#returns-lines" if self.sale else "#returns-sale").focus()

        self.app.push_screen(LookupScreen(pick=True), picked)

    def action_settle(self, how: str) -> None:
        from pos_tui.ui.screens.confirm import ConfirmScreen

        if self.sale is None or self.busy:
            return
        chosen = {line_id: qty for line_id, qty in self.quantities.items() if qty > 0}
        if not chosen:
            self.show_error(_("Choose at least one item to return.") + " " + _("(+ on a line)"))
            self.app.bell()
            return
        method = None
        amount = money(self.return_total)
        if how == "credit_note":
            question = ngettext("Return {n} item for {amount} as a credit note?",
                                "Return {n} items for {amount} as a credit note?", self.item_count).format(n=self.item_count, amount=amount)
        elif how == "credit":
            if self.customer_id is None:
                self.show_error(_("A return to credit needs a customer: press F2."))
                self.app.bell()
                return
            question = ngettext("Return {n} item for {amount} on the credit of {name}?",
                                "Return {n} items for {amount} on the credit of {name}?", self.item_count).format(
                n=self.item_count, amount=amount, name=self.customer_name())
        else:
            select = self.query("#returns-method")
            value = select.first(Select).value if select else None
            if not isinstance(value, str):
                self.show_error(_("Choose the refund method."))
                return
            method = value
            question = ngettext("Return {n} item and refund {amount} by {method}?",
                                "Return {n} items and refund {amount} by {method}?", self.item_count).format(
                n=self.item_count, amount=amount, method=method)

        def answered(yes: bool | None) -> None:
            self.query_one("#returns-lines", DataTable).focus()
            if yes:
                self.settle(how, chosen, method)

        self.app.push_screen(ConfirmScreen(question), answered)

    def settle(self, how: str, chosen: dict[int, int], method: str | None) -> None:
        self.busy = True
        amount = self.return_total
        try:
            result = checkout.return_items(self.till.ctx, self.sale["number"], chosen, how, method=method,
                                           customer_id=self.customer_id)
        except PosError as exc:
            self.show_error(exc.message)
            self.app.bell()
            return
        finally:
            self.busy = False
        self.show_error("")
        self.show_result(how, result, amount)
        self.reload()
        self.post_message(ReceiptReady("sale", result.sale_id))

    def show_result(self, how: str, result: SaleResult, amount: int) -> None:
        text = Text()
        text.append(_("Sale n° {number} · return of {amount}").format(number=result.number, amount=money(amount)),
                    style="bold")
        if how == "credit_note":
            for voucher in result.vouchers_issued:
                text.append("\n" + _("Credit note {amount}: ").format(amount=money(voucher.amount)))
                text.append(format_code(voucher.code), style="bold green")
        elif how == "credit":
            name = result.customer.display_name if result.customer else self.customer_name()
            text.append("\n" + _("{name}: new balance {amount}").format(name=name, amount=money(result.new_balance or 0)))
        else:
            for tender in result.settlement.applied:
                text.append("\n" + _("Refund {amount} by {method}").format(amount=money(-tender.amount),
                                                                          method=tender.method), style="bold")
        box = self.query_one("#returns-result", Static)
        box.update(text)
        box.remove_class("empty")

