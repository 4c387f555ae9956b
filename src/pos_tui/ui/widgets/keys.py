"""Key-stream helpers shared by the screens that forward keys typed on one widget to another."""

from __future__ import annotations


def keys_drained(widget, screen) -> bool:
    """True when no message waits between ``widget`` and ``screen``: the focus may move to another
    field without a key still on its way through ``widget`` arriving after keys sent straight to
    that field. Mid-burst the focus stays; the last key of the burst moves it."""
    node = widget
    while node is not None and node is not screen:
        if not node._message_queue.empty():  # Textual has no public "pending messages" call
            return False
        node = node.parent
    return screen._message_queue.empty()
