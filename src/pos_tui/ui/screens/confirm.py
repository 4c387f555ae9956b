"""The one yes / no question of the app: "no" has the focus, so a stray Enter does nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from pos_tui.i18n import _


class ConfirmScreen(ModalScreen[bool]):
    """``y`` (or ``o`` for "oui") answers yes; ``n`` and Escape answer no."""

    BINDINGS = [
        Binding("y", "answer(True)", _("Yes")),
        Binding("o", "answer(True)", _("Yes"), show=False),
        Binding("n", "answer(False)", _("No")),
        Binding("escape", "answer(False)", _("Cancel")),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    #confirm-box {
        width: 60; max-width: 100%; height: auto;
        padding: 1 2; border: thick $warning; background: $surface;
    }
    #confirm-question { margin-bottom: 1; }
    #confirm-buttons { height: auto; align-horizontal: center; }
    #confirm-buttons Button { margin: 0 1; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question, id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(_("Yes (y)"), id="confirm-yes", variant="error")
                yield Button(_("No (n)"), id="confirm-no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
