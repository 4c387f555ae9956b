"""Fixtures shared by the CLI tests."""

import pytest

from pos_tui.cli import main


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("POS_TUI_LANG", "en")
    path = tmp_path / "shop.db"
    assert main(["--lang", "en", "--db", str(path), "init", "--name", "Marie", "--pin", "123456"]) == 0
    return path
