"""The one yes / no question of the app: "no" has the focus, so a stray Enter does nothing."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from pos_tui.i18n import N_, _
from pos_tui.ui.widgets.modal_form import ModalForm


class ConfirmScreen(ModalForm[bool]):
    """``y`` (or ``o`` for "oui") answers yes; ``n`` and Escape answer no.

    Subclasses (the Z's confirmation) change the ids (``ID_PREFIX``), the body and the yes label."""

    HELP_TITLE = N_("Confirmation")

    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes")),
        Binding("o", "answer(True)", N_("Yes"), show=False),
        Binding("n", "answer(False)", N_("No")),
        Binding("escape", "answer(False)", N_("Cancel")),
    ]
    CSS_PATH = "confirm.tcss"
    BOX_ID = "confirm-box"
    CANCEL_RESULT = False
    ID_PREFIX: ClassVar[str] = "confirm"

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose_form(self) -> ComposeResult:
        yield Static(self.question, id=f"{self.ID_PREFIX}-question")

    def yes_label(self) -> str:
        return _("Yes (y)")

    def compose_buttons(self) -> ComposeResult:
        with Horizontal(id=f"{self.ID_PREFIX}-buttons", classes="confirm-buttons"):
            yield Button(self.yes_label(), id=f"{self.ID_PREFIX}-yes", variant="error")
            yield Button(_("No (n)"), id=f"{self.ID_PREFIX}-no", variant="primary")

    def focus_first(self) -> None:
        self.query_one(f"#{self.ID_PREFIX}-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == f"{self.ID_PREFIX}-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

