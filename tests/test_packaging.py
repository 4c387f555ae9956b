"""Packaging (issue 11): every non-Python file the app reads ships in the wheel; the licence matches pyproject."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path

import pos_tui

ROOT = Path(__file__).resolve().parents[1]
PKG = Path(pos_tui.__file__).resolve().parent


def _patterns() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return project["tool"]["setuptools"]["package-data"]["pos_tui"]


def test_every_data_file_in_the_package_is_declared_package_data():
    patterns = _patterns()
    undeclared = [str(p.relative_to(PKG)) for p in PKG.rglob("*")
                  if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
                  and not any(fnmatch(str(p.relative_to(PKG)), pat) for pat in patterns)]
    assert not undeclared, f"not shipped in the wheel: {undeclared}"


def test_demo_data_is_read_through_importlib_resources(monkeypatch):
    from pos_tui.services import demo

    monkeypatch.delenv("POS_TUI_DATA", raising=False)
    with demo.data_file("products.csv") as path:
        assert path.read_text(encoding="utf-8").startswith("barcode,name,price,vat_rate")
    assert resources.files("pos_tui").joinpath("data", "customers.csv").is_file()


def test_licence_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
