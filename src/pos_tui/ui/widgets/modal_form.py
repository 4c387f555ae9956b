"""The one dialog pattern of the app: a box in the middle of the screen, its fields, an error line,
a hint or buttons; Enter moves to the next field and submits on the last one, Escape cancels.

Subclasses say what goes in the box (:meth:`ModalForm.compose_form`) and what Enter on the last
field does (:meth:`ModalForm.submit`); a refusal is shown with :meth:`ModalForm.show_error` and
nothing closes.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from pos_tui.domain.errors import PosError
from pos_tui.domain.rights import Right
from pos_tui.i18n import N_, _
from pos_tui.ui.till import TillAccess

ResultT = TypeVar("ResultT")


class ModalForm(TillAccess, ModalScreen[ResultT]):
    """A centred dialog box. Class settings: ``BOX_ID`` (the box's id, styled by the screen's CSS),
    ``ERROR_ID`` (an error line, or none), ``CANCEL_RESULT`` (what Escape answers)."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]
    DEFAULT_CSS = """
    ModalForm { align: center middle; }
    ModalForm > .modal-box {
        width: 60; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 1; border: thick $primary; background: $surface;
    }
    ModalForm > .modal-box Input { margin: 0; }
    ModalForm .modal-error { height: auto; }
    ModalForm .modal-hint { color: $text-muted; }
    ModalForm .modal-buttons { height: auto; }
    """

    BOX_ID: ClassVar[str] = ""
    ERROR_ID: ClassVar[str] = ""
    CANCEL_RESULT: ClassVar[object] = None

    def border_label(self) -> str:
        """The title written in the box's border (none by default)."""
        return ""

    def hint(self) -> str:
        """The key hint under the fields (none by default)."""
        return ""

    def compose_form(self) -> ComposeResult:
        """The box's content above the error line."""
        yield from ()

    def compose_buttons(self) -> ComposeResult:
        """Buttons under the error line (none by default)."""
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(id=self.BOX_ID or None, classes="modal-box"):
            yield from self.compose_form()
            if self.ERROR_ID:
                yield Static("", id=self.ERROR_ID, classes="error modal-error")
            hint = self.hint()
            if hint:
                yield Static(hint, id=f"{self.BOX_ID.removesuffix('-box')}-hint", classes="modal-hint")
            yield from self.compose_buttons()

    def on_mount(self) -> None:
        label = self.border_label()
        if label:
            self.query_one(".modal-box").border_title = label
        self.focus_first()

    def focus_first(self) -> None:
        """The first field takes the focus (subclasses may pick another widget)."""
        fields = self.query(Input)
        if fields:
            fields.first().focus()

    # -- behaviour ------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        fields = list(self.query(Input))
        if event.input in fields and event.input is not fields[-1]:
            fields[fields.index(event.input) + 1].focus()
            return
        self.submit()

    def show_error(self, message: str) -> None:
        """Say why nothing happened; the dialog stays open."""
        self.query_one(f"#{self.ERROR_ID}", Static).update(message)
        self.app.bell()

    def submit(self) -> None:
        """Enter on the last field."""

    def action_cancel(self) -> None:
        self.dismiss(self.CANCEL_RESULT)


class ManagerModal(ModalForm[bool]):
    """A manager's settings dialog: Save and Cancel buttons, Ctrl+S or Enter saves; the box says at
    once when the user lacks the right (the service refuses anyway)."""

    BINDINGS = [Binding("ctrl+s", "save", N_("Save"))]
    DEFAULT_CSS = """
    ManagerModal > .modal-box { width: 72; padding: 0 2; }
    ManagerModal .title { margin-bottom: 0; }
    ManagerModal Input { width: 20; }
    ManagerModal .hint { color: $text-muted; }
    ManagerModal .modal-buttons { margin-top: 1; }
    ManagerModal .modal-buttons Button { margin-right: 2; }
    """
    CANCEL_RESULT = False
    RIGHT: ClassVar[Right] = Right.MANAGE_SETTINGS

    def compose_buttons(self) -> ComposeResult:
        with Horizontal(classes="buttons modal-buttons"):
            yield Button(_("Save"), id="save", variant="primary")
            yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        try:
            self.till.ctx.require(self.RIGHT)
        except PosError as exc:
            self.query_one(f"#{self.ERROR_ID}", Static).update(exc.message)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def submit(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Save, then ``self.dismiss(True)``; on a refusal ``self.show_error(...)``."""
