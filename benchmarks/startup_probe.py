"""One start-up, measured from outside by bench_startup.py: ``app DB`` runs ``pos-tui --db DB`` (the
real command line) up to its login screen, ``bare`` a bare Textual app with the same widgets;
both headless, both exit as soon as their first screen is mounted and painted."""

import os
import sys


def _exit_when_ready(screen_name: str):
    from textual.app import App

    real_run = App.run

    def run(self, *args, **kwargs):
        async def pilot(p):
            while type(p.app.screen).__name__ != screen_name:
                await p.pause(0.005)
            await p.pause()  # one refresh: the screen is painted
            p.app.exit()

        kwargs.update(headless=True, auto_pilot=pilot)
        return real_run(self, *args, **kwargs)

    App.run = run


def bare() -> None:
    from textual.app import App
    from textual.containers import Vertical
    from textual.screen import Screen
    from textual.widgets import Footer, Header, Input, Label, OptionList, Static

    class Login(Screen):
        def compose(self):
            yield Header()
            with Vertical():
                yield Label("Who is at the till?")
                yield OptionList("Marie (manager)", "Paul (cashier)")
                yield Input(placeholder="PIN", password=True)
                yield Static("")
            yield Footer()

    class Bare(App):
        def on_mount(self):
            self.push_screen(Login())

    _exit_when_ready("Login")
    Bare().run()


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        src = os.environ.get("POS_BENCH_SRC") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
        sys.path.insert(0, src)
        _exit_when_ready("LoginScreen")
        from pos_tui.cli import main

        sys.exit(main(["--db", sys.argv[2], "--printer", "none"]))
