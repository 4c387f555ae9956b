"""The signature chain over fiscal records (SPEC §10) and ``verify``.

``sig = HMAC-SHA256(key, prev_sig || canonical_json(record))``. The key lives in
a file beside the database (``<db>.key``, mode 600) or where ``POS_TUI_KEY_FILE``
points — never inside the database. Personal data is not signed: records carry
customer ids, never names.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from pos_tui.domain.errors import PosError
from pos_tui.store.db import Store

# What is signed for each fiscal table: every column that carries money or meaning.
SIGNED_COLUMNS = {
    "sales": ("id", "number", "customer_id", "user_id", "terminal", "created_at", "business_day", "total",
              "change_given", "voids_sale_id"),
    "sale_lines": ("id", "sale_id", "line_no", "kind", "product_id", "barcode", "name", "quantity", "unit_price",
                   "vat_rate", "total", "voucher_id", "returned_line_id"),
    "sale_payments": ("id", "sale_id", "method", "amount"),
    "credit_ledger": ("id", "customer_id", "kind", "amount", "method", "sale_id", "label", "user_id", "terminal",
                      "created_at", "balance_after", "idempotency_key", "business_day"),
    "vouchers": ("id", "code", "kind", "amount", "issued_sale_id", "issued_at", "expires_on", "customer_id"),
    "voucher_parts": ("id", "voucher_id", "vat_rate", "amount"),
    "voucher_redemptions": ("id", "voucher_id", "sale_id", "redeemed_at"),
    "cash_movements": ("id", "business_day", "kind", "amount", "reason", "user_id", "terminal", "created_at"),
    "z_closings": ("id", "number", "business_day", "closed_at", "user_id", "terminal", "figures", "counted",
                   "count_detail", "expected_cash", "cash_difference", "period_total", "perpetual_total",
                   "last_sig"),
}


def key_path(store: Store) -> Path:
    env = os.environ.get("POS_TUI_KEY_FILE")
    return Path(env) if env else store.path.with_name(store.path.name + ".key")


def load_key(store: Store) -> bytes:
    """The shop's signing key, created on first use."""
    cached = getattr(store, "_signing_key", None)
    if cached:
        return cached
    path = key_path(store)
    if str(store.path) == ":memory:":
        key = secrets.token_bytes(32)
    elif path.exists():
        key = bytes.fromhex(path.read_text().strip())
    elif store.scalar("SELECT 1 FROM signatures LIMIT 1"):
        raise PosError("The signing key {path} is missing: restore it from your backup; nothing was written.",
                       path=str(path))
    else:
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key.hex())
    store._signing_key = key
    return key


def canonical(table: str, row: dict) -> bytes:
    return json.dumps({"table": table, **row}, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def last_sig(store: Store) -> str:
    return store.scalar("SELECT sig FROM signatures ORDER BY id DESC LIMIT 1") or ""


def sign(store: Store, table: str, record_id: int) -> str:
    """Chain one freshly inserted record (call inside the business transaction)."""
    cols = SIGNED_COLUMNS[table]
    row = store.one(f"SELECT {', '.join(cols)} FROM {table} WHERE id = ?", (record_id,))
    sig = hmac.new(load_key(store), last_sig(store).encode() + canonical(table, row), hashlib.sha256).hexdigest()
    store.db.execute("INSERT INTO signatures(table_name, record_id, sig) VALUES (?, ?, ?)", (table, record_id, sig))
    return sig


def verify_chain(store: Store) -> list[str]:
    """Re-walk the chain; name the first bad record, and every fiscal record without a signature."""
    problems: list[str] = []
    key = load_key(store)
    prev = ""
    for entry in store.db.query("SELECT id, table_name, record_id, sig FROM signatures ORDER BY id"):
        table, record_id = entry["table_name"], entry["record_id"]
        cols = SIGNED_COLUMNS.get(table)
        row = store.one(f"SELECT {', '.join(cols)} FROM {table} WHERE id = ?", (record_id,)) if cols else None
        if row is None:
            problems.append(f"{table} #{record_id}: signed record is missing (deleted)")
            break
        expected = hmac.new(key, prev.encode() + canonical(table, row), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, entry["sig"]):
            problems.append(f"{table} #{record_id}: record or signature altered (chain entry {entry['id']})")
            break
        prev = entry["sig"]
    for table in SIGNED_COLUMNS:
        unsigned = store.query(
            f"SELECT t.id FROM {table} t LEFT JOIN signatures s ON s.table_name = ? AND s.record_id = t.id"
            " WHERE s.id IS NULL ORDER BY t.id LIMIT 5", (table,))
        for row in unsigned:
            problems.append(f"{table} #{row['id']}: record has no signature")
    return problems
