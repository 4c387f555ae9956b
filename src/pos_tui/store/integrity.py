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
import sqlite3
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from pos_tui.domain.errors import PosError
from pos_tui.i18n import _
from pos_tui.store.migrations import STORE_TABLES

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


def _canonical_slow(table: str, row: dict) -> bytes:
    return json.dumps({"table": table, **row}, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


_encode_str = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses for strings
_SORTED_KEYS: dict[tuple, list[tuple[str, str]]] = {}


def canonical(table: str, row: dict) -> bytes:
    """``{"table": ..., **row}`` as sorted, compact JSON (the signed form).

    Byte for byte what ``json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
    gives, built directly for the str / int / None values records hold (``verify`` walks
    hundreds of thousands of them); anything else goes through ``json.dumps``.
    """
    optional = SIGNED_WHEN_SET.get(table)
    if optional:
        row = {k: v for k, v in row.items() if not (v is None and k in optional)}
    shape = (table, *row)
    keys = _SORTED_KEYS.get(shape)
    if keys is None:
        keys = _SORTED_KEYS[shape] = [(k, _encode_str(k) + ":") for k in sorted(("table", *row))]
    parts = []
    for k, prefix in keys:
        v = table if k == "table" else row[k]
        t = type(v)
        if t is str:
            parts.append(prefix + _encode_str(v))
        elif t is int:
            parts.append(prefix + int.__repr__(v))
        elif v is None:
            parts.append(prefix + "null")
        else:
            return _canonical_slow(table, row)
    return ("{" + ",".join(parts) + "}").encode()


_PADS: dict[bytes, tuple] = {}  # key -> its HMAC pad states (a handful of keys per process)


def _pads(key: bytes) -> tuple:
    pads = _PADS.get(key)
    if pads is None:
        if len(_PADS) >= 16:  # tests open many stores, each with its own key
            _PADS.clear()
        pads = _PADS[key] = _hmac_pads(key)
    return pads


def _mac(key: bytes, prev: str, message: bytes) -> str:
    """``HMAC-SHA256(key, prev || message)`` in hex, the bytes ``hmac.digest`` gives, from the key's pad
    states computed once (``hmac.digest`` pads the key again for every record)."""
    inner, outer = _pads(key)
    inner = inner.copy()
    inner.update(prev.encode())
    inner.update(message)
    outer = outer.copy()
    outer.update(inner.digest())
    return outer.hexdigest()


def last_sig(store: Store) -> str:
    """The newest signature of the till's store (each store has its own chain): remembered inside a write
    transaction, read otherwise (index signatures_store)."""
    if store._pending_sigs:
        flush_signatures(store)
    return _tip(store)


def _tip(store: Store) -> str:
    tip = store._chain_tip if store.conn.in_transaction else None
    if tip is None:
        tip = store.scalar("SELECT sig FROM signatures WHERE store_id = ? ORDER BY id DESC LIMIT 1",
                           (store.store_id,)) or ""
    return tip


def _chain(store: Store, table: str, record: dict) -> str:
    return _chain_signed(store, table, record["id"], canonical(table, record))


_SIGNATURE_SQL = "INSERT INTO signatures(table_name, record_id, sig, store_id) VALUES (?, ?, ?, ?)"
_SIGNATURE_COLUMNS = ("table_name", "record_id", "sig", "store_id")


def _chain_signed(store: Store, table: str, record_id: int, message: bytes) -> str:
    """Chain one record given its signed form: the signature follows the chain tip (written now)."""
    if not store._baseline_signed:
        _sign_baseline(store)
    sig = _mac(store._signing_key or load_key(store), last_sig(store), message)
    store.conn.execute(_SIGNATURE_SQL, (table, record_id, sig, store.store_id))
    if store.conn.in_transaction:
        # Store.write holds the write lock (BEGIN IMMEDIATE) and forgets the tip when it ends.
        store._chain_tip = sig
    return sig


def flush_signatures(store: Store) -> None:
    """Sign the records ``batched_signatures`` holds, in the order they were inserted, and write their
    signature rows in one statement (call before anything reads ``signatures`` or the chain tip)."""
    pending = store._pending_sigs
    if not pending:
        return
    key = store._signing_key or load_key(store)
    prev = _tip(store)
    store_id = store.store_id
    rows = []
    for table, plan, row in pending:
        prev = _mac(key, prev, plan.signed_form(row) or plan.general_form(store, row))
        rows.append((table, row[0], prev, store_id))
    pending.clear()
    store.insert_rows("signatures", _SIGNATURE_COLUMNS, rows)
    if store.conn.in_transaction:
        store._chain_tip = prev


class batched_signatures:  # noqa: N801 - used as a context manager, like contextlib's
    """Inside a write transaction: the records ``insert_signed`` writes in the block are signed at its end,
    in the order they were inserted (the chain is the same), and their signature rows go in as one
    statement, not one per record.

    Reading the chain inside the block (``last_sig``, ``chain_entry``, ``sign``) signs what is held
    first; other code must not read ``signatures`` there. On an error what is held is dropped with the
    transaction, which rolls back.
    """

    __slots__ = ("store",)

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> Store:
        if not self.store.conn.in_transaction or self.store._pending_sigs is not None:
            raise RuntimeError("batched_signatures belongs inside one write transaction")
        self.store._pending_sigs = []
        return self.store

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                flush_signatures(self.store)
        finally:
            self.store._pending_sigs = None


def remember_tip(store: Store, sig: str | None) -> None:
    """The chain tip read (under the write lock) with other figures: the next record follows it."""
    if store.conn.in_transaction and not store._pending_sigs:
        store._chain_tip = sig or ""


# The chain tip of the till's store as a sub-select (one parameter: the store id), to read it with other figures.
TIP_SUBQUERY = "(SELECT sig FROM signatures WHERE store_id = ? ORDER BY id DESC LIMIT 1)"


def _column_types(store: Store, table: str) -> dict[str, str]:
    cache = store.__dict__.setdefault("_column_types", {})
    if table not in cache:
        cache[table] = store.column_types(table)
    return cache[table]


def _stored(value, column_type: str):
    """The value as a STRICT column stores it, so the signature matches what ``verify`` reads back."""
    t = type(value)
    if value is None or (t is int and column_type == "INTEGER") or (t is str and column_type == "TEXT"):
        return value
    if column_type == "INTEGER":
        if isinstance(value, int):  # bool too: stored as 0/1
            return int(value)
        if isinstance(value, float):  # a JSON number such as 2.0 (never money: amounts are int cents)
            return int(value) if value.is_integer() else value
        if isinstance(value, str) and value.strip().lstrip("+-").isdigit() and str(int(value)) == value:
            return int(value)
        return value
    if column_type == "TEXT":
        if isinstance(value, str):
            return str.__str__(value)  # an Enum member or other str subclass: its plain text
        if isinstance(value, int):
            return str(int(value))
    return value


_NoneType = type(None)
# The types a STRICT column stores as given (anything else goes through ``_stored``).
_PLAIN_TYPES = {"INTEGER": (int, _NoneType), "TEXT": (str, _NoneType)}


class _InsertPlan:
    """How one shape of ``insert_signed`` call (table and value columns) inserts and signs, worked out once
    per store (column types are the engine's): the INSERT, and for each pattern of value types met, the
    signed form as a template (keys, ``null``s and unset optional columns baked in) whose holes take the
    other values. A value the STRICT column would store otherwise (an int into TEXT, a str subclass, a
    bool…) gets no template: such a record goes the general way (``_stored``, ``canonical``)."""

    __slots__ = ("sql", "with_store", "table", "signed", "position", "positions", "pick", "allowed", "forms")

    def __init__(self, store: Store, table: str, columns: tuple[str, ...]) -> None:
        with_store = table in STORE_TABLES
        names = (*columns, "store_id") if with_store else columns
        self.sql = f"INSERT INTO {table}({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        self.with_store = with_store
        self.table = table
        missing = [c for c in SIGNED_COLUMNS[table] if c != "id" and c not in columns]
        if missing:  # a column left to its default would be signed as something else than what is stored
            raise KeyError(missing[0])
        types = _column_types(store, table)
        self.signed = sorted(SIGNED_COLUMNS[table])
        position = {c: i + 1 for i, c in enumerate(columns)}  # in (id, *values): id first
        position["id"] = 0
        self.position = position
        self.positions = [position[c] for c in self.signed]
        self.pick = itemgetter(*self.positions)
        self.allowed = [_PLAIN_TYPES.get(types.get(c, ""), (int, str, _NoneType)) for c in self.signed]
        self.forms: dict[tuple, tuple | None] = {}  # value types -> (template, holes' getter, text holes) or None

    def _form(self, kinds: tuple) -> tuple | None:
        if len(self.forms) >= 64:  # a few None patterns per shape in practice
            self.forms.clear()
        form = None
        if all(k in allowed for k, allowed in zip(kinds, self.allowed)):
            optional = SIGNED_WHEN_SET.get(self.table, ())
            fields = {"table": _encode_str(self.table).replace("%", "%%")}
            holes = {}
            for col, kind, pos in zip(self.signed, kinds, self.positions):
                if kind is _NoneType:
                    if col not in optional:  # an optional column is signed only when set
                        fields[col] = "null"
                else:  # %d writes a plain int as int.__repr__ does; a str goes in JSON-escaped
                    holes[col] = (pos, "%d" if kind is int else "%s")
                    fields[col] = holes[col][1]
            keys = sorted(fields)
            template = "{" + ",".join(_encode_str(k).replace("%", "%%") + ":" + fields[k] for k in keys) + "}"
            order = [holes[k] for k in keys if k in holes]
            pick = (itemgetter(*(p for p, _f in order)) if len(order) > 1
                    else (lambda row, p=order[0][0]: (row[p],)))  # ids are always set: never no hole
            form = (template, pick, [i for i, (_p, f) in enumerate(order) if f == "%s"])
        self.forms[kinds] = form
        return form

    def signed_form(self, row: tuple) -> bytes | None:
        """The canonical bytes of the record ``row`` = (id, *values), or None when a value is not plain."""
        kinds = tuple(map(type, self.pick(row)))
        form = self.forms.get(kinds, False)
        if form is False:
            form = self._form(kinds)
        if form is None:
            return None
        template, pick, texts = form
        values = pick(row)
        if texts:
            values = list(values)
            for i in texts:
                values[i] = _encode_str(values[i])
            values = tuple(values)
        return (template % values).encode()

    def general_form(self, store: Store, row: tuple) -> bytes:
        """The canonical bytes of ``row`` built the general way: each value as its column stores it."""
        types = _column_types(store, self.table)
        record = {"id": row[0]}
        for col in SIGNED_COLUMNS[self.table]:
            if col != "id":
                record[col] = _stored(row[self.position[col]], types.get(col, ""))
        return canonical(self.table, record)


def insert_signed(store: Store, table: str, values: dict) -> int:
    """Insert one fiscal record and chain it, signing the values written (no read-back).

    ``values`` must hold every signed column but ``id``: a column left to its default
    would be signed as something else than what is stored, so a missing one is an error.
    """
    plans = store._insert_plans
    if plans is None:
        plans = store._insert_plans = {}
    shape = (table, *values)
    plan = plans.get(shape)
    if plan is None:
        plan = plans[shape] = _InsertPlan(store, table, shape[1:])
    params = (*values.values(), store.store_id) if plan.with_store else tuple(values.values())
    new_id = store.insert_id(plan.sql, params)
    if not store._baseline_signed:
        _sign_baseline(store)
    pending = store._pending_sigs
    if pending is not None:  # inside ``batched_signatures``: signed at the end of the block
        pending.append((table, plan, (new_id, *params)))
    else:
        row = (new_id, *params)
        _chain_signed(store, table, new_id, plan.signed_form(row) or plan.general_form(store, row))
    return new_id


def sign(store: Store, table: str, record_id: int) -> str:
    """Chain a record already inserted, reading it back (call inside the business transaction)."""
    cols = SIGNED_COLUMNS[table]
    row = store.one(f"SELECT {', '.join(cols)} FROM {table} WHERE id = ?", (record_id,))
    return _chain(store, table, row)


def _json_sql(table: str) -> str:
    """SQLite expression building a record's signed form (``canonical``): sorted keys, compact JSON,
    the columns signed only when set left out while NULL."""
    def obj(cols) -> str:
        keys = sorted(("table", *cols))
        return "json_object(" + ", ".join(f"'{k}', " + (f"'{table}'" if k == "table" else f"t.{k}")
                                          for k in keys) + ")"

    optional = SIGNED_WHEN_SET.get(table, ())
    if not optional:
        return obj(SIGNED_COLUMNS[table])
    # Mixed NULL / set optional columns (none today) fall to the Python form in _check_range.
    unset = " AND ".join(f"t.{c} IS NULL" for c in optional)
    return (f"CASE WHEN {unset} THEN {obj([c for c in SIGNED_COLUMNS[table] if c not in optional])}"
            f" ELSE {obj(SIGNED_COLUMNS[table])} END")


CHUNK = 50_000  # chain entries per piece of work (and per progress step)
PARALLEL_FROM = 200_000  # below this, one process walks the chain (starting workers costs more)


def _chain_sql(tables: list[str], by_store: bool = False) -> str:
    """One row per chain entry: (entry id, stored sig, signed JSON as bytes, chain head the record states).

    The JSON comes as a BLOB (UTF-8 bytes, fed to the HMAC as is: no decode/encode per record). The
    stated head is NULL for tables that state none; a closing whose ``last_sig`` is NULL states ``x''``,
    which never equals a signature (so it is reported, as before)."""
    with_head = [t for t in tables if "last_sig" in SIGNED_COLUMNS[t]]  # closings state the chain head
    record = " ".join(f"WHEN '{t}' THEN (SELECT CAST({_json_sql(t)} AS BLOB) FROM {t} t WHERE t.id = s.record_id)"
                      for t in tables)
    head = " ".join(f"WHEN '{t}' THEN (SELECT ifnull(last_sig, x'') FROM {t} WHERE id = s.record_id)"
                    for t in with_head)
    # One store's chain among several: its entries through the (store_id, id) index. A company with one
    # store (or one store with entries) walks the table's rowids as before.
    where = ("INDEXED BY signatures_store WHERE s.store_id = ? AND s.id BETWEEN ? AND ?" if by_store
             else "WHERE s.id BETWEEN ? AND ?")
    return (f"SELECT s.id, s.sig, CASE s.table_name {record or 'WHEN NULL THEN NULL'} END,"
            f" CASE s.table_name {head or 'WHEN NULL THEN NULL'} END FROM signatures s"
            f" {where} ORDER BY s.id")


def _hmac_pads(key: bytes):
    """SHA-256 states after HMAC's inner and outer key blocks (RFC 2104): copying a hashlib object per
    record is C work, where ``hmac.HMAC.copy`` builds a Python object each time."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return (hashlib.sha256(bytes(b ^ 0x36 for b in key)), hashlib.sha256(bytes(b ^ 0x5C for b in key)))


def _entry_problem(conn: sqlite3.Connection, key: bytes, entry_id: int, prev: str, signed, head) -> str | None:
    """The slow look at one entry the fast walk did not accept: None when it is in fact sound."""
    table, record_id, sig = conn.execute("SELECT table_name, record_id, sig FROM signatures WHERE id = ?",
                                         (entry_id,)).fetchone()
    if signed is None:
        return f"{table} #{record_id}: signed record is missing (deleted)"
    cols = SIGNED_COLUMNS[table]
    row = dict(zip(cols, conn.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE id = ?", (record_id,)).fetchone()))
    expected = hmac.new(key, prev.encode() + canonical(table, row), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, sig):
        return f"{table} #{record_id}: record or signature altered (chain entry {entry_id})"
    if head is not None and head != prev:
        return f"{table} #{record_id}: the chain head it states is not the chain's (entry {entry_id})"
    return None


def _check_range(conn: sqlite3.Connection, key: bytes, tables: list[str], lo: int, hi: int,
                 prev: str, store_id: int | None = None) -> tuple[tuple[int, str] | None, int]:
    """Check chain entries lo..hi, ``prev`` being the signature before lo.

    Returns (first problem as (entry id, message) or None, entries seen). The loop is the hot path of
    ``verify`` (hundreds of thousands of records): per entry, two hash-state copies and a comparison;
    anything unusual goes to ``_entry_problem``.
    """
    inner, outer = _hmac_pads(key)
    done = 0
    prev_b = prev.encode()
    rows = (conn.execute(_chain_sql(tables), (lo, hi)) if store_id is None
            else conn.execute(_chain_sql(tables, by_store=True), (store_id, lo, hi)))
    for entry_id, sig, signed, head in rows:
        if signed is not None:
            i = inner.copy()
            i.update(prev_b)
            i.update(signed)
            o = outer.copy()
            o.update(i.digest())
            ok = o.hexdigest() == sig and (head is None or head == prev)
        else:
            ok = False
        if not ok:
            problem = _entry_problem(conn, key, entry_id, prev, signed, head)
            if problem:
                return (entry_id, problem), done
        prev = sig
        prev_b = sig.encode()
        done += 1
    return None, done


def _check_range_in_file(path: str, key: bytes, tables: list[str], lo: int, hi: int, prev: str,
                         store_id: int | None = None):
    """A worker process: its own read-only connection (connections never cross processes)."""
    conn = sqlite3.connect(path, timeout=8)
    try:
        conn.execute("PRAGMA query_only = ON")
        return _check_range(conn, key, tables, lo, hi, prev, store_id)
    finally:
        conn.close()


def chain_stores(store: Store) -> list[dict]:
    """Every store of the company (``id``, ``code``): each has its own chain."""
    return store.query("SELECT id, code FROM stores ORDER BY id")


def verify_chain(store: Store, progress: Callable[[int, int], None] | None = None,
                 workers: int | None = None, store_id: int | None = None) -> list[str]:
    """Re-walk each store's chain (``store_id``: that store's only); name the first bad record of each,
    and every fiscal record without a signature.

    One query per piece of the chain has SQLite build each record's signed JSON (a rowid look-up
    per entry, in C), so Python only computes HMACs. A record whose SQL-built form does not match
    is rebuilt the Python way before it is called altered (the two forms agree for the values
    records hold; the fallback keeps verify exact whatever they hold). Each entry is checked
    against the stored signature before it, so pieces of a long chain are checked in parallel
    (one process per CPU). ``progress(done, total)`` is called after each piece. With more than one
    store, each problem names its store.
    """
    problems: list[str] = []
    # Read-only: a store with nothing signed yet needs no key, and verify never makes one.
    key = (load_key(store, create=False)
           if store.scalar("SELECT 1 FROM signatures LIMIT 1") or key_path(store).exists() else b"")
    tables = [t for t in SIGNED_COLUMNS if _has_table(store, t)]
    if store.engine != "sqlite":
        return _verify_portable(store, key, tables, progress, store_id)
    stores = chain_stores(store)
    several = len(stores) > 1
    if store_id is not None:
        stores = [s for s in stores if s["id"] == store_id]
    everything = store.scalar("SELECT count(*) FROM signatures") if several else None
    walks = []  # (store, pieces, entries, by_store)
    for shop in stores:
        if several:
            first, last, total = store.conn.execute(
                "SELECT min(id), max(id), count(*) FROM signatures WHERE store_id = ?", (shop["id"],)).fetchone()
        else:  # a single shop: its chain is the whole table
            first, last, total = store.conn.execute("SELECT min(id), max(id), count(*) FROM signatures").fetchone()
        if not total:
            continue
        # The only store with entries walks the rowids (as a single shop always did); else its index.
        by_store = several and total != everything
        pieces = []
        for lo in range(first, last + 1, CHUNK):
            prev = (store.scalar("SELECT sig FROM signatures WHERE store_id = ? AND id < ? ORDER BY id DESC LIMIT 1",
                                 (shop["id"], lo)) if by_store
                    else store.scalar("SELECT sig FROM signatures WHERE id < ? ORDER BY id DESC LIMIT 1", (lo,))) or ""
            pieces.append((lo, min(lo + CHUNK - 1, last), prev))
        walks.append((shop, pieces, total, by_store))
    grand = sum(w[2] for w in walks)
    done = 0
    for shop, pieces, total, by_store in walks:
        sid = shop["id"] if by_store else None
        n_workers = workers
        if n_workers is None:
            n_workers = (min(os.cpu_count() or 1, 4) if total >= PARALLEL_FROM and str(store.path) != ":memory:"
                         else 1)
        results = []  # (first problem or None, entries seen) per piece
        if n_workers > 1 and len(pieces) > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork, not spawn: spawn re-runs the __main__ of `python -m pos_tui`. The children never touch
            # the parent's connection; each opens its own.
            with ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("fork")) as pool:
                futures = [pool.submit(_check_range_in_file, str(store.path), key, tables, lo, hi, prev, sid)
                           for lo, hi, prev in pieces]
                for future in futures:
                    results.append(future.result())
                    done += results[-1][1]
                    if progress is not None:
                        progress(done, grand)
        else:
            for lo, hi, prev in pieces:
                results.append(_check_range(store.conn, key, tables, lo, hi, prev, sid))
                done += results[-1][1]
                if progress is not None:
                    progress(done, grand)
                if results[-1][0]:
                    break
        found = [r[0] for r in results if r[0]]
        if found:
            # the first bad entry of the chain, as a walk from the start names it
            problem = min(found)[1]
            problems.append(_("store {code}: {problem}").format(code=shop["code"], problem=problem)
                            if several else problem)
    # A walk that found nothing wrong saw every entry, each naming an existing record (the unique index
    # allows one signature per record), so per table: as many signatures as records means none is unsigned.
    seen = dict(store.conn.execute("SELECT table_name, count(*) FROM signatures GROUP BY table_name").fetchall())
    for table in tables:
        if not problems and store.scalar(f"SELECT count(*) FROM {table}") == seen.get(table, 0):
            continue
        problems += _unsigned(store, table)
    return problems


def _unsigned(store: Store, table: str) -> list[str]:
    """The first records of ``table`` that no chain entry signs."""
    return [f"{table} #{row['id']}: record has no signature" for row in store.query(
        f"SELECT t.id FROM {table} t LEFT JOIN signatures s ON s.table_name = ? AND s.record_id = t.id"
        " WHERE s.id IS NULL ORDER BY t.id LIMIT 5", (table,))]


def _verify_portable(store: Store, key: bytes, tables: list[str],
                     progress: Callable[[int, int], None] | None, store_id: int | None = None) -> list[str]:
    """``verify_chain`` on PostgreSQL: each store's chain (``store_id``: that one's) read in pieces, each
    piece's records fetched per table in one query and their signed form built in Python (``canonical``),
    as ``sign`` built it."""
    problems: list[str] = []
    shops = chain_stores(store)
    several = len(shops) > 1
    total = store.scalar("SELECT count(*) FROM signatures") or 0
    done = 0
    for shop in shops:
        if store_id is not None and shop["id"] != store_id:
            continue
        found, done = _walk_portable(store, key, shop["id"], done, total, progress)
        problems += [_("store {code}: {problem}").format(code=shop["code"], problem=p) if several else p
                     for p in found]
    for table in tables:
        problems += _unsigned(store, table)
    return problems


def _walk_portable(store: Store, key: bytes, store_id: int, done: int, total: int,
                   progress: Callable[[int, int], None] | None) -> tuple[list[str], int]:
    """One store's chain on PostgreSQL: its first problem (if any) and the entries seen so far."""
    problems: list[str] = []
    prev, after = "", 0
    while not problems:
        entries = store.query("SELECT id, table_name, record_id, sig FROM signatures WHERE store_id = ? AND id > ?"
                              " ORDER BY id LIMIT ?", (store_id, after, CHUNK))
        if not entries:
            break
        records: dict[tuple[str, int], dict] = {}
        by_table: dict[str, list[int]] = {}
        for e in entries:
            by_table.setdefault(e["table_name"], []).append(e["record_id"])
        for table, ids in by_table.items():
            cols = SIGNED_COLUMNS.get(table)
            if cols is None:
                continue
            for row in store.query(f"SELECT {', '.join(cols)} FROM {table} WHERE id = ANY(?)", (ids,)):
                records[(table, row["id"])] = row
        for e in entries:
            table, record_id = e["table_name"], e["record_id"]
            row = records.get((table, record_id))
            if row is None:
                problems.append(f"{table} #{record_id}: signed record is missing (deleted)")
                break
            expected = hmac.new(key, prev.encode() + canonical(table, row), hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, e["sig"]):
                problems.append(f"{table} #{record_id}: record or signature altered (chain entry {e['id']})")
                break
            if "last_sig" in row and row["last_sig"] != prev:
                problems.append(f"{table} #{record_id}: the chain head it states is not the chain's (entry {e['id']})")
                break
            prev = e["sig"]
            done += 1
        after = entries[-1]["id"]
        if progress is not None:
            progress(done, total)
    return problems, done


