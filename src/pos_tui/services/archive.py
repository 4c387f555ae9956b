"""Signed period archives (issue 15): written from the store, checked alone years later.

An archive is one zip file. Each signed table of the period is a JSON Lines part holding
exactly the signed columns of its records; ``signatures.jsonl`` holds each record's chain
entry (position, signature, the signature before it); ``anchors.jsonl`` the anchor-log
lines of the period's Z. ``manifest.json`` lists every part with its SHA-256, and
``manifest.hmac`` is the HMAC-SHA256 of the manifest under the shop's key. ``verify
--archive`` re-checks all of it from the file and the key alone: no database, no pos-tui
store, any machine.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pos_tui import __version__
from pos_tui.domain.errors import PosError
from pos_tui.domain.rights import Right
from pos_tui.i18n import _
from pos_tui.services import periods
from pos_tui.services.context import Context
from pos_tui.store import anchors as anchors_store
from pos_tui.store import stores as stores_store
from pos_tui.store import archive as archive_store
from pos_tui.store.db import make_private_dirs
from pos_tui.store.integrity import SIGNED_COLUMNS, canonical, fingerprint, load_key

FORMAT = "pos-tui-archive"
VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_MAC = "manifest.hmac"
_MAC_CONTEXT = b"pos-tui archive manifest\0"

ABOUT = """pos-tui fiscal archive
======================

Every fiscal record of one period, as written by pos-tui, with its signature.

- <table>.jsonl: one JSON object per line, the signed columns of one record.
- signatures.jsonl: {"seq", "table", "id", "sig", "prev"} per record: its position in the
  shop's signature chain, its signature and the signature before it, where
  sig = HMAC-SHA256(key, prev || canonical_json({"table": <table>, **record})) and
  canonical_json sorts keys, uses "," and ":" separators and keeps UTF-8 as is.
- anchors.jsonl: the anchor-log lines of the period's Z closings (chain position and
  fingerprint, also printed on each Z ticket).
- manifest.json: every part with its SHA-256; manifest.hmac: HMAC-SHA256(key,
  "pos-tui archive manifest\\0" || manifest.json), hex.

Check it with: pos-tui verify --archive THIS_FILE --key THE_SHOP_KEY_FILE
Amounts are integer cents; VAT rates are hundredths of a percent (2000 = 20 %).
"""


def period_bounds(store, period: str) -> tuple[str, str]:
    """``YYYY-MM`` is a month; ``YYYY`` the fiscal year starting in that year (shop settings)."""
    if len(period) == 4 and period.isdigit():
        start = date(int(period), periods.fiscal_year_start_month(store), 1)
        return start.isoformat(), periods._fiscal_year_end(start, start.month).isoformat()
    return periods.month_bounds(period)


def _jsonl(rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for r in rows).encode()


def _manifest_mac(key: bytes, manifest: bytes) -> str:
    return hmac.new(key, _MAC_CONTEXT + manifest, hashlib.sha256).hexdigest()


def build(store, period: str) -> tuple[dict[str, bytes], dict]:
    """The parts of the archive of ``period`` (read in one snapshot) and its manifest."""
    day_from, day_to = period_bounds(store, period)
    key = load_key(store)
    parts: dict[str, bytes] = {}
    entries: list[dict] = []
    counts: dict[str, int] = {}
    with archive_store.snapshot(store):
        for table, cols in SIGNED_COLUMNS.items():
            rows = archive_store.period_records(store, table, day_from, day_to)
            parts[f"{table}.jsonl"] = _jsonl([{c: r[c] for c in cols} for r in rows])
            counts[table] = len(rows)
            entries += [{"seq": r["_seq"], "table": table, "id": r["id"], "sig": r["_sig"], "prev": r["_prev"]}
                        for r in rows if r["_seq"] is not None]
        head = archive_store.chain_head(store)
        shop = archive_store.shop_name(store)
    entries.sort(key=lambda e: e["seq"])
    parts["signatures.jsonl"] = _jsonl(entries)
    log_lines = []
    try:
        for line in anchors_store.anchor_path(store).read_text(encoding="utf-8").splitlines():
            try:
                if day_from <= json.loads(line).get("day", "") <= day_to:
                    log_lines.append(line + "\n")
            except ValueError:
                continue
    except FileNotFoundError:
        pass
    parts["anchors.jsonl"] = "".join(log_lines).encode()
    parts["README.txt"] = ABOUT.encode()
    manifest = {
        "format": FORMAT, "version": VERSION, "period": period, "from": day_from, "to": day_to,
        "created_at": store.now(), "pos_tui": __version__, "shop": shop, "store": stores_store.code_of(store),
        "key_id": hashlib.sha256(b"pos-tui key id\0" + key).hexdigest()[:16],
        "chain_head": {"seq": head["id"], "fp": head["sig"][:16]} if head else None,
        "records": counts,
        "parts": [{"name": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                  for name, data in sorted(parts.items())],
    }
    return parts, manifest


@dataclass
class ArchiveWritten:
    path: Path
    records: int
    period: str
    day_from: str
    day_to: str


def export(ctx: Context, period: str, dest: Path) -> ArchiveWritten:
    """Write the signed archive of ``period`` to ``dest`` (a .zip file, or a folder to put it in)."""
    ctx.require(Right.EXPORT_DATA)
    dest = Path(dest)
    # Each store has its own chain and its own archives: the other stores' files say whose they are.
    suffix = "" if ctx.store.store_id == 1 else f"-{stores_store.code_of(ctx.store)}"
    target = dest / f"pos-tui-archive-{period}{suffix}.zip" if dest.is_dir() else dest
    if not target.parent.is_dir():
        raise PosError("The folder {folder} does not exist; nothing was written.", folder=str(target.parent))
    parts, manifest = build(ctx.store, period)
    manifest_bytes = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, manifest_bytes)
        zf.writestr(MANIFEST_MAC, _manifest_mac(load_key(ctx.store), manifest_bytes) + "\n")
        for name, data in parts.items():
            zf.writestr(name, data)
    _write_private(target, buffer.getvalue())
    with ctx.store.write():
        ctx.journal("export", what="archive", period=period, file=target.name,
                    manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest())
    return ArchiveWritten(target, sum(manifest["records"].values()), period, manifest["from"], manifest["to"])


def default_folder(store) -> Path:
    """Archives made from the closing screen go beside the database, in a private ``archives`` folder."""
    folder = Path(store.path).parent / "archives"
    try:
        make_private_dirs(folder)
    except OSError as exc:
        raise PosError("Cannot write {path}: {reason}; nothing was written.", path=str(folder),
                       reason=exc.strerror or str(exc)) from exc
    return folder


def _write_private(target: Path, data: bytes) -> None:
    """Owner-only, all or nothing: a temporary file beside the target, fsynced, then renamed."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".pos-tui-", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise PosError("Cannot write {path}: {reason}; nothing was written.", path=str(target),
                       reason=exc.strerror or str(exc)) from exc


