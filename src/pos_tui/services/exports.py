"""Every file the project exports goes through here: one CSV dialect, one safe way to write.

CSV cells are made safe for spreadsheets (OWASP "CSV injection"): a text cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single
quote, so a customer named ``=HYPERLINK(...)`` is shown, not run. Numbers (our
amount and count columns) are written as numbers, untouched.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pos_tui.domain.errors import PosError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not execute; non-text values are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """The CSV text of ``rows`` (the header is the first row), every text cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def write_export(path: str | Path, produce: Callable[[], str | bytes]) -> Path:
    """Write ``produce()`` (text, or bytes for a PDF) to ``path``, owner-only (0600), whole or not at all.

    The file is opened before ``produce`` runs, so a missing or unwritable folder is
    refused before the export is journaled; the text lands in a temporary file that
    replaces ``path`` only once fully written.
    """
    path = Path(path)
    if path.is_dir():
        raise PosError("Cannot write {path}: it is a folder.", path=str(path))
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise PosError("Cannot write {path}: {reason}", path=str(path), reason=exc.strerror or str(exc)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            data = produce()
            handle.write(data if isinstance(data, bytes) else data.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise PosError("Cannot write {path}: {reason}", path=str(path), reason=exc.strerror or str(exc)) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return path
