"""Day summary and closing (F9, SPEC §8, issue 7): the live X, sales per hour, the cash drawer
(float, cash in / out, the count), the Z behind a confirmation, and the past Z with their frozen figures.

The summary itself is drawn by ``ui.widgets.summary`` (the same renderer for the X and every Z).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import (Button, DataTable, Header, Input, Label, Select, Static, TabbedContent,
                             TabPane)

from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_amount, parse_money
from pos_tui.domain.rights import Right
from pos_tui.i18n import N_, _, locale
from pos_tui.lazy import lazy_module
from pos_tui.services import closing, printing, stores
from pos_tui.ui.format import (amount_cell, cell, closed_label, coin_label, day_label, difference_text, money,
                               time_text)
from pos_tui.ui.screens.closing_dialogs import CloseDayConfirmScreen, ZDetailScreen, ask_summary_path, export_summary_csv
from pos_tui.ui.widgets.footer import KeysFooter
from pos_tui.ui.widgets.summary import SummaryView, hour_chart
from pos_tui.ui.screens.base import PosScreen
from pos_tui.ui.messages import PrintReceipt, ReceiptReady

# The months and years tab (and Babel's month names, the archive service) load when that tab is first shown.
closing_periods = lazy_module("pos_tui.ui.screens.closing_periods")
LAZY_TABS = ("tab-cash", "tab-z", "tab-periods")  # composed when first shown, not when F9 opens the screen
MOVEMENT_KINDS = (("float", N_("Opening float")), ("in", N_("Cash in")), ("out", N_("Cash out")))


class ClosingScreen(PosScreen):
    """X (live), sales per hour, the cash drawer and count, the Z, and the past Z."""

    HELP_TITLE = N_("Closing")

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    AUTO_FOCUS = "#x-scroll"  # focused as the screen is first shown (a focus moved later rebuilds the footer)
    BINDINGS = [
        Binding("escape", "back", N_("Back")),
        # The tabs' titles name their keys: the footer keeps its room for the actions.
        Binding("f5", "show_tab('tab-x')", N_("X"), show=False),
        Binding("f6", "show_tab('tab-hours')", N_("Hours"), show=False),
        Binding("f7", "show_tab('tab-cash')", N_("Cash"), show=False),
        Binding("f8", "show_tab('tab-z')", N_("Past Z"), show=False),
        Binding("f11", "show_tab('tab-periods')", N_("Months and years"), show=False),
        Binding("f12", "close_day", N_("Close Z")),
        Binding("f10", "print_report", N_("Print")),
        Binding("ctrl+e", "export_csv", N_("CSV"), priority=True),
        Binding("ctrl+a", "archive", N_("Archive"), tooltip=N_("Archive the selected period (Months and years tab)")),
    ]
    # The screen's rules load with the screen's class (default CSS), not as an app stylesheet (CSS_PATH): reading
    # a CSS_PATH on F9 re-parsed every stylesheet of the app and restyled the screen being left (issue 17).
    DEFAULT_CSS = Path(__file__).with_name("closing.tcss").read_text(encoding="utf-8")

    def __init__(self) -> None:
        super().__init__()
        self.denied: str | None = None
        self.day = ""
        self.data: dict | None = None
        self.z_rows: dict[str, dict] = {}
        self._suspended = False  # another screen was shown over or instead of this one since the last X
        self._stale = False  # the X was read while the screen was not shown (built in the background by the app)
        self.prebuilt = False  # built in the background before F9 (PosApp._prebuild_when_idle)
        self._tab_shown = "tab-x"  # the tab whose activation is already up to date
        self._store_code = ""  # the till's store code when the company has several stores
        self._building: dict[str, asyncio.Event] = {}  # lazy tabs whose widgets are being (or were) mounted
        self._built: set[str] = set()  # lazy tabs mounted and filled: their widgets can be queried
        self._styled_as: tuple | None = None  # what the styling depended on when the screen was last styled
        self._painted_on_show = False  # switch_mode has laid out and painted the screen it is showing
        # Opening F9 fast (issue 17). The width class Textual adds on the first resize, set before the widgets
        # are styled: added after, it restyled the whole screen once more.
        width = self.app.size.width
        self.add_class(max((b for b in self.HORIZONTAL_BREAKPOINTS if b[0] <= width), default=(0, "-narrow"))[1])
        # A new screen is styled as its widgets mount, with the stylesheet as it is then: Textual 8.2.8 (pinned)
        # still counts it as behind every CSS change and re-parsed the app's whole stylesheet twice on F9.
        self._css_update_count = getattr(self.app, "_css_update_count", -1)

    # -- layout -------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        try:
            self.till.ctx.require(Right.DAY_CLOSING)
        except PosError as exc:
            self.denied = exc.message
        yield Header()
        if self.denied is not None:
            yield Static(self.denied, id="closing-denied", classes="error")
            yield KeysFooter(compact=True)
            return
        # The X is read once per open (issue 17) and composed with its figures: nothing is drawn twice.
        self._read_x()
        self._stale = self.app.screen is not self  # built before F9: shown, it reads the X again
        with TabbedContent(id="closing-tabs", initial="tab-x"):
            with TabPane(_("X (live)") + " F5", id="tab-x"):
                yield Static(self._day_title(), id="x-day", classes="closing-day")
                with VerticalScroll(id="x-scroll", classes="closing-scroll"):
                    yield SummaryView(self.data, id="x-summary")
            with TabPane(_("Per hour") + " F6", id="tab-hours"):
                yield Static(self._hours_title(), id="hours-day", classes="closing-day")
                with VerticalScroll(id="hours-scroll", classes="closing-scroll"):
                    yield Static(hour_chart(self.data["per_hour"]), id="hours-chart")
            # Built on their first showing (issue 17): F9 composes and styles only the X and the chart.
            yield TabPane(_("Cash") + " F7", id="tab-cash")
            yield TabPane(_("Past Z") + " F8", id="tab-z")
            yield TabPane(_("Months and years") + " F11", id="tab-periods")
        yield Static("", id="closing-message")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        if self.denied is not None:
            return
        self.set_interval(60, self._tick)

    def _tick(self) -> None:
        # Only a shown X is kept live: a screen behind another reads it again when shown (on_screen_resume).
        if self.app.screen is self:
            self.refresh_live()

    def _tab_widgets(self, tab: str) -> list[Widget]:
        """The widgets of a tab built on its first showing (the X and the chart are composed with the screen)."""
        if tab == "tab-periods":
            return [closing_periods.PeriodClosingsPane(id="periods-pane")]
        if tab == "tab-z":
            return [DataTable(id="past-z", cursor_type="row", zebra_stripes=True),
                    Static(_("Enter: the figures of the Z"), id="past-z-hint")]
        coins = [Horizontal(Label(coin_label(value)),
                            Input(placeholder="0", id=f"coin-{value}", type="integer", compact=True, max_length=5),
                            classes="coin")
                 for value in closing.COINS_AND_NOTES]
        return [
            VerticalScroll(
                Static("", id="cash-day", classes="closing-day"),
                Static(_("Cash movements"), classes="cash-section"),
                Horizontal(
                    Select([(_(label), kind) for kind, label in MOVEMENT_KINDS], value="in", allow_blank=False,
                           id="movement-kind"),
                    Input(placeholder=_("Amount"), id="movement-amount"),
                    Input(placeholder=_("Reason"), id="movement-reason", max_length=120),
                    Button(_("Record"), id="movement-record"),
                    id="movement-form"),
                DataTable(id="movement-table", cursor_type="row", zebra_stripes=True),
                Static(_("Cash count"), classes="cash-section"),
                Horizontal(Label(_("Counted total")), Input(placeholder=_("e.g. 312,40"), id="count-total"),
                           Static(_("or count coins and notes:"), id="count-or"), id="count-total-row"),
                Grid(*coins, id="count-coins"),
                Static("", id="count-coins-total"),
                id="cash-scroll"),
            # Outside the scroll: the expected cash, the difference and the Z button stay in sight
            # while the count is typed (80x24 hides the bottom of the scroll).
            Static("", id="closing-error", classes="error"),
            Horizontal(Static("", id="count-status"),
                       Button(_("Close day (Z)") + " · F12", id="close-day", variant="error", compact=True),
                       id="cash-foot"),
        ]

    async def _build_tab(self, tab: str) -> None:
        """Mount a tab's widgets the first time it is shown, then fill them from the X already read."""
        if tab not in LAZY_TABS or self.denied is not None:
            return
        if tab in self._building:  # being built (a key and the tab's activation both ask): wait for it
            await self._building[tab].wait()
            return
        self._building[tab] = done = asyncio.Event()
        await self.query_one(f"#{tab}", TabPane).mount_all(self._tab_widgets(tab))
        self._add_columns(tab)
        self._built.add(tab)
        if tab == "tab-cash":
            self._show_cash()
        elif tab == "tab-z":
            self.refresh_past_z()
        done.set()  # (the months and years pane fills itself as it mounts)

    def _add_columns(self, tab: str) -> None:
        if tab == "tab-cash":
            movements = self.query_one("#movement-table", DataTable)
            for key, header in (("time", _("Time")), ("kind", _("Movement")), ("amount", _("Amount")),
                                ("reason", _("Reason")), ("user", _("By"))):
                movements.add_column(header, key=key)
        elif tab == "tab-z":
            past = self.query_one("#past-z", DataTable)
            for key, header in (("number", _("N°")), ("day", _("Day")), ("closed", _("Closed at")),
                                ("user", _("By")), ("turnover", _("Turnover")), ("expected", _("Expected")),
                                ("counted", _("Counted")), ("difference", _("Diff."))):
                past.add_column(header, key=key)

    def on_screen_suspend(self) -> None:
        self._suspended = True
        self._styled_as = self._style_inputs()

    def _style_inputs(self) -> tuple:
        """What the app-wide styling of this screen depends on beyond its own widgets (whose class and content
        changes restyle them as they happen, shown or not): the stylesheet and theme (Textual 8.2.8 counts their
        changes in App._css_update_count, pinned), the app's classes and pseudo-classes (focus, dark...), the size."""
        app = self.app
        return (getattr(app, "_css_update_count", None), app.classes, app.pseudo_classes, self.classes, app.size)

    def _screen_resized(self, size) -> None:
        # Textual 8.2.8 (pinned; private): switch_mode lays the screen out in full here as it shows it. A layout asked
        # for while the screen was hidden (the background build, the X read just before showing) stayed pending and
        # laid it all out and painted it a second time right after the first paint (~15 ms of F9's CPU).
        laid_out = bool(self.stack_updates and self.is_attached)
        super()._screen_resized(size)
        if laid_out and hasattr(self, "_layout_required"):
            self._layout_required = False
            self._painted_on_show = True

    def _drop_repeated_paint(self) -> None:
        # Screen._on_screen_resume asks for a full repaint of a screen switch_mode has just laid out and painted (see
        # _screen_resized): the same screen was painted twice (~15 ms). What changed since repaints itself.
        if self._painted_on_show and hasattr(self, "_repaint_required"):
            self._repaint_required = False
        self._painted_on_show = False

    def before_show(self) -> None:
        """F9 on a screen built before or shown before (PosApp.go): the X is read before the screen is shown, so its
        first paint has the figures (read on the resume, they were painted twice, the old ones first)."""
        if self.denied is None and self.data is not None and (self._suspended or self._stale):
            self.refresh_live()
            self._suspended = self._stale = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen._on_screen_resume, which restyles every widget of the screen on each showing (~45 ms
        # of a re-open at 120x36). Nothing it depends on changed since the screen was styled: that restyle is skipped.
        if self._styled_as is not None and self._styled_as == self._style_inputs():
            event.refresh_styles = False
        self._styled_as = None
        if self.app.screen is not self:  # the app built it in the background (App._init_mode resumes it): not shown
            self._styled_as = self._style_inputs()  # (styled by this resume, right after this handler)
            self.call_after_refresh(self._paint_unseen)
            return
        self.call_next(self._drop_repeated_paint)  # after Screen._on_screen_resume, before the next refresh
        # F9 computes the X once (issue 17): only a screen shown again after another, or built before F9, re-reads
        # it; on the first showing compose has just read it (Textual may also resume a screen more than once).
        if self.denied is None and self.data is not None and (self._suspended or self._stale):
            self.refresh_live()
        self._suspended = self._stale = False

    def _paint_unseen(self) -> None:
        """Render every widget's lines once while hidden: they are kept until the widget changes, so F9's first
        paint reuses them (the first paint was ~40% of a pre-built F9). Compositor.render_strips (Textual 8.2.8,
        pinned; private) writes nothing to the terminal."""
        render = getattr(self._compositor, "render_strips", None)
        if render is not None and self.app.screen is not self:
            render()
        self.prebuilt = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("show_tab", "close_day", "export_csv", "print_report"):
            return self.denied is None
        if action == "archive":  # the months and years tab only
            return self.denied is None and self._active_tab() == "tab-periods"
        return True

    # -- data ----------------------------------------------------------------------
    def refresh_all(self) -> None:
        self.refresh_live()
        self.refresh_past_z()
        if "tab-periods" in self._built:
            self.query_one(closing_periods.PeriodClosingsPane).refresh_rows()  # a Z may have closed a month or a year

    def refresh_live(self) -> None:
        """Re-read the current business day's X (other terminals may have sold meanwhile)."""
        self._read_x()
        self._update("#x-day", self._day_title())
        self._update("#hours-day", self._hours_title())
        self.query_one("#x-summary", SummaryView).show(self.data)
        self._update("#hours-chart", hour_chart(self.data["per_hour"]))
        if "tab-cash" in self._built:
            self._show_cash()

    def _update(self, selector: str, content: str | Text) -> None:
        """Only what changed is laid out and painted again (re-opening F9 on the same figures: nothing)."""
        static = self.query_one(selector, Static)
        if static.content != content:
            static.update(content)

    def _read_x(self) -> None:
        store = self.till.ctx.store
        self.day = closing.business_day(store)
        self.data = closing.summary(store, self.day)
        self._store_code = stores.shown_code(store)  # several stores: this X is one store's

    def _day_title(self) -> str:
        title = _("Business day {day} · open (live X)").format(day=day_label(self.day, "full"))
        if self._store_code:
            title = _("Store {code}").format(code=self._store_code) + " · " + title
        return title

    def _hours_title(self) -> str:
        return _("Sales per hour") + " · " + day_label(self.day, "full")

    def _show_cash(self) -> None:
        """The cash tab from the X already read: its day, the day's movements, the count against the expected."""
        self._update("#cash-day", self._day_title())
        self._show_movements()
        self._show_count()

    def _show_movements(self) -> None:
        table = self.query_one("#movement-table", DataTable)
        table.clear()
        names = {kind: _(label) for kind, label in MOVEMENT_KINDS}
        for m in closing.cash_movements(self.till.store, self.day):
            table.add_row(time_text(m["created_at"]), cell(names.get(m["kind"], m["kind"])), amount_cell(m["amount"]),
                          cell(m["reason"]), cell(m.get("user_name")), key=str(m["id"]))
        if not table.row_count:
            table.add_row("", cell(_("none")), "", "", "")

    def refresh_past_z(self) -> None:
        if "tab-z" not in self._built:  # read when the tab is first shown
            return
        table = self.query_one("#past-z", DataTable)
        table.clear()
        self.z_rows = {str(z["number"]): z for z in closing.z_list(self.till.ctx.store)}
        for key, z in self.z_rows.items():
            table.add_row(
                Text(str(z["number"]), justify="right"), day_label(z["business_day"]),
                closed_label(z["closed_at"], z["business_day"]),
                cell(z.get("user_name")), amount_cell(z["period_total"]), amount_cell(z["expected_cash"]),
                amount_cell(z["counted"]), amount_cell(z["cash_difference"], signed=True), key=key)

    # -- the count ---------------------------------------------------------------------
    def count_detail(self) -> dict[int, int]:
        """{coin or note in cents: how many} for the coin inputs that hold a number above zero."""
        detail = {}
        if "tab-cash" not in self._built:  # the cash tab was never shown: nothing counted
            return detail
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
        if "tab-cash" not in self._built:
            return None, None
        text = self.query_one("#count-total", Input).value.strip()
        if not text:
            return None, None
        amount = parse_money(text)
        if amount < 0:
            raise PosError("A counted amount cannot be negative.")
        return amount, None

    def _show_count(self) -> None:
        if self.data is None or "tab-cash" not in self._built:
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
        """In the cash tab (when it was built; the errors shown elsewhere also go to the message line)."""
        for widget in self.query("#closing-error").results(Static):
            widget.update(message)

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
            closing.add_cash_movement(self.till.ctx, kind, amount, reason_input.value)
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
            self._switch_tab("tab-cash")  # a bad count: the cash tab exists (its inputs hold it)
            self.app.bell()
            return
        try:  # refused before asking: never a confirmation for a Z the service would then refuse
            day = closing.check_close_day(self.till.ctx, self.day)
        except PosError as exc:
            self._error(exc.message)
            self._message(exc.message, error=True)
            self.app.bell()
            return
        self.app.push_screen(CloseDayConfirmScreen(day, self.data["cash"]["expected"], counted),
                             callback=lambda yes: self._close_confirmed(yes, day, counted, detail))

    def _close_confirmed(self, yes: bool | None, day: str, counted: int | None,
                         detail: dict[int, int] | None) -> None:
        if not yes:
            self._message(_("Day not closed; nothing was written."))
            return
        try:
            result = closing.close_day(self.till.ctx, counted=counted, count_detail=detail or None, day=day)
        except PosError as exc:
            self._error(exc.message)
            self._message(exc.message, error=True)
            self.app.bell()
            return
        self._reset_count()
        self.refresh_all()
        self.post_message(ReceiptReady("z", result.number))  # prints the Z report when the shop auto-prints
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
        self._switch_tab("tab-x")

    def _reset_count(self) -> None:
        if "tab-cash" not in self._built:
            return
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
    async def action_show_tab(self, tab: str) -> None:
        if self.denied is not None:
            return
        await self._build_tab(tab)
        self._switch_tab(tab)

    def _switch_tab(self, tab: str) -> None:
        """Show a tab whose widgets exist, and focus its first field once it is painted."""
        tabs = self.query_one("#closing-tabs", TabbedContent)
        if tab == "tab-x" and tabs.active == "tab-x":
            self.refresh_live()
        tabs.active = tab
        self.call_after_refresh(self._focus_tab, tab)

    def _focus_tab(self, tab: str) -> None:
        target = {"tab-x": "#x-scroll", "tab-hours": "#hours-scroll", "tab-cash": "#count-total",
                  "tab-z": "#past-z", "tab-periods": "#periods-table"}[tab]
        widget = self.query_one(target)
        if widget.disabled:
            widget = self.query_one(f"#coin-{closing.COINS_AND_NOTES[0]}", Input)
        widget.focus()

    def _active_tab(self) -> str:
        return self.query_one("#closing-tabs", TabbedContent).active

    def action_archive(self) -> None:
        """Ctrl+A in the months and years tab: a signed archive of the selected period (managers)."""
        if self.denied is None and self._active_tab() == "tab-periods":
            self.query_one(closing_periods.PeriodClosingsPane).archive_selected()

    async def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        await self._build_tab(event.pane.id)  # a tab clicked with the mouse (the keys build it first)
        shown, self._tab_shown = self._tab_shown, event.pane.id
        if "tab-periods" in (shown, event.pane.id) and shown != event.pane.id:
            self.refresh_bindings()  # Ctrl+A belongs to the months and years tab
        if event.pane.id in ("tab-x", "tab-hours") and self.data is not None and event.pane.id != shown:
            self.refresh_live()  # another tab: fresh figures (not the initial tab, read as the screen composed)

    def action_export_csv(self) -> None:
        if self.denied is not None or self.data is None:
            return
        ask_summary_path(self.app, self.day, self._export_to)

    def _export_to(self, path) -> None:
        try:
            path = export_summary_csv(self.till.ctx, self.data, self.day, path)
        except PosError as exc:
            self._message(exc.message, error=True)
            return
        self._message(_("Summary exported to {path}").format(path=path))

    def action_print_report(self) -> None:
        """F10: the live X of the day shown (or the monthly / yearly closing selected), on the receipt printer."""
        if self.denied is not None or not self.day:
            return
        if self._active_tab() == "tab-periods":
            self.query_one(closing_periods.PeriodClosingsPane).print_selected()
            return
        self.post_message(PrintReceipt("x", printing.x_doc_id(self.day)))

