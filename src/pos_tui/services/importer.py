"""CSV import of customers and products: all or nothing, with a line-numbered report.

Big files must not freeze the tills. The file is read once as a stream and every row is
checked without holding the write lock; the clean rows wait in a temporary scratch file
(memory stays bounded whatever the file's size). Then they are written in short chunks,
each its own transaction, with a pause after each so a till waiting to close a sale gets
the lock within a fraction of a second. The rows written so far are remembered as id
ranges; a failure (or Ctrl+C) deletes them again, so an import that did not finish leaves
nothing behind.
"""

from __future__ import annotations

import csv
import itertools
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pos_tui.domain.credit import validate_debt_limit
from pos_tui.domain.customers import validate_customer
from pos_tui.domain.errors import PosError
from pos_tui.domain.money import parse_money, parse_vat_rate
from pos_tui.domain.products import validate_barcode, validate_price, validate_product_name
from pos_tui.domain.rights import Right
from pos_tui.services.context import Context
from pos_tui.services.settings import default_debt_limit
from pos_tui.store import customers as customers_store
from pos_tui.store import products as products_store
from pos_tui.store.scratch import Scratch

CUSTOMER_COLUMNS = ("first_name", "last_name", "company", "phone", "email", "card_code", "note", "debt_limit")
PRODUCT_COLUMNS = ("barcode", "name", "price", "vat_rate")

# A chunk holds the write lock about this long; then the import pauses a little longer than
# SQLite's busy handler sleeps between two tries (100 ms), so a waiting till always gets in.
CHUNK_SECONDS = 0.1
PAUSE_SECONDS = 0.12
BATCH_ROWS = 50  # rows per INSERT batch; the chunk's clock is read between batches
MAX_ERRORS = 1000  # listed in the report; beyond that they are only counted

