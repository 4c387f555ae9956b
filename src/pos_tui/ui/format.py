"""How the screens write money, dates and table cells: one home for each, so every screen says
an amount or a date the same way.

Table cells are ``rich.text.Text``, never ``str``: a ``DataTable`` parses a ``str`` cell as
markup, and a customer or item name may contain "[".
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date
from rich.text import Text

from pos_tui.domain.money import format_money
from pos_tui.domain.vouchers import format_code
from pos_tui.printing.connection import PrinterTarget
from pos_tui.i18n import _, locale, parse_moment

# -- money --------------------------------------------------------------------------


def money(cents: int) -> str:
    """``1 234,50 €`` in the shop's language."""
    return format_money(int(cents), locale())


def big_money(cents: int) -> str:
    """An amount for a ``Digits`` widget (its font has no no-break space)."""
    return money(cents).replace("\u00a0", " ")


def bare_money(cents: int) -> str:
    """An amount without the currency sign, for tables that are all in the shop's currency."""
    return money(cents).replace("€", "").strip("\u00a0 ")


def coin_label(cents: int) -> str:
    """``500 €``, ``0,50 €``: coins and notes without useless decimals."""
    return money(cents).replace(",00", "").replace(".00", "")


def balance_text(cents: int) -> str:
    """A credit balance with its meaning in words, not only a sign and a colour:
    ``-12,50 € (debt)``, ``12,50 € (credit)``, ``0,00 €``."""
    if cents < 0:
        return money(cents) + " " + _("(debt)")
    if cents > 0:
        return money(cents) + " " + _("(credit)")
    return money(cents)


def balance_class(cents: int) -> str:
    """The CSS class of a credit balance: ``credit`` above zero, ``debt`` below."""
    return "credit" if cents > 0 else "debt" if cents < 0 else ""


# -- dates --------------------------------------------------------------------------


def day_text(iso: str | None) -> str:
    """``2027-06-30`` -> ``30/06/2027``; empty stays empty."""
    if not iso:
        return ""
    try:
        return date.fromisoformat(str(iso)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return str(iso)


def moment_text(iso: str | None, with_time: bool = True) -> str:
    """A stored timestamp (the shop's local time) as ``27/11/26 17:20`` or ``27/11/26``."""
    moment = parse_moment(iso)
    if moment is None:
        return str(iso or "")
    return moment.strftime("%d/%m/%y %H:%M" if with_time else "%d/%m/%y")


def time_text(iso: str | None) -> str:
    """``17:20`` of a stored timestamp."""
    try:
        return datetime.fromisoformat(str(iso)).strftime("%H:%M")
    except (TypeError, ValueError):
        return str(iso or "")


def day_label(iso_day: str, fmt: str = "short") -> str:
    """A business day (``YYYY-MM-DD``) in the shop's language."""
    try:
        return format_date(date.fromisoformat(iso_day), format=fmt, locale=locale())
    except (TypeError, ValueError):
        return str(iso_day or "")


def closed_label(closed_at: str, day: str) -> str:
    """When a Z was made: the time alone on its own day, else the date and time."""
    try:
        moment = datetime.fromisoformat(closed_at)
    except (TypeError, ValueError):
        return str(closed_at or "")
    return moment.strftime("%H:%M") if moment.date().isoformat() == day else moment.strftime("%d/%m %H:%M")


def difference_text(cents: int | None) -> Text:
    """A cash difference: "+1,20 €" in green, "-3,00 €" in red, or "not counted"."""
    if cents is None:
        return Text(_("not counted"), style="dim")
    sign = "+" if cents > 0 else ""
    return Text(sign + money(cents), style="bold red" if cents < 0 else "bold green" if cents > 0 else "bold")


# -- table cells ----------------------------------------------------------------------


def cell(text: object, justify: str = "left", style: str = "") -> Text:
    """A one-line cell, cut with an ellipsis when too long."""
    return Text(str(text or ""), justify=justify, style=style, no_wrap=True, overflow="ellipsis")


def money_cell(cents: int, style: str = "") -> Text:
    """An amount with its currency sign, right-aligned, never cut."""
    return Text(money(cents), style=style, justify="right", no_wrap=True)


def amount_cell(cents: int | None, *, signed: bool = False, coloured: bool = False) -> Text:
    """An amount without the currency sign; ``signed`` adds "+" and colours it, ``coloured`` colours it
    only (credit green, debt red)."""
    if cents is None:
        return Text("—", justify="right")
    text = bare_money(cents)
    if signed and cents > 0:
        text = "+" + text
    style = ("red" if cents < 0 else "green" if cents > 0 else "") if signed or coloured else ""
    return Text(text, style=style, justify="right", no_wrap=True)


def balance_cell(cents: int) -> Text:
    """A balance in words (see :func:`balance_text`): debt in bold red, credit in green, zero plain."""
    style = "bold red" if cents < 0 else "green" if cents > 0 else ""
    return Text(balance_text(cents), style=style, justify="right", no_wrap=True, overflow="ellipsis")


def yes_no_cell(value: bool) -> Text:
    return cell(_("Yes") if value else _("No"), style="" if value else "dim")


# -- vouchers -------------------------------------------------------------------------


def kind_label(kind: str, short: bool = False) -> str:
    """A voucher's kind in shop words."""
    if kind == "credit_note":
        return _("Credit note")
    return _("Gift") if short else _("Gift voucher")


def voucher_lines(voucher) -> list[str]:
    """What the counter says about one issued voucher or credit note: kind, amount, code, expiry."""
    lines = [f"{kind_label(voucher.kind)} {money(voucher.amount)}", format_code(voucher.code)]
    if voucher.expires_on:
        lines.append(_("Valid until {date}").format(date=day_text(voucher.expires_on)))
    return lines


# -- printers -------------------------------------------------------------------------


def target_label(target: PrinterTarget) -> str:
    """``tcp://127.0.0.1:9100`` style, or "none (preview only)"."""
    if target.kind == "tcp":
        return f"tcp://{target.host}:{target.port}"
    if target.kind == "usb":
        return f"usb://{target.vendor:04x}:{target.product:04x}"
    if target.kind == "serial":
        return f"serial://{target.path}?baud={target.baud}"
    if target.kind == "file":
        return f"file://{target.path}"
    return _("none (preview only)")
