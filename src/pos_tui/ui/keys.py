"""The keys of a screen as people read them: the help screen (F1) and the README's key tables.

One data source for both: the ``BINDINGS`` the app's own classes declare (Textual's generic
ones such as Tab are left out), grouped by action, with every key of the action. A test
compares the README's tables with :func:`readme_tables`, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from pos_tui.i18n import N_, _

# Key names a reader knows; English source strings, translated when shown (French keyboards say
# "Entrée", "Échap", "Suppr").
_NAMES = {
    "escape": N_("Esc"), "enter": N_("Enter"), "space": N_("Space"), "delete": N_("Del"),
    "pagedown": N_("PgDn"), "pageup": N_("PgUp"), "up": "↑", "down": "↓", "left": "←", "right": "→",
    "plus": "+", "minus": "-", "equals_sign": "=", "slash": "/", "tab": N_("Tab"),
}
_MODIFIERS = {"ctrl": N_("Ctrl"), "shift": N_("Shift"), "alt": N_("Alt")}


def key_name(key: str) -> str:
    """``ctrl+s`` -> ``Ctrl+S``, ``f10`` -> ``F10``, ``escape`` -> ``Esc`` (in the current language)."""
    *modifiers, last = key.strip().split("+")
    if last in _NAMES:
        name = _(_NAMES[last])
    elif len(last) == 1:
        name = last.upper() if modifiers else last
    else:
        name = last.upper() if last[0] == "f" and last[1:].isdigit() else last.capitalize()
    return "+".join([_(_MODIFIERS.get(m, m.capitalize())) for m in modifiers] + [name])


@dataclass(frozen=True)
class KeyRow:
    keys: tuple[str, ...]  # Textual key names, in the order declared
    description: str  # English source; translated when shown

    def keys_text(self) -> str:
        return " / ".join(key_name(k) for k in self.keys)

    def description_text(self) -> str:
        return _(self.description)


def _own_bindings(cls: type) -> list[Binding]:
    """The bindings pos-tui's classes declare for ``cls`` (a subclass's key replaces its base's)."""
    by_key: dict[str, Binding] = {}
    for base in reversed(cls.__mro__):
        if not base.__module__.startswith("pos_tui"):
            continue
        for item in base.__dict__.get("BINDINGS", []):
            binding = item if isinstance(item, Binding) else Binding(*item)
            for key in binding.key.split(","):
                by_key.pop(key.strip(), None)
                by_key[key.strip()] = binding
    return list(by_key.values())


def key_rows(cls: type) -> list[KeyRow]:
    """Every key of ``cls`` (shown in the footer or not), one row per action in declaration order."""
    rows: dict[str, list] = {}
    seen: set[int] = set()
    for binding in _own_bindings(cls):
        if not binding.description:
            continue
        # A tooltip says more than a footer's short word ("palette"): the help shows it.
        row = rows.setdefault(binding.action, [[], binding.tooltip or binding.description])
        if id(binding) in seen:
            continue
        seen.add(id(binding))
        row[0].extend(k.strip() for k in binding.key.split(",") if k.strip() not in row[0])
    return [KeyRow(tuple(keys), description) for keys, description in rows.values()]


def screen_title(cls: type) -> str:
    """The name of a screen in the help and the README (``HELP_TITLE``, English source)."""
    return getattr(cls, "HELP_TITLE", "") or N_("This screen")


def readme_tables(screens: list[type], app_cls: type) -> str:
    """The README's "Keys" tables in the current language: the global keys first, then one per screen."""
    parts = [_table(_("Everywhere"), key_rows(app_cls))]
    parts += [_table(_(screen_title(cls)), key_rows(cls)) for cls in screens if key_rows(cls)]
    return "\n\n".join(parts) + "\n"


def _table(title: str, rows: list[KeyRow]) -> str:
    key, does = _("Key"), _("What it does")
    lines = [f"**{title}**", "", f"| {key} | {does} |", "| --- | --- |"]
    lines += [f"| {row.keys_text()} | {row.description_text()} |" for row in rows]
    return "\n".join(lines)
