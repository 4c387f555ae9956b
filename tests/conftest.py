"""Suite-wide hygiene: every test starts in French (the default) whatever the previous one set."""

import os

import pytest

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(autouse=True)
def _reset_language():
    from pos_tui import i18n

    i18n.set_language("fr")
    yield
    i18n.set_language("fr")
