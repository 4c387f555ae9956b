"""The base of every full screen: the till accessor, the session subtitle, and Esc."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import Screen

from pos_tui.ui.messages import Back
from pos_tui.ui.till import TillAccess


ResultT = TypeVar("ResultT")


class PosScreen(TillAccess, Screen[ResultT]):
    """A full screen of the app, either a top-level screen (a mode's base) or one opened on top."""

    def show_session(self, title: str = "") -> None:
        """``Sale · Terminal 1 · Marie`` under the shop's name."""
        label = self.till.session_label()
        self.sub_title = f"{title} · {label}" if title else label

    @property
    def is_top_level(self) -> bool:
        """True for the base screen of a mode (lookup, sale, closing, receipts)."""
        stack = self.app.screen_stack
        return bool(stack) and stack[0] is self

    def action_back(self) -> None:
        """Esc: close a screen opened on top of another; on a top-level screen, back to the one
        shown before."""
        if self.is_top_level:
            self.post_message(Back())
        elif self.app.screen is self:
            self.app.pop_screen()
