"""Products (issue 11): search as you type by name or barcode, create (no barcode: an in-store
EAN-13), edit name / price / VAT rate, deactivate / reactivate, price history, shelf labels.

The rules (right, price history, in-store codes, labels) live in ``services.products`` and
``services.labels``; this screen only asks and shows.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual import work
from textual.widgets import DataTable, Footer, Header, Input, Static

from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_vat_rate, parse_money, parse_vat_rate
from pos_tui.domain.rights import Right
from pos_tui.i18n import N_, _, locale
from pos_tui.services import labels, products
from pos_tui.ui.format import cell, moment_text, money, money_cell
from pos_tui.ui.screens.base import PosScreen
from pos_tui.ui.widgets.modal_form import ModalForm


def vat_text(rate: int) -> str:
    return format_vat_rate(rate, locale())


def _price_text(cents: int) -> str:
    return money(cents).replace("€", "").strip("\u00a0 ")


class ProductFormScreen(ModalForm[int | None]):
    """New product (barcode empty: the next in-store code) or edit one (the barcode stays)."""

    BINDINGS = [Binding("ctrl+s", "save", N_("Save"))]
    CSS_PATH = "products.tcss"
    BOX_ID, ERROR_ID = "product-box", "product-error"

    def __init__(self, row: products.ProductRow | None = None) -> None:
        super().__init__()
        self.row = row

    def border_label(self) -> str:
        return _("Edit product") if self.row else _("New product")

    def hint(self) -> str:
        return _("Enter: next / save · Esc: cancel")

    def compose_form(self) -> ComposeResult:
        if self.row is None:
            try:
                code = products.next_in_store_code(self.till.ctx)
            except PosError:
                code = ""
            yield Static(_("Barcode (empty: in-store code {code})").format(code=code), classes="title")
            yield Input(placeholder=_("EAN-13, EAN-8 or UPC-A; empty for bulk goods"), id="product-barcode",
                        max_length=13, restrict=r"\d*")
        else:
            yield Static(_("Barcode {code}").format(code=self.row.barcode), classes="title")
        yield Input(value=self.row.name if self.row else "", placeholder=_("Name"), id="product-name",
                    max_length=120)
        yield Input(value=_price_text(self.row.price) if self.row else "", placeholder=_("Price incl. VAT, e.g. 2,90"),
                    id="product-price", max_length=12)
        yield Input(value=vat_text(self.row.vat_rate).replace(" %", "") if self.row else "",
                    placeholder=_("VAT rate: 20, 10, 5,5, 2,1 or 0"), id="product-vat", max_length=6)

    def submit(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        try:
            name = self.query_one("#product-name", Input).value
            price = parse_money(self.query_one("#product-price", Input).value)
            vat = parse_vat_rate(self.query_one("#product-vat", Input).value)
            if self.row is None:
                barcode = self.query_one("#product-barcode", Input).value
                product_id = products.create(self.till.ctx, barcode, name, price, vat).id
            else:
                product_id = products.update(self.till.ctx, self.row.id, name, price, vat).id
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(product_id)


class PriceHistoryScreen(ModalForm[None]):
    """Every price the product had, newest first, with who and when."""

    CSS_PATH = "products.tcss"
    BOX_ID = "history-box"

    def __init__(self, row: products.ProductRow) -> None:
        super().__init__()
        self.row = row

    def border_label(self) -> str:
        return _("Price history")

    def hint(self) -> str:
        return _("Esc: back")

    def compose_form(self) -> ComposeResult:
        yield Static(f"{self.row.barcode}  {self.row.name}", classes="title")
        yield DataTable(id="history-list", cursor_type="row", zebra_stripes=True)

    def focus_first(self) -> None:
        self.query_one("#history-list", DataTable).focus()

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#history-list", DataTable)
        for key, label, width in (("when", _("When"), 14), ("price", _("Price"), 10), ("vat", _("VAT"), 6),
                                  ("who", _("By"), 10), ("how", _("How"), 10)):
            table.add_column(label, key=key, width=width)
        sources = {"created": _("created"), "edited": _("edited"), "import": _("import"),
                   "before history": _("before")}
        for entry in products.price_history(self.till.ctx, self.row.id):
            table.add_row(cell(moment_text(entry["changed_at"]) or "—"), money_cell(entry["price"]),
                          cell(vat_text(entry["vat_rate"]), justify="right"), cell(entry["user_name"] or "—"),
                          cell(sources.get(entry["source"], entry["source"])))


class ProductsScreen(PosScreen):
    """Type to search (name, or the start of a barcode); ↓ goes to the list, whose keys act on the
    highlighted product."""

    HELP_TITLE = N_("Products")

    BINDINGS = [
        Binding("ctrl+n", "new", N_("New")),
        Binding("e", "edit", N_("Edit")),
        Binding("l", "label_sheet", N_("Labels (A4)")),
        Binding("d", "toggle_active", N_("Deactivate/reactivate"), show=False),
        Binding("h", "history", N_("Price history"), show=False),
        Binding("t", "label_print", N_("Label (printer)"), show=False),
        Binding("slash", "search", N_("Search"), show=False),
        Binding("escape", "back", N_("Back")),
    ]
    CSS_PATH = "products.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("Search a product: name or barcode (↓: the list)"), id="products-search")
        yield DataTable(id="products-list", cursor_type="row", zebra_stripes=True)
        yield Static("", id="products-error", classes="error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_session(_("Products"))
        table = self.query_one("#products-list", DataTable)
        for key, label, width in (("barcode", _("Barcode"), 13), ("name", _("Name"), 30), ("price", _("Price"), 9),
                                  ("vat", _("VAT"), 6), ("state", _("State"), 8)):
            table.add_column(label, key=key, width=width)
        self.rows: list[products.ProductRow] = []
        self.query_one("#products-search", Input).focus()
        self.refresh_products()
        try:
            self.till.ctx.require(Right.MANAGE_PRODUCTS)
        except PosError as exc:
            self.show_error(exc.message)

    def show_error(self, message: str) -> None:
        self.query_one("#products-error", Static).update(message)
        if message:
            self.app.bell()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "products-search":
            self.refresh_products()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "products-search":
            event.stop()
            if self.rows:
                self.query_one("#products-list", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def on_key(self, event) -> None:
        search = self.query_one("#products-search", Input)
        table = self.query_one("#products-list", DataTable)
        if event.key == "down" and self.focused is search and self.rows:
            event.stop()
            table.focus()
        elif event.key == "up" and self.focused is table and table.cursor_row == 0:
            event.stop()
            search.focus()

    def refresh_products(self, keep: int | None = None) -> None:
        table = self.query_one("#products-list", DataTable)
        table.clear()
        try:
            self.rows = products.search(self.till.ctx, self.query_one("#products-search", Input).value)
        except PosError:
            self.rows = []
            return
        for row in self.rows:
            style = "" if row.active else "dim"
            table.add_row(cell(row.barcode, style=style), cell(row.name, style=style or "bold"),
                          money_cell(row.price, style=style), cell(vat_text(row.vat_rate), justify="right", style=style),
                          cell(_("active") if row.active else _("inactive"), style=style), key=str(row.id))
        ids = [r.id for r in self.rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)

    def highlighted(self) -> products.ProductRow | None:
        table = self.query_one("#products-list", DataTable)
        if not table.row_count:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((r for r in self.rows if str(r.id) == row_key.value), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The list's keys are letters: while the search field has the focus they are typed there.
        if action in ("edit", "toggle_active", "history", "label_sheet", "label_print", "search"):
            return isinstance(self.focused, DataTable)
        return True

    def action_search(self) -> None:
        self.query_one("#products-search", Input).focus()

    def action_new(self) -> None:
        self.app.push_screen(ProductFormScreen(), self._saved)

    def action_edit(self) -> None:
        row = self.highlighted()
        if row is not None:
            self.app.push_screen(ProductFormScreen(row), self._saved)

    def _saved(self, product_id: int | None) -> None:
        if product_id is None:
            return
        self.show_error("")
        row = products.get(self.till.ctx, product_id)
        search = self.query_one("#products-search", Input)
        if self.highlighted() is None or product_id not in [r.id for r in self.rows]:
            search.value = row.barcode  # show the product just made (refreshes through Changed)
        self.call_after_refresh(self.refresh_products, product_id)
        self.query_one("#products-list", DataTable).focus()
        self.app.notify(_("{name}: {price}, VAT {vat}.").format(name=row.name, price=money(row.price),
                                                               vat=vat_text(row.vat_rate)))

    def action_toggle_active(self) -> None:
        row = self.highlighted()
        if row is None:
            return
        try:
            done = products.set_active(self.till.ctx, row.id, not row.active)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.show_error("")
        self.refresh_products(keep=row.id)
        self.app.notify((_("{name} reactivated.") if done.active else
                         _("{name} deactivated: it no longer scans.")).format(name=row.name))

    def action_history(self) -> None:
        row = self.highlighted()
        if row is not None:
            try:
                self.till.ctx.require(Right.MANAGE_PRODUCTS)
            except PosError as exc:
                self.show_error(exc.message)
                return
            self.app.push_screen(PriceHistoryScreen(row))

    def action_label_sheet(self) -> None:
        """A4 sheet of 24 labels of the highlighted product, written in the current folder."""
        row = self.highlighted()
        if row is None:
            return
        path = Path.cwd() / f"pos-tui-labels-{row.barcode}.svg"
        try:
            labels.write_label_sheet(self.till.ctx, [row.id], path, copies=24)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.show_error("")
        self.app.notify(_("Label sheet written to {path}").format(path=path), timeout=8)

    def action_label_print(self) -> None:
        """One shelf label on the receipt printer (a worker: the till never waits for it)."""
        row = self.highlighted()
        if row is None:
            return
        target = self.till.printer_target()
        if not target.enabled:
            self.show_error(_("No printer is set up (preview only)."))
            return
        self._print_label(row.id, target)

    @work(thread=True, exclusive=True, exit_on_error=False, group="labels")
    def _print_label(self, product_id: int, target) -> None:
        """A worker: the till never waits for the printer; sqlite3 connections stay in their thread."""
        from pos_tui.services.context import Context

        ctx = self.till.ctx
        try:
            store = ctx.store.reopen()
        except PosError as exc:
            self.app.call_from_thread(self._label_printed, "", exc.message)
            return
        try:
            labels.print_shelf_label(Context(store, ctx.user, ctx.terminal), product_id, target)
            message, error = _("Label sent to the printer."), ""
        except PosError as exc:
            message, error = "", exc.message
        finally:
            store.close()
        self.app.call_from_thread(self._label_printed, message, error)

    def _label_printed(self, message: str, error: str) -> None:
        if error:
            self.show_error(error)
        else:
            self.app.notify(message)

