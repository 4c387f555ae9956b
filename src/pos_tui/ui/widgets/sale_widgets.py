"""Widgets of the checkout: the scan field and the "last sale" box (number, change, new balance,
codes of the vouchers just issued)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Digits, Input, Static

from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_vat_rate
from pos_tui.i18n import _, locale
from pos_tui.services.customers import customer_summary
from pos_tui.ui.format import balance_class, big_money, cell, day_text, money, money_cell, voucher_lines

_LINE_KEYS = {"ctrl+d", "delete", "ctrl+e", "ctrl+u"}  # the checkout's keys for its lines


class ScanInput(Input):
    """A field where a code can be scanned (checkout, payment, returns, vouchers, lookup).

    A scanner types a code and Enter, and the next code may already be queued behind it. Textual's
    Input submits from its Enter *binding*, which runs only once the key has bubbled up to the app:
    by then the characters after the Enter are in the field. So the code is taken here, from the key
    stream itself: Enter takes the text typed so far and empties the field in the same step, then
    posts :class:`Scanned`. Keys typed while another widget has the focus come in through
    :meth:`feed`, in the same order.
    """

    class Scanned(Message):
        """Enter in a scan field: ``code`` is exactly what was typed since the previous Enter."""

        def __init__(self, field: ScanInput, code: str) -> None:
            super().__init__()
            self.field, self.code = field, code

        @property
        def control(self) -> ScanInput:
            return self.field

    def __init__(self, *args, clear: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clear = clear  # False: the text stays (a search shows what it found)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()  # not Input's submit binding: the code is taken now
            self.take()

    def feed(self, event: events.Key) -> bool:
        """A key typed while another widget of the screen has the focus: printable keys and Enter
        go to this field without moving the focus (moving it mid-burst would reorder the keys)."""
        if event.key == "enter":
            self.take()
        elif event.is_printable and event.character:
            self.insert_text_at_cursor(event.character)
        else:
            return False
        event.stop()
        event.prevent_default()
        return True

    def take(self) -> str:
        """Empty the field and post what it held as one code."""
        code = self.value
        if self.clear:
            self.value = ""
        self.post_message(self.Scanned(self, code))
        return code


class SaleScanInput(ScanInput, inherit_bindings=False):
    """The checkout's scan field, without the editing keys the checkout uses for its lines (Ctrl+D, Del,
    Ctrl+E, Ctrl+U)."""

    BINDINGS = [
        Binding(",".join(k for k in b.key.split(",") if k not in _LINE_KEYS), b.action, b.description, show=False)
        for b in Input.BINDINGS
        if isinstance(b, Binding) and set(b.key.split(",")) - _LINE_KEYS and b.key != "enter"
    ]


def line_cells(line) -> tuple[Text, ...]:
    """One line of the sale as the lines table shows it: name, quantity, unit price, amount, VAT."""
    name = line.name
    if line.kind == "voucher_sale" and line.expires_on:  # checked before paying
        name = _("{name} until {date}").format(name=line.name, date=day_text(line.expires_on))
    return (cell(name), Text(str(line.quantity), justify="right"), money_cell(line.unit_price),
            money_cell(line.total, "bold"), Text(format_vat_rate(line.vat_rate, locale()), justify="right"))


def voucher_rest_hint(cart, cash_back: bool) -> str:
    """A voucher or credit note worth more than the sale: where the rest goes, and what is missing."""
    if cart.total >= 0 or not cart.has_vouchers:
        return ""
    rest = money(-cart.total)
    if cash_back:
        text = _("The voucher exceeds the sale: the rest ({amount}) goes on the customer's credit (CRED)"
                 " or is given back").format(amount=rest)
    else:
        text = _("The voucher exceeds the sale: the rest ({amount}) will go on the customer's credit (CRED)"
                 ).format(amount=rest)
    if cart.customer_id is None:
        text += " — " + _("attach a customer (F2 or card)")
    return text


class LastSaleBox(Vertical):
    """The sale just closed: hidden (class ``empty``) until :meth:`show` is called."""

    DEFAULT_CSS = """
    LastSaleBox { height: auto; }
    LastSaleBox.empty { display: none; }
    LastSaleBox > #last-change { width: auto; }
    LastSaleBox > #last-vouchers { height: auto; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(classes="empty", **kwargs)

    def compose(self) -> ComposeResult:
        yield Static("", id="last-sale-number")
        yield Static(_("Change"), id="last-change-label")
        yield Digits("", id="last-change")
        yield Static("", id="last-balance")
        yield Static("", id="last-vouchers")  # codes of the gift vouchers just sold

    def show_sale(self, ctx, result) -> None:
        """The sale just closed, with its customer's new balance (re-read from the store)."""
        info = None
        if result.customer is not None:
            try:
                info = customer_summary(ctx, result.customer.id)
            except PosError:
                pass
        self.show(result, info)

    def show(self, result, info) -> None:
        """``result``: the service's SaleResult; ``info``: the customer's name and status, or None."""
        self.remove_class("empty")
        self.query_one("#last-sale-number", Static).update(
            Text(_("Sale n° {number} · {total}").format(number=result.number, total=money(result.total)),
                 style="bold"))
        change = result.settlement.change
        self.query_one("#last-change-label", Static).display = change > 0
        digits = self.query_one("#last-change", Digits)
        digits.display = change > 0
        digits.update(big_money(change))
        balance = self.query_one("#last-balance", Static)
        balance.set_classes("")
        balance.update("")
        balance.display = result.customer is not None
        if info is not None and info.status is not None:
            balance.update(_("{name}: new balance {amount}").format(
                name=info.name, amount=money(info.status.balance)))
            balance.set_classes(balance_class(info.status.balance))
        elif info is not None:
            balance.update(info.name)
        self.show_issued_vouchers(getattr(result, "vouchers_issued", ()))

    def show_issued_vouchers(self, issued) -> None:
        """The codes of the gift vouchers the sale just issued, to read out or write on the voucher."""
        box = self.query_one("#last-vouchers", Static)
        box.display = bool(issued)
        text = Text()
        for voucher in issued:
            first, code, *rest = voucher_lines(voucher)
            text.append(("\n" if text else "") + first + "\n")
            text.append(code, style="bold")
            for line in rest:
                text.append("\n" + line, style="dim")
        box.update(text)
