"""Login: pick a user, type the PIN."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from pos_tui.domain.errors import PosError
from pos_tui.domain.rights import ROLE_LABELS
from pos_tui.i18n import N_, _
from pos_tui.services import auth
from pos_tui.services.demo import DEMO_USERS
from pos_tui.ui.screens.base import PosScreen
from pos_tui.ui.messages import LoggedIn
from pos_tui.ui.widgets.keys import keys_drained


class LoginScreen(PosScreen):
    """The first user is highlighted and the PIN field has the focus: type the PIN and Enter.
    Up/Down pick another user; Enter on the list goes to the PIN."""

    BINDINGS = [
        Binding("up", "user(-1)", N_("Previous user"), show=False),
        Binding("down", "user(1)", N_("Next user"), show=False),
    ]

    HELP_TITLE = N_("Login")
    FOOTER_GLOBALS = frozenset({"help", "quit"})

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="login-box"):
            yield Label(_("Who is at the till?"), classes="title")
            yield OptionList(id="login-users")
            yield Input(placeholder=_("PIN"), password=True, id="login-pin", max_length=8, restrict=r"\d*")
            yield Static("", id="login-error", classes="error")
            if self.till.demo:
                hint = " · ".join(_("{name} ({role}) PIN {pin}").format(name=n, role=_(r), pin=p)
                                  for n, p, r in DEMO_USERS)
                yield Static("DEMO — " + hint, id="login-demo-hint", classes="demo")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_session()
        users = auth.list_users(self.till.store)
        options = self.query_one("#login-users", OptionList)
        for user in users:
            label = f"{user.name}  ({_(ROLE_LABELS.get(user.role, user.role))})" + ("  🔒 " + _("locked") if user.locked else "")
            options.add_option(Option(label, id=user.name))
        options.highlighted = 0 if users else None
        self.query_one("#login-pin", Input).focus()  # the PIN can be typed at once

    def action_user(self, step: int) -> None:
        """Up/Down in the PIN field: the user above or below."""
        options = self.query_one("#login-users", OptionList)
        if options.option_count:
            options.highlighted = max(0, min(options.option_count - 1, (options.highlighted or 0) + step))

    def on_key(self, event: events.Key) -> None:
        # A digit typed while the user list has the focus is the start of the PIN.
        pin = self.query_one("#login-pin", Input)
        if self.focused is not pin and event.character and event.character.isdigit() and event.is_printable:
            event.stop()
            event.prevent_default()
            pin.insert_text_at_cursor(event.character)
            if keys_drained(self.focused, self):
                self.set_focus(pin)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        pin = self.query_one("#login-pin", Input)
        if pin.value:  # the PIN was typed on the list: Enter logs in
            self.log_in(pin.value)
        else:
            pin.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.log_in(event.value)

    def log_in(self, pin: str) -> None:
        options = self.query_one("#login-users", OptionList)
        error = self.query_one("#login-error", Static)
        if options.highlighted is None:
            error.update(_("Pick a user first."))
            return
        name = options.get_option_at_index(options.highlighted).id
        pin_input = self.query_one("#login-pin", Input)
        try:
            user = auth.login(self.till.store, name, pin, self.till.terminal)
        except PosError as exc:
            error.update(exc.message)
            pin_input.value = ""
            self.app.bell()
            return
        self.post_message(LoggedIn(user))
