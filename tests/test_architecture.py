"""The layers are enforced by import-linter contracts (pyproject.toml, [tool.importlinter]).

The contracts run on the real tree and must pass; the same contracts run on a copy of the tree
with one bad import added must fail, naming the import: a contract that cannot fail checks nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(src: Path, config: Path) -> subprocess.CompletedProcess:
    # The package is found on PYTHONPATH, so the tree under test is the one analysed, not an installed copy.
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", str(config)], cwd=config.parent,
                          env=env, capture_output=True, text=True, timeout=300)


def test_import_contracts_pass():
    result = lint_imports(ROOT / "src", ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "code", "contract", "names"), [
    ("ui/screens/bad_screen.py", "from pos_tui.store import sales\n",
     "screens and the CLI reach the store only through services", "pos_tui.ui.screens.bad_screen -> pos_tui.store.sales"),
    ("domain/bad_rule.py", "from pos_tui.printing import receipt\n",
     "ui and cli over services over store and printing over domain", "pos_tui.domain.bad_rule -> pos_tui.printing.receipt"),
    ("store/bad_table.py", "from textual.widget import Widget\n",
     "domain, store, printing and services never import Textual", "pos_tui.store.bad_table -> textual"),
    ("store/loop_a.py", "from pos_tui.store import loop_b\n",
     "no import loop between sibling modules or packages", "No cycles are allowed in pos_tui.store."),
])
def test_import_contracts_fail_on_a_bad_import(tmp_path, module, code, contract, names):
    shutil.copytree(ROOT / "src" / "pos_tui", tmp_path / "src" / "pos_tui",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "src" / "pos_tui" / module).write_text(code, encoding="utf-8")
    if module == "store/loop_a.py":
        (tmp_path / "src" / "pos_tui" / "store" / "loop_b.py").write_text("from pos_tui.store import loop_a\n")
    result = lint_imports(tmp_path / "src", tmp_path / "pyproject.toml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout
    assert names in result.stdout, result.stdout
