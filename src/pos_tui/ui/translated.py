"""Key descriptions and Textual's own words in the user's language, translated when shown.

Class-level text (``BINDINGS`` descriptions) is evaluated once, at import; Textual then copies
those ``Binding`` objects into every screen. So descriptions are written as English source
strings marked with ``N_()`` and translated here, each time the footer, the key panel or the
palette asks a screen for its active bindings: a language switch reaches them, and so do the
descriptions of Textual's own widgets (the palette's, a Select's "Dismiss menu"). Lazy strings
(``_l``) cannot be used there: the footer measures and concatenates descriptions as ``str``.

The same hook decides which of the app's global keys a screen's footer shows (``FOOTER_GLOBALS``,
the actions a screen names; F1 by default): at 80 columns the footer is for the screen's own
keys, and the help screen (F1) lists every key.
"""

from __future__ import annotations

import dataclasses

from textual.binding import ActiveBinding
from textual.screen import Screen

from pos_tui.i18n import N_, _

# Textual 8.2.8's own user-visible words: marked so they live in our catalog.
TEXTUAL_WORDS = (
    N_("Theme"), N_("Change the current theme"),
    N_("Quit"), N_("Quit the application as soon as possible"),
    N_("Keys"), N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"), N_("Minimize the widget and restore to normal size"),
    N_("Maximize"), N_("Maximize the focused widget"),
    N_("Screenshot"), N_("Save an SVG 'screenshot' of the current screen"),
    N_("Search for commands…"), N_("Search for themes…"),
    N_("palette"), N_("Open the command palette"),
    N_("Dismiss menu"), N_("Exit the command palette"),
)

DEFAULT_FOOTER_GLOBALS = frozenset({"help"})

_original = Screen.active_bindings


def _translated(binding, show: bool):
    if not binding.description and not binding.tooltip and show == binding.show:
        return binding
    return dataclasses.replace(binding, description=_(binding.description) if binding.description else "",
                               tooltip=_(binding.tooltip) if binding.tooltip else "", show=show)


def _active_bindings(self) -> dict[str, ActiveBinding]:
    app = self.app
    globals_shown = getattr(self, "FOOTER_GLOBALS", DEFAULT_FOOTER_GLOBALS)
    active = {}
    for key, a in _original.fget(self).items():
        show = a.binding.show
        if a.node is app and a.binding.action != "command_palette":
            show = show and a.binding.action in globals_shown
        active[key] = ActiveBinding(a.node, _translated(a.binding, show), a.enabled,
                                    _(a.tooltip) if a.tooltip else a.tooltip)
    if self.is_modal:  # Textual leaves the app's keys out of a modal's footer; F1 works there too (priority)
        for key, binding in app._bindings:
            if key not in active and binding.show and binding.action in globals_shown:
                active[key] = ActiveBinding(app, _translated(binding, True), True, "")
    return active


def install() -> None:
    """Translate key descriptions where Textual reads them (idempotent). One hook instead of a
    footer, key panel and palette of our own: they all read ``Screen.active_bindings``."""
    if Screen.active_bindings is _original:
        Screen.active_bindings = property(_active_bindings, doc=_original.__doc__)
