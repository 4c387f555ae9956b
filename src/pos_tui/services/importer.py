"""CSV import of customers and products: all or nothing, with a line-numbered report."""

from __future__ import annotations

import csv
from collections.abc import Callable
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

CUSTOMER_COLUMNS = ("first_name", "last_name", "company", "phone", "email", "card_code", "note", "debt_limit")
PRODUCT_COLUMNS = ("barcode", "name", "price", "vat_rate")

Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def _read(path: str | Path, required: tuple[str, ...], optional: tuple[str, ...]) -> list[tuple[int, dict]]:
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
            rows = []
            for row in reader:
                if None in row:
                    rows.append((reader.line_num, {"__error__": "too many fields"}))
                else:
                    rows.append((reader.line_num, {k: (v or "") for k, v in row.items()}))
            return rows
    except FileNotFoundError as exc:
        raise PosError("File not found: {path}", path=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise PosError("{path} is not UTF-8 text.", path=str(path)) from exc
    except csv.Error as exc:
        raise PosError("Malformed CSV in {path}: {reason}", path=str(path), reason=str(exc)) from exc


def import_customers(ctx: Context, path: str | Path, progress: Progress | None = None) -> ImportReport:
    """Validate every row first; write all of them in one transaction, or none."""
    ctx.require(Right.MANAGE_SETTINGS)
    rows = _read(path, ("first_name", "last_name"), tuple(c for c in CUSTOMER_COLUMNS if c not in ("first_name", "last_name")))
    report = ImportReport("customers", rows=len(rows))
    clean_rows: list[tuple[dict, int]] = []
    seen_cards: dict[str, int] = {}
    default_limit = default_debt_limit(ctx.store)
    for line, row in rows:
        try:
            if "__error__" in row:
                raise PosError("too many fields")
            clean = validate_customer(row)
            limit_text = row.get("debt_limit", "").strip()
            limit = validate_debt_limit(parse_money(limit_text)) if limit_text else default_limit
            card = clean["card_code"]
            if card:
                if card in seen_cards:
                    raise PosError("card code {code} repeats line {line}", code=card, line=seen_cards[card])
                if customers_store.card_taken(ctx.store, card):
                    raise PosError("The card code {code} is already used by another customer.", code=card)
                seen_cards[card] = line
            clean_rows.append((clean, limit))
        except PosError as exc:
            report.errors.append((line, exc.message))
    if report.errors:
        return report
    with ctx.store.write():
        for i, (clean, limit) in enumerate(clean_rows, 1):
            customers_store.insert(ctx.store, clean, limit)
            if progress and (i % 200 == 0 or i == len(clean_rows)):
                progress(i, len(clean_rows))
        ctx.journal("import", what="customers", rows=len(clean_rows), file=Path(path).name)
    report.imported = len(clean_rows)
    return report


def import_products(ctx: Context, path: str | Path, progress: Progress | None = None) -> ImportReport:
    """Validate every row (EAN check digit, price, VAT rate) first; write all or none."""
    ctx.require(Right.MANAGE_PRODUCTS)
    rows = _read(path, PRODUCT_COLUMNS, ())
    report = ImportReport("products", rows=len(rows))
    clean_rows = []
    seen: dict[str, int] = {}
    for line, row in rows:
        try:
            if "__error__" in row:
                raise PosError("too many fields")
            barcode = validate_barcode(row["barcode"])
            if barcode in seen:
                raise PosError("barcode {code} repeats line {line}", code=barcode, line=seen[barcode])
            if products_store.barcode_taken(ctx.store, barcode):
                raise PosError("The barcode {code} is already used by another product.", code=barcode)
            seen[barcode] = line
            clean_rows.append((barcode, validate_product_name(row["name"]), validate_price(parse_money(row["price"])),
                               parse_vat_rate(row["vat_rate"])))
        except PosError as exc:
            report.errors.append((line, exc.message))
    if report.errors:
        return report
    with ctx.store.write():
        for i, values in enumerate(clean_rows, 1):
            products_store.insert(ctx.store, *values)
            if progress and (i % 200 == 0 or i == len(clean_rows)):
                progress(i, len(clean_rows))
        ctx.journal("import", what="products", rows=len(clean_rows), file=Path(path).name)
    report.imported = len(clean_rows)
    return report
