"""Staff (issue 11): users with role, rights, last login and state; add, rights, PIN, unlock,
deactivate / reactivate (never delete). The rules (rights, last manager, journal) live in
``services.staff``; this screen only asks and shows.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, RadioButton, RadioSet, SelectionList, Static
from textual.widgets.selection_list import Selection

from pos_tui.domain.errors import PosError
from pos_tui.domain.rights import PRESETS, RIGHT_LABELS, Right
from pos_tui.i18n import N_, _
from pos_tui.services import staff
from pos_tui.ui.format import cell, moment_text
from pos_tui.ui.screens.base import PosScreen
from pos_tui.ui.widgets.modal_form import ModalForm


class AddUserScreen(ModalForm[int | None]):
    """Name, PIN twice, preset (cashier / manager); the rights dialog follows."""

    BINDINGS = [Binding("ctrl+s", "save", N_("Save"))]
    CSS_PATH = "staff.tcss"
    BOX_ID, ERROR_ID = "user-box", "user-error"

    def border_label(self) -> str:
        return _("New user")

    def hint(self) -> str:
        return _("Enter: next / save · arrows: preset · Esc: cancel")

    def compose_form(self) -> ComposeResult:
        yield Input(placeholder=_("Name"), id="user-name", max_length=40)
        yield Input(placeholder=_("PIN (4 to 8 digits, 6 for a manager)"), id="user-pin", password=True,
                    max_length=8, restrict=r"\d*")
        yield Input(placeholder=_("PIN again"), id="user-pin2", password=True, max_length=8, restrict=r"\d*")
        with RadioSet(id="user-role"):
            yield RadioButton(_("cashier"), value=True, id="role-cashier")
            yield RadioButton(_("manager"), id="role-manager")

    def submit(self) -> None:
        self.action_save()

    def on_key(self, event) -> None:
        if event.key == "enter" and isinstance(self.focused, RadioSet):
            event.stop()
            self.action_save()

    def action_save(self) -> None:
        name = self.query_one("#user-name", Input).value
        pin = self.query_one("#user-pin", Input).value
        if pin != self.query_one("#user-pin2", Input).value:
            self.show_error(_("The two PINs differ."))
            return
        role = "manager" if self.query_one("#role-manager", RadioButton).value else "cashier"
        try:
            user = staff.add_user(self.till.ctx, name, pin, role)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(user.id)


class RightsScreen(ModalForm[bool]):
    """Tick or untick each right (Space); c / m load the cashier / manager preset; Ctrl+S saves."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("c", "preset('cashier')", N_("Cashier preset"), show=False),  # the hint says c / m
        Binding("m", "preset('manager')", N_("Manager preset"), show=False),
        Binding("enter", "save", N_("Save"), show=False, priority=True),  # the list would toggle on Enter
    ]
    CSS_PATH = "staff.tcss"
    BOX_ID, ERROR_ID = "rights-box", "rights-error"
    CANCEL_RESULT = False

    def __init__(self, row: staff.StaffRow) -> None:
        super().__init__()
        self.row = row

    def border_label(self) -> str:
        return _("Rights of {name}").format(name=self.row.name)

    def hint(self) -> str:
        return _("Space: tick · c / m: cashier / manager preset · Enter: save · Esc: cancel")

    def compose_form(self) -> ComposeResult:
        yield SelectionList[str](*[Selection(_(RIGHT_LABELS[r]), r.value, r in self.row.rights) for r in Right],
                                 id="rights-list")

    def focus_first(self) -> None:
        self.query_one("#rights-list", SelectionList).focus()

    def action_preset(self, role: str) -> None:
        chosen = self.query_one("#rights-list", SelectionList)
        chosen.deselect_all()
        for right in PRESETS[role]:
            chosen.select(right.value)

    def action_save(self) -> None:
        rights = {Right(v) for v in self.query_one("#rights-list", SelectionList).selected}
        try:
            staff.set_rights(self.till.ctx, self.row.id, rights)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(True)


class PinScreen(ModalForm[bool]):
    """A new PIN typed twice (it also unlocks the user)."""

    CSS_PATH = "staff.tcss"
    BOX_ID, ERROR_ID = "pin-box", "pin-error"
    CANCEL_RESULT = False

    def __init__(self, row: staff.StaffRow) -> None:
        super().__init__()
        self.row = row

    def border_label(self) -> str:
        return _("New PIN for {name}").format(name=self.row.name)

    def hint(self) -> str:
        return _("Enter: next / save · Esc: cancel")

    def compose_form(self) -> ComposeResult:
        yield Input(placeholder=_("New PIN"), id="pin-new", password=True, max_length=8, restrict=r"\d*")
        yield Input(placeholder=_("New PIN again"), id="pin-again", password=True, max_length=8, restrict=r"\d*")

    def submit(self) -> None:
        pin = self.query_one("#pin-new", Input).value
        if pin != self.query_one("#pin-again", Input).value:
            self.show_error(_("The two PINs differ."))
            return
        try:
            staff.reset_pin(self.till.ctx, self.row.id, pin)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(True)