def fingerprint(sig: str) -> str:
    """The short fingerprint of a chain entry, as printed on a Z: ``3f2a-91bc-0d4e-77aa``."""
    head = sig[:FINGERPRINT_CHARS]
    return "-".join(head[i:i + 4] for i in range(0, len(head), 4))


def normalise_fingerprint(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch in "0123456789abcdef")


def chain_entry(store: Store, table: str, record_id: int) -> dict | None:
    """The chain entry (``id`` = position, ``sig``) that signs one record."""
    flush_signatures(store)
    return store.one("SELECT id, sig FROM signatures WHERE table_name = ? AND record_id = ?", (table, record_id))


def pin_tag(pin_hash: str) -> str:
    """A digest of the salted PIN hash: shows a PIN change, reveals nothing about the PIN."""
    return hashlib.sha256(b"pos-tui pin tag\0" + (pin_hash or "").encode()).hexdigest()[:32]


def record_staff(store: Store, user_id: int, kind: str, by_user_id: int | None, terminal: int) -> int:
    """Sign the state of one user after a change (call inside the business transaction, after the change)."""
    user = store.one("SELECT id, name, role, rights, active, pin_hash FROM users WHERE id = ?", (user_id,))
    return insert_signed(store, "staff_log", {
        "user_id": user_id, "kind": kind, "name": user["name"], "role": user["role"], "rights": user["rights"],
        "active": user["active"], "pin_tag": pin_tag(user["pin_hash"]), "by_user_id": by_user_id,
        "terminal": terminal, "created_at": store.now()})


def _sign_baseline(store: Store) -> None:
    """Once per store: sign the journal rows and users that predate their signing (see migration m0009)."""
    store._baseline_signed = True
    flush_signatures(store)
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
    store.conn.execute("DELETE FROM settings WHERE key = 'integrity_baseline'")


def _has_table(store: Store, name: str) -> bool:
    return store.has_table(name)


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
    """SQLite's own check of the file: ``ok`` or what is wrong (a PostgreSQL server checks its own pages)."""
    if store.engine != "sqlite":
        return "ok"
    return store.scalar("PRAGMA integrity_check")