# -- checking -------------------------------------------------------------------------

@dataclass
class ArchiveReport:
    problems: list[str] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)
    records: int = 0
    signatures_checked: bool = False


def read_key(path: Path) -> bytes:
    """A key file as ``pos-tui`` writes it (64 hex digits), for checking an archive without the store."""
    try:
        text = Path(path).read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PosError("Cannot read the key {path}: {reason}", path=str(path),
                       reason=getattr(exc, "strerror", None) or _("not a pos-tui key")) from exc
    if len(key) != 32:
        raise PosError("Cannot read the key {path}: {reason}", path=str(path), reason=_("not a pos-tui key"))
    return key


def verify(path: Path, key: bytes | None) -> ArchiveReport:
    """Check an archive alone: each part against the manifest, the manifest against the key, each record
    against its signature, the chain links between the records, the closings against their Z, the anchors."""
    report = ArchiveReport()
    p = report.problems
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        p.append(_("{file}: not a readable archive ({reason})").format(file=path, reason=exc))
        return report
    with zf:
        names = set(zf.namelist())
        raw = {}
        for name in sorted(names):
            try:
                raw[name] = zf.read(name)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:  # CRC, inflate, cut
                p.append(_("{part}: damaged inside the archive ({reason})").format(part=name, reason=exc))
    if MANIFEST not in raw:
        if MANIFEST not in names:
            p.append(_("{part}: missing from the archive").format(part=MANIFEST))
        return report
    try:
        manifest = json.loads(raw[MANIFEST])
        if manifest.get("format") != FORMAT:
            raise ValueError(manifest.get("format"))
    except (ValueError, AttributeError):
        p.append(_("{part}: not a pos-tui archive manifest").format(part=MANIFEST))
        return report
    report.manifest = manifest
    if key is not None:
        stated = raw.get(MANIFEST_MAC, b"").decode("ascii", "replace").strip()
        if not hmac.compare_digest(stated, _manifest_mac(key, raw[MANIFEST])):
            p.append(_("{part}: altered, or made with another key (its HMAC does not match)").format(part=MANIFEST))
        report.signatures_checked = True
    listed = {}
    for part in manifest.get("parts", []):
        listed[part["name"]] = part
        data = raw.get(part["name"])
        if data is None:
            if part["name"] not in names:
                p.append(_("{part}: missing from the archive").format(part=part["name"]))
            continue
        if hashlib.sha256(data).hexdigest() != part["sha256"]:
            p.append(_("{part}: altered (its SHA-256 is not the manifest's)").format(part=part["name"]))
            raw.pop(part["name"])
    for name in sorted(names - set(listed) - {MANIFEST, MANIFEST_MAC}):
        p.append(_("{part}: not listed in the manifest").format(part=name))
    records = {}
    for table in SIGNED_COLUMNS:
        data = raw.get(f"{table}.jsonl")
        if data is None:
            continue
        try:
            records[table] = {r["id"]: r for r in map(json.loads, data.decode().splitlines())}
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            p.append(_("{part}: not JSON Lines").format(part=f"{table}.jsonl"))
    report.records = sum(len(r) for r in records.values())
    try:
        entries = [json.loads(line) for line in raw.get("signatures.jsonl", b"").decode().splitlines()]
    except (ValueError, UnicodeDecodeError):
        p.append(_("{part}: not JSON Lines").format(part="signatures.jsonl"))
        entries = []
    if "signatures.jsonl" in raw:  # else already named: checking each record against it would only add noise
        _check_chain(report, records, entries, key)
        _check_anchors(report, raw.get("anchors.jsonl", b""), entries, key)
    _check_closings(report, records)
    return report


