"""Screen tests run without the closing screen being built in the background.

The app builds F9's screen once per login when the till has been idle for a few seconds (issue 17). A test
that pauses that long (a slow step on a loaded machine) would get that build at a random moment: extra CPU
and X readings that depend on timing. The tests of the background build turn it on for their app
(tests/ui/test_ui_speed.py sets the delays on the instance).
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_background_closing_screen(monkeypatch):
    from pos_tui.ui.app import PosApp

    monkeypatch.setattr(PosApp, "PREBUILD_AFTER", 24 * 3600.0)
