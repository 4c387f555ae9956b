"""Textual's footer, rebuilt once however many times the keys changed before it got to it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    """A ``Footer`` that skips the rebuilds queued behind one that already showed the current keys.

    Textual queues one full rebuild of the footer (every key widget composed and styled again) for each
    change of the screen's keys: opening a screen changes them five to seven times in a row (two resumes,
    focus moves, a tab shown), all queued to run after the same refresh. The first rebuild reads the
    latest keys; the others would draw the same keys again (issue 17: ~25 ms each on F9).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._keys_changed = True

    def bindings_changed(self, screen) -> None:
        self._keys_changed = True
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        if not self._keys_changed:  # an earlier queued rebuild already showed these keys
            return
        self._keys_changed = False
        await super().recompose()

    def compose(self) -> ComposeResult:
        # Each key gets the compact look's class before it is styled: set by its watcher once mounted, the
        # class restyled every key a second time.
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.set_class(self.compact, "-compact", update=False)
            yield widget
