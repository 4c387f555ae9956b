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
        self._shown: tuple | None = None  # what the key widgets show (None: not composed yet)

    def bindings_changed(self, screen) -> None:
        self._keys_changed = True
        if self._bindings_ready and not screen.is_current:
            # A screen being left (or hidden behind another): its keys are rebuilt, if they changed, when it is
            # shown again (that resume changes them once more). Rebuilt here, it cost ~25 ms of each F9.
            return
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        if not self._keys_changed:  # an earlier queued rebuild already showed these keys
            return
        self._keys_changed = False
        # Showing a screen again (F9 after F2) or moving the focus "changes" the keys without changing what the
        # footer shows: rebuilding the same keys laid out the whole screen once more.
        if self._bindings_ready and self._keys() == self._shown:
            return
        await super().recompose()

    def _keys(self) -> tuple:
        """What ``Footer.compose`` draws from the screen's active keys (their words follow the language)."""
        app = self.app
        return tuple((key, app.get_key_display(binding), binding.description, binding.action, enabled, tooltip,
                      binding.show, id(binding.group))
                     for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                     if binding.show or binding.action == "command_palette") + (self.show_command_palette,)

    def compose(self) -> ComposeResult:
        self._shown = self._keys() if self._bindings_ready else None
        # Each key gets the compact look's class before it is styled: set by its watcher once mounted, the
        # class restyled every key a second time.
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.set_class(self.compact, "-compact", update=False)
            yield widget
