"""Every file the project exports goes through here: one CSV writer, one safe way to write.

Two formats (``--format``): ``sheet`` (the default) is for people: the spreadsheet dialect of
the user's language (French: ``;`` separator, decimal comma; English: ``,`` and a point), UTF-8
with a BOM so spreadsheets detect it, headers and labels translated, amounts in euros with the
signs the screen shows, dates as the screen writes them. ``raw`` is for programs: UTF-8, ``,``,
stable English keys, integer cents, ISO dates (the format of earlier versions).

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
from dataclasses import dataclass
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pos_tui.domain.errors import PosError
from pos_tui.i18n import _, get_language, locale

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET, RAW = "sheet", "raw"
FORMATS = (SHEET, RAW)


class Number(str):
    """A number already written for the sheet's locale (``-20,00``): a cell, not text to neutralise."""


def safe_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not execute; numbers are left as they are."""
    if isinstance(value, str) and not isinstance(value, Number) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def sheet_delimiter() -> str:
    return ";" if get_language() == "fr" else ","  # where the decimal separator is a comma, cells split on ;


def csv_text(rows: Iterable[Sequence[object]], fmt: str = RAW) -> str:
    """The CSV text of ``rows`` (the header is the first row), every text cell neutralised.

    ``raw``: ``,``-separated, no BOM. ``sheet``: the language's separator and a UTF-8 BOM (cells
    should come from ``sheet_row``)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sheet_delimiter() if fmt == SHEET else ",", lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" if fmt == SHEET else "") + out.getvalue()


def euros(cents: int | None) -> Number | str:
    """Cents as a plain number of euros in the user's locale (``1234,50``): no currency sign and no
    thousands separator, so spreadsheets read it as a number."""
    if cents is None or cents == "":
        return ""
    from babel.numbers import format_decimal
    from decimal import Decimal

    return Number(format_decimal(Decimal(int(cents)) / 100, format="0.00", locale=locale()))


def decimal_number(value) -> Number | str:
    """A decimal (a VAT rate in percent, 5.5) in the user's locale (``5,5``)."""
    if value is None or value == "":
        return ""
    from babel.numbers import format_decimal

    return Number(format_decimal(value, locale=locale()))


def sheet_date(iso: str | None) -> str:
    """An ISO date or timestamp as the screens show it (``29/11/2026``, ``29/11/2026 10:05``)."""
    if not iso:
        return ""
    from datetime import date, datetime

    from babel.dates import format_date, format_datetime

    text = str(iso)
    if len(text) <= 10:
        return format_date(date.fromisoformat(text), "dd/MM/yyyy", locale=locale())
    return format_datetime(datetime.fromisoformat(text), "dd/MM/yyyy HH:mm", locale=locale())


@dataclass(frozen=True)
class Column:
    """One column of an export: its raw key, its sheet title (English source, translated when written)
    and how the sheet shows a value: text, cents (euros), int, decimal, date, or a function."""

    key: str
    title: str
    kind: str | Callable[[object], object] = "text"


def _sheet_cell(value: object, kind) -> object:
    if callable(kind):
        return kind(value)
    if kind == "cents":
        return euros(value)
    if kind == "int":
        return "" if value in (None, "") else Number(str(int(value)))
    if kind == "decimal":
        return decimal_number(value)
    if kind == "date":
        return sheet_date(value)
    return "" if value is None else value


def table_csv(columns: Sequence[Column], rows: Iterable[Sequence[object]], fmt: str = SHEET) -> str:
    """A table export in either format from raw rows (cents, ISO dates, codes)."""
    if fmt not in FORMATS:
        raise PosError("Unknown export format {fmt!r} (sheet or raw).", fmt=fmt)
    if fmt == RAW:
        return csv_text([[c.key for c in columns], *rows], RAW)
    header = [_(c.title) for c in columns]
    return csv_text([header, *([_sheet_cell(v, c.kind) for v, c in zip(row, columns)] for row in rows)], SHEET)


def default_export_path(filename: str) -> Path:
    """Where a screen offers to save an export: the user's documents folder (else the home folder)."""
    from platformdirs import user_documents_dir

    folder = Path(user_documents_dir())
    try:  # created owner-only when missing: exports hold customers' figures
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        folder = Path.home()
    return folder / filename


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
