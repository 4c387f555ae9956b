"""What screens tell the app (and what the app tells the screen on top), as Textual messages: a
screen posts one, it bubbles up to the app, whose ``on_...`` handler acts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from pos_tui.domain.users import User


class LoggedIn(Message):
    """The login screen accepted a PIN."""

    def __init__(self, user: User) -> None:
        super().__init__()
        self.user = user


class ReceiptReady(Message):
    """A business action saved a printable document: Ctrl+O may print it, and the shop may print it
    at once (automatic printing)."""

    def __init__(self, doc_kind: str, doc_id: int) -> None:
        super().__init__()
        self.doc_kind, self.doc_id = doc_kind, doc_id


class PrintReceipt(Message):
    """Print one document now (a copy after the first says DUPLICATA n)."""

    def __init__(self, doc_kind: str, doc_id: int) -> None:
        super().__init__()
        self.doc_kind, self.doc_id = doc_kind, doc_id


class ReceiptPrinted(Message, bubble=False):
    """Sent by the app to the screen on top once a copy went out (previews and lists refresh)."""

    def __init__(self, doc_kind: str, doc_id: int) -> None:
        super().__init__()
        self.doc_kind, self.doc_id = doc_kind, doc_id


class OpenCreditPanel(Message):
    """Open one customer's credit panel (F4 from the card)."""

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id


class SettingsSaved(Message, bubble=False):
    """Sent by the app to the screen on top after a settings dialog saved (e.g. the credit panel
    shows the new debt limit)."""


class Back(Message):
    """Esc on a top-level screen: back to the one shown before."""
