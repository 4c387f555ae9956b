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
import re
import secrets
from pathlib import Path

from pos_tui.domain.errors import PosError
from pos_tui.i18n import _
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store calls sign() for its journal; importing it here would loop
    from pos_tui.store.db import Store

# What is signed for each fiscal table: every column that carries money or meaning.
SIGNED_COLUMNS = {
    "sales": ("id", "number", "customer_id", "user_id", "terminal", "created_at", "business_day", "total",
              "change_given", "voids_sale_id"),
    "sale_lines": ("id", "sale_id", "line_no", "kind", "product_id", "barcode", "name", "quantity", "unit_price",
                   "vat_rate", "total", "voucher_id", "returned_line_id"),
    "sale_payments": ("id", "sale_id", "method", "amount"),
    "credit_ledger": ("id", "customer_id", "kind", "amount", "method", "sale_id", "label", "user_id", "terminal",
                      "created_at", "balance_after", "idempotency_key", "business_day", "card_id"),
    "vouchers": ("id", "code", "kind", "amount", "issued_sale_id", "issued_at", "expires_on", "customer_id"),
    "voucher_parts": ("id", "voucher_id", "vat_rate", "amount"),
    "voucher_redemptions": ("id", "voucher_id", "sale_id", "redeemed_at"),
    "cash_movements": ("id", "business_day", "kind", "amount", "reason", "user_id", "terminal", "created_at"),
    "z_closings": ("id", "number", "business_day", "closed_at", "user_id", "terminal", "figures", "counted",
                   "count_detail", "expected_cash", "cash_difference", "period_total", "perpetual_total",
                   "last_sig"),
    # Issue 15: the journal is chained, staff and rights changes are signed, period closings too.
    "journal": ("id", "created_at", "kind", "user_id", "terminal", "detail"),
    "staff_log": ("id", "user_id", "kind", "name", "role", "rights", "active", "pin_tag", "by_user_id", "terminal",
                  "created_at"),
    "period_closings": ("id", "kind", "period", "number", "day_from", "day_to", "closed_at", "user_id", "terminal",
                        "figures", "z_count", "z_first", "z_last", "period_total", "perpetual_total", "last_sig"),
}

# Length of the chain-head fingerprint printed on a Z and kept in the anchor log (64 bits).
FINGERPRINT_CHARS = 16


def key_path(store: Store) -> Path:
    return store.key_file()


KEY_BYTES = 32
_KEY_TEXT = re.compile(rb"[0-9a-fA-F]{%d}\n?" % (2 * KEY_BYTES))


def _bad_key(path: Path, reason: str) -> PosError:
    return PosError("The signing key {path} is unusable ({reason}): restore it from your backup; nothing was written.",
                    path=str(path), reason=reason)


def read_key_file(path: Path) -> bytes:
    """The key in ``path``: exactly 64 hexadecimal characters (a final newline allowed), else refused."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _bad_key(path, exc.strerror or str(exc)) from exc
    if not raw:
        raise _bad_key(path, _("the file is empty"))
    if not _KEY_TEXT.fullmatch(raw):
        raise _bad_key(path, _("it must hold exactly 64 hexadecimal characters"))
    return bytes.fromhex(raw.decode("ascii"))


def _create_key_file(path: Path) -> bytes:
    """Write a new key atomically: a private temporary file, fsync, then link it into place.

    ``link`` (unlike ``rename``) refuses to replace a key another process made meanwhile; then
    that key is the shop's. A crash leaves either no key or a whole one, never half of one.
    """
    key = secrets.token_bytes(KEY_BYTES)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, key.hex().encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return read_key_file(path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as exc:
        raise PosError("Cannot create the signing key {path}: {reason}; nothing was written.",
                       path=str(path), reason=exc.strerror or str(exc)) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return key


def load_key(store: Store, *, create: bool = True) -> bytes:
    """The shop's signing key, created (when ``create``) on first use before anything is signed."""
    cached = getattr(store, "_signing_key", None)
    if cached:
        return cached
    path = key_path(store)
    if str(store.path) == ":memory:":
        key = secrets.token_bytes(KEY_BYTES)
    elif path.exists():
        key = read_key_file(path)
    elif not create or store.scalar("SELECT 1 FROM signatures LIMIT 1"):
        raise PosError("The signing key {path} is missing: restore it from your backup; nothing was written.",
                       path=str(path))
    else:
        key = _create_key_file(path)
    store._signing_key = key
    return key


# Columns added after records were signed: part of the signature only when set, so every record
# signed before the column existed still verifies.
SIGNED_WHEN_SET = {"credit_ledger": ("card_id",)}


