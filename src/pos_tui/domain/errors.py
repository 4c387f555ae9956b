"""The one error type a cashier may see.

A ``PosError`` carries an English message template and its parameters; the
message is translated when it is read, so the domain stays free of any UI.
"""

from __future__ import annotations

from pos_tui.i18n import _


class PosError(Exception):
    """A refused business action, with a message fit for the counter."""

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(template)
        self.template = template
        self.params = params

    @property
    def message(self) -> str:
        # a plural template (ngettext_lazy) translates itself; a plain one is a msgid
        text = self.template if isinstance(self.template, str) else str(self.template)
        return (_(text) if isinstance(self.template, str) else text).format(**self.params)

    def __str__(self) -> str:
        return self.message


class RightDenied(PosError):
    """The user lacks the right for this action."""


class NotFound(PosError):
    """A code, customer, product or user that does not exist."""


class StoreBusy(PosError):
    """The database stayed locked by another terminal past the busy timeout."""
