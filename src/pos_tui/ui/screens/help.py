"""F1: the keys of the screen in front (those the footer hides too) and the global ones."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from pos_tui.i18n import N_, _
from pos_tui.ui.keys import KeyRow, key_rows, screen_title


def rows_text(rows: list[KeyRow]) -> str:
    """Two aligned columns, plain text (no markup: a key may be ``[``)."""
    width = max((len(row.keys_text()) for row in rows), default=0)
    return "\n".join(f"{row.keys_text():<{width}}  {row.description_text()}" for row in rows)


class HelpScreen(ModalScreen[None]):
    """Built for the class of the screen it explains; read-only, Esc or F1 closes it."""

    BINDINGS = [Binding("escape", "close", N_("Close"))]
    HELP_TITLE = N_("Help")
    CSS_PATH = "help.tcss"

    def __init__(self, screen_type: type) -> None:
        super().__init__()
        self.screen_type = screen_type

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            with VerticalScroll(id="help-scroll"):
                rows = key_rows(self.screen_type)
                if rows:
                    yield Static(_(screen_title(self.screen_type)), classes="help-title")
                    yield Static(rows_text(rows), id="help-screen-keys", markup=False)
                yield Static(_("Everywhere"), classes="help-title")
                yield Static(rows_text(key_rows(type(self.app))), id="help-global-keys", markup=False)
            yield Static(_("Esc or F1 closes this help."), id="help-hint")

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = _("Keys")
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
