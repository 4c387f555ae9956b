"""Login: pick a user, type the PIN."""

from __future__ import annotations

from textual.app import ComposeResult
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


class LoginScreen(PosScreen):
    """Arrow keys pick the user, Enter goes to the PIN, Enter logs in."""

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
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#login-pin", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#login-users", OptionList)
        error = self.query_one("#login-error", Static)
        if options.highlighted is None:
            error.update(_("Pick a user first."))
            return
        name = options.get_option_at_index(options.highlighted).id
        pin_input = self.query_one("#login-pin", Input)
        try:
            user = auth.login(self.till.store, name, event.value, self.till.terminal)
        except PosError as exc:
            error.update(exc.message)
            pin_input.value = ""
            self.app.bell()
            return
        self.post_message(LoggedIn(user))
