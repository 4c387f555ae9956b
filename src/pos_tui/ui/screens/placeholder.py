"""A screen for F3 / F9 until their issues land: says so, Esc goes back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from pos_tui.i18n import _


class NotAvailableScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", _("Back"))]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        yield Header()
        with Middle(), Center():
            yield Static(_("{what}: not available yet.").format(what=self.what), id="not-available")
        yield Footer()
