"""Day summary and closing (F9, SPEC §8, issue 7): the live X, sales per hour, the cash drawer
(float, cash in / out, the count), the Z behind a confirmation, and the past Z with their frozen figures.

One renderer (:func:`render_summary`) draws a summary dict, whether it is the live X of
``services.closing.summary`` or the figures frozen in a Z row.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (Button, DataTable, Footer, Header, Input, Label, Select, Static, TabbedContent,
                             TabPane)

from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_amount, format_money, parse_money
from pos_tui.domain.rights import Right
from pos_tui.i18n import _, locale
from pos_tui.services import closing, methods
from pos_tui.services.exports import write_export
from pos_tui.printing.day_report import Block, summary_blocks

CHART_WIDTH = 28  # columns of the longest bar in the sales-per-hour chart
_EIGHTHS = " ▏▎▍▌▋▊▉"


# -- formatting helpers -------------------------------------------------------------

def money(cents: int) -> str:
    return format_money(int(cents), locale())


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


def coin_label(cents: int) -> str:
    """``500 €``, ``0,50 €``: coins and notes without useless decimals."""
    text = money(cents)
    return text.replace(",00", "").replace(".00", "")


def _cell(text: str) -> Text:
    # Text, not str: a DataTable parses str cells as markup, and a reason may contain "[".
    return Text(str(text or ""), no_wrap=True, overflow="ellipsis")


def _amount_cell(cents: int | None, signed: bool = False) -> Text:
    """An amount in a DataTable, without the currency sign (the table is in the shop's currency)."""
    if cents is None:
        return Text("—", justify="right")
    text = format_money(int(cents), locale()).replace("€", "").strip("\u00a0 ")
    if signed and cents > 0:
        text = "+" + text
    style = ("red" if cents < 0 else "green" if cents > 0 else "") if signed else ""
    return Text(text, style=style, justify="right", no_wrap=True)


def difference_text(cents: int | None) -> Text:
    if cents is None:
        return Text(_("not counted"), style="dim")
    sign = "+" if cents > 0 else ""
    return Text(sign + money(cents), style="bold red" if cents < 0 else "bold green" if cents > 0 else "bold")


# -- the summary renderer (X and Z) ------------------------------------------------

def block_table(block: Block) -> Table:
    table = Table(title=block.title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False, show_header=block.show_header, expand=True,
                  show_footer=block.total is not None, footer_style="bold")
    for i, header in enumerate(block.headers):
        footer = block.total[i] if block.total else ""
        if i == 0:
            table.add_column(header, footer=footer, ratio=1, overflow="ellipsis", no_wrap=True)
        else:
            table.add_column(header, footer=footer, justify="right", no_wrap=True)
    for row in block.rows:
        table.add_row(*(Text(cell) for cell in row))
    if not block.rows:
        table.add_row(Text(_("none"), style="dim"), *([""] * (len(block.headers) - 1)))
    return table


def hour_chart(per_hour: list[dict], width: int = CHART_WIDTH) -> Text:
    """Sales per hour as horizontal bars, ``09h ████████▍ 123,40 € (4)``; an hour without sales in between
    shows an empty bar."""
    if not per_hour:
        return Text(_("No sale yet."), style="dim")
    by_hour = {int(r["hour"]): r for r in per_hour}
    top = max((r["total"] for r in per_hour), default=0)
    amounts = [money(r["total"]) for r in per_hour]
    amount_width = max(len(a) for a in amounts)
    text = Text(no_wrap=True)
    for hour in range(min(by_hour), max(by_hour) + 1):
        row = by_hour.get(hour, {"n": 0, "total": 0})
        eighths = round(8 * width * row["total"] / top) if top > 0 and row["total"] > 0 else 0
        bar = "█" * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")
        text.append(f"{hour:02d}h ")
        text.append(bar.ljust(width), style="bold cyan")
        text.append(f" {money(row['total']):>{amount_width}}")
        text.append(f" ({row['n']})\n" if row["n"] else "\n", style="dim")
    text.rstrip()
    return text


def render_summary(data: dict, method_labels: dict[str, str] | None = None) -> list[RenderableType]:
    """The renderables of a summary (one per block, the per-hour chart last): used for the X and every Z."""
    tables: list[RenderableType] = [block_table(b) for b in summary_blocks(data, method_labels)]
    chart = Group(Text(_("Sales per hour"), style="bold"), hour_chart(data["per_hour"]))
    return [*tables, chart]


class SummaryView(Grid):
    """The summary blocks in a grid: one column, two when the screen is wide (the screens' CSS says so)."""

    DEFAULT_CSS = """
    SummaryView { grid-size: 1; grid-rows: auto; grid-gutter: 1 2; height: auto; padding: 0 1; }
    SummaryView > .summary-block { height: auto; }
    SummaryView > .summary-chart { column-span: 2; }
    """

    def __init__(self, data: dict | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data = data

    def compose(self) -> ComposeResult:
        yield from self._statics(self._renderables())

    @staticmethod
    def _statics(renderables: list[RenderableType]) -> list[Static]:
        last = len(renderables) - 1
        return [Static(r, classes="summary-block summary-chart" if i == last else "summary-block")
                for i, r in enumerate(renderables)]

    def _renderables(self) -> list[RenderableType]:
        if self.data is None:
            return []
        labels = {m.code: m.label for m in methods.all_methods(self.app.store)}
        return render_summary(self.data, labels)

    def show(self, data: dict) -> None:
        """Redraw with another summary (same shape: the blocks never change in number)."""
        self.data = data
        statics = list(self.query(".summary-block").results(Static))
        renderables = self._renderables()
        if len(statics) != len(renderables):
            self.remove_children()
            self.mount_all(self._statics(renderables))
            return
        for static, renderable in zip(statics, renderables):
            static.update(renderable)

    def plain_text(self, width: int = 100) -> str:
        """What the blocks say, as plain text (for tests and for copying)."""
        from rich.console import Console

        console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
        for renderable in self._renderables():
            console.print(renderable)
        return console.export_text()


# -- the Z confirmation ----------------------------------------------------------

class CloseDayConfirmScreen(ModalScreen[bool]):
    """Yes / no before a Z; "no" is focused, so a stray Enter closes nothing."""

    BINDINGS = [
        Binding("y", "answer(True)", _("Yes")),
        Binding("n", "answer(False)", _("No")),
        Binding("escape", "answer(False)", _("Cancel")),
    ]
    DEFAULT_CSS = """
    CloseDayConfirmScreen { align: center middle; }
    #z-confirm-box {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        padding: 1 2; border: thick $error; background: $surface;
    }
    #z-confirm-title { text-style: bold; }
    #z-confirm-warning { color: $warning; margin-bottom: 1; }
    #z-confirm-figures { margin-bottom: 1; }
    #z-confirm-buttons { height: auto; align-horizontal: center; }
    #z-confirm-buttons Button { margin: 0 1; }
    """

    def __init__(self, day: str, expected: int, counted: int | None) -> None:
        super().__init__()
        self.day, self.expected, self.counted = day, expected, counted

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column()
        table.add_column(justify="right")
        table.add_row(_("Expected cash"), money(self.expected))
        table.add_row(_("Counted"), money(self.counted) if self.counted is not None else Text(_("not counted"),
                                                                                               style="dim"))
        table.add_row(_("Difference"),
                      difference_text(None if self.counted is None else self.counted - self.expected))
        with Vertical(id="z-confirm-box"):
            yield Static(_("Close the day {day} (Z)?").format(day=day_label(self.day, "full")), id="z-confirm-title")
            yield Static(_("This is irreversible: nothing can be added to a closed day."), id="z-confirm-warning")
            yield Static(table, id="z-confirm-figures")
            with Horizontal(id="z-confirm-buttons"):
                yield Button(_("Yes, close (y)"), id="z-confirm-yes", variant="error")
                yield Button(_("No (n)"), id="z-confirm-no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#z-confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "z-confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


# -- CSV export (shared by the closing screen and the Z details) ---------------------

def export_summary_csv(ctx, data: dict, day: str) -> Path:
    """Write the summary as CSV in the current directory; returns the file's path."""
    # export_summary checks the export right and journals the export, once the file could be opened
    return write_export(Path.cwd() / f"pos-tui-summary-{day}.csv", lambda: closing.export_summary(ctx, data))


# -- the details of a past Z ----------------------------------------------------------

class ZDetailScreen(Screen):
    """The frozen figures of one Z, drawn by the same renderer as the live X."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("escape", "back", _("Back")),
        Binding("f10", "print_report", _("Print")),
        Binding("ctrl+e", "export_csv", _("Export CSV"), priority=True),
    ]
    DEFAULT_CSS = """
    ZDetailScreen { layout: vertical; }
    #z-detail-title { text-style: bold; padding: 0 1; }
    #z-detail-cash { padding: 0 1; }
    #z-detail-scroll { height: 1fr; }
    #z-detail-message { padding: 0 1; height: auto; }
    ZDetailScreen.-wide SummaryView { grid-size: 2; }
    """

    def __init__(self, z: dict) -> None:
        super().__init__()
        self.z = z

    def compose(self) -> ComposeResult:
        z = self.z
        yield Header()
        yield Static(_("Z n° {number} · {day} · closed {at} by {user}").format(
            number=z["number"], day=day_label(z["business_day"], "full"),
            at=closed_label(z["closed_at"], z["business_day"]), user=z.get("user_name") or "—"),
            id="z-detail-title")
        cash = Text()
        cash.append(_("Expected cash") + " " + money(z["expected_cash"]) + " · ")
        cash.append(_("Counted") + " ")
        cash.append(money(z["counted"]) if z.get("counted") is not None else _("not counted"))
        cash.append(" · " + _("Difference") + " ")
        cash.append_text(difference_text(z.get("cash_difference")))
        if z.get("count_detail"):
            try:
                detail = {int(k): int(v) for k, v in json.loads(z["count_detail"]).items()}
            except (TypeError, ValueError):
                detail = {}
            cash.append("\n" + _("Counted by coins and notes:") + " ")
            cash.append(", ".join(f"{n} × {coin_label(value)}" for value, n in sorted(detail.items(), reverse=True)),
                        style="dim")
        yield Static(cash, id="z-detail-cash")
        with VerticalScroll(id="z-detail-scroll"):
            yield SummaryView(z["figures"], id="z-detail-summary")
        yield Static("", id="z-detail-message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#z-detail-scroll").focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_print_report(self) -> None:
        """F10: this Z's frozen figures on the receipt printer (a copy after the first: DUPLICATA)."""
        self.app.print_receipt("z", self.z["number"])

    def action_export_csv(self) -> None:
        message = self.query_one("#z-detail-message", Static)
        try:
            path = export_summary_csv(self.app.ctx, self.z["figures"], self.z["business_day"])
        except PosError as exc:
            message.set_class(True, "error")
            message.update(exc.message)
            return
        message.set_class(False, "error")
        message.update(_("Summary exported to {path}").format(path=path))


# -- the closing screen -------------------------------------------------------------------

MOVEMENT_KINDS = (("float", "Opening float"), ("in", "Cash in"), ("out", "Cash out"))


class ClosingScreen(Screen):
    """X (live), sales per hour, the cash drawer and count, the Z, and the past Z."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("escape", "back", _("Back")),
        Binding("f5", "show_tab('tab-x')", _("X")),
        Binding("f6", "show_tab('tab-hours')", _("Hours")),
        Binding("f7", "show_tab('tab-cash')", _("Cash")),
        Binding("f8", "show_tab('tab-z')", _("Past Z")),
        Binding("f12", "close_day", _("Close Z")),
        Binding("f10", "print_report", _("Print")),
        Binding("ctrl+e", "export_csv", _("CSV"), priority=True),
    ]
    DEFAULT_CSS = """
    ClosingScreen { layout: vertical; }
    #closing-denied { margin: 1 2; }
    #closing-tabs { height: 1fr; }
    #closing-tabs TabPane { padding: 0; }
    .closing-day { padding: 0 1; text-style: bold; }
    #cash-day { padding: 0; }
    .closing-scroll { height: 1fr; }
    #hours-chart { padding: 1 1; height: auto; }
    #closing-message { padding: 0 1; height: auto; max-height: 3; }
    #cash-scroll { height: 1fr; padding: 0 1; }
    .cash-section { text-style: bold; margin-top: 1; }
    #movement-form { height: auto; }
    #movement-kind { width: 26; }
    #movement-amount { width: 14; }
    #movement-reason { width: 1fr; }
    #movement-record { min-width: 12; }
    #movement-table { height: auto; max-height: 8; }
    #count-total-row { height: auto; }
    #count-total-row Label { padding: 1 1 0 0; }
    #count-total { width: 18; }
    #count-or { width: auto; padding: 1 0 0 1; }
    #count-coins { grid-size: 3; grid-rows: 1; grid-gutter: 0 2; height: auto; margin-top: 1; }
    ClosingScreen.-wide #count-coins { grid-size: 5; }
    ClosingScreen.-wide SummaryView { grid-size: 2; }
    .coin { height: 1; }
    .coin Label { width: 9; text-align: right; padding-right: 1; }
    .coin Input { width: 8; }
    #count-coins-total { margin-top: 1; height: 1; }
    #count-status { height: 2; }
    #closing-error { height: auto; }
    #close-day { margin-top: 1; }
    #past-z { height: 1fr; }
    #past-z-hint { padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.denied: str | None = None
        self.day = ""
        self.data: dict | None = None
        self.z_rows: dict[str, dict] = {}

    @property
    def ctx(self):
        return self.app.ctx

    # -- layout -------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        try:
            self.ctx.require(Right.DAY_CLOSING)
        except PosError as exc:
            self.denied = exc.message
        yield Header()
        if self.denied is not None:
            yield Static(self.denied, id="closing-denied", classes="error")
            yield Footer(compact=True)
            return
        with TabbedContent(id="closing-tabs", initial="tab-x"):
            with TabPane(_("X (live)") + " F5", id="tab-x"):
                yield Static("", id="x-day", classes="closing-day")
                with VerticalScroll(id="x-scroll", classes="closing-scroll"):
                    yield SummaryView(id="x-summary")
            with TabPane(_("Per hour") + " F6", id="tab-hours"):
                yield Static("", id="hours-day", classes="closing-day")
                with VerticalScroll(id="hours-scroll", classes="closing-scroll"):
                    yield Static("", id="hours-chart")
            with TabPane(_("Cash") + " F7", id="tab-cash"):
                with VerticalScroll(id="cash-scroll"):
                    yield Static("", id="cash-day", classes="closing-day")
                    yield Static(_("Cash movements"), classes="cash-section")
                    with Horizontal(id="movement-form"):
                        yield Select([(_(label), kind) for kind, label in MOVEMENT_KINDS], value="in",
                                     allow_blank=False, id="movement-kind")
                        yield Input(placeholder=_("Amount"), id="movement-amount")
                        yield Input(placeholder=_("Reason"), id="movement-reason", max_length=120)
                        yield Button(_("Record"), id="movement-record")
                    yield DataTable(id="movement-table", cursor_type="row", zebra_stripes=True)
                    yield Static(_("Cash count"), classes="cash-section")
                    with Horizontal(id="count-total-row"):
                        yield Label(_("Counted total"))
                        yield Input(placeholder=_("e.g. 312,40"), id="count-total")
                        yield Static(_("or count coins and notes:"), id="count-or")
                    with Grid(id="count-coins"):
                        for value in closing.COINS_AND_NOTES:
                            with Horizontal(classes="coin"):
                                yield Label(coin_label(value))
                                yield Input(placeholder="0", id=f"coin-{value}", type="integer", compact=True,
                                            max_length=5)
                    yield Static("", id="count-coins-total")
                    yield Static("", id="count-status")
                    yield Static("", id="closing-error", classes="error")
                    yield Button(_("Close day (Z)") + " · F12", id="close-day", variant="error")
            with TabPane(_("Past Z") + " F8", id="tab-z"):
                yield DataTable(id="past-z", cursor_type="row", zebra_stripes=True)
                yield Static(_("Enter: the figures of the Z"), id="past-z-hint")
        yield Static("", id="closing-message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.denied is not None:
            return
        movements = self.query_one("#movement-table", DataTable)
        for key, header in (("time", _("Time")), ("kind", _("Movement")), ("amount", _("Amount")),
                            ("reason", _("Reason")), ("user", _("By"))):
            movements.add_column(header, key=key)
        past = self.query_one("#past-z", DataTable)
        for key, header in (("number", _("N°")), ("day", _("Day")), ("closed", _("Closed at")), ("user", _("By")),
                            ("turnover", _("Turnover")), ("expected", _("Expected")), ("counted", _("Counted")),
                            ("difference", _("Diff."))):
            past.add_column(header, key=key)
        self.refresh_all()
        self.query_one("#x-scroll").focus()
        self.set_interval(60, self.refresh_live)

    def on_screen_resume(self) -> None:
        if self.denied is None and self.data is not None:
            self.refresh_live()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("show_tab", "close_day", "export_csv", "print_report"):
            return self.denied is None
        return True

    # -- data ----------------------------------------------------------------------
    def refresh_all(self) -> None:
        self.refresh_live()
        self.refresh_past_z()

    def refresh_live(self) -> None:
        """Re-read the current business day's X (other terminals may have sold meanwhile)."""
        store = self.ctx.store
        self.day = closing.business_day(store)
        self.data = closing.summary(store, self.day)
        title = _("Business day {day} · open (live X)").format(day=day_label(self.day, "full"))
        self.query_one("#x-day", Static).update(title)
        self.query_one("#hours-day", Static).update(_("Sales per hour") + " · " + day_label(self.day, "full"))
        self.query_one("#cash-day", Static).update(title)
        self.query_one("#x-summary", SummaryView).show(self.data)
        self.query_one("#hours-chart", Static).update(hour_chart(self.data["per_hour"]))
        self._show_movements()
        self._show_count()

    def _show_movements(self) -> None:
        table = self.query_one("#movement-table", DataTable)
        table.clear()
        names = {kind: _(label) for kind, label in MOVEMENT_KINDS}
        for m in closing.cash_movements(self.ctx.store, self.day):
            try:
                when = datetime.fromisoformat(m["created_at"]).strftime("%H:%M")
            except (TypeError, ValueError):
                when = str(m["created_at"] or "")
            table.add_row(when, _cell(names.get(m["kind"], m["kind"])), _amount_cell(m["amount"]),
                          _cell(m["reason"]), _cell(m.get("user_name")), key=str(m["id"]))
        if not table.row_count:
            table.add_row("", _cell(_("none")), "", "", "")

    def refresh_past_z(self) -> None:
        table = self.query_one("#past-z", DataTable)
        table.clear()
        self.z_rows = {str(z["number"]): z for z in closing.z_list(self.ctx.store)}
        for key, z in self.z_rows.items():
            table.add_row(
                Text(str(z["number"]), justify="right"), day_label(z["business_day"]),
                closed_label(z["closed_at"], z["business_day"]),
                _cell(z.get("user_name")), _amount_cell(z["period_total"]), _amount_cell(z["expected_cash"]),
                _amount_cell(z["counted"]), _amount_cell(z["cash_difference"], signed=True), key=key)

    # -- the count ---------------------------------------------------------------------
    def count_detail(self) -> dict[int, int]:
        """{coin or note in cents: how many} for the coin inputs that hold a number above zero."""
        detail = {}
        for value in closing.COINS_AND_NOTES:
            text = self.query_one(f"#coin-{value}", Input).value.strip()
            if text:
                try:
                    quantity = int(text)
                except ValueError:
                    raise PosError("Bad cash count.") from None
                if quantity < 0:
                    raise PosError("Bad cash count.")
                if quantity:
                    detail[value] = quantity
        return detail

    def counted(self) -> tuple[int | None, dict[int, int] | None]:
        """What was counted: by coins and notes when any is filled in, else the total typed, else nothing."""
        detail = self.count_detail()
        if detail:
            return closing.count_total(detail), detail
        text = self.query_one("#count-total", Input).value.strip()
        if not text:
            return None, None
        amount = parse_money(text)
        if amount < 0:
            raise PosError("A counted amount cannot be negative.")
        return amount, None

    def _show_count(self) -> None:
        if self.data is None:
            return
        expected = self.data["cash"]["expected"]
        status = Text()
        status.append(_("Expected cash") + " ")
        status.append(money(expected), style="bold")
        try:
            detail = self.count_detail()
            coins_total = closing.count_total(detail) if detail else 0
            counted, _detail = self.counted()
        except PosError as exc:
            self.query_one("#count-status", Static).update(status + Text(" · " + exc.message, style="red"),
                                                           layout=False)
            return
        # Fixed heights: no layout pass for every key typed in the count.
        self.query_one("#count-coins-total", Static).update(
            _("Coins and notes: {amount}").format(amount=money(coins_total)), layout=False)
        if counted is None:
            status.append(" · " + _("not counted yet"), style="dim")
        else:
            status.append(" · " + _("Counted") + " ")
            status.append(money(counted), style="bold")
            status.append(" · " + _("Difference") + " ")
            status.append_text(difference_text(counted - expected))
        self.query_one("#count-status", Static).update(status, layout=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("coin-"):
            # The coins decide the total: show it in the total field, which waits until the coins are cleared.
            total_input = self.query_one("#count-total", Input)
            try:
                detail = self.count_detail()
            except PosError:
                detail = {}
            if detail:
                total_input.value = format_amount(closing.count_total(detail), locale())
                total_input.disabled = True
            elif total_input.disabled:
                total_input.disabled = False
                total_input.value = ""
            self._show_count()
        elif event.input.id == "count-total":
            self._show_count()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "movement-amount":
            self.query_one("#movement-reason", Input).focus()
        elif event.input.id == "movement-reason":
            self.record_movement()
        elif event.input.id == "count-total":
            self.action_close_day()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "movement-record":
            self.record_movement()
        elif event.button.id == "close-day":
            self.action_close_day()

    # -- cash movements ------------------------------------------------------------------
    def _error(self, message: str) -> None:
        self.query_one("#closing-error", Static).update(message)

    def _message(self, message: str | Text, error: bool = False) -> None:
        widget = self.query_one("#closing-message", Static)
        widget.set_class(error, "error")
        widget.update(message)

    def record_movement(self) -> None:
        self._error("")
        kind = str(self.query_one("#movement-kind", Select).value)
        amount_input = self.query_one("#movement-amount", Input)
        reason_input = self.query_one("#movement-reason", Input)
        try:
            amount = parse_money(amount_input.value)
            closing.add_cash_movement(self.ctx, kind, amount, reason_input.value)
        except PosError as exc:
            self._error(exc.message)
            self.app.bell()
            return
        amount_input.value = ""
        reason_input.value = ""
        label = dict(MOVEMENT_KINDS)[kind]
        self._message(_("{movement} of {amount} recorded.").format(movement=_(label), amount=money(amount)))
        self.refresh_live()
        amount_input.focus()

    # -- the Z ------------------------------------------------------------------------------
    def action_close_day(self) -> None:
        if self.denied is not None:
            return
        self._error("")
        self.refresh_live()  # the expected cash shown in the confirmation is the latest
        try:
            counted, detail = self.counted()
        except PosError as exc:
            self._error(exc.message)
            self.action_show_tab("tab-cash")
            self.app.bell()
            return
        day = self.day
        self.app.push_screen(CloseDayConfirmScreen(day, self.data["cash"]["expected"], counted),
                             callback=lambda yes: self._close_confirmed(yes, day, counted, detail))

    def _close_confirmed(self, yes: bool | None, day: str, counted: int | None,
                         detail: dict[int, int] | None) -> None:
        if not yes:
            self._message(_("Day not closed; nothing was written."))
            return
        try:
            result = closing.close_day(self.ctx, counted=counted, count_detail=detail or None, day=day)
        except PosError as exc:
            self._error(exc.message)
            self._message(exc.message, error=True)
            self.app.bell()
            return
        self._reset_count()
        self.refresh_all()
        self.app.receipt_ready("z", result.number)  # prints the Z report when the shop auto-prints
        text = Text(_("Z n° {number} recorded for {day}.").format(number=result.number,
                                                                    day=day_label(result.business_day)),
                    style="bold")
        if result.difference is not None:
            text.append(" " + _("Difference") + " ")
            text.append_text(difference_text(result.difference))
            text.append(".")
        if result.also_closed:
            days = ", ".join(day_label(d) for d in result.also_closed)
            text.append(" " + _("Also closed: {days}.").format(days=days))
        text.append(" " + _("Now showing {day}.").format(day=day_label(self.day)))
        self._message(text)
        self.action_show_tab("tab-x")

    def _reset_count(self) -> None:
        for value in closing.COINS_AND_NOTES:
            self.query_one(f"#coin-{value}", Input).value = ""
        total = self.query_one("#count-total", Input)
        total.disabled = False
        total.value = ""

    # -- past Z ------------------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "past-z":
            return
        event.stop()
        z = self.z_rows.get(str(event.row_key.value))
        if z is not None:
            self.app.push_screen(ZDetailScreen(z))

    # -- keys -----------------------------------------------------------------------------------
    def action_show_tab(self, tab: str) -> None:
        if self.denied is not None:
            return
        tabs = self.query_one("#closing-tabs", TabbedContent)
        if tab == "tab-x" and tabs.active == "tab-x":
            self.refresh_live()
        tabs.active = tab
        self.call_after_refresh(self._focus_tab, tab)

    def _focus_tab(self, tab: str) -> None:
        target = {"tab-x": "#x-scroll", "tab-hours": "#hours-scroll", "tab-cash": "#count-total",
                  "tab-z": "#past-z"}[tab]
        widget = self.query_one(target)
        if widget.disabled:
            widget = self.query_one(f"#coin-{closing.COINS_AND_NOTES[0]}", Input)
        widget.focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id in ("tab-x", "tab-hours") and self.data is not None:
            self.refresh_live()

    def action_export_csv(self) -> None:
        if self.denied is not None or self.data is None:
            return
        try:
            path = export_summary_csv(self.ctx, self.data, self.day)
        except PosError as exc:
            self._message(exc.message, error=True)
            return
        self._message(_("Summary exported to {path}").format(path=path))

    def action_print_report(self) -> None:
        """F10: the live X of the day shown, on the receipt printer."""
        if self.denied is not None or not self.day:
            return
        from pos_tui.services.printing import x_doc_id

        self.app.print_receipt("x", x_doc_id(self.day))

    def action_back(self) -> None:
        self.app.pop_screen()