def canonical(table: str, row: dict) -> bytes:
    row = {k: v for k, v in row.items() if not (v is None and k in SIGNED_WHEN_SET.get(table, ()))}
    return json.dumps({"table": table, **row}, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def last_sig(store: Store) -> str:
    return store.scalar("SELECT sig FROM signatures ORDER BY id DESC LIMIT 1") or ""


def sign(store: Store, table: str, record_id: int) -> str:
    """Chain one freshly inserted record (call inside the business transaction)."""
    if not getattr(store, "_baseline_signed", False):
        _sign_baseline(store)
    cols = SIGNED_COLUMNS[table]
    row = store.one(f"SELECT {', '.join(cols)} FROM {table} WHERE id = ?", (record_id,))
    sig = hmac.new(load_key(store), last_sig(store).encode() + canonical(table, row), hashlib.sha256).hexdigest()
    store.db.execute("INSERT INTO signatures(table_name, record_id, sig) VALUES (?, ?, ?)", (table, record_id, sig))
    return sig


def verify_chain(store: Store) -> list[str]:
    """Re-walk the chain; name the first bad record, and every fiscal record without a signature."""
    problems: list[str] = []
    # Read-only: a store with nothing signed yet needs no key, and verify never makes one.
    key = load_key(store, create=False) if last_sig(store) or key_path(store).exists() else b""
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
        if table in ("z_closings", "period_closings") and row["last_sig"] != prev:
            problems.append(f"{table} #{record_id}: the chain head it states is not the chain's (entry {entry['id']})")
            break
        prev = entry["sig"]
    for table in SIGNED_COLUMNS:
        unsigned = store.query(
            f"SELECT t.id FROM {table} t LEFT JOIN signatures s ON s.table_name = ? AND s.record_id = t.id"
            " WHERE s.id IS NULL ORDER BY t.id LIMIT 5", (table,))
        for row in unsigned:
            problems.append(f"{table} #{row['id']}: record has no signature")
    return problems


def fingerprint(sig: str) -> str:
    """The short fingerprint of a chain entry, as printed on a Z: ``3f2a-91bc-0d4e-77aa``."""
    head = sig[:FINGERPRINT_CHARS]
    return "-".join(head[i:i + 4] for i in range(0, len(head), 4))


def normalise_fingerprint(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch in "0123456789abcdef")


def chain_entry(store: Store, table: str, record_id: int) -> dict | None:
    """The chain entry (``id`` = position, ``sig``) that signs one record."""
    return store.one("SELECT id, sig FROM signatures WHERE table_name = ? AND record_id = ?", (table, record_id))


def pin_tag(pin_hash: str) -> str:
    """A digest of the salted PIN hash: shows a PIN change, reveals nothing about the PIN."""
    return hashlib.sha256(b"pos-tui pin tag\0" + (pin_hash or "").encode()).hexdigest()[:32]


def record_staff(store: Store, user_id: int, kind: str, by_user_id: int | None, terminal: int) -> int:
    """Sign the state of one user after a change (call inside the business transaction, after the change)."""
    user = store.one("SELECT id, name, role, rights, active, pin_hash FROM users WHERE id = ?", (user_id,))
    cur = store.db.execute(
        "INSERT INTO staff_log(user_id, kind, name, role, rights, active, pin_tag, by_user_id, terminal, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (user_id, kind, user["name"], user["role"], user["rights"], user["active"], pin_tag(user["pin_hash"]),
         by_user_id, terminal, store.now()))
    sign(store, "staff_log", cur.lastrowid)
    return cur.lastrowid


def _sign_baseline(store: Store) -> None:
    """Once per store: sign the journal rows and users that predate their signing (see migration m0009)."""
    store._baseline_signed = True
    baseline = store.get_setting("integrity_baseline") if _has_table(store, "staff_log") else None
    if not baseline:
        return
    for row in store.query(
            "SELECT j.id FROM journal j LEFT JOIN signatures s ON s.table_name = 'journal' AND s.record_id = j.id"
            " WHERE j.id <= ? AND s.id IS NULL ORDER BY j.id", (baseline.get("journal", 0),)):
        sign(store, "journal", row["id"])
    for row in store.query(
            "SELECT u.id FROM users u WHERE u.id <= ? AND NOT EXISTS (SELECT 1 FROM staff_log l WHERE l.user_id = u.id)"
            " ORDER BY u.id", (baseline.get("users", 0),)):
        record_staff(store, row["id"], "baseline", None, 0)
    store.db.execute("DELETE FROM settings WHERE key = 'integrity_baseline'")


def _has_table(store: Store, name: str) -> bool:
    return bool(store.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)))


def verify_staff(store: Store) -> list[str]:
    """Each user must be as its newest signed staff record says: an edit with the sqlite3 shell is named."""
    problems = []
    rows = store.query(
        "SELECT u.id, u.name, u.role, u.rights, u.active, u.pin_hash, l.id AS log_id, l.name AS log_name,"
        " l.role AS log_role, l.rights AS log_rights, l.active AS log_active, l.pin_tag AS log_pin_tag"
        " FROM users u LEFT JOIN staff_log l ON l.id = (SELECT max(id) FROM staff_log WHERE user_id = u.id)"
        " ORDER BY u.id")
    for row in rows:
        if row["log_id"] is None:
            problems.append(_("users #{id} ({name}): no signed staff record (added outside pos-tui)").format(
                id=row["id"], name=row["name"]))
            continue
        changed = [field for field, now, signed in (
            ("name", row["name"], row["log_name"]), ("role", row["role"], row["log_role"]),
            ("rights", row["rights"], row["log_rights"]), ("active", row["active"], row["log_active"]),
            ("PIN", pin_tag(row["pin_hash"]), row["log_pin_tag"])) if now != signed]
        if changed:
            problems.append(_("users #{id} ({name}): {fields} differ from its signed staff record #{log} "
                              "(changed outside pos-tui)").format(id=row["id"], name=row["name"],
                                                                  fields=", ".join(changed), log=row["log_id"]))
    return problems


def sqlite_integrity(store: Store) -> str:
    """SQLite's own check of the file: ``ok`` or what is wrong."""
    return store.scalar("PRAGMA integrity_check")