def state_text(row: staff.StaffRow) -> str:
    if not row.active:
        return _("inactive")
    return _("locked") if row.locked else _("active")


STAFF_POLL_S = 5.0


class StaffScreen(PosScreen):
    """Every user, active first; keys act on the highlighted one."""

    HELP_TITLE = N_("Staff")

    BINDINGS = [
        Binding("ctrl+n", "add", N_("Add")),
        Binding("r", "rights", N_("Rights")),
        Binding("p", "pin", N_("PIN")),
        Binding("u", "unlock", N_("Unlock")),
        Binding("d", "toggle_active", N_("Deactivate/reactivate"), show=False),
        Binding("escape", "back", N_("Back")),
    ]
    CSS_PATH = "staff.tcss"

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="staff-list", cursor_type="row", zebra_stripes=True)
        yield Static("", id="staff-rights")
        yield Static("", id="staff-error", classes="error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_session(_("Staff"))
        table = self.query_one("#staff-list", DataTable)
        for key, label, width in (("name", _("Name"), 16), ("role", _("Role"), 12), ("state", _("State"), 11),
                                  ("login", _("Last login"), 18), ("rights", _("Rights"), 7)):
            table.add_column(label, key=key, width=width)
        table.focus()
        self.refresh_staff()
        # Another terminal (or a PIN dialog here) may lock a user meanwhile: the list follows the database.
        self.set_interval(STAFF_POLL_S, self.poll_staff)

    def on_screen_resume(self) -> None:
        self.poll_staff()  # back from a dialog (rights, PIN, a manager's PIN typed wrong...)

    def poll_staff(self) -> None:
        """Re-read the users; redraw only when something changed (the cursor stays on its user)."""
        try:
            rows = staff.list_staff(self.till.ctx)
        except PosError:
            return
        if rows != getattr(self, "rows", None):
            row = self.highlighted()
            self.refresh_staff(keep=row.id if row else None)

    def show_error(self, message: str) -> None:
        self.query_one("#staff-error", Static).update(message)
        if message:
            self.app.bell()

    def refresh_staff(self, keep: int | None = None) -> None:
        table = self.query_one("#staff-list", DataTable)
        table.clear()
        try:
            self.rows = staff.list_staff(self.till.ctx)
        except PosError as exc:  # no right: say it at once, show nothing
            self.rows = []
            self.show_error(exc.message)
            return
        for row in self.rows:
            style = "dim" if not row.active else "bold red" if row.locked else ""
            table.add_row(cell(row.name, style=style or "bold"), cell(_(row.role), style=style),
                          cell(state_text(row), style=style), cell(moment_text(row.last_login) or _("never"), style=style),
                          cell(f"{len(row.rights)}/{len(Right)}", justify="right", style=style), key=str(row.id))
        ids = [r.id for r in self.rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        self.show_rights()

    def highlighted(self) -> staff.StaffRow | None:
        table = self.query_one("#staff-list", DataTable)
        if not table.row_count:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((r for r in self.rows if str(r.id) == row_key.value), None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_rights()

    def show_rights(self) -> None:
        row = self.highlighted()
        text = ""
        if row is not None:
            text = _("Rights of {name}").format(name=row.name) + ": " + (
                ", ".join(_(RIGHT_LABELS[r]) for r in Right if r in row.rights) or "—")
        self.query_one("#staff-rights", Static).update(text)

    def action_add(self) -> None:
        self.app.push_screen(AddUserScreen(), self._added)

    def _added(self, user_id: int | None) -> None:
        if user_id is None:
            return
        self.show_error("")
        self.refresh_staff(keep=user_id)
        row = self.highlighted()
        self.app.notify(_("User {name} added.").format(name=row.name if row else ""))
        if row is not None:  # then the per-right toggles, from the preset
            self.app.push_screen(RightsScreen(row), self._saved)

    def _saved(self, saved: bool | None) -> None:
        if saved:
            row = self.highlighted()
            self.show_error("")
            self.refresh_staff(keep=row.id if row else None)
            self.app.notify(_("Saved."))

    def action_rights(self) -> None:
        row = self.highlighted()
        if row is not None:
            self.app.push_screen(RightsScreen(row), self._saved)

    def action_pin(self) -> None:
        row = self.highlighted()
        if row is not None:
            self.app.push_screen(PinScreen(row), self._saved)

    def _act(self, call, message: str) -> None:
        row = self.highlighted()
        if row is None:
            return
        try:
            call(row)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.show_error("")
        self.refresh_staff(keep=row.id)
        self.app.notify(message.format(name=row.name))

    def action_unlock(self) -> None:
        self._act(lambda row: staff.unlock(self.till.ctx, row.id), _("{name} is unlocked."))

    def action_toggle_active(self) -> None:
        row = self.highlighted()
        if row is None:
            return
        if row.active:
            self._act(lambda r: staff.set_active(self.till.ctx, r.id, False), _("{name} is deactivated."))
        else:
            self._act(lambda r: staff.set_active(self.till.ctx, r.id, True), _("{name} is active again."))

