"""The closing screen's dialogs: the Z's confirmation, the frozen figures of a past Z, and the CSV
export both offer."""

from __future__ import annotations

import json
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from pos_tui.domain.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.services import closing
from pos_tui.services.exports import default_export_path, write_export
from pos_tui.ui.format import closed_label, coin_label, day_label, difference_text, money
from pos_tui.ui.screens.confirm import ConfirmScreen
from pos_tui.ui.widgets.summary import SummaryView
from pos_tui.ui.screens.base import PosScreen
from pos_tui.ui.messages import PrintReceipt


def export_summary_csv(ctx, data: dict, day: str, path: Path | None = None) -> Path:
    """Write the summary as CSV (default: in the user's documents folder); returns the file's path."""
    # export_summary checks the export right and journals the export, once the file could be opened
    return write_export(path or summary_export_path(day), lambda: closing.export_summary(ctx, data))


def summary_export_path(day: str) -> Path:
    return default_export_path(f"pos-tui-summary-{day}.csv")


def ask_summary_path(app, day: str, then) -> None:
    """Ctrl+E: ask where to write the summary (issue 14), then ``then(path)``; Esc writes nothing."""
    from pos_tui.ui.screens.account_dialogs import SavePathScreen

    app.push_screen(SavePathScreen(_("Export the summary (CSV)"), summary_export_path(day)),
                    callback=lambda path: then(path) if path is not None else None)



class CloseDayConfirmScreen(ConfirmScreen, inherit_bindings=False):
    """Yes / no before a Z, with the expected and counted cash; "no" is focused, so a stray Enter
    closes nothing."""

    HELP_TITLE = N_("Close the day (Z)")

    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes")),
        Binding("n", "answer(False)", N_("No")),
        Binding("escape", "answer(False)", N_("Cancel")),
    ]
    CSS_PATH = ["confirm.tcss", "closing_dialogs.tcss"]
    BOX_ID = "z-confirm-box"
    ID_PREFIX = "z-confirm"

    def __init__(self, day: str, expected: int, counted: int | None) -> None:
        super().__init__(_("Close the day {day} (Z)?").format(day=day_label(day, "full")))
        self.day, self.expected, self.counted = day, expected, counted

    def yes_label(self) -> str:
        return _("Yes, close (y)")

    def compose_form(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column()
        table.add_column(justify="right")
        table.add_row(_("Expected cash"), money(self.expected))
        table.add_row(_("Counted"), money(self.counted) if self.counted is not None else Text(_("not counted"),
                                                                                               style="dim"))
        table.add_row(_("Difference"),
                      difference_text(None if self.counted is None else self.counted - self.expected))
        yield Static(self.question, id="z-confirm-title")
        yield Static(_("This is irreversible: nothing can be added to a closed day."), id="z-confirm-warning")
        yield Static(table, id="z-confirm-figures")


class ZDetailScreen(PosScreen):
    """The frozen figures of one Z, drawn by the same renderer as the live X."""

    HELP_TITLE = N_("Past Z")

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("escape", "back", N_("Back")),
        Binding("f10", "print_report", N_("Print")),
        Binding("ctrl+e", "export_csv", N_("Export CSV"), priority=True),
    ]
    CSS_PATH = "closing_dialogs.tcss"

    def __init__(self, z: dict) -> None:
        super().__init__()
        self.z = z

    def compose(self) -> ComposeResult:
        z = self.z
        yield Header()
        title = _("Z n° {number} · {day} · closed {at} by {user}").format(
            number=z["number"], day=day_label(z["business_day"], "full"),
            at=closed_label(z["closed_at"], z["business_day"]), user=z.get("user_name") or "—")
        if z.get("store_code"):  # several stores: this Z is one store's
            title = _("Store {code}").format(code=z["store_code"]) + " · " + title
        yield Static(title, id="z-detail-title")
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


    def action_print_report(self) -> None:
        """F10: this Z's frozen figures on the receipt printer (a copy after the first: DUPLICATA)."""
        self.post_message(PrintReceipt("z", self.z["number"]))

    def action_export_csv(self) -> None:
        ask_summary_path(self.app, self.z["business_day"], self._export_to)

    def _export_to(self, path: Path) -> None:
        message = self.query_one("#z-detail-message", Static)
        try:
            path = export_summary_csv(self.till.ctx, self.z["figures"], self.z["business_day"], path)
        except PosError as exc:
            message.set_class(True, "error")
            message.update(exc.message)
            return
        message.set_class(False, "error")
        message.update(_("Summary exported to {path}").format(path=path))
