"""Snapshots (pytest-textual-snapshot) of the counter's main screens at 80x24 and 120x36 (issue 13).

The SVGs live in tests/ui/__snapshots__/test_snapshots/. After a deliberate change to a screen,
regenerate them all with one command and look at the diff before committing:

    PYTHONPATH=src python -m pytest tests/ui/test_snapshots.py --snapshot-update

Deterministic by construction: the demo store is built with a fixed clock (27/11/2026 16:30) and a
fixed seed, the app reads that clock, the input cursor does not blink, animations are off
(tests/conftest.py), and the screens are reached with the same keys every time.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input

from helpers_ui_screens import demo_template, store, visit  # noqa: F401 - fixtures
from pos_tui.ui.app import PosApp

SNAPSHOTS = ("login", "lookup", "credit", "checkout-lines", "payment", "closing", "help")
SIZES = {"80x24": (80, 24), "120x36": (120, 36)}


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch):
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", SNAPSHOTS)
def test_snapshot(snap_compare, store, name, size):
    async def reach(pilot) -> None:
        await visit(pilot.app, pilot, name)
        await asyncio.sleep(0)

    assert snap_compare(PosApp(store), terminal_size=SIZES[size], run_before=reach)
