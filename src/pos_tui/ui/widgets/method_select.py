"""The payment-method list of a form: opens on the first method, and a method's letter picks it at once."""

from __future__ import annotations

from textual.widgets import Select
from textual.widgets._select import SelectOverlay


def shortcut_letters(codes: list[str]) -> dict[str, str]:
    """One letter per method code, typed in the method list to pick it: the code's first letter not
    taken yet (ESP e, CB c, CHQ h), else none (the arrows still reach it)."""
    taken: dict[str, str] = {}
    for code in codes:
        letter = next((ch for ch in code.lower() if ch.isalpha() and ch not in taken.values()), None)
        if letter:
            taken[code] = letter
    return taken


class MethodSelect(Select):
    """The method list of the form: it opens on the first method (the blank entry is never highlighted)
    and a method's letter picks it at once."""

    def __init__(self, options, letters: dict[str, str], **kwargs) -> None:
        super().__init__(options, type_to_search=False, **kwargs)
        self.letters = letters

    def _setup_options_renderables(self) -> None:
        super()._setup_options_renderables()
        self.query_one(SelectOverlay).disable_option_at_index(0)  # the blank "Method" prompt

    def _watch_expanded(self, expanded: bool) -> None:
        super()._watch_expanded(expanded)
        if expanded and self.is_blank() and len(self._options) > 1:
            self.query_one(SelectOverlay).select(1)

    def pick_letter(self, character: str | None) -> bool:
        code = next((c for c, letter in self.letters.items() if letter == (character or "").lower()), None)
        if code is None:
            return False
        self.expanded = False
        self.value = code
        return True
