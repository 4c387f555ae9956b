"""The closing screen's "Months and years" tab (F11, issue 15): the monthly and yearly closings, frozen
and signed, with their grand totals; F10 prints the selected one, Ctrl+A archives its period (the
screen's keys, so the help lists them), and a manager picks the first month of the fiscal year."""

from __future__ import annotations

from babel.dates import get_month_names
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, Select, Static

from pos_tui.domain.errors import PosError
from pos_tui.domain.money import format_money
from pos_tui.i18n import _, format_moment, locale
from pos_tui.services import archive, periods


class PeriodClosingsPane(Vertical):
    """A list of the monthly and yearly closings, newest first."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: dict[str, dict] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="fiscal-year-row"):
            yield Label(_("Fiscal year starts in"))
            yield Select([(_month(m), m) for m in range(1, 13)],
                         allow_blank=False, id="fiscal-year-start", compact=True)
        yield DataTable(id="periods-table", cursor_type="row", zebra_stripes=True)
        yield Static(_("A month is closed with the Z of its last day (or the first Z after it). "
                       "F10: print the selected closing · Ctrl+A: archive its period (managers)"),
                     id="periods-hint")

    def on_mount(self) -> None:
        table = self.query_one("#periods-table", DataTable)
        for key, header in (("kind", _("Closing")), ("period", _("Period")), ("z", _("Z")),
                            ("total", _("Period total")), ("perpetual", _("Perpetual total")),
                            ("closed", _("Closed at"))):
            table.add_column(header, key=key)
        select = self.query_one("#fiscal-year-start", Select)
        with select.prevent(Select.Changed):
            select.value = periods.fiscal_year_start_month(self.app.store)
        self.refresh_rows()

    def refresh_rows(self) -> None:
        table = self.query_one("#periods-table", DataTable)
        if not table.columns:  # not mounted yet: on_mount fills it
            return
        table.clear()
        self.rows = {str(r["id"]): r for r in periods.recent(self.app.store)}
        for key, row in self.rows.items():
            if row["kind"] == "month":
                kind, period = _("Month n° {number}").format(number=row["number"]), row["period"]
            else:
                kind = _("Year n° {number}").format(number=row["number"])
                period = f"{row['day_from'][:7]} → {row['day_to'][:7]}"
            table.add_row(Text(kind), Text(period), Text(str(row["z_count"]), justify="right"),
                          _amount(row["period_total"]), _amount(row["perpetual_total"]),
                          Text(format_moment(row["closed_at"])), key=key)
        if not table.row_count:
            table.add_row(Text(_("none yet"), style="dim"), "", "", "", "", "")

    def selected(self) -> dict | None:
        table = self.query_one("#periods-table", DataTable)
        if not self.rows or table.cursor_row is None or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return self.rows.get(str(key))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "fiscal-year-start" or event.value == periods.fiscal_year_start_month(self.app.store):
            return
        event.stop()
        try:
            periods.set_fiscal_year_start_month(self.app.ctx, int(event.value))
        except PosError as exc:
            with event.select.prevent(Select.Changed):
                event.select.value = periods.fiscal_year_start_month(self.app.store)
            self.app.notify(exc.message, severity="error")
            return
        self.app.notify(_("The fiscal year now starts in {month}.").format(month=_month(int(event.value))))

    def print_selected(self) -> None:
        row = self.selected()
        if row is None:
            self.app.notify(_("No closing selected."), severity="warning")
            return
        self.app.print_receipt("period", row["id"])

    def archive_selected(self) -> None:
        row = self.selected()
        if row is None:
            self.app.notify(_("No closing selected."), severity="warning")
            return
        period = row["period"] if row["kind"] == "month" else row["day_from"][:4]
        try:
            written = archive.export(self.app.ctx, period, archive.default_folder(self.app.store))
        except PosError as exc:
            self.app.notify(exc.message, severity="error")
            return
        except OSError as exc:
            self.app.notify(_("Cannot write the archive: {reason}").format(reason=exc.strerror or exc),
                            severity="error")
            return
        # The same words as `pos-tui archive` (an archive of a closed period holds many records).
        self.app.notify(_("Archive of {period} ({start} → {end}) written to {file}: {n} records.").format(
            period=written.period, start=written.day_from, end=written.day_to, file=written.path,
            n=written.records), timeout=10)


def _month(number: int) -> str:
    return get_month_names("wide", locale=locale())[number].capitalize()


def _amount(cents: int) -> Text:
    return Text(format_money(cents, locale()), justify="right")
