"""Suite-wide hygiene and shared fixtures: every test starts in French (the default) whatever the previous
one set; ``english`` switches a test to the English source messages."""

import os

import pytest

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from helpers_core import english  # noqa: E402,F401 - the shared fixture, defined once in helpers_core
from helpers_pg import pg_server, pg_template, pg_url  # noqa: E402,F401 - the PostgreSQL test cluster


@pytest.fixture(autouse=True)
def _reset_language():
    from pos_tui import i18n

    i18n.set_language("fr")
    yield
    i18n.set_language("fr")


@pytest.fixture(autouse=True)
def _instant_pin_delay(monkeypatch):
    """A wrong PIN waits a little before its answer (services.auth); tests record the waits instead of sleeping."""
    from pos_tui.services import auth

    waits: list[float] = []
    monkeypatch.setattr(auth, "_sleep", waits.append)
    return waits
