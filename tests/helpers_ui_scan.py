"""Feeding a Pilot app the way a keyboard-wedge scanner does: many keys in one read.

``pilot.press`` waits for the app to be idle after each key, so it never shows what a burst does.
:func:`burst` posts every key event at once (as the driver does when one read holds a code,
Enter and the next code), then waits until every message queue is empty.
"""

from __future__ import annotations

from textual import events
from textual.app import _character_to_key


def key_event(key: str) -> events.Key:
    """``"4"``, ``"*"``, ``"A"``, ``"enter"``, ``"f10"``: the event the driver would post."""
    if len(key) == 1:
        name = key if key.isalnum() else _character_to_key(key)
        return events.Key(name, key)
    return events.Key(key, "\r" if key == "enter" else None)


def scans(*codes: str) -> list[str]:
    """Each code followed by Enter, as one key list."""
    keys: list[str] = []
    for code in codes:
        keys += [*code, "enter"]
    return keys


def _busy(app) -> bool:
    if not app._message_queue.empty():
        return True
    for screen in app.screen_stack:
        for node in screen.walk_children(with_self=True):
            if not node._message_queue.empty():
                return True
    return False


async def settle(pilot, rounds: int = 400) -> None:
    """Pause until no widget has a message waiting (twice in a row: a handler may post more)."""
    quiet = 0
    for _ in range(rounds):
        await pilot.pause()
        quiet = quiet + 1 if not _busy(pilot.app) else 0
        if quiet >= 2:
            return
    raise AssertionError("the app never settled")


async def burst(pilot, keys: list[str]) -> None:
    """Post all ``keys`` to the app in one go, then wait until it has handled them."""
    for key in keys:
        pilot.app.post_message(key_event(key))
    await settle(pilot)