Progress = Callable[[int, int | None], None]  # (rows done, rows to write; None while checking)
_sleep = time.sleep


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message), the first MAX_ERRORS
    error_count: int = 0
    created: list[str] = field(default_factory=list)  # products, --update / --dry-run: new barcodes
    changes: list = field(default_factory=list)  # products, --update / --dry-run: a ProductChange each
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.error_count

    def refuse(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((line, message))


def _rows(path: str | Path, required: tuple[str, ...], optional: tuple[str, ...]) -> Iterator[tuple[int, dict]]:
    """The file's rows, one at a time, with their line numbers; a bad header or file is refused first."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            sample = handle.read(4096)
            handle.seek(0)
            try:
                dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            reader = csv.DictReader(handle, dialect=dialect)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in required if c not in header]
            unknown = [c for c in header if c not in required + optional]
            if missing or unknown:
                raise PosError(
                    "Bad CSV header in {path}: missing {missing}; unknown {unknown}. Expected columns: {expected}.",
                    path=str(path), missing=", ".join(missing) or "-", unknown=", ".join(unknown) or "-",
                    expected=", ".join(required + optional),
                )
            reader.fieldnames = header
            for row in reader:
                if None in row:
                    yield reader.line_num, {"__error__": "too many fields"}
                else:
                    yield reader.line_num, {k: (v or "") for k, v in row.items()}
    except FileNotFoundError as exc:
        raise PosError("File not found: {path}", path=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise PosError("{path} is not UTF-8 text.", path=str(path)) from exc
    except csv.Error as exc:
        raise PosError("Malformed CSV in {path}: {reason}", path=str(path), reason=str(exc)) from exc
    except OSError as exc:  # a folder, no permission, a failing disk
        raise PosError("Cannot read {path}: {reason}", path=str(path), reason=exc.strerror or str(exc)) from exc


class _Importer:
    """One import: check everything, then write in chunks, or take back what was written."""

    kind: str

    def __init__(self, ctx: Context, path: str | Path, progress: Progress | None) -> None:
        self.ctx, self.path, self.progress = ctx, Path(path), progress or (lambda done, total: None)
        self.report = ImportReport(self.kind)

    # per kind
    def rows(self) -> Iterator[tuple[int, dict]]:
        raise NotImplementedError

    def clean(self, row: dict, scratch: Scratch, line: int) -> list:
        """The row's values ready to insert (JSON-friendly), or ``PosError``."""
        raise NotImplementedError

    def insert_many(self, batch: list[list]) -> tuple[int, int]:
        raise NotImplementedError

    def delete_range(self, first: int, last: int) -> int:
        raise NotImplementedError

    # the two passes
    def run(self) -> ImportReport:
        with Scratch() as scratch:
            valid = self._check(scratch)
            if self.report.ok:
                self.report.imported = self._write(scratch, valid)
        return self.report

    def _check(self, scratch: Scratch) -> int:
        valid = 0
        for line, row in self.rows():
            self.report.rows += 1
            try:
                scratch.keep(self.clean(row, scratch, line))
                valid += 1
            except PosError as exc:
                self.report.refuse(line, exc.message)
            if self.report.rows % 2000 == 0:
                self.progress(self.report.rows, None)
        return valid

    def _write(self, scratch: Scratch, total: int) -> int:
        store = self.ctx.store
        written: list[tuple[int, int]] = []  # id ranges, one per chunk
        done = 0
        rows = scratch.kept()
        try:
            finished = False
            while not finished:
                started = time.monotonic()
                with store.write():
                    first = last = None
                    while True:
                        batch = list(itertools.islice(rows, BATCH_ROWS))
                        finished = len(batch) < BATCH_ROWS
                        if batch:
                            low, last = self.insert_many(batch)
                            first = low if first is None else first
                            done += len(batch)
                        if finished or time.monotonic() - started > CHUNK_SECONDS:
                            break
                    if finished:
                        self.ctx.journal("import", what=self.kind, rows=done, file=self.path.name)
                if first is not None:
                    written.append((first, last))
                self.progress(done, total)
                if not finished:
                    _sleep(PAUSE_SECONDS)
        except BaseException as exc:
            self._undo(written)
            if isinstance(exc, sqlite3.Error):  # disk full, read-only file...: say so in one line
                raise PosError("The import of {path} failed ({reason}); nothing of it was kept.",
                               path=str(self.path), reason=str(exc)) from exc
            raise
        return done

    def _undo(self, written: list[tuple[int, int]]) -> None:
        """Delete what this import wrote, in short transactions too (the tills keep selling)."""
        store = self.ctx.store
        removed = 0
        for i, (first, last) in enumerate(written):
            if i:
                _sleep(PAUSE_SECONDS)
            with store.write():
                removed += self.delete_range(first, last)
        if written:
            with store.write():
                self.ctx.journal("import_undone", what=self.kind, rows=removed, file=self.path.name)


class _CustomerImporter(_Importer):
    kind = "customers"

    def __init__(self, ctx: Context, path, progress) -> None:
        super().__init__(ctx, path, progress)
        self.default_limit = default_debt_limit(ctx.store)

    def rows(self):
        required = ("first_name", "last_name")
        return _rows(self.path, required, tuple(c for c in CUSTOMER_COLUMNS if c not in required))

    def clean(self, row, scratch, line):
        if "__error__" in row:
            raise PosError("too many fields")
        clean = validate_customer(row)
        limit_text = row.get("debt_limit", "").strip()
        limit = validate_debt_limit(parse_money(limit_text)) if limit_text else self.default_limit
        card = clean["card_code"]
        if card:
            first = scratch.seen(card, line)
            if first is not None:
                raise PosError("card code {code} repeats line {line}", code=card, line=first)
            if customers_store.card_taken(self.ctx.store, card):
                raise PosError("The card code {code} is already used by another customer.", code=card)
        return [clean, limit]

    def insert_many(self, batch):
        return customers_store.insert_many(self.ctx.store, batch)

    def delete_range(self, first, last) -> int:
        return customers_store.delete_range(self.ctx.store, first, last)


class _ProductImporter(_Importer):
    kind = "products"

    def rows(self):
        return _rows(self.path, PRODUCT_COLUMNS, ())

    def clean(self, row, scratch, line):
        if "__error__" in row:
            raise PosError("too many fields")
        barcode = validate_barcode(row["barcode"])
        first = scratch.seen(barcode, line)
        if first is not None:
            raise PosError("barcode {code} repeats line {line}", code=barcode, line=first)
        if products_store.barcode_taken(self.ctx.store, barcode):
            raise PosError("The barcode {code} is already used by another product.", code=barcode)
        return [barcode, validate_product_name(row["name"]), validate_price(parse_money(row["price"])),
                parse_vat_rate(row["vat_rate"])]

    def insert_many(self, batch):
        return products_store.insert_many(self.ctx.store, batch)

    def delete_range(self, first, last) -> int:
        return products_store.delete_range(self.ctx.store, first, last)


def import_customers(ctx: Context, path: str | Path, progress: Progress | None = None) -> ImportReport:
    """Check every row first; write all of them, or none."""
    ctx.require(Right.MANAGE_SETTINGS)
    return _CustomerImporter(ctx, path, progress).run()


def import_products(ctx: Context, path: str | Path, progress: Progress | None = None, *, update: bool = False,
                    dry_run: bool = False) -> ImportReport:
    """Check every row (EAN check digit, price, VAT rate) first; write all or none.

    ``update`` (issue 11): a barcode already in the store changes that product's name, price and VAT
    rate (kept in its price history) instead of being refused; ``report.created`` and
    ``report.changes`` say what changes. ``dry_run``: check and report, write nothing.
    """
    ctx.require(Right.MANAGE_PRODUCTS)
    if not update and not dry_run:
        return _ProductImporter(ctx, path, progress).run()
    return _update_products(ctx, path, progress, update=update, dry_run=dry_run)


@dataclass
class ProductChange:
    barcode: str
    before: dict  # name, price, vat_rate as stored
    after: dict  # the same keys as in the file


def _update_products(ctx: Context, path: str | Path, progress: Progress | None, *, update: bool,
                     dry_run: bool) -> ImportReport:
    """A price update file (a catalogue, not a 200k-row migration): checked whole, then written in one
    transaction with a price-history row per changed product, or not at all."""
    report = ImportReport("products")
    clean_rows = []
    seen: dict[str, int] = {}
    for line, row in _rows(path, PRODUCT_COLUMNS, ()):
        report.rows += 1
        try:
            if "__error__" in row:
                raise PosError("too many fields")
            barcode = validate_barcode(row["barcode"])
            if barcode in seen:
                raise PosError("barcode {code} repeats line {line}", code=barcode, line=seen[barcode])
            seen[barcode] = line
            values = (barcode, validate_product_name(row["name"]), validate_price(parse_money(row["price"])),
                      parse_vat_rate(row["vat_rate"]))
            existing = products_store.any_by_barcode(ctx.store, barcode)
            if existing is not None and not update:
                raise PosError("The barcode {code} is already used by another product.", code=barcode)
            clean_rows.append((values, existing))
        except PosError as exc:
            report.refuse(line, exc.message)
    if not report.ok:
        return report
    for (barcode, name, price, vat_rate), existing in clean_rows:
        after = {"name": name, "price": price, "vat_rate": vat_rate}
        if existing is None:
            report.created.append(barcode)
        elif any(existing[k] != v for k, v in after.items()):
            report.changes.append(ProductChange(barcode, {k: existing[k] for k in after}, after))
        else:
            report.unchanged += 1
    if dry_run:
        return report
    with ctx.store.write():
        for i, ((barcode, name, price, vat_rate), existing) in enumerate(clean_rows, 1):
            if existing is None:
                product_id = products_store.insert(ctx.store, barcode, name, price, vat_rate)
                products_store.add_price(ctx.store, product_id, price, vat_rate, name, ctx.user.id, ctx.terminal,
                                         "import")
            elif (existing["name"], existing["price"], existing["vat_rate"]) != (name, price, vat_rate):
                current = products_store.by_id(ctx.store, existing["id"])  # under the write lock
                products_store.update(ctx.store, existing["id"], name, price, vat_rate)
                products_store.add_price(ctx.store, existing["id"], price, vat_rate, name, ctx.user.id,
                                         ctx.terminal, "import")
                ctx.journal("product_changed", product=existing["id"], barcode=barcode,
                            before={k: current[k] for k in ("name", "price", "vat_rate")},
                            after={"name": name, "price": price, "vat_rate": vat_rate}, file=Path(path).name)
            if progress and (i % 200 == 0 or i == len(clean_rows)):
                progress(i, len(clean_rows))
        ctx.journal("import", what="products", rows=len(clean_rows), created=len(report.created),
                    changed=len(report.changes), file=Path(path).name)
    report.imported = len(report.created) + len(report.changes)
    return report
