"""The checkout's small dialogs: a free-price line (F6), a gift voucher (Ctrl+B), a line's quantity
(Ctrl+E) and the parked sales (F7). Each answers the checkout through ``dismiss``."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from pos_tui.domain.cart import Cart
from pos_tui.domain.errors import PosError
from pos_tui.domain.money import SHOP_VAT_RATES, format_vat_rate, parse_money
from pos_tui.domain.vouchers import parse_expiry
from pos_tui.i18n import _, locale
from pos_tui.services import checkout
from pos_tui.services import vouchers as vouchers_service
from pos_tui.ui.format import cell, money
from pos_tui.ui.widgets.modal_form import ModalForm


class FreeLineScreen(ModalForm[bool]):
    """A free-price line: name, amount incl. VAT (negative = a return), VAT rate."""

    CSS_PATH = "checkout_dialogs.tcss"
    BOX_ID, ERROR_ID, CANCEL_RESULT = "free-box", "free-error", False

    def __init__(self, cart: Cart) -> None:
        super().__init__()
        self.cart = cart

    def border_label(self) -> str:
        return _("Free price")

    def hint(self) -> str:
        return _("Enter: add · Tab: VAT rate · Esc: cancel")

    def compose_form(self) -> ComposeResult:
        rates = [(format_vat_rate(rate, locale()), rate) for rate in SHOP_VAT_RATES]
        yield Static(_("Free-price line"), classes="title")
        yield Input(placeholder=_("Name (optional)"), id="free-name", max_length=120)
        yield Input(placeholder=_("Amount incl. VAT (negative = return)"), id="free-amount",
                    restrict=r"[-+0-9 ,.€]*", max_length=16)
        yield Select(rates, value=SHOP_VAT_RATES[0], allow_blank=False, id="free-vat", prompt=_("VAT rate"))

    def on_select_changed(self, event: Select.Changed) -> None:
        # Rate chosen by the cashier (not the initial value set on mount): back to the amount,
        # where Enter adds the line.
        event.stop()
        if self.focused is event.select or event.select.expanded:
            self.query_one("#free-amount", Input).focus()

    def submit(self) -> None:
        name = self.query_one("#free-name", Input).value
        try:
            cents = parse_money(self.query_one("#free-amount", Input).value)
            rate = self.query_one("#free-vat", Select).value
            checkout.free_line(self.till.ctx, self.cart, name, cents, rate)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(True)


class GiftVoucherScreen(ModalForm[bool]):
    """Amount and optional expiry of a gift voucher; adds a 0 % VAT line to the open sale."""

    CSS_PATH = "checkout_dialogs.tcss"
    BOX_ID, ERROR_ID, CANCEL_RESULT = "gift-box", "gift-error", False

    def __init__(self, cart: Cart) -> None:
        super().__init__()
        self.cart = cart

    def border_label(self) -> str:
        return _("Gift voucher")

    def hint(self) -> str:
        return _("Enter: next / add · Esc: cancel · the code is made when the sale closes")

    @staticmethod
    def _title(purpose: str) -> str:
        return _("Sell a gift voucher (0 % VAT)") if purpose == "multi" else _("Sell a gift voucher")

    def compose_form(self) -> ComposeResult:
        purpose, rate = vouchers_service.voucher_defaults(self.till.store)
        yield Static(self._title(purpose), classes="title", id="gift-title")
        yield Input(placeholder=_("Amount"), id="gift-amount", restrict=r"[0-9 ,.€]*", max_length=12)
        yield Input(placeholder=_("Expiry date (optional), e.g. 30/06/2027"), id="gift-expiry",
                    restrict=r"[0-9/\-]*", max_length=10)
        # The kind decides the VAT (issue 16): multi-purpose is taxed when used, single-purpose when sold.
        yield Select([(_("Multi-purpose: 0 % VAT now, taxed when used"), "multi"),
                      (_("Single-purpose: {rate} VAT now").format(rate=format_vat_rate(rate, locale())), "single")],
                     value=purpose, allow_blank=False, id="gift-purpose")

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "gift-purpose":
            self.query_one("#gift-title", Static).update(self._title(str(event.value)))

    def submit(self) -> None:
        try:
            cents = parse_money(self.query_one("#gift-amount", Input).value)
            expires = parse_expiry(self.query_one("#gift-expiry", Input).value, self.till.store.clock().date())
            vouchers_service.add_gift_voucher(self.till.store, self.cart, cents, expires,
                                              str(self.query_one("#gift-purpose", Select).value))
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(True)


class QuantityScreen(ModalForm[int | None]):
    """The new quantity of the highlighted line."""

    CSS_PATH = "checkout_dialogs.tcss"
    BOX_ID = "quantity-box"

    def __init__(self, name: str, quantity: int) -> None:
        super().__init__()
        self.line_name = name
        self.quantity = quantity

    def border_label(self) -> str:
        return _("Quantity")

    def hint(self) -> str:
        return _("Enter: change · Esc: cancel")

    def compose_form(self) -> ComposeResult:
        yield Static(cell(self.line_name), classes="title")
        yield Input(str(self.quantity), placeholder=_("Quantity"), id="quantity", restrict=r"\d*", max_length=4)

    def submit(self) -> None:
        value = self.query_one("#quantity", Input).value
        self.dismiss(int(value) if value.isdigit() else None)


class ParkedSalesScreen(ModalForm[int | None]):
    """The parked sales of every till; Enter resumes one."""

    CSS_PATH = "checkout_dialogs.tcss"
    BOX_ID = "parked-box"

    def __init__(self, parked: list[dict]) -> None:
        super().__init__()
        self.parked = parked

    def border_label(self) -> str:
        return _("Parked sales")

    def hint(self) -> str:
        return _("Enter: resume · Esc: cancel")

    def compose_form(self) -> ComposeResult:
        if not self.parked:
            yield Static(_("No parked sale."))
            return
        options = []
        for row in self.parked:
            when = str(row.get("created_at") or "")[11:16]
            who = row.get("customer_name") or _("no customer")
            label = _("{when} · till {terminal} · {user} · {customer} · {total}").format(
                when=when, terminal=row["terminal"], user=row.get("user_name") or "",
                customer=who, total=money(row["total"]))
            options.append(Option(Text(label, no_wrap=True, overflow="ellipsis"), id=str(row["id"])))
        yield OptionList(*options, id="parked-list")

    def focus_first(self) -> None:
        if self.parked:
            self.query_one("#parked-list", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id))