def _check_chain(report: ArchiveReport, records: dict, entries: list[dict], key: bytes | None) -> None:
    p = report.problems
    signed = set()
    previous = None
    for entry in sorted(entries, key=lambda e: e.get("seq", 0)):
        table, record_id = entry.get("table"), entry.get("id")
        record = records.get(table, {}).get(record_id)
        signed.add((table, record_id))
        if record is None:
            if table in records:
                p.append(_("{table} #{id}: signed (chain entry #{seq}) but missing from the archive").format(
                    table=table, id=record_id, seq=entry.get("seq")))
        elif key is not None:
            expected = hmac.new(key, entry["prev"].encode() + canonical(table, record), hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, entry["sig"]):
                p.append(_("{table} #{id}: record or signature altered (chain entry #{seq})").format(
                    table=table, id=record_id, seq=entry["seq"]))
        if previous is not None and entry["seq"] == previous["seq"] + 1 and entry["prev"] != previous["sig"]:
            p.append(_("chain entry #{seq}: does not follow entry #{prev}").format(seq=entry["seq"],
                                                                                 prev=previous["seq"]))
        previous = entry
    for table, rows in records.items():
        for record_id in sorted(set(rows) - {i for t, i in signed if t == table})[:5]:
            p.append(_("{table} #{id}: record has no signature in the archive").format(table=table, id=record_id))


def _check_closings(report: ArchiveReport, records: dict) -> None:
    """Each monthly closing in the archive must equal the sum of its Z rows (all in the archive)."""
    zs = sorted(records.get("z_closings", {}).values(), key=lambda z: z["business_day"])
    for closing in records.get("period_closings", {}).values():
        if closing["kind"] != "month":
            continue
        days = [z for z in zs if closing["day_from"] <= z["business_day"] <= closing["day_to"]]
        if len(days) != closing["z_count"]:
            continue  # the archive of another period holds only part of this month
        total = sum(z["period_total"] for z in days)
        perpetual = days[-1]["perpetual_total"] if days else closing["perpetual_total"]
        if total != closing["period_total"] or perpetual != closing["perpetual_total"]:
            report.problems.append(_("monthly closing {period}: its totals are not the sum of its Z").format(
                period=closing["period"]))


def _check_anchors(report: ArchiveReport, data: bytes, entries: list[dict], key: bytes | None) -> None:
    by_seq = {e.get("seq"): e for e in entries}
    for n, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        try:
            fields = json.loads(line)
            mac = fields.pop("mac")
            seq, fp = int(fields["seq"]), str(fields["fp"])
        except (ValueError, KeyError, TypeError, AttributeError):
            report.problems.append(_("anchors.jsonl, line {n}: not an anchor").format(n=n))
            continue
        if key is not None and not hmac.compare_digest(mac, anchors_store._mac(key, fields)):
            report.problems.append(_("anchors.jsonl, line {n}: altered (its MAC does not match)").format(n=n))
        entry = by_seq.get(seq)
        if entry is not None and not entry["sig"].startswith(fp):
            report.problems.append(_("chain entry #{m} is not the one {what} anchored ({fp}): the chain was "
                                     "rewritten, or an older copy of the database was put back").format(
                m=seq, what=_("Z n°{z} of {day}").format(z=fields.get("z"), day=fields.get("day")),
                fp=fingerprint(fp)))
